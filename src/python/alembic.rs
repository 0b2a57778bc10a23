//! Alembic revisions: `revision` / `down_revision` and the `op.*` calls of `upgrade()` (up)
//! and `downgrade()` (down), read into facts. `with op.batch_alter_table("t") as b:` applies
//! `b.*` to `t`; `op.execute`, `op.get_bind().execute` and a connection from `op.get_bind()`
//! run SQL, checked by the SQL front end.

use super::stmt::{self, Stmt};
use super::value::{self, Call, Value, text};
use super::{Effect, Fact, Facts, head_span, sql_type, statement, table_name};
use crate::source::Span;
use crate::sql::{AlterOp, ColumnFacts, ObjName, ObjectKind, StmtKind};
use std::collections::HashMap;
use tree_sitter::Node;

#[derive(Clone, Debug, Default)]
pub struct Revision {
    pub revision: String,
    /// Empty for the first revision; two or more for a merge.
    pub down_revisions: Vec<String>,
    pub facts: Facts,
}

/// Read a revision file. `None`: no `revision = "…"` and `def upgrade` in it.
pub fn read(src: &str) -> Option<Revision> {
    // most revisions are in the fast path's subset: no tree-sitter parse for them
    if let Some(f) = super::fast::read(src) {
        return walk(f.alembic, src);
    }
    let tree = value::parse(src)?;
    read_tree(tree.root_node(), src)
}

/// Can the text hold an Alembic revision (`revision = …` and a function `upgrade`)? Checked
/// before parsing.
pub fn may_be(src: &str) -> bool {
    src.contains("revision") && src.contains("upgrade")
}

/// A revision file before its functions are walked: `revision`, `down_revision` and the
/// bodies of `upgrade()` (up) and `downgrade()` (down), in file order. Built from
/// tree-sitter's tree ([`parts`]) or by the fast path (`python::fast`); [`walk`] reads both.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Parts {
    pub revision: String,
    pub down_revisions: Vec<String>,
    pub funcs: Vec<(bool, Vec<Stmt>)>,
}

/// A top-level `name = v`: the revision identifiers.
pub(super) fn header(parts: &mut Parts, name: &str, v: &Value) {
    match name {
        "revision" => parts.revision = v.str().unwrap_or_default().to_string(),
        "down_revision" => {
            parts.down_revisions = match v {
                Value::Str(_) => v.str().map(str::to_string).into_iter().collect(),
                _ => v
                    .items()
                    .unwrap_or_default()
                    .iter()
                    .filter_map(|x| x.str().map(str::to_string))
                    .collect(),
            }
        }
        _ => {}
    }
}

/// [`read`] on a parsed file.
pub fn read_tree(root: Node, src: &str) -> Option<Revision> {
    walk(parts(root, src), src)
}

/// A parsed file's [`Parts`].
pub fn parts(root: Node, src: &str) -> Parts {
    let mut parts = Parts::default();
    let mut c = root.walk();
    for n in root.named_children(&mut c) {
        match value::kind(n) {
            "expression_statement" => {
                let Some(a) = n.named_child(0).filter(|a| value::kind(*a) == "assignment") else {
                    continue;
                };
                let (Some(l), Some(r)) = (value::field(a, "left"), value::field(a, "right")) else {
                    continue;
                };
                header(&mut parts, text(l, src), &value::read(r, src));
            }
            "function_definition" => {
                let down = match value::field(n, "name").map(|x| text(x, src)) {
                    Some("upgrade") => false,
                    Some("downgrade") => true,
                    _ => continue,
                };
                let body = value::field(n, "body")
                    .map(|b| stmt::block(b, src, 0))
                    .unwrap_or_default();
                parts.funcs.push((down, body));
            }
            _ => {}
        }
    }
    parts
}

