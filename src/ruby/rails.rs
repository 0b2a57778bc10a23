//! Rails migrations (`class … < ActiveRecord::Migration[x.y]`): the schema calls of `def up`
//! (up), `def down` (down) and `def change` (up; its automatic reverse is not checked), read
//! into facts. `reversible { |dir| dir.up { … }; dir.down { … } }` splits a `change` method;
//! `revert { … }` inverts its block (`add_column` inside it removes the column);
//! `change_table :t do |t| … end` applies `t.*` to `t`; `execute` runs SQL, checked by the SQL
//! front end; `Model.delete_all` / `update_all` / `destroy_all` on a whole model touch every
//! row. `safety_assured { … }` (strong_migrations) blocks are returned with the comment that
//! explains them. Another method of the class that `up` / `change` / `down` calls (`def
//! drop_things … end`) is read where it is called, in that direction (helpers it calls too;
//! recursion is not followed). Also `db/schema.rb`: its `create_table` blocks, as statements that seed the
//! model.

use super::value::{self, Heredocs, Value, span, text};
use super::{Effect, Fact, Facts};
use crate::orm::{head_span, statement};
use crate::ruby::tree::RubyNode;
use crate::source::Span;
use crate::sql::StmtKind;
use names::*;
use std::collections::HashMap;

/// A `safety_assured { … }` block: the team acknowledged what it does.
#[derive(Clone, Debug, PartialEq)]
pub struct Assured {
    /// The whole call, block included.
    pub span: Span,
    /// The `safety_assured` keyword (where a finding about the block points).
    pub head: Span,
    /// The comment above it (or on its line, or first in its block), when it says something.
    pub reason: Option<String>,
}

#[derive(Clone, Debug, Default)]
pub struct Migration {
    pub facts: Facts,
    pub assured: Vec<Assured>,
}

/// Cheap check before parsing: a migration names `Migration` (`ActiveRecord::Migration[7.1]`).
pub fn looks_like_migration(src: &str) -> bool {
    src.contains("Migration")
}

/// Read a migration file. `None`: no class inheriting from `…Migration…` in it.
pub fn read(src: &str) -> Option<Migration> {
    if !looks_like_migration(src) {
        return None;
    }
    if let Some(tree) = super::fast::tree(src) {
        return read_tree(tree.root(), src);
    }
    let tree = super::parse(src)?;
    read_tree(tree.root_node(), src)
}

/// [`read`] on a parsed file (tree-sitter's tree, or the fast path's).
pub fn read_tree<N: RubyNode>(root: N, src: &str) -> Option<Migration> {
    let h = Heredocs::of(root, src);
    let mut classes = Vec::new();
    find_classes(root, src, &mut classes, 0);
    let mut w = Walker::new(src, &h, false);
    // models defined in the file (`class User < ActiveRecord::Base; self.table_name = "x"`)
    for (c, superclass) in &classes {
        if !superclass.contains("Migration")
            && let Some(name) = c.field("name")
        {
            let short = last_segment(text(name, src)).to_string();
            let table = c
                .field("body")
                .and_then(|b| explicit_table_name(b, src))
                .unwrap_or_else(|| model_table(&short));
            w.models.insert(short, table);
        }
    }
    let migrations: Vec<N> = classes
        .iter()
        .filter(|(_, s)| s.contains("Migration"))
        .map(|(c, _)| *c)
        .collect();
    let broken = root.has_error();
    if migrations.is_empty() && !broken {
        return None;
    }
    // the methods that run: in the migration classes, or (a file that does not parse) any
    // `up` / `down` / `change` method wherever the parser left it
    let mut methods = Vec::new();
    for class in &migrations {
        if let Some(body) = class.field("body") {
            methods.extend(body.named_children());
        }
    }
    if broken {
        w.m.facts.not_understood.push((
            Span::new(0, 0),
            "the file does not parse as Ruby: read as far as the parser could".to_string(),
        ));
        let mut stack = vec![root];
        while let Some(n) = stack.pop() {
            if matches!(n.kind(), "method" | "singleton_method") {
                if !methods.iter().any(|m| m.id() == n.id()) {
                    methods.push(n);
                }
                continue;
            }
            stack.extend(n.named_children());
        }
        methods.sort_by_key(|m| m.start_byte());
    }
    // the other methods of the migration class: read where `up` / `change` / `down` call them
    for m in &methods {
        if let (Some(name), Some(body)) = (m.field("name").map(|n| text(n, src)), m.field("body"))
            && !matches!(name, "up" | "down" | "change")
        {
            w.helpers.insert(name.to_string(), body);
        }
    }
    let mut read_any = false;
    for m in methods {
        // `def up`, and Rails 2/3's `def self.up`
        if m.kind() != "method" && m.kind() != "singleton_method" {
            continue;
        }
        let down = match m.field("name").map(|n| text(n, src)) {
            Some("up" | "change") => false,
            Some("down") => true,
            _ => continue,
        };
        read_any = true;
        w.down = down;
        if let Some(b) = m.field("body") {
            w.walk(b, 0);
        }
    }
    if broken && !read_any {
        // no method survived the parse: every call in the file, as up (fail closed)
        w.down = false;
        w.walk(root, 0);
    }
    Some(w.m)
}

