//! Sequelize: `module.exports = { up, down }`, `async up(queryInterface, Sequelize)`. The
//! `queryInterface` calls are read as the statements Sequelize runs;
//! `queryInterface.sequelize.query('…')` is SQL.

use super::ops::Site;
use super::value::Value;
use super::walk::{Walker, alter, drop, drop_columns, table_arg, update};
use crate::orm::table_name;
use crate::sql::{AlterOp, ColumnFacts, ObjectKind, StmtKind};

/// `Sequelize.STRING(40)` / `DataTypes.TEXT` as the type PostgreSQL stores (`""`: unknown).
fn data_type(v: &Value) -> String {
    let (name, n) = match v {
        Value::Name(n, _) => (n.as_str(), None),
        Value::Call(c) => (
            c.func.as_str(),
            match c.args.first() {
                Some(Value::Num(f, _)) => Some(*f as i64),
                _ => None,
            },
        ),
        _ => return String::new(),
    };
    match name.rsplit('.').next().unwrap_or(name) {
        "STRING" => format!("varchar({})", n.unwrap_or(255)),
        "TEXT" => "text".into(),
        "INTEGER" => "integer".into(),
        "BIGINT" => "bigint".into(),
        "SMALLINT" => "smallint".into(),
        "BOOLEAN" => "boolean".into(),
        "DATE" => "timestamp with time zone".into(),
        "DATEONLY" => "date".into(),
        "UUID" => "uuid".into(),
        "JSONB" => "jsonb".into(),
        "JSON" => "json".into(),
        "FLOAT" | "DOUBLE" => "double precision".into(),
        _ => String::new(),
    }
}

/// A column's attributes: `{ type, allowNull, defaultValue, primaryKey, autoIncrement }` or
/// a bare type (nullable).
fn column(name: &str, v: &Value) -> ColumnFacts {
    match v {
        Value::Object(..) => {
            let primary = v.get("primaryKey").and_then(Value::as_bool) == Some(true);
            let allow_null = v.get("allowNull").and_then(Value::as_bool);
            ColumnFacts {
                name: name.to_string(),
                data_type: v.get("type").map(data_type).unwrap_or_default(),
                not_null: allow_null == Some(false) || primary,
                has_default: v.get("defaultValue").is_some()
                    || v.get("autoIncrement").and_then(Value::as_bool) == Some(true),
                primary_key: primary,
            }
        }
        other => ColumnFacts {
            name: name.to_string(),
            data_type: data_type(other),
            not_null: false,
            has_default: false,
            primary_key: false,
        },
    }
}

/// A `where` of `bulkDelete` / `bulkUpdate` that matches every row: left out, `null`,
/// `undefined` or `{}`. `None`: not a literal (not judged).
fn matches_all(v: Option<&Value>) -> Option<bool> {
    match v {
        None | Some(Value::Null(_)) => Some(true),
        Some(Value::Object(pairs, _)) => Some(pairs.is_empty()),
        _ => None,
    }
}

/// The name Sequelize gives an index on `fields`: `table_field_other`, snake_cased.
fn default_index_name(table: &str, fields: &[&str]) -> String {
    let raw = format!(
        "{}_{}",
        table.rsplit('.').next().unwrap_or(table),
        fields.join("_")
    );
    let mut out = String::new();
    let mut prev_lower = false;
    for ch in raw.chars() {
        if ch.is_ascii_uppercase() {
            if prev_lower {
                out.push('_');
            }
            out.push(ch.to_ascii_lowercase());
            prev_lower = false;
        } else {
            prev_lower = ch.is_ascii_lowercase() || ch.is_ascii_digit();
            out.push(ch);
        }
    }
    out
}

/// The columns an `addIndex` covers, when they are plain column names and its options are
/// ones this reader knows (`using` as written); a `where`, an operator class, a field
/// given as an object (`{ name, order, length }`), a `type` or `prefix`: unknown.
fn index_shape(fields: Option<&[&str]>, opts: &Value) -> Option<super::ops::IndexShape> {
    const KNOWN: [&str; 7] = [
        "fields",
        "name",
        "unique",
        "concurrently",
        "using",
        "transaction",
        "logging",
    ];
    if let Value::Object(pairs, _) = opts
        && pairs.iter().any(|(k, _)| !KNOWN.contains(&k.as_str()))
    {
        return None;
    }
    let cols = crate::orm::plain_columns(fields?.iter().map(|f| Some(*f)))?;
    let using = match opts.get("using") {
        Some(v) => Some(v.str()?.to_string()),
        None => None,
    };
    Some((cols, using, None))
}