/// Walk the functions of a revision into its facts. `None`: no `revision = "…"` or no
/// `def upgrade` (not a revision).
pub fn walk(parts: Parts, src: &str) -> Option<Revision> {
    if parts.revision.is_empty() || !parts.funcs.iter().any(|(d, _)| !d) {
        return None;
    }
    let mut rev = Revision {
        revision: parts.revision,
        down_revisions: parts.down_revisions,
        facts: Facts::default(),
    };
    for (down, body) in &parts.funcs {
        let mut w = Walker {
            src,
            down: *down,
            facts: &mut rev.facts,
            batch: HashMap::new(),
            binds: vec!["op.get_bind".to_string()],
        };
        w.block(body, 0);
    }
    Some(rev)
}

struct Walker<'a> {
    src: &'a str,
    down: bool,
    facts: &'a mut Facts,
    /// `with op.batch_alter_table("t") as b`: b → t.
    batch: HashMap<String, String>,
    /// Names bound to a connection (`conn = op.get_bind()`).
    binds: Vec<String>,
}

fn obj(t: &str) -> ObjName {
    table_name(t)
}

impl Walker<'_> {
    fn block(&mut self, stmts: &[Stmt], depth: usize) {
        if depth > stmt::MAX_DEPTH {
            return;
        }
        for s in stmts {
            match s {
                Stmt::With { items, body } => {
                    let mut added = Vec::new();
                    for (call, alias) in items {
                        if call.func == "op.batch_alter_table"
                            && let Some(alias) = alias
                        {
                            match call.arg(0, "table_name").and_then(Value::str) {
                                Some(t) => {
                                    self.batch.insert(alias.clone(), t.to_string());
                                    added.push(alias.clone());
                                }
                                None => self.not_understood(
                                    call.span,
                                    "`op.batch_alter_table` of a table that is not a literal",
                                ),
                            }
                        }
                    }
                    self.block(body, depth + 1);
                    for a in added {
                        self.batch.remove(&a);
                    }
                }
                Stmt::Call { call, target } => match target {
                    Some(t) if self.binds.contains(&call.func) => self.binds.push(t.clone()),
                    _ => self.call(call),
                },
                Stmt::Blocks(blocks) => {
                    for b in blocks {
                        self.block(b, depth + 1);
                    }
                }
            }
        }
    }

    fn not_understood(&mut self, span: Span, what: &str) {
        self.facts.not_understood.push((span, what.to_string()));
    }

    fn push(&mut self, kind: StmtKind, span: Span, keyword: &str, verb: &str) {
        self.facts.facts.push(Fact {
            effect: Effect::Statement(statement(kind, head_span(self.src, span), keyword)),
            verb: format!("`{verb}`"),
            down: self.down,
        });
    }

    fn sql(&mut self, v: &Value, verb: &str) {
        let v = match v {
            Value::Call(c) if c.name() == "text" => c.args.first().unwrap_or(v),
            _ => v,
        };
        match v {
            Value::Str(t) => self.facts.facts.push(Fact {
                effect: Effect::Sql(t.clone()),
                verb: format!("`{verb}`"),
                down: self.down,
            }),
            other => {
                let s = other.span();
                let words = super::words_of(self.src.get(s.start..s.end).unwrap_or(""));
                self.facts.code_writes.push((s, words));
                self.not_understood(s, &format!("`{verb}` of SQL that is not a literal"));
            }
        }
    }

    fn call(&mut self, c: &Call) {
        // op.get_bind().execute(…) / conn.execute(…)
        if c.func == ".execute"
            && c.receiver
                .as_deref()
                .and_then(Value::call)
                .is_some_and(|r| self.binds.contains(&r.func))
        {
            if let Some(a) = c.args.first() {
                self.sql(a, "op.get_bind().execute");
            }
            return;
        }
        let Some((recv, method)) = c.func.rsplit_once('.') else {
            return;
        };
        if self.binds.iter().any(|b| b == recv) && method == "execute" {
            if let Some(a) = c.args.first() {
                self.sql(a, &format!("{recv}.execute"));
            }
            return;
        }
        let batch = self.batch.get(recv).cloned();
        if recv != "op" && batch.is_none() {
            return;
        }
        let verb = c.func.clone();
        // in a batch block the table is implied: the arguments shift by one
        let (table, shift): (Option<String>, usize) = match &batch {
            Some(t) => (Some(t.clone()), 0),
            None => (None, 1),
        };
        let table_arg = |name: &str| -> Option<String> {
            table
                .clone()
                .or_else(|| c.arg(0, name).and_then(unwrap_f).map(str::to_string))
        };
        let span = c.span;
        macro_rules! need {
            ($e:expr) => {
                crate::orm::need_literal!(self, span, verb, $e)
            };
        }
        match method {
            "execute" => {
                if let Some(a) = c.arg(0, "sqltext") {
                    self.sql(a, &verb);
                }
            }
            "create_table" if batch.is_none() => {
                let t = need!(table_arg("table_name"));
                let columns: Vec<ColumnFacts> = c.args[1..]
                    .iter()
                    .filter_map(|a| a.call().filter(|x| x.name() == "Column"))
                    .filter_map(column)
                    .collect();
                self.push(
                    crate::orm::create_table(obj(&t), columns),
                    span,
                    "CREATE",
                    &verb,
                );
            }
            "drop_table" if batch.is_none() => {
                let t = need!(table_arg("table_name"));
                self.push(drop(ObjectKind::Table, &t), span, "DROP", &verb);
            }
            "add_column" => {
                let t = need!(table_arg("table_name"));
                let col = need!(
                    c.arg(shift, "column")
                        .and_then(Value::call)
                        .and_then(column)
                );
                self.push(alter(&t, AlterOp::AddColumn(col)), span, "ALTER", &verb);
            }
            "drop_column" => {
                let t = need!(table_arg("table_name"));
                let col = need!(c.arg(shift, "column_name").and_then(Value::str));
                self.push(
                    alter(
                        &t,
                        AlterOp::DropColumn {
                            names: vec![col.to_string()],
                            if_exists: false,
                            cascade: false,
                        },
                    ),
                    span,
                    "ALTER",
                    &verb,
                );
            }
            "alter_column" => {
                let t = need!(table_arg("table_name"));
                let col = need!(c.arg(shift, "column_name").and_then(Value::str)).to_string();
                let mut cur = col.clone();
                if let Some(data_type) = c.kw("type_").and_then(sa_type) {
                    self.push(
                        alter(
                            &t,
                            AlterOp::SetType {
                                column: cur.clone(),
                                data_type,
                            },
                        ),
                        span,
                        "ALTER",
                        &verb,
                    );
                }
                match c.kw("nullable").and_then(Value::as_bool) {
                    Some(false)
                        if c.kw("existing_nullable").and_then(Value::as_bool) != Some(false) =>
                    {
                        self.push(
                            alter(
                                &t,
                                AlterOp::SetNotNull {
                                    column: cur.clone(),
                                },
                            ),
                            span,
                            "ALTER",
                            &verb,
                        )
                    }
                    Some(true) => self.push(
                        alter(
                            &t,
                            AlterOp::DropNotNull {
                                column: cur.clone(),
                            },
                        ),
                        span,
                        "ALTER",
                        &verb,
                    ),
                    _ => {}
                }
                if let Some(new) = c.kw("new_column_name").and_then(Value::str) {
                    self.push(
                        alter(
                            &t,
                            AlterOp::RenameColumn {
                                from: cur.clone(),
                                to: new.to_string(),
                            },
                        ),
                        span,
                        "ALTER",
                        &verb,
                    );
                    cur = new.to_string();
                }
                let _ = cur;
            }
            "rename_table" if batch.is_none() => {
                let (from, to) = need!(match (
                    c.arg(0, "old_table_name").and_then(Value::str),
                    c.arg(1, "new_table_name").and_then(Value::str)
                ) {
                    (Some(a), Some(b)) => Some((a, b)),
                    _ => None,
                });
                self.push(
                    StmtKind::RenameTable {
                        from: obj(from),
                        to: obj(to),
                    },
                    span,
                    "ALTER",
                    &verb,
                );
            }
            "create_index" => {
                let name = c.arg(0, "index_name").and_then(unwrap_f);
                let t = need!(table.clone().or_else(|| {
                    c.arg(1, "table_name")
                        .and_then(unwrap_f)
                        .map(str::to_string)
                }));
                let concurrently =
                    c.kw("postgresql_concurrently").and_then(Value::as_bool) == Some(true);
                let kind = StmtKind::CreateIndex {
                    name: name.map(obj),
                    table: obj(&t),
                    concurrently,
                    unique: c.kw("unique").and_then(Value::as_bool) == Some(true),
                };
                // with its columns: an index that covers another one makes its drop harmless
                let head = head_span(self.src, span);
                let stmt = match index_shape(c, 1 + shift) {
                    Some((cols, using, pred)) => {
                        crate::orm::index_statement(kind, &cols, using, pred, head)
                    }
                    None => statement(kind, head, "CREATE"),
                };
                self.facts.facts.push(Fact {
                    effect: Effect::Statement(stmt),
                    verb: format!("`{verb}`"),
                    down: self.down,
                });
            }
            "create_unique_constraint" => {
                let name = c.arg(0, "constraint_name").and_then(unwrap_f);
                let t = need!(table.clone().or_else(|| {
                    c.arg(1, "table_name")
                        .and_then(unwrap_f)
                        .map(str::to_string)
                }));
                let cols = c
                    .arg(1 + shift, "columns")
                    .and_then(Value::items)
                    .and_then(|v| crate::orm::plain_columns(v.iter().map(Value::str)));
                let stmt = crate::orm::unique_statement(
                    &t,
                    name,
                    &cols.unwrap_or_default(),
                    head_span(self.src, span),
                );
                self.facts.facts.push(Fact {
                    effect: Effect::Statement(stmt),
                    verb: format!("`{verb}`"),
                    down: self.down,
                });
            }
            "drop_index" => {
                let name = need!(c.arg(0, "index_name").and_then(unwrap_f));
                self.push(drop(ObjectKind::Index, name), span, "DROP", &verb);
            }
            "drop_constraint" => {
                let name = need!(c.arg(0, "constraint_name").and_then(unwrap_f));
                // a unique constraint is a unique index; others hold no data
                if c.arg(1 + shift, "type_").and_then(Value::str) == Some("unique") {
                    self.push(drop(ObjectKind::Index, name), span, "DROP", &verb);
                }
            }
            _ => {}
        }
    }
}