/// `db/schema.rb`: its tables, columns and indexes, as statements (up) to seed the model.
pub fn schema(src: &str) -> Facts {
    if let Some(tree) = super::fast::tree(src) {
        return schema_tree(tree.root(), src);
    }
    let Some(tree) = super::parse(src) else {
        return Facts::default();
    };
    schema_tree(tree.root_node(), src)
}

/// [`schema`] on a parsed file.
pub fn schema_tree<N: RubyNode>(root: N, src: &str) -> Facts {
    let h = Heredocs::of(root, src);
    let mut w = Walker::new(src, &h, true);
    w.walk(root, 0);
    w.m.facts
}

fn find_classes<N: RubyNode>(n: N, src: &str, out: &mut Vec<(N, String)>, depth: usize) {
    if depth > 20 {
        return;
    }
    for ch in n.named_children() {
        match ch.kind() {
            "class" => {
                let sup = ch
                    .field("superclass")
                    .map_or("", |s| text(s, src))
                    .to_string();
                out.push((ch, sup));
                if let Some(b) = ch.field("body") {
                    find_classes(b, src, out, depth + 1);
                }
            }
            "module" => {
                if let Some(b) = ch.field("body") {
                    find_classes(b, src, out, depth + 1);
                }
            }
            _ => {}
        }
    }
}

fn explicit_table_name<N: RubyNode>(body: N, src: &str) -> Option<String> {
    body.named_children().find_map(|s| {
        if s.kind() != "assignment" {
            return None;
        }
        let l = s.field("left")?;
        let r = s.field("right")?;
        if text(l, src).replace(' ', "") != "self.table_name" {
            return None;
        }
        match value::read(r, src, &Heredocs::default()) {
            v @ (Value::Str(_) | Value::Sym(..)) => v.name().map(str::to_string),
            _ => None,
        }
    })
}

struct Walker<'a, N> {
    src: &'a str,
    h: &'a Heredocs<N>,
    m: Migration,
    down: bool,
    /// Inside `revert { … }`: calls do their inverse.
    invert: bool,
    /// `reversible do |dir|`: the block parameters.
    dirs: Vec<String>,
    /// `change_table :t do |x|` (and `create_table`): x → t.
    tables: HashMap<String, String>,
    /// Model classes defined in the file → their table.
    models: HashMap<String, String>,
    /// Reading `db/schema.rb`: `force:` does not drop, nothing is judged.
    schema: bool,
    /// The migration class's other methods (name → body): a call from `up` / `change` /
    /// `down` runs the body there.
    helpers: HashMap<String, N>,
    /// The helpers being read (innermost last): one is never entered again while it runs
    /// (recursion), and at most 8 deep.
    active: Vec<String>,
}

impl<'a, N: RubyNode> Walker<'a, N> {
    /// A walker at the top of a file; `schema`: reading `db/schema.rb`.
    fn new(src: &'a str, h: &'a Heredocs<N>, schema: bool) -> Self {
        Walker {
            src,
            h,
            m: Migration::default(),
            down: false,
            invert: false,
            dirs: Vec::new(),
            tables: HashMap::new(),
            models: HashMap::new(),
            schema,
            helpers: HashMap::new(),
            active: Vec::new(),
        }
    }
}

