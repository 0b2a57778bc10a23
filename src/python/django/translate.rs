//! Django operations turned into schema statements against what the app's earlier
//! migrations said about its models ([`State`]): table and column names, nullability, types.

use super::Raw;
use super::fields::{Field, column_facts, field};
use super::together;
use crate::python::value::{Call, Value};
use crate::python::{Effect, Fact, Facts, head_span, statement, table_name};
use crate::source::Span;
use crate::sql::{AlterOp, ObjName, ObjectKind, StmtKind};
use std::collections::HashMap;

mod indexes;

#[derive(Clone, Debug, Default)]
struct Model {
    table: String,
    explicit_table: bool,
    fields: HashMap<String, Field>,
    unique_constraints: Vec<String>,
    /// `unique_together` tuples (`None`: not known, e.g. not a literal).
    unique_together: Option<Vec<Vec<String>>>,
    /// Fields of the model's plain `UniqueConstraint`s.
    unique_fields: Vec<Vec<String>>,
}

/// What the app's migrations said so far about its models.
#[derive(Clone, Debug, Default)]
pub struct State {
    pub app: String,
    models: HashMap<String, Model>,
}

impl State {
    pub fn new(app: &str) -> State {
        State {
            app: app.to_string(),
            models: HashMap::new(),
        }
    }
    fn default_table(&self, model: &str) -> String {
        format!("{}_{}", self.app, model.to_ascii_lowercase())
    }
    fn table(&self, model: &str) -> String {
        self.models
            .get(&model.to_ascii_lowercase())
            .map_or_else(|| self.default_table(model), |m| m.table.clone())
    }
    fn model_mut(&mut self, model: &str) -> &mut Model {
        let table = self.default_table(model);
        self.models
            .entry(model.to_ascii_lowercase())
            .or_insert_with(|| Model {
                table,
                ..Model::default()
            })
    }
    /// The table of `model` of `app` (another app: its default name).
    pub fn table_of(&self, app: Option<&str>, model: &str) -> String {
        match app {
            Some(a) if a != self.app => format!("{a}_{}", model.to_ascii_lowercase()),
            _ => self.table(model),
        }
    }
}

struct Out<'a> {
    src: &'a str,
    facts: Facts,
    down: bool,
    /// Only the state changes (`SeparateDatabaseAndState(state_operations=…)`).
    state_only: bool,
}

impl Out<'_> {
    fn push(&mut self, kind: StmtKind, span: Span, keyword: &str, verb: &str) {
        if self.state_only {
            return;
        }
        self.facts.facts.push(Fact {
            effect: Effect::Statement(statement(kind, head_span(self.src, span), keyword)),
            verb: format!("`{verb}`"),
            down: self.down,
        });
    }
    fn sql(&mut self, v: &Value, verb: &str) {
        if self.state_only {
            return;
        }
        match v {
            Value::Str(t) => self.facts.facts.push(Fact {
                effect: Effect::Sql(t.clone()),
                verb: format!("`{verb}`"),
                down: self.down,
            }),
            Value::List(items, _) | Value::Tuple(items, _) => {
                for i in items {
                    match i {
                        // (sql, params)
                        Value::Tuple(p, _) | Value::List(p, _) if !p.is_empty() => {
                            self.sql(&p[0], verb)
                        }
                        _ => self.sql(i, verb),
                    }
                }
            }
            Value::Name(n, _) if n.ends_with(".noop") => {}
            other => {
                self.not_understood(other.span(), &format!("{verb} SQL that is not a literal"))
            }
        }
    }
    fn not_understood(&mut self, span: Span, what: &str) {
        self.facts.not_understood.push((span, what.to_string()));
    }
}

fn obj(table: &str) -> ObjName {
    table_name(table)
}

use crate::orm::alter;

fn drop(object: ObjectKind, name: &str) -> StmtKind {
    crate::orm::drop(object, name, false, false)
}

/// Turn a migration's operations into facts, in order, updating `state`.
pub fn translate(raw: &Raw, src: &str, state: &mut State) -> Facts {
    let mut out = Out {
        src,
        facts: Facts::default(),
        down: false,
        state_only: false,
    };
    for op in &raw.operations {
        operation(op, raw, state, &mut out, 0);
    }
    out.facts
}

/// Nullable fields named (or whose column is named) in `words` may have been filled.
fn mark_filled(state: &mut State, words: &[String]) {
    for m in state.models.values_mut() {
        for (name, fd) in m.fields.iter_mut() {
            let col = fd.column.as_deref().unwrap_or(name);
            if fd.null
                && (words.binary_search(name).is_ok()
                    || words.binary_search(&col.to_string()).is_ok())
            {
                fd.maybe_filled = true;
            }
        }
    }
}