/// The columns of `op.create_index(name, table, columns, …)` (`columns` at `at`) when they
/// are plain column names, with its `postgresql_using` and `postgresql_where` /
/// `sqlite_where` (`sa.text("…")` or a string). `None` (columns unknown: the index covers
/// nothing) for expressions (`sa.text("lower(c)")`), operator classes (`postgresql_ops`),
/// MySQL lengths, NULLS NOT DISTINCT, any option this reader does not know, and a `where`
/// or `using` that is not a literal.
fn index_shape(c: &Call, at: usize) -> Option<(Vec<String>, Option<&str>, Option<&str>)> {
    const KNOWN: [&str; 12] = [
        "index_name",
        "table_name",
        "columns",
        "unique",
        "schema",
        "if_not_exists",
        "quote",
        "info",
        "postgresql_concurrently",
        "postgresql_include",
        "postgresql_using",
        "postgresql_where",
    ];
    if c.kwargs
        .iter()
        .any(|(k, _)| !KNOWN.contains(&k.as_str()) && k != "sqlite_where")
    {
        return None;
    }
    let cols = c.arg(at, "columns").and_then(Value::items)?;
    let cols = crate::orm::plain_columns(cols.iter().map(Value::str))?;
    fn sql_text(v: &Value) -> Option<&str> {
        match v {
            Value::Call(t) if t.name() == "text" => t.args.first().and_then(Value::str),
            other => other.str(),
        }
    }
    let using = match c.kw("postgresql_using") {
        Some(v) => Some(v.str()?),
        None => None,
    };
    let pred = match c.kw("postgresql_where").or_else(|| c.kw("sqlite_where")) {
        Some(v) => Some(sql_text(v)?),
        None => None,
    };
    Some((cols, using, pred))
}