/// Calls that change the schema or data (their receiver-less form).
const SCHEMA_CALLS: &[&str] = &[
    "drop_table",
    "drop_join_table",
    "remove_column",
    "remove_columns",
    "remove_timestamps",
    "remove_reference",
    "remove_belongs_to",
    "rename_column",
    "rename_table",
    "change_column",
    "change_column_null",
    "add_column",
    "add_index",
    "remove_index",
    "add_reference",
    "add_belongs_to",
    "add_timestamps",
    "create_table",
    "create_join_table",
];

impl<N: RubyNode> Walker<'_, N> {
    fn walk(&mut self, n: N, depth: usize) {
        if depth > 200 {
            return;
        }
        for ch in n.named_children() {
            match ch.kind() {
                "call" => self.call(ch, depth + 1),
                // `drop_things` alone on its line: a call of a helper method without arguments
                "identifier" => {
                    self.helper(text(ch, self.src), depth);
                }
                // helper methods and classes run only if called: not read
                "method" | "singleton_method" | "class" | "module" | "comment" | "heredoc_body" => {
                }
                _ => self.walk(ch, depth + 1),
            }
        }
    }

    fn block_body(n: N) -> Option<N> {
        n.field("block").and_then(|b| b.field("body"))
    }

    fn block_param(n: N, src: &str) -> Option<String> {
        let b = n.field("block")?;
        let p = b.field("parameters")?;
        let first = p.named_children().find(|x| x.kind() == "identifier")?;
        Some(text(first, src).to_string())
    }

    fn walk_block(&mut self, n: N, depth: usize) {
        if let Some(b) = Self::block_body(n) {
            self.walk(b, depth + 1);
        }
    }

    /// Run the body of helper method `name` where it is called (`false`: not a helper). A
    /// helper that calls itself (directly or through another) is not entered again.
    fn helper(&mut self, name: &str, depth: usize) -> bool {
        let Some(body) = self.helpers.get(name).copied() else {
            return false;
        };
        if self.active.iter().any(|a| a == name) || self.active.len() >= 8 {
            return true;
        }
        self.active.push(name.to_string());
        self.walk(body, depth + 1);
        self.active.pop();
        true
    }

    fn not_understood(&mut self, s: Span, what: &str) {
        self.m.facts.not_understood.push((s, what.to_string()));
    }

    fn push(&mut self, kind: StmtKind, s: Span, keyword: &str, verb: &str) {
        self.m.facts.facts.push(Fact {
            effect: Effect::Statement(statement(kind, head_span(self.src, s), keyword)),
            verb: verb.to_string(),
            down: self.down,
        });
    }

    /// `ALTER TABLE t ADD COLUMN c`.
    fn add_column(&mut self, t: &str, c: crate::sql::ColumnFacts, s: Span, verb: &str) {
        self.push(
            alter(t, crate::sql::AlterOp::AddColumn(c)),
            s,
            "ALTER",
            verb,
        );
    }

    /// `DROP INDEX [IF EXISTS] name`.
    fn drop_index(&mut self, name: &str, if_exists: bool, s: Span, verb: &str) {
        let kind = drop(
            crate::sql::ObjectKind::Index,
            vec![obj(name)],
            if_exists,
            false,
        );
        self.push(kind, s, "DROP", verb);
    }

    /// `ALTER TABLE t RENAME COLUMN from TO to`.
    fn rename_column(&mut self, t: &str, from: &str, to: &str, s: Span, verb: &str) {
        let (from, to) = (from.to_string(), to.to_string());
        let op = crate::sql::AlterOp::RenameColumn { from, to };
        self.push(alter(t, op), s, "ALTER", verb);
    }

    fn sql(&mut self, v: Option<&Value>, s: Span, verb: &str) {
        match v {
            Some(Value::Str(t)) => self.m.facts.facts.push(Fact {
                effect: Effect::Sql(t.clone()),
                verb: format!("`{verb}`"),
                down: self.down,
            }),
            Some(other) => {
                let sp = other.span();
                let words = crate::orm::words_of(self.src.get(sp.start..sp.end).unwrap_or(""));
                self.m.facts.code_writes.push((sp, words));
                self.not_understood(sp, &format!("`{verb}` of SQL that is not a literal"));
            }
            None => self.not_understood(s, &format!("`{verb}` without SQL")),
        }
    }

    fn call(&mut self, n: N, depth: usize) {
        let src = self.src;
        let method = n.field("method").map_or("", |m| text(m, src));
        let receiver = n.field("receiver");
        let s = span(n);
        if self.schema {
            match (receiver, method) {
                (None, "create_table" | "add_index") => {
                    let a = value::args(n, src, self.h);
                    self.op(method, None, &a, n, s, depth);
                }
                (Some(r), _) if self.tables.contains_key(text(r, src)) => {
                    let a = value::args(n, src, self.h);
                    let t = self.tables.get(text(r, src)).cloned().unwrap_or_default();
                    if method == "index" {
                        self.table_op(&t, method, &a, s);
                    }
                }
                _ => self.walk_block(n, depth),
            }
            return;
        }
        if receiver.is_none_or(|r| text(r, src) == "self") && self.helper(method, depth) {
            return;
        }
        let Some(r) = receiver else {
            match method {
                "safety_assured" => {
                    self.m.assured.push(Assured {
                        span: s,
                        head: n.field("method").map_or(s, |m| span(m)),
                        reason: reason_for(n, src),
                    });
                    self.walk_block(n, depth);
                    if n.field("block").is_none() {
                        // `safety_assured(remove_column …)`, rare: the arguments run
                        if let Some(a) = n.field("arguments") {
                            self.walk(a, depth + 1);
                        }
                    }
                }
                "reversible" => {
                    let p = Self::block_param(n, src);
                    if let Some(p) = &p {
                        self.dirs.push(p.clone());
                    }
                    self.walk_block(n, depth);
                    if p.is_some() {
                        self.dirs.pop();
                    }
                }
                "revert" => {
                    if n.field("block").is_some() {
                        self.invert = !self.invert;
                        self.walk_block(n, depth);
                        self.invert = !self.invert;
                    } else {
                        self.not_understood(s, "`revert` of another migration class");
                    }
                }
                "execute" | "exec_query" | "exec_update" | "exec_delete" => {
                    let a = value::args(n, src, self.h);
                    if !self.invert {
                        self.sql(a.pos.first(), s, method);
                    }
                }
                m if SCHEMA_CALLS.contains(&m) => {
                    let a = value::args(n, src, self.h);
                    self.op(method, None, &a, n, s, depth);
                }
                "change_table" => {
                    let a = value::args(n, src, self.h);
                    match (a.name(0), Self::block_param(n, src)) {
                        (Some(t), Some(p)) => {
                            let t = t.to_string();
                            let old = self.tables.insert(p.clone(), t);
                            self.walk_block(n, depth);
                            match old {
                                Some(o) => self.tables.insert(p, o),
                                None => self.tables.remove(&p),
                            };
                        }
                        (None, _) => self
                            .not_understood(s, "`change_table` of a table that is not a literal"),
                        _ => {}
                    }
                }
                _ => self.walk_block(n, depth),
            }
            return;
        };
        let recv = text(r, src);
        if self.dirs.iter().any(|d| d == recv) && matches!(method, "up" | "down") {
            let was = self.down;
            // `dir.down` is the down side; `dir.up` runs where the method runs
            if method == "down" {
                self.down = !self.invert || was;
            } else if self.invert {
                self.down = true;
            }
            self.walk_block(n, depth);
            self.down = was;
            return;
        }
        if let Some(t) = self.tables.get(recv).cloned() {
            let a = value::args(n, src, self.h);
            self.table_op(&t, method, &a, s);
            return;
        }
        if matches!(
            method,
            "execute" | "exec_query" | "exec_update" | "exec_delete"
        ) && (recv == "connection" || recv.ends_with(".connection"))
        {
            let a = value::args(n, src, self.h);
            if !self.invert {
                self.sql(a.pos.first(), s, &format!("{recv}.{method}"));
            }
            return;
        }
        // `delete_all(conditions)`, `update_all(updates, conditions)` (Rails < 5.1) filter
        let filtered = match method {
            "update_all" => n
                .field("arguments")
                .is_some_and(|a| a.named_child_count() > 1),
            _ => n.field("arguments").is_some(),
        };
        if matches!(method, "delete_all" | "update_all" | "destroy_all")
            && !self.invert
            && !filtered
        {
            self.whole_model(n, r, method, s);
            return;
        }
        self.walk_block(n, depth);
    }

    /// `Model.delete_all`, `Model.all.update_all(…)`: every row. A `where`, `joins`, a
    /// scope or anything else in the chain narrows it (or is not known): silent.
    fn whole_model(&mut self, n: N, r: N, method: &str, s: Span) {
        let src = self.src;
        let mut cur = r;
        let mut depth = 0;
        loop {
            depth += 1;
            if depth > 10 {
                return;
            }
            match cur.kind() {
                "constant" | "scope_resolution" => break,
                "call"
                    if cur
                        .field("method")
                        .is_some_and(|m| matches!(text(m, src), "all" | "unscoped"))
                        && cur.field("arguments").is_none() =>
                {
                    match cur.field("receiver") {
                        Some(x) => cur = x,
                        None => return,
                    }
                }
                _ => return,
            }
        }
        let model = text(cur, src);
        let short = last_segment(model);
        // `ActiveRecord::Base.…`, `ApplicationRecord.…`: not a model's table
        if matches!(short, "Base" | "ApplicationRecord") {
            return;
        }
        let table = self
            .models
            .get(short)
            .cloned()
            .unwrap_or_else(|| model_table(short));
        let verb = format!("`{}.{method}`", text(r, src));
        if method == "update_all" {
            let a = value::args(n, src, self.h);
            let mut cols: Vec<String> = a.kw.iter().map(|(k, _)| k.clone()).collect();
            if let Some(Value::Str(t)) = a.pos.first()
                && let Some(l) = t.literal()
            {
                cols.extend(
                    l.split(',')
                        .filter_map(|p| p.split_once('='))
                        .map(|(c, _)| c.trim().trim_matches('"').to_string())
                        .filter(|c| !c.is_empty() && !c.contains(' ')),
                );
            }
            self.push(
                crate::orm::update_all(obj(&table), cols),
                s,
                "UPDATE",
                &verb,
            );
        } else {
            self.push(
                StmtKind::Delete {
                    table: Some(obj(&table)),
                    predicate: None,
                    limited: false,
                },
                s,
                "DELETE",
                &verb,
            );
        }
    }
}

