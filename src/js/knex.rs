//! Knex: `exports.up = …` / `export async function up(knex)`. Schema builder calls
//! (`knex.schema.dropTable`, `.table('t', t => { … })`), raw SQL (`knex.raw`,
//! `knex.schema.raw`) and query builder writes without a `where` (`knex('t').del()`).

use super::knex_chain::{Body, KChain};
use super::value::Value;
use super::walk::{Builder, Walker, alter, drop, drop_columns, update};
use crate::orm::table_name;
use crate::sql::{AlterOp, ColumnFacts, ObjectKind, StmtKind};

/// Column builder methods (`t.string('name')`) and the type each stores.
fn column_type(method: &str, args: &[Value]) -> Option<String> {
    let n = |i: usize| match args.get(i) {
        Some(Value::Num(f, _)) => Some(*f as i64),
        _ => None,
    };
    Some(match method {
        "increments" => "serial".into(),
        "bigIncrements" => "bigserial".into(),
        "integer" => "integer".into(),
        "bigInteger" | "bigint" => "bigint".into(),
        "smallint" | "tinyint" | "mediumint" => "smallint".into(),
        "text" | "mediumtext" | "longtext" => "text".into(),
        "string" => format!("varchar({})", n(1).unwrap_or(255)),
        "float" => "real".into(),
        "double" => "double precision".into(),
        "decimal" => "numeric".into(),
        "boolean" => "boolean".into(),
        "date" => "date".into(),
        "datetime" | "timestamp" => "timestamp with time zone".into(),
        "time" => "time".into(),
        "binary" => "bytea".into(),
        "uuid" => "uuid".into(),
        "json" => "json".into(),
        "jsonb" => "jsonb".into(),
        "enum" | "enu" | "specificType" | "geometry" | "geography" | "point" => String::new(),
        _ => return None,
    })
}

const SCHEMA_CALLS: &[&str] = &["schema"];

/// Query builder links that narrow or may narrow the rows (a write through them is not
/// judged).
fn narrows(name: &str) -> bool {
    !matches!(
        name,
        "del"
            | "delete"
            | "truncate"
            | "update"
            | "table"
            | "from"
            | "into"
            | "withSchema"
            | "transacting"
            | "returning"
            | "timeout"
            | "debug"
            | "queryContext"
    )
}

pub fn call<B: Body>(w: &mut Walker, ch: &KChain<B>, depth: usize) -> Vec<usize> {
    if let Some(b) = w.builders.iter().rposition(|b| b.param == ch.root) {
        builder_call(w, ch, b);
        return Vec::new();
    }
    if !w.recv.contains(&ch.root) {
        return Vec::new();
    }
    // knex.transaction(async (trx) => …): trx is knex too
    if let Some(seg) = ch.links.iter().find(|s| s.name == "transaction")
        && let Some(f) = &seg.func
        && let Some(p) = &f.param
    {
        w.recv.push(p.clone());
        f.body.walk(w, depth);
        w.recv.pop();
        return vec![f.id];
    }
    if ch
        .links
        .first()
        .is_some_and(|s| SCHEMA_CALLS.contains(&s.name.as_str()) && s.call.is_none())
    {
        return schema(w, ch, depth);
    }
    // knex.raw(…)
    if let Some(seg) = ch.links.first()
        && seg.name == "raw"
        && let Some(span) = seg.call
    {
        // knex.raw('now()') as a value (defaultTo, whereRaw, an object) runs nothing itself
        if ch.is_value {
            return Vec::new();
        }
        let verb = ch.verb(0);
        let arg = seg.args.first().cloned();
        w.sql(arg, span, &verb);
        return Vec::new();
    }
    query(w, ch);
    Vec::new()
}

/// `knex('t')…del()`, `knex.table('t')…truncate()`, `knex.from('t')…update({…})`.
fn query<B>(w: &mut Walker, ch: &KChain<B>) {
    let (table, from) = match &ch.root_call {
        Some(args) => (args.first(), 0),
        None => match ch.links.first() {
            Some(s) if matches!(s.name.as_str(), "table" | "from" | "into") && s.call.is_some() => {
                (s.args.first(), 1)
            }
            _ => return,
        },
    };
    let Some(last) = ch.links.iter().rposition(|s| {
        matches!(s.name.as_str(), "del" | "delete" | "truncate" | "update") && s.call.is_some()
    }) else {
        return;
    };
    let seg = &ch.links[last];
    let Some(span) = seg.call else { return };
    let verb = ch.verb(last);
    let Some(t) = table.and_then(Value::str).map(str::to_string) else {
        w.not_understood(span, &format!("`{verb}` on a table that is not a literal"));
        return;
    };
    let narrowed = ch.links[from..last].iter().any(|s| narrows(&s.name));
    let (kind, keyword) = match seg.name.as_str() {
        "truncate" => (
            StmtKind::Truncate {
                tables: vec![table_name(&t)],
                cascade: false,
            },
            "TRUNCATE",
        ),
        "update" => {
            let columns: Vec<String> = match seg.args.first() {
                Some(Value::Object(pairs, _)) => pairs.iter().map(|(k, _)| k.clone()).collect(),
                Some(Value::Str(s)) => s.literal().map(str::to_string).into_iter().collect(),
                _ => Vec::new(),
            };
            if narrowed {
                // a filtered write may fill the columns it names (a backfill before NOT NULL)
                w.code_write(ch.span);
                if columns.is_empty() {
                    return;
                }
            }
            (update(&t, &columns, narrowed), "UPDATE")
        }
        _ if narrowed => return,
        _ => (
            StmtKind::Delete {
                table: Some(table_name(&t)),
                predicate: None,
                limited: false,
            },
            "DELETE",
        ),
    };
    w.push(kind, span, keyword, &ch.written());
}