fn s<'v>(c: &'v Call, i: usize, k: &str) -> Option<&'v str> {
    c.arg(i, k).and_then(Value::str)
}

fn operation(op: &Value, raw: &Raw, state: &mut State, out: &mut Out, depth: usize) {
    let Some(c) = op.call() else {
        out.not_understood(op.span(), "operation that is not a call");
        return;
    };
    if depth > 8 {
        return;
    }
    let verb = c.name().to_string();
    let span = c.span;
    let unknown = |out: &mut Out| {
        out.not_understood(
            span,
            &format!("`{verb}` with arguments that are not literals"),
        )
    };
    match verb.as_str() {
        "CreateModel" => {
            let Some(name) = s(c, 0, "name") else {
                return unknown(out);
            };
            let opts = c.arg(2, "options");
            let explicit = opts.and_then(|o| o.get("db_table")).and_then(Value::str);
            let table = explicit.map_or_else(|| state.default_table(name), str::to_string);
            let mut model = Model {
                table: table.clone(),
                explicit_table: explicit.is_some(),
                ..Model::default()
            };
            let mut columns = Vec::new();
            for f in c
                .arg(1, "fields")
                .and_then(Value::items)
                .unwrap_or_default()
            {
                let Some([n, fv]) = f.items() else { continue };
                let (Some(fname), Some(fd)) = (n.str(), field(n.str().unwrap_or(""), fv)) else {
                    continue;
                };
                let primary = fv
                    .call()
                    .and_then(|c| c.kw("primary_key"))
                    .and_then(Value::as_bool)
                    == Some(true);
                columns.extend(column_facts(&fd, primary));
                model.fields.insert(fname.to_string(), fd);
            }
            if let Some(cons) = opts
                .and_then(|o| o.get("constraints"))
                .and_then(Value::items)
            {
                for con in cons {
                    if let Some(cc) = con.call()
                        && cc.name() == "UniqueConstraint"
                        && let Some(n) = cc.kw("name").and_then(Value::str)
                    {
                        model.unique_constraints.push(n.to_string());
                    }
                    if let Some(f) = con.call().and_then(together::constraint_fields) {
                        model.unique_fields.push(f);
                    }
                }
            }
            model.unique_together = match opts.and_then(|o| o.get("unique_together")) {
                Some(v) => together::parse(v),
                None => Some(Vec::new()),
            };
            state.models.insert(name.to_ascii_lowercase(), model);
            out.push(
                crate::orm::create_table(obj(&table), columns),
                span,
                "CREATE",
                &verb,
            );
            indexes::create_model(out, state, name, &table, c, opts);
        }
        "DeleteModel" => {
            let Some(name) = s(c, 0, "name") else {
                return unknown(out);
            };
            let table = state.table(name);
            state.models.remove(&name.to_ascii_lowercase());
            out.push(drop(ObjectKind::Table, &table), span, "DROP", &verb);
        }
        "AddField" => {
            let (Some(model), Some(name), Some(fv)) =
                (s(c, 0, "model_name"), s(c, 1, "name"), c.arg(2, "field"))
            else {
                return unknown(out);
            };
            let Some(fd) = field(name, fv) else {
                return unknown(out);
            };
            let table = state.table(model);
            let db_index = fv
                .call()
                .and_then(|f| f.kw("db_index"))
                .and_then(Value::as_bool)
                == Some(true);
            if let Some(col) = column_facts(&fd, false) {
                let column = col.name.clone();
                out.push(alter(&table, AlterOp::AddColumn(col)), span, "ALTER", &verb);
                if db_index {
                    let verb = format!("{verb}(db_index=True)` on `{column}");
                    indexes::on_column(out, &table, &column, span, &verb);
                }
            }
            state.model_mut(model).fields.insert(name.to_string(), fd);
        }
        "RemoveField" => {
            let (Some(model), Some(name)) = (s(c, 0, "model_name"), s(c, 1, "name")) else {
                return unknown(out);
            };
            let table = state.table(model);
            let known = state.model_mut(model).fields.remove(name);
            let column = match known {
                Some(f) => f.column,
                None => Some(name.to_string()),
            };
            if let Some(column) = column {
                out.push(
                    alter(
                        &table,
                        AlterOp::DropColumn {
                            names: vec![column],
                            if_exists: false,
                            cascade: false,
                        },
                    ),
                    span,
                    "ALTER",
                    &verb,
                );
            }
        }
        "AlterField" => {
            let (Some(model), Some(name), Some(fv)) =
                (s(c, 0, "model_name"), s(c, 1, "name"), c.arg(2, "field"))
            else {
                return unknown(out);
            };
            let Some(new) = field(name, fv) else {
                return unknown(out);
            };
            let table = state.table(model);
            let old = state
                .model_mut(model)
                .fields
                .insert(name.to_string(), new.clone());
            let (Some(old), Some(col)) = (old, new.column.clone()) else {
                return;
            };
            let Some(old_col) = old.column.clone() else {
                return;
            };
            if old_col != col {
                out.push(
                    alter(
                        &table,
                        AlterOp::RenameColumn {
                            from: old_col,
                            to: col.clone(),
                        },
                    ),
                    span,
                    "ALTER",
                    &verb,
                );
            }
            if let (Some(a), Some(b)) = (&old.sql_type, &new.sql_type)
                && a != b
            {
                out.push(
                    alter(
                        &table,
                        AlterOp::SetType {
                            column: col.clone(),
                            data_type: b.clone(),
                        },
                    ),
                    span,
                    "ALTER",
                    &verb,
                );
            }
            if old.null && !new.null {
                // with a default, Django fills the NULLs before it sets NOT NULL
                if !new.has_default && !old.maybe_filled {
                    out.push(
                        alter(&table, AlterOp::SetNotNull { column: col }),
                        span,
                        "ALTER",
                        &verb,
                    );
                }
            } else if !old.null && new.null {
                out.push(
                    alter(&table, AlterOp::DropNotNull { column: col }),
                    span,
                    "ALTER",
                    &verb,
                );
            }
        }
        "RenameField" => {
            let (Some(model), Some(old), Some(new)) = (
                s(c, 0, "model_name"),
                s(c, 1, "old_name"),
                s(c, 2, "new_name"),
            ) else {
                return unknown(out);
            };
            let table = state.table(model);
            let m = state.model_mut(model);
            let f = m.fields.remove(old);
            // Django renames the field in unique_together and constraints too
            for t in m
                .unique_together
                .iter_mut()
                .flatten()
                .chain(&mut m.unique_fields)
            {
                for x in t.iter_mut().filter(|x| x.as_str() == old) {
                    *x = new.to_string();
                }
            }
            let (from, to) = match &f {
                Some(f) if f.explicit_column || f.column.is_none() => (None, None),
                Some(f) => {
                    let from = f.column.clone();
                    let to = from.as_ref().map(|c| {
                        if c.ends_with("_id") && !old.ends_with("_id") && c == &format!("{old}_id")
                        {
                            format!("{new}_id")
                        } else {
                            new.to_string()
                        }
                    });
                    (from, to)
                }
                None => (Some(old.to_string()), Some(new.to_string())),
            };
            if let Some(mut f) = f {
                if to.is_some() {
                    f.column = to.clone();
                }
                m.fields.insert(new.to_string(), f);
            }
            if let (Some(from), Some(to)) = (from, to) {
                out.push(
                    alter(&table, AlterOp::RenameColumn { from, to }),
                    span,
                    "ALTER",
                    &verb,
                );
            }
        }
        "RenameModel" => {
            let (Some(old), Some(new)) = (s(c, 0, "old_name"), s(c, 1, "new_name")) else {
                return unknown(out);
            };
            let mut m = state
                .models
                .remove(&old.to_ascii_lowercase())
                .unwrap_or_else(|| Model {
                    table: state.default_table(old),
                    ..Model::default()
                });
            let from = m.table.clone();
            if !m.explicit_table {
                m.table = state.default_table(new);
                out.push(
                    StmtKind::RenameTable {
                        from: obj(&from),
                        to: obj(&m.table),
                    },
                    span,
                    "ALTER",
                    &verb,
                );
            }
            state.models.insert(new.to_ascii_lowercase(), m);
        }
        "AlterModelTable" => {
            let Some(name) = s(c, 0, "name") else {
                return unknown(out);
            };
            let new = match c.arg(1, "table") {
                Some(v) if v.is_none() => state.default_table(name),
                Some(v) => match v.str() {
                    Some(t) => t.to_string(),
                    None => return unknown(out),
                },
                None => return unknown(out),
            };
            let default = state.default_table(name);
            let m = state.model_mut(name);
            let from = std::mem::replace(&mut m.table, new.clone());
            m.explicit_table = new != default;
            if from != new {
                out.push(
                    StmtKind::RenameTable {
                        from: obj(&from),
                        to: obj(&new),
                    },
                    span,
                    "ALTER",
                    &verb,
                );
            }
        }
        "AddIndex" | "AddIndexConcurrently" => {
            let Some(model) = s(c, 0, "model_name") else {
                return unknown(out);
            };
            let table = state.table(model);
            let concurrently = verb == "AddIndexConcurrently";
            let idx = c.arg(1, "index");
            indexes::index(out, state, model, &table, idx, concurrently, span, &verb);
        }
        "RemoveIndex" | "RemoveIndexConcurrently" => {
            let Some(name) = s(c, 1, "name") else {
                return unknown(out);
            };
            out.push(drop(ObjectKind::Index, name), span, "DROP", &verb);
        }
        "AddConstraint" => {
            if let (Some(model), Some(con)) = (
                s(c, 0, "model_name"),
                c.arg(1, "constraint").and_then(Value::call),
            ) && con.name() == "UniqueConstraint"
            {
                let table = state.table(model);
                indexes::unique(out, state, model, &table, con, span, &verb);
                let m = state.model_mut(model);
                if let Some(n) = con.kw("name").and_then(Value::str) {
                    m.unique_constraints.push(n.to_string());
                }
                m.unique_fields.extend(together::constraint_fields(con));
            }
        }
        "AlterUniqueTogether" => {
            let Some(model) = s(c, 0, "name") else {
                return unknown(out);
            };
            let new = c.arg(1, "unique_together").and_then(together::parse);
            let table = state.table(model);
            let m = state.model_mut(model);
            let dropped: Vec<String> = match (&m.unique_together, &new) {
                // what is no longer unique, unless a UniqueConstraint on the same fields
                // took its place (the usual move to Meta.constraints)
                (Some(old), Some(new)) => old
                    .iter()
                    .filter(|t| !new.iter().any(|n| together::same(n, t)))
                    .filter(|t| !m.unique_fields.iter().any(|u| together::same(u, t)))
                    .map(|t| format!("({})", t.join(", ")))
                    .collect(),
                // an earlier state this set did not show: `set()` drops whatever was there
                (None, Some(new)) if new.is_empty() => vec!["(…)".to_string()],
                _ => Vec::new(),
            };
            m.unique_together = new;
            for t in dropped {
                out.push(
                    drop(ObjectKind::Index, &format!("{table} unique_together {t}")),
                    span,
                    "DROP",
                    &verb,
                );
            }
        }
        "RemoveConstraint" => {
            let (Some(model), Some(name)) = (s(c, 0, "model_name"), s(c, 1, "name")) else {
                return unknown(out);
            };
            // a unique constraint is kept as a unique index; a check constraint guards
            // values but holds no data
            let m = state.model_mut(model);
            if let Some(i) = m.unique_constraints.iter().position(|u| u == name) {
                m.unique_constraints.remove(i);
                out.push(drop(ObjectKind::Index, name), span, "DROP", &verb);
            }
        }
        "RunSQL" => {
            // an UPDATE in any migration may fill a nullable field before a later AlterField
            if !out.state_only
                && let Some(sql) = c.arg(0, "sql")
            {
                let words = crate::python::words_of(&out.src[sql.span().start..sql.span().end]);
                mark_filled(state, &words);
            }
            if let Some(sql) = c.arg(0, "sql") {
                out.sql(sql, "RunSQL");
            }
            if let Some(rev) = c.arg(1, "reverse_sql") {
                let was = out.down;
                out.down = true;
                out.sql(rev, "RunSQL");
                out.down = was;
            }
        }
        "RunPython" => {
            if !out.state_only
                && let Some(Value::Name(f, _)) = c.arg(0, "code")
                && let Some(words) = raw.mentions.get(f.as_str())
            {
                mark_filled(state, words);
            }
            for (i, k, down) in [(0, "code", false), (1, "reverse_code", true)] {
                let Some(Value::Name(f, _)) = c.arg(i, k) else {
                    continue;
                };
                let Some(writes) = raw.functions.get(f.as_str()) else {
                    continue;
                };
                for w in writes {
                    let table = state.table_of(w.model.0.as_deref(), &w.model.1);
                    let model = &w.model.1;
                    let (kind, kw, what) = match &w.update {
                        None => (
                            StmtKind::Delete {
                                table: Some(obj(&table)),
                                predicate: None,
                                limited: false,
                            },
                            "DELETE",
                            format!("RunPython` function `{f}`: `{model}…delete()"),
                        ),
                        Some(cols) => (
                            crate::orm::update_all(obj(&table), cols.iter().cloned()),
                            "UPDATE",
                            format!("RunPython` function `{f}`: `{model}…update()"),
                        ),
                    };
                    let was = out.down;
                    out.down = down;
                    out.push(kind, w.span, kw, &what);
                    out.down = was;
                }
            }
        }
        "SeparateDatabaseAndState" => {
            for v in c
                .kw("database_operations")
                .and_then(Value::items)
                .unwrap_or_default()
            {
                operation(v, raw, state, out, depth + 1);
            }
            let was = out.state_only;
            out.state_only = true;
            for v in c
                .kw("state_operations")
                .and_then(Value::items)
                .unwrap_or_default()
            {
                operation(v, raw, state, out, depth + 1);
            }
            out.state_only = was;
        }
        _ => {}
    }
}
