//! `alter-column-type`: changing a column's type rewrites the table under an exclusive lock
//! and may fail or lose data; an error when the new type is narrower.

use super::alter_of_existing_table;
use crate::diagnostic::{Diagnostic, Severity};
use crate::migrations::Ctx;
use crate::rules::sql::Context;
use crate::sql::{AlterOp, Statement};

#[derive(Debug, PartialEq)]
enum Ty {
    Int(u8),
    Float(u8),
    Numeric(Option<(u32, u32)>),
    Text(Option<u32>),
    Timestamp,
    Date,
    Other(String),
}

fn parse(t: &str) -> Ty {
    let t = t.trim().to_ascii_lowercase();
    let (base, args) = match t.split_once('(') {
        Some((b, a)) => (
            b.trim().to_string(),
            Some(a.trim_end_matches(')').to_string()),
        ),
        None => (t.clone(), None),
    };
    let nums: Vec<u32> = args
        .iter()
        .flat_map(|a| a.split(',').map(|x| x.trim().parse().ok()))
        .flatten()
        .collect();
    match base.as_str() {
        "smallint" | "int2" | "smallserial" | "tinyint" => Ty::Int(1),
        "int" | "integer" | "int4" | "serial" | "mediumint" => Ty::Int(2),
        "bigint" | "int8" | "bigserial" => Ty::Int(3),
        "real" | "float4" => Ty::Float(1),
        "double precision" | "float8" | "double" | "float" => Ty::Float(2),
        "numeric" | "decimal" => Ty::Numeric(match nums.as_slice() {
            [p] => Some((*p, 0)),
            [p, s] => Some((*p, *s)),
            _ => None,
        }),
        "text" | "mediumtext" | "longtext" => Ty::Text(None),
        "varchar" | "character varying" | "char" | "character" | "nvarchar" => {
            Ty::Text(nums.first().copied())
        }
        b if b.starts_with("timestamp") => Ty::Timestamp,
        "date" => Ty::Date,
        _ => Ty::Other(t),
    }
}

/// Some(true): narrowing; Some(false): safe widening without a rewrite; None: a change.
fn narrowing(old: &Ty, new: &Ty) -> Option<bool> {
    match (old, new) {
        (Ty::Int(a), Ty::Int(b)) | (Ty::Float(a), Ty::Float(b)) if b < a => Some(true),
        (Ty::Float(_) | Ty::Numeric(_), Ty::Int(_)) => Some(true),
        (Ty::Numeric(None), Ty::Numeric(Some(_))) => Some(true),
        (Ty::Numeric(Some((p, s))), Ty::Numeric(Some((p2, s2)))) if p2 < p || s2 < s => Some(true),
        // more digits, same scale: PostgreSQL changes the type without a rewrite
        (Ty::Numeric(Some((p, s))), Ty::Numeric(Some((p2, s2)))) if p2 >= p && s2 == s => {
            Some(false)
        }
        (Ty::Numeric(Some(_)), Ty::Numeric(None)) => Some(false),
        (Ty::Text(None), Ty::Text(Some(_))) => Some(true),
        (Ty::Text(Some(a)), Ty::Text(Some(b))) if b < a => Some(true),
        (Ty::Text(Some(_)), Ty::Text(_)) => Some(false),
        (Ty::Timestamp, Ty::Date) => Some(true),
        (Ty::Text(_), Ty::Int(_) | Ty::Float(_) | Ty::Numeric(_) | Ty::Date | Ty::Timestamp) => {
            Some(true)
        }
        _ => None,
    }
}

pub fn check(stmt: &Statement, _ctx: &Context, m: &Ctx, out: &mut Vec<Diagnostic>) {
    let Some((name, ops)) = alter_of_existing_table(stmt, m) else {
        return;
    };
    let table = m.schema.table(name);
    for (i, op) in ops.iter().enumerate() {
        let (column, new) = match op {
            AlterOp::SetType { column, data_type } => (column, data_type),
            AlterOp::Redefine { from, column } => (from, &column.data_type),
            _ => continue,
        };
        let col = table.and_then(|t| t.column(column));
        if col.is_some_and(|c| m.here(Some(c.created))) {
            continue;
        }
        let shown = format!("{}.{column}", name.display);
        let new = &new.to_ascii_lowercase();
        let (sev, msg) = match col {
            Some(c) => {
                let (old_t, new_t) = (parse(&c.data_type), parse(new));
                if old_t == new_t {
                    continue;
                }
                let was = format!(
                    "`{}` (created {})",
                    c.data_type.to_ascii_lowercase(),
                    m.at(c.created)
                );
                match narrowing(&old_t, &new_t) {
                    Some(false) => continue,
                    Some(true) => (
                        Severity::Error,
                        format!(
                            "column `{shown}` changes from {was} to the narrower `{new}`: values \
                             that do not fit make the migration fail, or are cut"
                        ),
                    ),
                    None => (
                        Severity::Warning,
                        format!(
                            "column `{shown}` changes from {was} to `{new}`: the table is \
                             rewritten under an exclusive lock and values that do not convert fail"
                        ),
                    ),
                }
            }
            None => {
                // old type unknown: still flag a clearly narrow target
                (
                    Severity::Warning,
                    format!(
                        "column `{shown}` changes type to `{new}` (its current type is unknown \
                         here): the table is rewritten under an exclusive lock and values that \
                         do not convert fail"
                    ),
                )
            }
        };
        out.push(
            Diagnostic::new("alter-column-type", stmt.span, msg)
                .severity(sev)
                .at_action(stmt.action(i))
                .label("rewrites every row")
                .help(
                    "add a new column of the new type, backfill it in batches, switch readers, \
                     then drop the old column; check that every value fits before narrowing",
                ),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::migrations::testing::*;

    #[test]
    fn types() {
        assert_eq!(narrowing(&parse("bigint"), &parse("int")), Some(true));
        assert_eq!(narrowing(&parse("text"), &parse("varchar(20)")), Some(true));
        assert_eq!(narrowing(&parse("timestamptz"), &parse("date")), Some(true));
        assert_eq!(
            narrowing(&parse("varchar(20)"), &parse("varchar(40)")),
            Some(false)
        );
        assert_eq!(narrowing(&parse("int"), &parse("bigint")), None);
    }

    #[test]
    fn vectors() {
        assert_eq!(
            severity_of(
                "alter-column-type",
                "ALTER TABLE t ALTER COLUMN c TYPE bigint;"
            ),
            Some(Severity::Warning)
        );
        silent(
            "alter-column-type",
            "CREATE TABLE t (c int); ALTER TABLE t ALTER COLUMN c TYPE bigint;",
        );
        silent(
            "alter-column-type",
            "ALTER TABLE t ALTER COLUMN c SET NOT NULL;",
        );
    }

    #[test]
    fn numeric_precision_widening_keeps_the_table() {
        use super::{narrowing, parse};
        let n = |a: &str, b: &str| narrowing(&parse(a), &parse(b));
        assert_eq!(n("numeric(12,3)", "numeric(20,3)"), Some(false));
        assert_eq!(n("numeric(12,3)", "numeric"), Some(false));
        assert_eq!(n("numeric(12,3)", "numeric(20,2)"), Some(true));
        assert_eq!(n("numeric(7,2)", "numeric(8,3)"), None);
    }
}