/// `knex.schema.…`: every call of the chain is a schema operation
/// (`knex.schema.dropTable('a').dropTable('b')`).
fn schema<B: Body>(w: &mut Walker, ch: &KChain<B>, depth: usize) -> Vec<usize> {
    let mut consumed = Vec::new();
    let mut prefix: Option<String> = None;
    for (i, seg) in ch.links.iter().enumerate().skip(1) {
        let Some(span) = seg.call else { continue };
        let verb = ch.verb(i);
        let a = &seg.args;
        let s = |k: usize| -> Option<String> {
            let name = a.get(k)?.str()?;
            Some(match &prefix {
                Some(p) => format!("{p}.{name}"),
                None => name.to_string(),
            })
        };
        let name = seg.name.as_str();
        match name {
            "withSchema" => prefix = a.first().and_then(Value::str).map(str::to_string),
            "raw" => {
                let arg = seg.args.first().cloned();
                w.sql(arg, span, &verb)
            }
            "dropTable" | "dropTableIfExists" => match s(0) {
                Some(t) => w.drop_table(&t, name.ends_with("IfExists"), span, &verb),
                None => {
                    w.not_understood(span, &format!("`{verb}` of a table that is not a literal"))
                }
            },
            "dropSchema" | "dropSchemaIfExists" => match a.first().and_then(Value::str) {
                Some(t) => {
                    let cascade = a.get(1).and_then(Value::as_bool) == Some(true);
                    w.push(
                        drop(ObjectKind::Schema, t, name.ends_with("IfExists"), cascade),
                        span,
                        "DROP",
                        &verb,
                    )
                }
                None => {
                    w.not_understood(span, &format!("`{verb}` of a schema that is not a literal"))
                }
            },
            "renameTable" => match (s(0), s(1)) {
                (Some(from), Some(to)) => w.rename_table(&from, &to, span, &verb),
                _ => {
                    w.not_literal(span, &verb);
                }
            },
            "table" | "alterTable" | "createTable" | "createTableIfNotExists" => {
                let create = name.starts_with("create");
                let Some(t) = s(0) else {
                    w.not_understood(span, &format!("`{verb}` of a table that is not a literal"));
                    continue;
                };
                let Some(f) = &seg.func else { continue };
                consumed.push(f.id);
                let Some(param) = f.param.clone() else {
                    continue;
                };
                let saved = if create {
                    w.columns.replace(Vec::new())
                } else {
                    w.columns.take()
                };
                let at = w.facts.facts.len();
                w.builders.push(Builder {
                    param,
                    table: t.clone(),
                    create,
                });
                f.body.walk(w, depth);
                w.builders.pop();
                let columns = std::mem::replace(&mut w.columns, saved);
                if create {
                    // the table exists before what its callback adds (indexes)
                    let fact_count = w.facts.facts.len();
                    w.push(
                        StmtKind::CreateTable {
                            name: table_name(&t),
                            temporary: false,
                            if_not_exists: name.ends_with("IfNotExists"),
                            or_replace: false,
                            columns: columns.unwrap_or_default(),
                        },
                        span,
                        "CREATE",
                        &verb,
                    );
                    if fact_count > at {
                        let f = w.facts.facts.remove(fact_count);
                        w.facts.facts.insert(at, f);
                    }
                }
            }
            _ => {}
        }
    }
    consumed
}

