//! The schema calls: receiver-less (`add_column :t, …`) and inside `change_table` /
//! `create_table` blocks (`t.remove …`), as statements.

use super::Walker;
use super::names::*;
use crate::ruby::tree::RubyNode;
use crate::ruby::value::{self, Args, Value, span, text};
use crate::source::Span;
use crate::sql::{AlterOp, ColumnFacts, ObjName, ObjectKind, StmtKind};

impl<N: RubyNode> Walker<'_, N> {
    /// A receiver-less schema call (`table`: inside `change_table`, where that form applies).
    pub(super) fn op(
        &mut self,
        method: &str,
        _table: Option<&str>,
        a: &Args,
        n: N,
        s: Span,
        depth: usize,
    ) {
        let verb = if self.invert {
            format!("`{method}` inside `revert`")
        } else {
            format!("`{method}`")
        };
        macro_rules! need {
            ($e:expr) => {
                crate::orm::need_literal!(self, s, method, $e)
            };
        }
        let if_exists = a.kw("if_exists").and_then(Value::as_bool) == Some(true);
        // what runs: inside `revert`, the inverse
        let effective = if self.invert {
            match method {
                "add_column" => "remove_column",
                "create_table" => "drop_table",
                "create_join_table" => "drop_join_table",
                "add_index" => "remove_index",
                "add_reference" | "add_belongs_to" => "remove_reference",
                "add_timestamps" => "remove_timestamps",
                "rename_column" | "rename_table" | "change_column_null" => method,
                // the inverse of a removal adds back: nothing is lost
                _ => return,
            }
        } else {
            method
        };
        match effective {
            "drop_table" => {
                if self.invert {
                    let t = need!(a.name(0));
                    self.push(
                        drop(ObjectKind::Table, vec![obj(t)], false, false),
                        s,
                        "DROP",
                        &verb,
                    );
                    return;
                }
                let names: Vec<ObjName> = a.pos.iter().filter_map(Value::name).map(obj).collect();
                if names.is_empty() || names.len() != a.pos.len() {
                    need!(None::<()>);
                }
                let cascade = matches!(a.kw("force").and_then(Value::name), Some("cascade"));
                self.push(
                    drop(ObjectKind::Table, names, if_exists, cascade),
                    s,
                    "DROP",
                    &verb,
                );
            }
            "drop_join_table" => {
                let t = match a.kw("table_name").and_then(Value::name) {
                    Some(t) => t.to_string(),
                    None => {
                        let (x, y) = need!(a.name(0).zip(a.name(1)));
                        join_table(x, y)
                    }
                };
                self.push(
                    drop(ObjectKind::Table, vec![obj(&t)], if_exists, false),
                    s,
                    "DROP",
                    &verb,
                );
            }
            "remove_column" => {
                let t = need!(a.name(0));
                let c = need!(a.name(1));
                self.push(
                    drop_columns(t, vec![c.to_string()], if_exists),
                    s,
                    "ALTER",
                    &verb,
                );
            }
            "remove_columns" => {
                let t = need!(a.name(0));
                let cols: Vec<String> = a.pos[1..]
                    .iter()
                    .filter_map(Value::name)
                    .map(str::to_string)
                    .collect();
                if cols.is_empty() || cols.len() + 1 != a.pos.len() || a.open {
                    need!(None::<()>);
                }
                self.push(drop_columns(t, cols, if_exists), s, "ALTER", &verb);
            }
            "remove_timestamps" => {
                let t = need!(a.name(0));
                self.push(
                    drop_columns(t, vec!["created_at".into(), "updated_at".into()], if_exists),
                    s,
                    "ALTER",
                    &verb,
                );
            }
            "remove_reference" | "remove_belongs_to" => {
                let t = need!(a.name(0));
                let r = need!(a.name(1));
                self.push(
                    drop_columns(t, reference_columns(r, a), if_exists),
                    s,
                    "ALTER",
                    &verb,
                );
            }
            "rename_column" => {
                let t = need!(a.name(0));
                let (from, to) = need!(a.name(1).zip(a.name(2)));
                let (from, to) = if self.invert { (to, from) } else { (from, to) };
                self.rename_column(t, from, to, s, &verb);
            }
            "rename_table" => {
                let (from, to) = need!(a.name(0).zip(a.name(1)));
                let (from, to) = if self.invert { (to, from) } else { (from, to) };
                self.push(
                    StmtKind::RenameTable {
                        from: obj(from),
                        to: obj(to),
                    },
                    s,
                    "ALTER",
                    &verb,
                );
            }
            "change_column" => {
                let t = need!(a.name(0));
                let c = need!(a.name(1));
                let ty = need!(a.name(2));
                self.change(t, c, ty, a, s, &verb);
            }
            "change_column_null" => {
                let t = need!(a.name(0));
                let c = need!(a.name(1));
                let null = need!(a.pos.get(2).and_then(Value::as_bool));
                let null = if self.invert { !null } else { null };
                self.null(t, c, null, a.pos.len() > 3, s, &verb);
            }
            "add_column" => {
                let t = need!(a.name(0));
                let c = need!(a.name(1));
                let ty = a.name(2).unwrap_or("");
                self.add_column(t, column(c, ty, a), s, &verb);
            }
            "add_index" => {
                let t = need!(a.name(0));
                let name = index_named(a).or_else(|| a.pos.get(1).and_then(|c| index_name(t, c)));
                self.push_index(create_index(t, name, a), a.pos.get(1), a, s, &verb);
            }
            "remove_index" => {
                let t = need!(a.name(0));
                let name = index_named(a)
                    .or_else(|| a.kw("column").and_then(|c| index_name(t, c)))
                    .or_else(|| a.pos.get(1).and_then(|c| index_name(t, c)));
                let name = need!(name);
                self.drop_index(&name, if_exists, s, &verb);
            }
            "add_reference" | "add_belongs_to" => {
                let t = need!(a.name(0));
                let r = need!(a.name(1));
                self.reference(t, r, a, s, &verb);
            }
            "add_timestamps" => {
                let t = need!(a.name(0));
                for c in ["created_at", "updated_at"] {
                    self.add_column(t, column(c, "datetime", a), s, &verb);
                }
            }
            "create_table" | "create_join_table" => {
                let t = if effective == "create_join_table" {
                    match a.kw("table_name").and_then(Value::name) {
                        Some(t) => t.to_string(),
                        None => {
                            let (x, y) = need!(a.name(0).zip(a.name(1)));
                            join_table(x, y)
                        }
                    }
                } else {
                    need!(a.name(0)).to_string()
                };
                let force = a.kw("force");
                let forced = force.and_then(Value::as_bool) == Some(true)
                    || matches!(force.and_then(Value::name), Some("cascade"));
                let mut verb = verb.clone();
                if forced && !self.schema {
                    let cascade = matches!(force.and_then(Value::name), Some("cascade"));
                    let how = if cascade { ":cascade" } else { "true" };
                    verb = format!("`create_table … force: {how}`");
                    self.push(
                        drop(ObjectKind::Table, vec![obj(&t)], true, cascade),
                        s,
                        "DROP",
                        &verb,
                    );
                }
                let mut columns = Vec::new();
                if effective == "create_table" && a.kw("id").and_then(Value::as_bool) != Some(false)
                {
                    let ty = a.kw("id").and_then(Value::name).unwrap_or("bigint");
                    columns.push(ColumnFacts {
                        name: a
                            .kw("primary_key")
                            .and_then(Value::name)
                            .unwrap_or("id")
                            .to_string(),
                        data_type: sql_type(ty, &Args::default()).unwrap_or_default(),
                        not_null: true,
                        has_default: true,
                        primary_key: true,
                    });
                } else if effective == "create_join_table" {
                    for x in [a.name(0), a.name(1)].into_iter().flatten() {
                        columns.push(column(
                            &format!("{}_id", singular(x)),
                            "bigint",
                            &null_false(),
                        ));
                    }
                }
                let mut indexes = Vec::new();
                if let Some(p) = Self::block_param(n, self.src)
                    && let Some(body) = Self::block_body(n)
                {
                    self.table_columns(body, &p, &t, &mut columns, &mut indexes, depth);
                }
                self.push(
                    StmtKind::CreateTable {
                        name: obj(&t),
                        temporary: false,
                        if_not_exists: a.kw("if_not_exists").and_then(Value::as_bool) == Some(true),
                        or_replace: false,
                        columns,
                    },
                    s,
                    "CREATE",
                    &verb,
                );
                for (name, ia, sp) in indexes {
                    // the table is new: no write waits for the build
                    let mut stmt = create_index(&t, name, &ia);
                    if let StmtKind::CreateIndex { concurrently, .. } = &mut stmt {
                        *concurrently = true;
                    }
                    self.push_index(stmt, ia.pos.first(), &ia, sp, &verb);
                }
            }
            _ => {}
        }
    }

    /// The `t.<type> :name` columns (and `t.index`) of a `create_table` block.
    fn table_columns(
        &mut self,
        body: N,
        p: &str,
        t: &str,
        columns: &mut Vec<ColumnFacts>,
        indexes: &mut Vec<(Option<String>, Args, Span)>,
        depth: usize,
    ) {
        if depth > 100 {
            return;
        }
        let src = self.src;
        for x in body.named_children() {
            if x.kind() != "call" {
                if x.kind() != "comment" {
                    self.table_columns(x, p, t, columns, indexes, depth + 1);
                }
                continue;
            }
            if x.field("receiver").map(|r| text(r, src)) != Some(p) {
                continue;
            }
            let m = x.field("method").map_or("", |m| text(m, src));
            let a = value::args(x, src, self.h);
            match m {
                "timestamps" => {
                    let mut a2 = a.clone();
                    if a2.kw("null").is_none() {
                        a2.kw.push(("null".into(), Value::Bool(false, span(x))));
                    }
                    for n in ["created_at", "updated_at"] {
                        columns.push(column(n, "datetime", &a2));
                    }
                }
                "references" | "belongs_to" => {
                    for r in a.pos.iter().filter_map(Value::name) {
                        // and its index, unless `index: false`
                        if a.kw("index").and_then(Value::as_bool) != Some(false) {
                            let mut ia = a.clone();
                            ia.kw.retain(|(k, _)| k != "where" && k != "using");
                            let mut cols: Vec<Value> = reference_columns(r, &a)
                                .into_iter()
                                .map(|c| Value::Sym(c, span(x)))
                                .collect();
                            cols.reverse();
                            ia.pos = vec![Value::Array(cols, span(x))];
                            indexes.push((Some(reference_index(t, r, &a)), ia, span(x)));
                        }
                        for n in reference_columns(r, &a) {
                            let ty = if n.ends_with("_type") {
                                "string"
                            } else {
                                "bigint"
                            };
                            columns.push(column(&n, ty, &a));
                        }
                    }
                }
                "index" => {
                    let name =
                        index_named(&a).or_else(|| a.pos.first().and_then(|c| index_name(t, c)));
                    indexes.push((name, a.clone(), span(x)));
                }
                "column" => {
                    if let (Some(n), Some(ty)) = (a.name(0), a.name(1)) {
                        columns.push(column(n, ty, &a));
                    }
                }
                ty if COLUMN_TYPES.contains(&ty) => {
                    for n in a.pos.iter().filter_map(Value::name) {
                        columns.push(column(n, ty, &a));
                    }
                }
                _ => {}
            }
        }
    }

    /// `t.*` inside `change_table :table` (and `t.index` in schema.rb).
    pub(super) fn table_op(&mut self, t: &str, method: &str, a: &Args, s: Span) {
        if self.invert {
            return;
        }
        let verb = format!("`t.{method}`");
        macro_rules! need {
            ($e:expr) => {
                crate::orm::need_literal!(self, s, format_args!("t.{method}"), $e)
            };
        }
        match method {
            "remove" => {
                let cols: Vec<String> = a
                    .pos
                    .iter()
                    .filter_map(Value::name)
                    .map(str::to_string)
                    .collect();
                if cols.is_empty() || cols.len() != a.pos.len() || a.open {
                    need!(None::<()>);
                }
                let if_exists = a.kw("if_exists").and_then(Value::as_bool) == Some(true);
                self.push(drop_columns(t, cols, if_exists), s, "ALTER", &verb);
            }
            "remove_references" | "remove_belongs_to" => {
                let mut cols = Vec::new();
                for r in a.pos.iter() {
                    cols.extend(reference_columns(need!(r.name()), a));
                }
                need!((!cols.is_empty()).then_some(()));
                self.push(drop_columns(t, cols, false), s, "ALTER", &verb);
            }
            "remove_timestamps" => self.push(
                drop_columns(t, vec!["created_at".into(), "updated_at".into()], false),
                s,
                "ALTER",
                &verb,
            ),
            "remove_index" => {
                let name = index_named(a)
                    .or_else(|| a.kw("column").and_then(|c| index_name(t, c)))
                    .or_else(|| a.pos.first().and_then(|c| index_name(t, c)));
                let name = need!(name);
                self.drop_index(&name, false, s, &verb);
            }
            "rename" => {
                let (from, to) = need!(a.name(0).zip(a.name(1)));
                self.rename_column(t, from, to, s, &verb);
            }
            "change" => {
                let (c, ty) = need!(a.name(0).zip(a.name(1)));
                self.change(t, c, ty, a, s, &verb);
            }
            "change_null" => {
                let c = need!(a.name(0));
                let null = need!(a.pos.get(1).and_then(Value::as_bool));
                self.null(t, c, null, a.pos.len() > 2, s, &verb);
            }
            "index" => {
                let name = index_named(a).or_else(|| a.pos.first().and_then(|c| index_name(t, c)));
                let mut stmt = create_index(t, name, a);
                if self.schema
                    && let StmtKind::CreateIndex { concurrently, .. } = &mut stmt
                {
                    *concurrently = true;
                }
                self.push_index(stmt, a.pos.first(), a, s, &verb);
            }
            "references" | "belongs_to" => {
                for r in a.pos.iter().filter_map(Value::name) {
                    self.reference(t, r, a, s, &verb);
                }
            }
            "timestamps" => {
                for c in ["created_at", "updated_at"] {
                    self.add_column(t, column(c, "datetime", a), s, &verb);
                }
            }
            "column" => {
                let (c, ty) = need!(a.name(0).zip(a.name(1)));
                self.add_column(t, column(c, ty, a), s, &verb);
            }
            ty if COLUMN_TYPES.contains(&ty) => {
                for c in a.pos.iter().filter_map(Value::name) {
                    self.add_column(t, column(c, ty, a), s, &verb);
                }
            }
            _ => {}
        }
    }

    /// An index, with the columns it covers when they are plain column names (`where:` and
    /// `using:` as written; an operator class, a MySQL length or type, or NULLS NOT DISTINCT:
    /// columns unknown, it covers nothing).
    fn push_index(&mut self, kind: StmtKind, cols: Option<&Value>, a: &Args, s: Span, verb: &str) {
        let odd = ["opclass", "length", "type", "nulls_not_distinct"]
            .iter()
            .any(|k| a.kw(k).is_some());
        let word =
            |c: &str| !c.is_empty() && c.chars().all(|x| x.is_ascii_alphanumeric() || x == '_');
        let columns: Option<Vec<String>> = match cols {
            Some(Value::Array(items, _)) => items
                .iter()
                .map(|v| v.name().filter(|c| word(c)).map(str::to_string))
                .collect(),
            Some(v) => v.name().filter(|c| word(c)).map(|c| vec![c.to_string()]),
            None => None,
        };
        let predicate = a.kw("where").map(Value::name);
        let head = crate::orm::head_span(self.src, s);
        let stmt = match columns {
            // `db/schema.rb` shows the last migration's indexes, not those of the migration
            // being checked: no columns (they would cover drops, or hold renamed names, too early)
            _ if self.schema => crate::orm::statement(kind, head, "CREATE"),
            // a `where:` that is not a literal: unknown rows, unknown columns
            Some(c) if !odd && predicate != Some(None) => crate::orm::index_statement(
                kind,
                &c,
                a.kw("using").and_then(Value::name),
                predicate.flatten(),
                head,
            ),
            _ => crate::orm::statement(kind, head, "CREATE"),
        };
        self.m.facts.facts.push(super::Fact {
            effect: super::Effect::Statement(stmt),
            verb: verb.to_string(),
            down: self.down,
        });
    }

    /// `change_column` / `t.change`: a new type, and NOT NULL when `null: false`.
    fn change(&mut self, t: &str, c: &str, ty: &str, a: &Args, s: Span, verb: &str) {
        if let Some(data_type) = sql_type(ty, a) {
            self.push(
                alter(
                    t,
                    AlterOp::SetType {
                        column: c.to_string(),
                        data_type,
                    },
                ),
                s,
                "ALTER",
                verb,
            );
        }
        match a.kw("null").and_then(Value::as_bool) {
            Some(false) => self.push(
                alter(
                    t,
                    AlterOp::SetNotNull {
                        column: c.to_string(),
                    },
                ),
                s,
                "ALTER",
                verb,
            ),
            Some(true) => self.push(
                alter(
                    t,
                    AlterOp::DropNotNull {
                        column: c.to_string(),
                    },
                ),
                s,
                "ALTER",
                verb,
            ),
            None => {}
        }
    }

    /// `change_column_null t, c, false` sets NOT NULL; with a fourth argument Rails first
    /// fills the NULLs with it (an UPDATE), so nothing fails.
    fn null(&mut self, t: &str, c: &str, null: bool, backfilled: bool, s: Span, verb: &str) {
        if null {
            self.push(
                alter(
                    t,
                    AlterOp::DropNotNull {
                        column: c.to_string(),
                    },
                ),
                s,
                "ALTER",
                verb,
            );
        } else if backfilled {
            // Rails runs `UPDATE t SET c = <default> WHERE c IS NULL` first: nothing fails
        } else {
            self.push(
                alter(
                    t,
                    AlterOp::SetNotNull {
                        column: c.to_string(),
                    },
                ),
                s,
                "ALTER",
                verb,
            );
        }
    }

    /// `add_reference :t, :user` adds `user_id` (and `user_type` when polymorphic) and, unless
    /// `index: false`, an index on it.
    fn reference(&mut self, t: &str, r: &str, a: &Args, s: Span, verb: &str) {
        for c in reference_columns(r, a) {
            let ty = if c.ends_with("_type") {
                "string"
            } else {
                a.kw("type").and_then(Value::name).unwrap_or("bigint")
            };
            self.push(
                alter(t, AlterOp::AddColumn(column(&c, ty, a))),
                s,
                "ALTER",
                verb,
            );
        }
        let index = a.kw("index");
        if index.and_then(Value::as_bool) == Some(false) {
            return;
        }
        // `index: { algorithm: :concurrently }` is a hash: read by its text
        let concurrent = index.is_some_and(|v| {
            let sp = v.span();
            self.src
                .get(sp.start..sp.end)
                .is_some_and(|x| x.contains("concurrently"))
        });
        let mut stmt = create_index(t, Some(reference_index(t, r, a)), a);
        if let StmtKind::CreateIndex { concurrently, .. } = &mut stmt {
            *concurrently |= concurrent;
        }
        // a polymorphic reference's index is on (type, id)
        let mut cols: Vec<Value> = reference_columns(r, a)
            .into_iter()
            .map(|c| Value::Sym(c, s))
            .collect();
        cols.reverse();
        let cols = Value::Array(cols, s);
        self.push_index(stmt, Some(&cols), &Args::default(), s, verb);
    }
}

/// The index name given as `name:`.
fn index_named(a: &Args) -> Option<String> {
    a.kw("name").and_then(Value::name).map(str::to_string)
}
