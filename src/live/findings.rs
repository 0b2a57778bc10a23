//! Measurements → findings: what a live measurement means for the statement (how many rows
//! it touches, which rows violate a new constraint, which objects are missing), as
//! diagnostics or as the impact attached to the static findings.

use super::*;

pub(super) fn findings(
    span: Span,
    probe: &Probe,
    measured: Measured,
    opts: &Options,
    file: &mut FileOutcome,
    out: &mut Vec<Diagnostic>,
) {
    let table = match probe {
        Probe::Rows { table, .. }
        | Probe::NotNull { table, .. }
        | Probe::Table { table, .. }
        | Probe::DropColumn { table, .. }
        | Probe::Rename { table, .. } => table.clone(),
        Probe::CannotMeasure {
            reason, refused, ..
        } => {
            let d = Diagnostic::new(
                "live-cannot-measure",
                span,
                format!("cannot measure this statement: {reason}"),
            )
            .label("not measured")
            .help(if *refused {
                "preflight only sends predicates it can prove harmless; count the rows yourself \
                 in a read-only transaction"
            } else {
                "substitute a representative value and count the rows yourself, e.g. \
                 `SELECT count(*) FROM … WHERE …` in a read-only transaction"
            });
            out.push(if *refused {
                d.severity(Severity::Warning)
            } else {
                d.severity(Severity::Info)
            });
            return;
        }
    };
    let tname = name_of(&table);
    match measured {
        Measured::Nothing => {}
        Measured::MissingTable => {
            if matches!(
                probe,
                Probe::Table {
                    if_exists: true,
                    ..
                }
            ) {
                return;
            }
            out.push(missing_object(
                span,
                format!("table {tname} does not exist in the target database"),
                "check --database-url points at the right database and schema; if an earlier \
                 migration creates the table, this statement was not measured",
            ));
        }
        Measured::MissingColumn(col) => {
            if matches!(
                probe,
                Probe::DropColumn {
                    if_exists: true,
                    ..
                }
            ) {
                return;
            }
            out.push(missing_object(
                span,
                format!("column `{col}` of {tname} does not exist in the target database"),
                "check --database-url points at the right database; if an earlier migration \
                 adds the column, this statement was not measured",
            ));
        }
        Measured::Rows { matched, total } => {
            let Probe::Rows { verb, .. } = probe else {
                return;
            };
            let pct = percent(matched.value, total.value);
            let estimate = matched.estimate || total.estimate;
            let impact = impact_of(
                &table.display,
                json!({
                    "rows_matched": matched.value,
                    "rows_total": total.value,
                    "percent": (pct * 10.0).round() / 10.0,
                    "estimate": estimate,
                }),
            );
            let est = if estimate { " (planner estimate)" } else { "" };
            let summary = format!(
                "would {} {} of {} rows ({pct:.1} %){est}",
                verb.past(),
                matched.text(),
                total.text()
            );
            attach(file, span, &impact, &summary);
            // --min-rows: a share of a small table is not a blast radius
            let over_pct = pct > opts.max_affected_pct && matched.value >= opts.min_rows;
            let over_rows = opts.max_rows.is_some_and(|m| matched.value > m);
            if matched.value > 0 && (over_pct || over_rows) {
                let limit = if over_pct {
                    format!("--max-affected {} %", opts.max_affected_pct)
                } else {
                    format!(
                        "--max-rows {}",
                        thousands(opts.max_rows.unwrap_or_default())
                    )
                };
                let verb_kw = verb.keyword();
                let d = Diagnostic::new(
                    "live-blast-radius",
                    span,
                    format!("{verb_kw} on {tname} {summary} in the target database"),
                )
                .label(summary.clone())
                .help(format!(
                    "this is above {limit}; check the predicate with `SELECT count(*) FROM {} \
                     WHERE …`, narrow it, and {} in batches; if it is intended, suppress with \
                     a reason",
                    table.display,
                    if *verb == Verb::Delete {
                        "delete"
                    } else {
                        "update"
                    }
                ));
                out.push(with_impact(d, &impact));
            }
        }
        Measured::Nulls { nulls, total } => {
            let Probe::NotNull {
                column,
                added,
                backfilled,
                ..
            } = probe
            else {
                return;
            };
            let impact = impact_of(
                &table.display,
                json!({
                    "column": column,
                    "null_rows": nulls.value,
                    "rows_total": total.value,
                    "estimate": nulls.estimate || total.estimate,
                }),
            );
            let summary = if *added {
                format!("{tname} has {} rows", total.text())
            } else {
                format!(
                    "{} of {} rows hold NULL in `{column}`",
                    nulls.text(),
                    total.text()
                )
            };
            attach(file, span, &impact, &summary);
            if nulls.value == 0 {
                return;
            }
            let message = if *added {
                format!(
                    "ADD COLUMN `{column}` … NOT NULL without a DEFAULT fails: {tname} has {} rows \
                     in the target database",
                    total.text()
                )
            } else {
                format!(
                    "SET NOT NULL on {tname}.`{column}` fails: {} rows hold NULL in the target \
                     database",
                    nulls.text()
                )
            };
            let mut d = Diagnostic::new("live-not-null-violation", span, message)
                .label(summary)
                .help(if *added {
                    "add the column nullable (or with a DEFAULT), backfill it, then SET NOT NULL"
                } else {
                    "backfill the NULLs first (UPDATE … SET col = … WHERE col IS NULL), or add a \
                     CHECK (col IS NOT NULL) NOT VALID constraint and validate it"
                });
            if *backfilled {
                d = d
                    .severity(Severity::Info)
                    .help("an earlier UPDATE in this file assigns this column: make sure it covers every NULL row counted here");
            }
            out.push(with_impact(d, &impact));
        }
        Measured::Table {
            rows,
            size_bytes,
            views,
            foreign_keys,
        } => {
            let impact = impact_of(
                &table.display,
                json!({
                    "rows": rows.value,
                    "estimate": rows.estimate,
                    "size_bytes": size_bytes,
                    "dependent_views": views,
                    "foreign_keys": foreign_keys,
                }),
            );
            let summary = with_dependents(
                format!("{} rows, {}", rows.text(), human_size(size_bytes)),
                "views",
                &views,
                &foreign_keys,
            );
            let before = file.diagnostics.len();
            let attached = file.diagnostics[..before].iter().any(|d| {
                !d.rule.starts_with("live-")
                    && d.span.start >= span.start
                    && d.span.start < span.end
            });
            attach(file, span, &impact, &summary);
            if !attached && (rows.value > 0 || !views.is_empty() || !foreign_keys.is_empty()) {
                let what = if matches!(probe, Probe::Table { truncate: true, .. }) {
                    "TRUNCATE"
                } else {
                    "DROP TABLE"
                };
                out.push(with_impact(
                    Diagnostic::new(
                        "live-impact",
                        span,
                        format!("{what} {tname} removes {summary} in the target database"),
                    )
                    .label(summary),
                    &impact,
                ));
            }
        }
        Measured::Column {
            values,
            views,
            foreign_keys,
        } => {
            let Probe::DropColumn { column, .. } = probe else {
                return;
            };
            let impact = impact_of(
                &table.display,
                json!({
                    "column": column,
                    "non_null_values": values.value,
                    "estimate": values.estimate,
                    "dependent_views": views,
                    "foreign_keys": foreign_keys,
                }),
            );
            let summary = with_dependents(
                format!("`{column}` holds {} non-NULL values", values.text()),
                "used by views",
                &views,
                &foreign_keys,
            );
            attach(file, span, &impact, &summary);
        }
        Measured::Dependents { views, others } => {
            let Probe::Rename { column, .. } = probe else {
                return;
            };
            let what = match column {
                Some(c) => format!("{tname}.`{c}`"),
                None => tname.clone(),
            };
            let impact = impact_of(
                &table.display,
                json!({
                    "column": column,
                    "dependent_views": views,
                    "dependents": others,
                }),
            );
            let mut parts = Vec::new();
            if !views.is_empty() {
                parts.push(format!("views {}", views.join(", ")));
            }
            if !others.is_empty() {
                parts.push(others.join(", "));
            }
            let summary = if parts.is_empty() {
                "no dependent views, functions or rules in the target database".to_string()
            } else {
                format!("depended on by {}", parts.join("; "))
            };
            attach(file, span, &impact, &summary);
            if !parts.is_empty() {
                out.push(with_impact(
                    Diagnostic::new(
                        "live-impact",
                        span,
                        format!("renaming {what}: it is {summary} in the target database"),
                    )
                    .label(summary)
                    .help(
                        "views and SQL-standard function bodies follow the rename, but code that \
                         names the old identifier (application queries, plpgsql bodies, which \
                         PostgreSQL does not track) breaks; rename in a separate deploy step",
                    ),
                    &impact,
                ));
            }
        }
    }
}

/// A measurement's impact as JSON: where it comes from (`"source": "database"`), the table,
/// then `fields` in order.
fn impact_of(table: &str, fields: Value) -> Value {
    let mut m = Map::new();
    m.insert("source".to_string(), json!("database"));
    m.insert("table".to_string(), json!(table));
    if let Value::Object(f) = fields {
        m.extend(f);
    }
    Value::Object(m)
}

/// `summary` followed by the views (`views_word`: how they are introduced) and foreign keys
/// that depend on the object, when there are any.
fn with_dependents(
    mut summary: String,
    views_word: &str,
    views: &[String],
    foreign_keys: &[String],
) -> String {
    if !views.is_empty() {
        summary.push_str(&format!("; {views_word}: {}", views.join(", ")));
    }
    if !foreign_keys.is_empty() {
        summary.push_str(&format!(
            "; referenced by foreign keys: {}",
            foreign_keys.join(", ")
        ));
    }
    summary
}