/// A call on a table builder (`t.dropColumn('c')`, `t.string('c').notNullable().alter()`).
fn builder_call<B>(w: &mut Walker, ch: &KChain<B>, b: usize) {
    let Some(first) = ch.links.first() else {
        return;
    };
    if first.call.is_none() {
        return;
    }
    let (table, create) = (w.builders[b].table.clone(), w.builders[b].create);
    let span = ch.span;
    let verb = ch.verb(0);
    let a = &first.args;
    let strs = |a: &[Value]| -> Vec<String> {
        a.iter()
            .flat_map(|v| match v {
                Value::Array(items, _) => items
                    .iter()
                    .filter_map(Value::str)
                    .map(str::to_string)
                    .collect(),
                v => v.str().map(str::to_string).into_iter().collect::<Vec<_>>(),
            })
            .collect()
    };
    let method = first.name.as_str();
    // indexes and unique constraints, on a new table or an existing one
    if matches!(method, "index" | "unique") {
        super::knex_index::table_call(w, &table, method, a, span, &verb);
        return;
    }
    if create {
        // only the columns matter for a table being created
        if let Some(ty) = column_type(method, a)
            && let Some(c) = column_of(ch, method, a, ty)
            && let Some(cols) = w.columns.as_mut()
        {
            let name = c.name.clone();
            cols.push(c);
            super::knex_index::chained(w, &table, ch, &name, span);
        } else if method == "timestamps"
            && let Some(cols) = w.columns.as_mut()
        {
            for n in ["created_at", "updated_at"] {
                cols.push(ColumnFacts {
                    name: n.into(),
                    data_type: "timestamp with time zone".into(),
                    not_null: a.get(1).and_then(Value::as_bool) == Some(true),
                    has_default: a.get(1).and_then(Value::as_bool) == Some(true),
                    primary_key: false,
                });
            }
        }
        return;
    }
    match method {
        "dropColumn" | "dropColumns" => {
            let cols = strs(a);
            if cols.is_empty() {
                w.not_understood(span, &format!("`{verb}` of columns that are not literals"));
            } else {
                w.push(drop_columns(&table, cols), span, "ALTER", &verb);
            }
        }
        "dropTimestamps" => w.push(
            drop_columns(&table, vec!["created_at".into(), "updated_at".into()]),
            span,
            "ALTER",
            &verb,
        ),
        "renameColumn" => match (
            a.first().and_then(Value::str),
            a.get(1).and_then(Value::str),
        ) {
            (Some(from), Some(to)) => w.rename_column(&table, from.into(), to.into(), span, &verb),
            _ => {
                w.not_literal(span, &verb);
            }
        },
        // despite the name, dropNullable makes the column NOT NULL
        "dropNullable" => {
            if let Some(c) = a.first().and_then(Value::str) {
                w.push(
                    alter(&table, AlterOp::SetNotNull { column: c.into() }),
                    span,
                    "ALTER",
                    &verb,
                );
            }
        }
        "setNullable" => {
            if let Some(c) = a.first().and_then(Value::str) {
                w.push(
                    alter(&table, AlterOp::DropNotNull { column: c.into() }),
                    span,
                    "ALTER",
                    &verb,
                );
            }
        }
        "dropIndex" | "dropUnique" => {
            let cols = strs(&a[..a.len().min(1)]);
            let name = a
                .get(1)
                .and_then(Value::str)
                .map(str::to_string)
                .or_else(|| {
                    (!cols.is_empty()).then(|| {
                        let suffix = if method == "dropIndex" {
                            "index"
                        } else {
                            "unique"
                        };
                        super::knex_index::default_name(&table, &cols, suffix)
                    })
                });
            if let Some(name) = name {
                w.push(
                    drop(ObjectKind::Index, &name, false, false),
                    span,
                    "DROP",
                    &verb,
                );
            }
        }
        m => {
            let Some(ty) = column_type(m, a) else { return };
            let Some(c) = column_of(ch, m, a, ty) else {
                return;
            };
            if ch.has("alter") {
                // t.x('c').notNullable().alter(): the column is redefined; only NOT NULL
                // is judged (the type Knex restates is often the same)
                let op = if c.not_null {
                    AlterOp::SetNotNull { column: c.name }
                } else if ch.has("nullable") {
                    AlterOp::DropNotNull { column: c.name }
                } else {
                    return;
                };
                w.push(alter(&table, op), span, "ALTER", &ch.written());
            } else {
                let name = c.name.clone();
                w.push(alter(&table, AlterOp::AddColumn(c)), span, "ALTER", &verb);
                super::knex_index::chained(w, &table, ch, &name, span);
            }
        }
    }
}

/// The column a builder chain defines: `t.string('c', 40).notNullable().defaultTo('x')`.
fn column_of<B>(
    ch: &KChain<B>,
    method: &str,
    a: &[Value],
    data_type: String,
) -> Option<ColumnFacts> {
    let name = if method == "specificType" || !a.is_empty() {
        a.first()?.str()?.to_string()
    } else {
        return None;
    };
    let primary = method.ends_with("ncrements") || ch.has("primary");
    Some(ColumnFacts {
        name,
        data_type,
        not_null: ch.has("notNullable") || primary,
        has_default: ch.has("defaultTo") || method.ends_with("ncrements"),
        primary_key: primary,
    })
}
