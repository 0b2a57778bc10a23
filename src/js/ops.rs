//! What the Knex, TypeORM and Sequelize readers share when they turn a call into a schema
//! operation: a chain's first call with its span and verb, its arguments read as values, the
//! not-literal finding, the table drop and table / column renames they all push, and indexes
//! and unique constraints with the columns they cover.

use super::value::Value;
use super::walk::{Chain, Seg, Walker, alter, drop};
use crate::orm::{Effect, Fact, head_span, statement, table_name};
use crate::source::Span;
use crate::sql::{AlterOp, ObjectKind, StmtKind};

/// A call's arguments read as values.
pub struct Args {
    pub values: Vec<Value>,
    pub span: Span,
}

/// A framework call as the TypeORM and Sequelize readers see it: `root.a.b(args)`, the
/// chain's first call on a receiver of the migration, read from tree-sitter's tree
/// ([`Walker::site`]) or by the fast path (`js::fast`).
pub struct Site {
    /// The call's index among the chain's links (`queryInterface.sequelize.query`: 1).
    pub i: usize,
    /// The link before the call (`sequelize`), if any.
    pub prev: Option<String>,
    pub name: String,
    pub span: Span,
    /// The chain up to the call, as written (`queryRunner.query`).
    pub verb: String,
    pub args: Args,
}

impl Args {
    /// The `k`-th argument; one that is not there reads as `null` at the call.
    pub fn at(&self, k: usize) -> Value {
        self.values
            .get(k)
            .cloned()
            .unwrap_or(Value::Null(self.span))
    }

    /// The `k`-th argument, when there is one.
    pub fn get(&self, k: usize) -> Option<&Value> {
        self.values.get(k)
    }
}

impl<'a> Walker<'a> {
    /// The first call of a chain on a receiver this migration names (`queryRunner.…`,
    /// `queryInterface.…`): its index, the call, its span and verb.
    pub fn first_call<'c, 't>(
        &self,
        ch: &'c Chain<'t>,
    ) -> Option<(usize, &'c Seg<'t>, Span, String)> {
        if !self.recv.contains(&ch.root) {
            return None;
        }
        let i = ch.segs.iter().position(|s| s.call.is_some())?;
        let seg = &ch.segs[i];
        let span = super::walk::node_span(seg.call?);
        Some((i, seg, span, ch.verb(i)))
    }

    /// A chain's first call on a receiver ([`Walker::first_call`]) as a [`Site`], its
    /// arguments read as values.
    pub fn site(&self, ch: &Chain) -> Option<Site> {
        let (i, seg, span, verb) = self.first_call(ch)?;
        Some(Site {
            i,
            prev: i.checked_sub(1).map(|p| ch.segs[p].name.clone()),
            name: seg.name.clone(),
            span,
            verb,
            args: self.args(seg, span),
        })
    }

    /// The arguments of `seg`, the call at `span`, read as values.
    pub fn args(&self, seg: &Seg, span: Span) -> Args {
        Args {
            values: seg.args.iter().map(|n| self.val(Some(n))).collect(),
            span,
        }
    }

    /// A call whose arguments are not literals: said, and nothing else read from it.
    pub fn not_literal(&mut self, span: Span, verb: &str) -> Vec<usize> {
        self.not_understood(
            span,
            &format!("`{verb}` with arguments that are not literals"),
        );
        Vec::new()
    }

    /// `DROP TABLE [IF EXISTS] t`.
    pub fn drop_table(&mut self, t: &str, if_exists: bool, span: Span, verb: &str) {
        self.push(
            drop(ObjectKind::Table, t, if_exists, false),
            span,
            "DROP",
            verb,
        );
    }

    /// `ALTER TABLE from RENAME TO to`.
    pub fn rename_table(&mut self, from: &str, to: &str, span: Span, verb: &str) {
        self.push(
            StmtKind::RenameTable {
                from: table_name(from),
                to: table_name(to),
            },
            span,
            "ALTER",
            verb,
        );
    }

    /// `ALTER TABLE t RENAME COLUMN from TO to`.
    pub fn rename_column(&mut self, t: &str, from: String, to: String, span: Span, verb: &str) {
        self.push(
            alter(t, AlterOp::RenameColumn { from, to }),
            span,
            "ALTER",
            verb,
        );
    }

    /// `CREATE INDEX` (`kind`), with the columns it covers when `shape` knows them (plain
    /// column names, its `USING` method, its `WHERE` as SQL): the covered-index idiom of
    /// `drop-index` sees them. `None`: columns unknown, it covers nothing.
    pub fn push_index(
        &mut self,
        kind: StmtKind,
        shape: Option<IndexShape>,
        span: Span,
        verb: &str,
    ) {
        let head = head_span(self.src, span);
        let stmt = match shape {
            Some((c, using, pred)) => {
                crate::orm::index_statement(kind, &c, using.as_deref(), pred.as_deref(), head)
            }
            None => statement(kind, head, "CREATE"),
        };
        self.facts.facts.push(Fact {
            effect: Effect::Statement(stmt),
            verb: format!("`{verb}`"),
            down: self.down,
        });
    }

    /// A unique constraint given as an options object (`{ fields: [...], name }` for
    /// Sequelize, `{ columnNames: [...], name }` for TypeORM): [`Walker::push_unique`] with
    /// its plain columns (none when they are not all plain names).
    pub fn push_unique_of(&mut self, t: &str, o: &Value, columns: &str, span: Span, verb: &str) {
        let cols = match o.get(columns) {
            Some(Value::Array(items, _)) => crate::orm::plain_columns(items.iter().map(Value::str)),
            _ => None,
        };
        let name = o.get("name").and_then(Value::str);
        self.push_unique(t, name, &cols.unwrap_or_default(), span, verb);
    }

    /// `ALTER TABLE t ADD CONSTRAINT name UNIQUE (columns)`: a unique index of the model.
    pub fn push_unique(
        &mut self,
        t: &str,
        name: Option<&str>,
        cols: &[String],
        span: Span,
        verb: &str,
    ) {
        let stmt = crate::orm::unique_statement(t, name, cols, head_span(self.src, span));
        self.facts.facts.push(Fact {
            effect: Effect::Statement(stmt),
            verb: format!("`{verb}`"),
            down: self.down,
        });
    }
}

/// An index's plain columns, its `USING` method and its `WHERE` (SQL text).
pub type IndexShape = (Vec<String>, Option<String>, Option<String>);
