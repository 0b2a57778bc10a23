//! Knex indexes and unique constraints on a table builder (`t.index(['a', 'b'], 'name')`,
//! `t.unique(['a'])`, `t.string('c').unique()`), with the columns they cover: drop-index's
//! covered-index idiom sees them. On PostgreSQL Knex makes `unique` a constraint (an index
//! of the model, no CREATE INDEX) unless `useConstraint: false` or a `predicate` asks for a
//! unique index.

use super::knex_chain::KChain;
use super::value::Value;
use super::walk::Walker;
use crate::orm::{plain_columns, table_name};
use crate::source::Span;
use crate::sql::StmtKind;

/// The name Knex gives an index (`kind` = `index`) or unique constraint (`unique`) on `cols`.
pub fn default_name(table: &str, cols: &[String], kind: &str) -> String {
    let bare = table.rsplit('.').next().unwrap_or(table);
    format!("{bare}_{}_{kind}", cols.join("_"))
        .to_lowercase()
        .replace(['-', '.'], "_")
}

/// The column names as written (strings; anything else left out).
fn names(v: Option<&Value>) -> Vec<String> {
    match v {
        Some(Value::Array(items, _)) => items
            .iter()
            .filter_map(Value::str)
            .map(str::to_string)
            .collect(),
        Some(v) => v.str().map(str::to_string).into_iter().collect(),
        None => Vec::new(),
    }
}

/// Every column a plain name (`None`: an expression, `knex.raw`, not a literal).
fn plain(v: Option<&Value>) -> Option<Vec<String>> {
    match v? {
        Value::Array(items, _) => plain_columns(items.iter().map(Value::str)),
        v => plain_columns([v.str()]),
    }
}

/// What an index's options say: (name, `USING`, columns unknown: a predicate or a MySQL
/// storage type, `useConstraint: false`).
struct Opts {
    name: Option<String>,
    using: Option<String>,
    odd: bool,
    no_constraint: bool,
}

/// The options of an index: `first` is its name or an options object, `second` (after a
/// name) its index type or an options object.
fn opts(first: Option<&Value>, second: Option<&Value>) -> Opts {
    let mut o = Opts {
        name: None,
        using: None,
        odd: false,
        no_constraint: false,
    };
    for (i, v) in [(0, first), (1, second)] {
        match v {
            None | Some(Value::Null(_)) => {}
            Some(Value::Object(pairs, _)) => {
                for (k, x) in pairs {
                    match k.as_str() {
                        "indexName" => o.name = x.str().map(str::to_string),
                        "indexType" => match x.str() {
                            Some(t) => o.using = Some(t.to_string()),
                            None => o.odd = true,
                        },
                        "useConstraint" => o.no_constraint = x.as_bool() == Some(false),
                        "deferrable" => {}
                        _ => o.odd = true,
                    }
                }
            }
            // t.index(cols, 'name', 'gin')
            Some(v) => match (i, v.str()) {
                (0, Some(n)) => o.name = Some(n.to_string()),
                (_, Some(t)) => o.using = Some(t.to_string()),
                (_, None) => o.odd = true,
            },
        }
    }
    o
}

/// Push `t.index(columns, name?, type | options?)` or `t.unique(columns, name | options?)`
/// (`kind`: `index` / `unique`) on `table`.
#[allow(clippy::too_many_arguments)]
fn push(
    w: &mut Walker,
    table: &str,
    kind: &str,
    cols: Option<&Value>,
    o: Opts,
    span: Span,
    verb: &str,
) {
    let written = names(cols);
    let name = o
        .name
        .clone()
        .or_else(|| (!written.is_empty()).then(|| default_name(table, &written, kind)));
    let columns = plain(cols).filter(|_| !o.odd);
    if kind == "unique" && !o.no_constraint && !o.odd {
        w.push_unique(
            table,
            name.as_deref(),
            &columns.unwrap_or_default(),
            span,
            verb,
        );
        return;
    }
    let stmt = StmtKind::CreateIndex {
        name: name.as_deref().map(table_name),
        table: table_name(table),
        concurrently: false,
        unique: kind == "unique",
    };
    w.push_index(stmt, columns.map(|c| (c, o.using, None)), span, verb);
}

/// `t.index(…)` / `t.unique(…)` on a table builder.
pub fn table_call(w: &mut Walker, table: &str, method: &str, a: &[Value], span: Span, verb: &str) {
    let o = opts(a.get(1), a.get(2));
    push(w, table, method, a.first(), o, span, verb);
}

/// `t.string('c').unique()` / `.index()`: an index on the column the chain defines.
pub fn chained<B>(w: &mut Walker, table: &str, ch: &KChain<B>, column: &str, span: Span) {
    for kind in ["index", "unique"] {
        let Some(seg) = ch.links.iter().find(|s| s.name == kind && s.call.is_some()) else {
            continue;
        };
        let a = &seg.args;
        let o = opts(a.first(), a.get(1));
        let col = Value::Str(crate::orm::Template {
            text: column.to_string(),
            map: Vec::new(),
            holes: Vec::new(),
            span,
        });
        push(w, table, kind, Some(&col), o, span, &ch.written());
    }
}
