//! Django indexes and unique constraints as the model's indexes, with the columns they
//! cover (drop-index's covered-index idiom sees them): `AddIndex` / `Meta.indexes`
//! (`models.Index(fields=[…])`), `AddField(db_index=True)`, `UniqueConstraint(fields=[…])`
//! in `AddConstraint` / `Meta.constraints`, and in `CreateModel` the fields' own indexes
//! (`db_index=True`, `unique=True`, a `ForeignKey`'s index, a `OneToOneField`'s unique
//! constraint). Unique constraints Django names with a hash are known here as
//! `<table>_<column>_uniq`: no migration drops them by that name, they only cover.

use super::{Model, Out, State, obj};
use crate::python::value::{Call, Value};
use crate::python::{Effect, Fact, head_span};
use crate::source::Span;
use crate::sql::{Statement, StmtKind};

impl Out<'_> {
    /// A synthesised statement, unless only the state changes.
    fn push_stmt(&mut self, stmt: Statement, verb: &str) {
        if self.state_only {
            return;
        }
        self.facts.facts.push(Fact {
            effect: Effect::Statement(stmt),
            verb: format!("`{verb}`"),
            down: self.down,
        });
    }
}

/// The columns of `fields` of model `m`: each a field the app's migrations gave a plain
/// column (`None` otherwise: an unknown field, `-field`, an expression, a relation without a
/// column).
fn columns(m: Option<&Model>, fields: &[Value]) -> Option<Vec<String>> {
    let m = m?;
    let cols: Option<Vec<String>> = fields
        .iter()
        .map(|f| m.fields.get(f.str()?)?.column.clone())
        .collect();
    crate::orm::plain_columns(cols?.iter().map(|c| Some(c.as_str())))
}

fn model<'s>(state: &'s State, name: &str) -> Option<&'s Model> {
    state.models.get(&name.to_ascii_lowercase())
}

/// `models.Index(fields=[…], name=…)` of `model` (table `table`): the index, with its
/// columns when they are plain fields; a `condition`, `opclasses`, expressions, another
/// class (`GinIndex`, `BrinIndex`, …) or an option this reader does not know: columns
/// unknown, it covers nothing.
#[allow(clippy::too_many_arguments)]
pub(super) fn index(
    out: &mut Out,
    state: &State,
    model_name: &str,
    table: &str,
    idx: Option<&Value>,
    concurrently: bool,
    span: Span,
    verb: &str,
) {
    let call = idx.and_then(Value::call);
    let name = call.and_then(|i| i.kw("name")).and_then(Value::str);
    let kind = StmtKind::CreateIndex {
        name: name.map(obj),
        table: obj(table),
        concurrently,
        unique: false,
    };
    let plain = |i: &&Call| {
        i.name() == "Index"
            && i.args.is_empty()
            && i.kwargs
                .iter()
                .all(|(k, _)| matches!(k.as_str(), "fields" | "name" | "include" | "db_tablespace"))
    };
    let cols = call
        .filter(plain)
        .and_then(|i| i.kw("fields"))
        .and_then(Value::items)
        .and_then(|f| columns(model(state, model_name), f));
    out.push_stmt(statement(kind, cols, span, out.src), verb);
}

/// `CREATE INDEX` with `cols` when known (covering) or without (covers nothing).
fn statement(kind: StmtKind, cols: Option<Vec<String>>, span: Span, src: &str) -> Statement {
    let head = head_span(src, span);
    match cols {
        Some(c) => crate::orm::index_statement(kind, &c, None, None, head),
        None => crate::orm::statement(kind, head, "CREATE"),
    }
}

/// `AddField(…, db_index=True)`: an unnamed index on the new column.
pub(super) fn on_column(out: &mut Out, table: &str, column: &str, span: Span, verb: &str) {
    let kind = StmtKind::CreateIndex {
        name: None,
        table: obj(table),
        concurrently: false,
        unique: false,
    };
    let cols = crate::orm::plain_columns([Some(column)]);
    out.push_stmt(statement(kind, cols, span, out.src), verb);
}

/// `UniqueConstraint(fields=[…], name=…)` without a condition, expressions or operator
/// classes: a unique index of the model named `name`.
pub(super) fn unique(
    out: &mut Out,
    state: &State,
    model_name: &str,
    table: &str,
    con: &Call,
    span: Span,
    verb: &str,
) {
    let plain = con.name() == "UniqueConstraint"
        && con.args.is_empty()
        && con.kwargs.iter().all(|(k, _)| {
            matches!(
                k.as_str(),
                "fields"
                    | "name"
                    | "include"
                    | "deferrable"
                    | "violation_error_message"
                    | "violation_error_code"
            )
        });
    let name = con.kw("name").and_then(Value::str);
    let cols = con
        .kw("fields")
        .and_then(Value::items)
        .and_then(|f| columns(model(state, model_name), f));
    if let (true, Some(name), Some(cols)) = (plain, name, cols) {
        let stmt = crate::orm::unique_statement(table, Some(name), &cols, head_span(out.src, span));
        out.push_stmt(stmt, verb);
    }
}

/// What `CreateModel` makes besides the table (which exists here, so none of it blocks):
/// the fields' own indexes and unique constraints, `Meta.indexes` and the unique
/// `Meta.constraints`.
pub(super) fn create_model(
    out: &mut Out,
    state: &State,
    model_name: &str,
    table: &str,
    c: &Call,
    opts: Option<&Value>,
) {
    let span = c.span;
    for f in c
        .arg(1, "fields")
        .and_then(Value::items)
        .unwrap_or_default()
    {
        let Some([n, fv]) = f.items() else { continue };
        let (Some(fname), Some(fc)) = (n.str(), fv.call()) else {
            continue;
        };
        let Some(col) = model(state, model_name)
            .and_then(|m| m.fields.get(fname))
            .and_then(|fd| fd.column.clone())
        else {
            continue;
        };
        let flag = |k: &str| fc.kw(k).and_then(Value::as_bool);
        if flag("primary_key") == Some(true) {
            continue;
        }
        let class = fc.name();
        if flag("unique") == Some(true) || class.ends_with("OneToOneField") {
            let name = format!("{table}_{col}_uniq");
            let cols = crate::orm::plain_columns([Some(col.as_str())]).unwrap_or_default();
            let stmt =
                crate::orm::unique_statement(table, Some(&name), &cols, head_span(out.src, span));
            out.push_stmt(stmt, "CreateModel");
        } else if flag("db_index") == Some(true)
            || (class.ends_with("ForeignKey") && flag("db_index") != Some(false))
        {
            on_column(out, table, &col, span, "CreateModel");
        }
    }
    for i in opts
        .and_then(|o| o.get("indexes"))
        .and_then(Value::items)
        .unwrap_or_default()
    {
        index(
            out,
            state,
            model_name,
            table,
            Some(i),
            false,
            span,
            "CreateModel",
        );
    }
    for con in opts
        .and_then(|o| o.get("constraints"))
        .and_then(Value::items)
        .unwrap_or_default()
    {
        if let Some(cc) = con.call() {
            unique(out, state, model_name, table, cc, span, "CreateModel");
        }
    }
}