/// `op.f("ix_name")` / `batch_op.f("ix_name")` (a name Alembic must not convert) or a plain
/// string.
fn unwrap_f(v: &Value) -> Option<&str> {
    match v {
        Value::Call(c) if c.name() == "f" && c.func.contains('.') && c.args.len() == 1 => {
            c.args.first().and_then(Value::str)
        }
        other => other.str(),
    }
}

fn sa_type(v: &Value) -> Option<String> {
    let (class, args): (&str, Vec<Option<i64>>) = match v {
        Value::Name(n, _) => (n.rsplit('.').next().unwrap_or(n), Vec::new()),
        Value::Call(c) => (
            c.name(),
            c.args
                .iter()
                .map(|a| match a {
                    Value::Int(i, _) => Some(*i),
                    _ => None,
                })
                .chain(
                    ["length", "precision", "scale"]
                        .iter()
                        .map(|k| match c.kw(k) {
                            Some(Value::Int(i, _)) => Some(*i),
                            _ => None,
                        }),
                )
                .filter(|x| x.is_some())
                .collect(),
        ),
        _ => return None,
    };
    sql_type(class, &args)
}

/// `sa.Column("name", sa.Integer(), nullable=False, server_default=…)`.
fn column(c: &Call) -> Option<ColumnFacts> {
    let name = c.args.first()?.str()?.to_string();
    let primary = c.kw("primary_key").and_then(Value::as_bool) == Some(true);
    let nullable = c
        .kw("nullable")
        .and_then(Value::as_bool)
        .unwrap_or(!primary);
    let has_default = c.kw("server_default").is_some_and(|v| !v.is_none());
    Some(ColumnFacts {
        name,
        data_type: c.args.get(1).and_then(sa_type).unwrap_or_default(),
        not_null: !nullable,
        has_default,
        primary_key: primary,
    })
}

