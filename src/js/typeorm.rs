//! TypeORM: a class implementing `MigrationInterface`, `up(queryRunner)` / `down(queryRunner)`.
//! Generated migrations are `await queryRunner.query(\`…\`)` (SQL, holes as placeholders);
//! the `QueryRunner` API calls are read as the statements TypeORM runs.

use super::ops::Site;
use super::value::Value;
use super::walk::{Walker, alter, drop, drop_columns, table_arg};
use crate::orm::table_name;
use crate::sql::{AlterOp, ColumnFacts, ObjectKind, StmtKind};

/// A column given as a name or `new TableColumn({ name, … })`.
fn column_name(v: &Value) -> Option<String> {
    v.str()
        .map(str::to_string)
        .or_else(|| v.options()?.get("name")?.str().map(str::to_string))
}

/// `new TableColumn({ name, type, isNullable, isPrimary, default, isGenerated })` (TypeORM
/// columns are NOT NULL unless `isNullable: true`).
fn column(v: &Value) -> Option<ColumnFacts> {
    let o = v.options()?;
    let name = o.get("name")?.str()?.to_string();
    let primary = o.get("isPrimary").and_then(Value::as_bool) == Some(true);
    let nullable = o.get("isNullable").and_then(Value::as_bool) == Some(true);
    let generated = o.get("isGenerated").and_then(Value::as_bool) == Some(true);
    Some(ColumnFacts {
        name,
        data_type: o
            .get("type")
            .and_then(Value::str)
            .map(str::to_lowercase)
            .unwrap_or_default(),
        not_null: !nullable,
        has_default: generated || o.get("default").is_some(),
        primary_key: primary,
    })
}

/// The columns a `new TableIndex({ name, columnNames, isUnique, where })` covers, when they
/// are plain column names (`where` as SQL); a spatial, full-text or other index: unknown.
fn index_shape(o: &Value) -> Option<super::ops::IndexShape> {
    const KNOWN: [&str; 4] = ["name", "columnNames", "isUnique", "where"];
    let Value::Object(pairs, _) = o else {
        return None;
    };
    if pairs.iter().any(|(k, _)| !KNOWN.contains(&k.as_str())) {
        return None;
    }
    let cols = match o.get("columnNames")? {
        Value::Array(items, _) => crate::orm::plain_columns(items.iter().map(Value::str))?,
        _ => return None,
    };
    let pred = match o.get("where") {
        Some(v) => Some(v.str()?.to_string()),
        None => None,
    };
    Some((cols, None, pred))
}