/// The comment that explains a `safety_assured` call: comment lines right above its line, a
/// comment at the end of its line, or the comment lines that open its block. Directives
/// (`preflight:`) and magic comments are not reasons.
fn reason_for<N: RubyNode>(n: N, src: &str) -> Option<String> {
    let mut lines: Vec<String> = Vec::new();
    let line_start = src[..n.start_byte()].rfind('\n').map_or(0, |i| i + 1);
    // above
    let mut end = line_start;
    let mut above: Vec<&str> = Vec::new();
    while end > 0 {
        let prev_start = src[..end - 1].rfind('\n').map_or(0, |i| i + 1);
        let l = src[prev_start..end - 1].trim();
        let Some(body) = l.strip_prefix('#') else {
            break;
        };
        above.push(body);
        end = prev_start;
    }
    above.reverse();
    lines.extend(above.iter().map(|s| s.trim().to_string()));
    // on its line, and the first lines of its block
    let first_line_end = src[n.start_byte()..]
        .find('\n')
        .map_or(src.len(), |i| n.start_byte() + i);
    if let Some(i) = src[n.start_byte()..first_line_end].find('#') {
        let tail = &src[n.start_byte() + i..first_line_end];
        if !tail.starts_with("#{") {
            lines.push(tail.trim_start_matches('#').trim().to_string());
        }
    }
    let mut rest = src
        .get(first_line_end + 1..n.end_byte())
        .unwrap_or("")
        .lines();
    for l in rest.by_ref() {
        match l.trim().strip_prefix('#') {
            Some(body) => lines.push(body.trim().to_string()),
            None => break,
        }
    }
    let reason: Vec<String> = lines
        .into_iter()
        .filter(|l| {
            !l.contains("preflight:")
                && !l.starts_with("frozen_string_literal")
                && !l.starts_with("rubocop:")
                && l.chars().any(char::is_alphanumeric)
        })
        .collect();
    (!reason.is_empty()).then(|| reason.join(" "))
}

mod names;
mod ops;
#[cfg(test)]
mod tests;