pub fn call(w: &mut Walker, site: &Site) -> Vec<usize> {
    let (i, span, verb) = (site.i, site.span, site.verb.clone());
    macro_rules! need {
        ($e:expr) => {
            crate::orm::need_literal!(w, span, verb, $e)
        };
    }
    // queryInterface.sequelize.query(…)
    if site.name == "query" {
        if site.prev.as_deref() == Some("sequelize") {
            w.sql(site.args.get(0).cloned(), span, &verb);
        }
        return Vec::new();
    }
    if i != 0 {
        return Vec::new();
    }
    let a = &site.args;
    match site.name.as_str() {
        "removeColumn" => {
            let t = need!(table_arg(&a.at(0)));
            let c = need!(a.at(1).str().map(str::to_string));
            w.push(drop_columns(&t, vec![c]), span, "ALTER", &verb);
        }
        "dropTable" => {
            let t = need!(table_arg(&a.at(0)));
            w.drop_table(&t, false, span, &verb);
        }
        "dropAllTables" => {
            // every table of the database: said as dropping the schema's tables
            w.drop_table("all tables", false, span, &verb);
        }
        "renameColumn" => {
            let t = need!(table_arg(&a.at(0)));
            let from = need!(a.at(1).str().map(str::to_string));
            let to = need!(a.at(2).str().map(str::to_string));
            w.rename_column(&t, from, to, span, &verb);
        }
        "renameTable" => {
            let from = need!(table_arg(&a.at(0)));
            let to = need!(table_arg(&a.at(1)));
            w.rename_table(&from, &to, span, &verb);
        }
        "changeColumn" => {
            let t = need!(table_arg(&a.at(0)));
            let c = need!(a.at(1).str().map(str::to_string));
            let attrs = a.at(2);
            let op = match attrs.get("allowNull").and_then(Value::as_bool) {
                Some(false) => AlterOp::SetNotNull { column: c },
                _ if matches!(attrs, Value::Object(..) | Value::Name(..) | Value::Call(_)) => {
                    AlterOp::DropNotNull { column: c }
                }
                _ => return Vec::new(),
            };
            w.push(alter(&t, op), span, "ALTER", &verb);
        }
        "removeIndex" => {
            let t = need!(table_arg(&a.at(0)));
            let name = match a.at(1) {
                Value::Array(items, _) => {
                    let f: Option<Vec<&str>> = items.iter().map(Value::str).collect();
                    f.map(|f| default_index_name(&t, &f))
                }
                v => v.str().map(str::to_string),
            };
            let name = need!(name);
            w.push(
                drop(ObjectKind::Index, &name, false, false),
                span,
                "DROP",
                &verb,
            );
        }
        "bulkDelete" => {
            let t = need!(table_arg(&a.at(0)));
            if matches_all(a.get(1)) == Some(true) {
                w.push(
                    StmtKind::Delete {
                        table: Some(table_name(&t)),
                        predicate: None,
                        limited: false,
                    },
                    span,
                    "DELETE",
                    &verb,
                );
            }
        }
        "bulkUpdate" => {
            let t = need!(table_arg(&a.at(0)));
            let columns: Vec<String> = match a.at(1) {
                Value::Object(pairs, _) => pairs.iter().map(|(k, _)| k.clone()).collect(),
                _ => Vec::new(),
            };
            let filtered = matches_all(a.get(2)) != Some(true);
            if filtered {
                w.code_write(span);
                if columns.is_empty() {
                    return Vec::new();
                }
            }
            w.push(update(&t, &columns, filtered), span, "UPDATE", &verb);
        }
        "createTable" => {
            let t = need!(table_arg(&a.at(0)));
            let columns = match a.at(1) {
                Value::Object(pairs, _) => pairs.iter().map(|(k, v)| column(k, v)).collect(),
                _ => Vec::new(),
            };
            w.push(
                crate::orm::create_table(table_name(&t), columns),
                span,
                "CREATE",
                &verb,
            );
        }
        "addColumn" => {
            let t = need!(table_arg(&a.at(0)));
            let c = need!(a.at(1).str().map(str::to_string));
            w.push(
                alter(&t, AlterOp::AddColumn(column(&c, &a.at(2)))),
                span,
                "ALTER",
                &verb,
            );
        }
        "addIndex" => {
            let t = need!(table_arg(&a.at(0)));
            // addIndex(table, fields, options) or addIndex(table, { fields, … })
            let opts = match a.at(1) {
                Value::Object(..) => a.at(1),
                _ => a.at(2),
            };
            let fields = match a.at(1) {
                Value::Array(items, _) => items,
                _ => match opts.get("fields") {
                    Some(Value::Array(items, _)) => items.clone(),
                    _ => Vec::new(),
                },
            };
            let fields: Option<Vec<&str>> = fields.iter().map(Value::str).collect();
            let fields_for_shape = fields.clone();
            let name = opts
                .get("name")
                .and_then(Value::str)
                .map(str::to_string)
                .or_else(|| {
                    fields
                        .filter(|f| !f.is_empty())
                        .map(|f| default_index_name(&t, &f))
                })
                .map(|n| table_name(&n));
            let shape = index_shape(fields_for_shape.as_deref(), &opts);
            w.push_index(
                StmtKind::CreateIndex {
                    name,
                    table: table_name(&t),
                    concurrently: opts.get("concurrently").and_then(Value::as_bool) == Some(true),
                    unique: opts.get("unique").and_then(Value::as_bool) == Some(true),
                },
                shape,
                span,
                &verb,
            );
        }
        "addConstraint" => {
            // addConstraint(table, { fields, type: 'unique', name }): a unique index
            let o = a.at(1);
            if o.get("type")
                .and_then(Value::str)
                .map(str::to_ascii_lowercase)
                == Some("unique".into())
                && o.get("where").is_none()
            {
                let t = need!(table_arg(&a.at(0)));
                w.push_unique_of(&t, &o, "fields", span, &verb);
            }
        }
        _ => {}
    }
    Vec::new()
}