pub fn call(w: &mut Walker, site: &Site) -> Vec<usize> {
    // queryRunner.query, queryRunner.manager.query, queryRunner.connection.query
    let (span, verb) = (site.span, site.verb.clone());
    let a = &site.args;
    macro_rules! need {
        ($e:expr) => {
            crate::orm::need_literal!(w, span, verb, $e)
        };
    }
    match site.name.as_str() {
        "query" => w.sql(a.get(0).cloned(), span, &verb),
        "dropTable" => {
            let t = need!(table_arg(&a.at(0)));
            let if_exists = a.at(1).as_bool() == Some(true);
            w.drop_table(&t, if_exists, span, &verb);
        }
        "dropColumn" => {
            let t = need!(table_arg(&a.at(0)));
            let c = need!(column_name(&a.at(1)));
            w.push(drop_columns(&t, vec![c]), span, "ALTER", &verb);
        }
        "dropColumns" => {
            let t = need!(table_arg(&a.at(0)));
            let cols: Option<Vec<String>> = match a.at(1) {
                Value::Array(items, _) => items.iter().map(column_name).collect(),
                _ => None,
            };
            let cols = need!(cols.filter(|c| !c.is_empty()));
            w.push(drop_columns(&t, cols), span, "ALTER", &verb);
        }
        "renameColumn" => {
            let t = need!(table_arg(&a.at(0)));
            let from = need!(column_name(&a.at(1)));
            let to = need!(column_name(&a.at(2)));
            w.rename_column(&t, from, to, span, &verb);
        }
        "renameTable" => {
            let from = need!(table_arg(&a.at(0)));
            let to = need!(a.at(1).str().map(str::to_string));
            w.rename_table(&from, &to, span, &verb);
        }
        "changeColumn" => {
            let t = need!(table_arg(&a.at(0)));
            let old = need!(column_name(&a.at(1)));
            let new = a.at(2);
            let new_o = need!(new.options().cloned());
            let new_name = new_o
                .get("name")
                .and_then(Value::str)
                .unwrap_or(&old)
                .to_string();
            let was_not_null = a
                .at(1)
                .options()
                .map(|o| o.get("isNullable").and_then(Value::as_bool) != Some(true));
            if new_name != old {
                w.push(
                    alter(
                        &t,
                        AlterOp::RenameColumn {
                            from: old.clone(),
                            to: new_name.clone(),
                        },
                    ),
                    span,
                    "ALTER",
                    &verb,
                );
            }
            match new_o.get("isNullable").and_then(Value::as_bool) {
                Some(true) => w.push(
                    alter(&t, AlterOp::DropNotNull { column: new_name }),
                    span,
                    "ALTER",
                    &verb,
                ),
                // a TableColumn that leaves out isNullable is NOT NULL, but only an explicit
                // `isNullable: false` on a column that was nullable is read as the change
                Some(false) if was_not_null != Some(true) => w.push(
                    alter(&t, AlterOp::SetNotNull { column: new_name }),
                    span,
                    "ALTER",
                    &verb,
                ),
                _ => {}
            }
        }
        "clearTable" => {
            let t = need!(table_arg(&a.at(0)));
            w.push(
                StmtKind::Truncate {
                    tables: vec![table_name(&t)],
                    cascade: false,
                },
                span,
                "TRUNCATE",
                &verb,
            );
        }
        "dropSchema" => {
            let s = need!(a.at(0).str().map(str::to_string));
            let if_exists = a.at(1).as_bool() == Some(true);
            let cascade = a.at(2).as_bool() == Some(true);
            w.push(
                drop(ObjectKind::Schema, &s, if_exists, cascade),
                span,
                "DROP",
                &verb,
            );
        }
        "dropDatabase" => {
            let s = need!(a.at(0).str().map(str::to_string));
            let if_exists = a.at(1).as_bool() == Some(true);
            w.push(
                drop(ObjectKind::Database, &s, if_exists, false),
                span,
                "DROP",
                &verb,
            );
        }
        "dropIndex" => {
            let name = need!(column_name(&a.at(1)));
            w.push(
                drop(ObjectKind::Index, &name, false, false),
                span,
                "DROP",
                &verb,
            );
        }
        "createTable" => {
            let o = need!(a.at(0).options().cloned());
            let t = need!(table_arg(&o));
            let columns: Vec<ColumnFacts> = match o.get("columns") {
                Some(Value::Array(items, _)) => items.iter().filter_map(column).collect(),
                _ => Vec::new(),
            };
            w.push(
                StmtKind::CreateTable {
                    name: table_name(&t),
                    temporary: false,
                    if_not_exists: a.at(1).as_bool() == Some(true),
                    or_replace: false,
                    columns,
                },
                span,
                "CREATE",
                &verb,
            );
        }
        "addColumn" | "addColumns" => {
            let t = need!(table_arg(&a.at(0)));
            let cols: Vec<ColumnFacts> = match a.at(1) {
                Value::Array(items, _) => items.iter().filter_map(column).collect(),
                v => column(&v).into_iter().collect(),
            };
            for c in cols {
                w.push(alter(&t, AlterOp::AddColumn(c)), span, "ALTER", &verb);
            }
        }
        "createIndex" => {
            let t = need!(table_arg(&a.at(0)));
            let o = a.at(1);
            let o = need!(o.options());
            let shape = index_shape(o);
            w.push_index(
                StmtKind::CreateIndex {
                    name: o.get("name").and_then(Value::str).map(table_name),
                    table: table_name(&t),
                    concurrently: false,
                    unique: o.get("isUnique").and_then(Value::as_bool) == Some(true),
                },
                shape,
                span,
                &verb,
            );
        }
        "createUniqueConstraint" => {
            let t = need!(table_arg(&a.at(0)));
            let o = a.at(1);
            let o = need!(o.options());
            w.push_unique_of(&t, o, "columnNames", span, &verb);
        }
        _ => {}
    }
    Vec::new()
}