use crate::orm::alter;

fn drop(object: ObjectKind, name: &str) -> StmtKind {
    crate::orm::drop(object, name, false, false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_a_revision() {
        let src = r#"
revision = "b2"
down_revision = ("a1", "a2")

def upgrade():
    op.drop_column("orders", "note")
    with op.batch_alter_table("users") as b:
        b.drop_column("legacy")
    conn = op.get_bind()
    conn.execute(sa.text("DELETE FROM sessions"))
    op.get_bind().execute(sa.text("UPDATE t SET a = 1"))
    for t in tables:
        op.drop_table(t)

def downgrade():
    op.add_column("orders", sa.Column("note", sa.Text(), nullable=True))
"#;
        let r = read(src).expect("a revision");
        assert_eq!(r.revision, "b2");
        assert_eq!(r.down_revisions, vec!["a1", "a2"]);
        let verbs: Vec<(&str, bool)> = r
            .facts
            .facts
            .iter()
            .map(|f| (f.verb.as_str(), f.down))
            .collect();
        assert_eq!(
            verbs,
            vec![
                ("`op.drop_column`", false),
                ("`b.drop_column`", false),
                ("`conn.execute`", false),
                ("`op.get_bind().execute`", false),
                ("`op.add_column`", true),
            ]
        );
        assert_eq!(r.facts.not_understood.len(), 1);
    }
}
