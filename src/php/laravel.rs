//! Laravel migrations: a class extending `Migration` (named, or `return new class extends
//! Migration`) whose `up()` is up and `down()` is down. `Schema::` calls (also through
//! `Schema::connection('x')->…`), the `$table->…` calls of a `Schema::table` / `Schema::create`
//! closure, `DB::statement` / `DB::unprepared` SQL, and `DB::table('t')->delete()` /
//! `->truncate()` / `->update([…])` are read into facts.

use super::blueprint::{column_def, column_type, index_name};
use super::calls::{
    Base, Link, array_keys, bindings, bool_of, chain, closure, is_call, lit, names_of, strs_of,
};
use super::tree::{Node, Tree};
use super::{Effect, Fact, Facts, Vars, head_span, statement, string_in, table_name, text};
use crate::php::{field_of, kind_of};
use crate::source::Span;
use crate::sql::{AlterOp, ColumnFacts, ObjName, ObjectKind, StmtKind};

/// Words a file must contain to be read as a Laravel migration at all (checked before
/// parsing).
pub fn looks_like_migration(src: &str) -> bool {
    src.contains("Migration") && src.contains("function")
}

/// Read a migration file. `None`: no class with an `up()` method that extends a
/// `…Migration` class.
pub fn read(src: &str) -> Option<Facts> {
    read_as(src, false)
}

/// What a `->change()` that does not restate `->nullable()` is said to do since Laravel 11
/// (it drops every attribute not restated): the end of the fact's verb.
pub const IMPLICIT_NOT_NULL: &str = "without `->nullable()` (NOT NULL since Laravel 11)";

/// [`read`], for a project on Laravel 11 or later (`laravel11`): a `->change()` that does not
/// restate `->nullable()` makes the column NOT NULL (a `SET NOT NULL` fact whose verb ends with
/// [`IMPLICIT_NOT_NULL`]; the caller keeps it only for a column it knows to be nullable).
pub fn read_as(src: &str, laravel11: bool) -> Option<Facts> {
    if !looks_like_migration(src) {
        return None;
    }
    let tree = match super::fast::tree(src) {
        Some(t) => t,
        None => super::tree::from_ts(&super::parse(src)?),
    };
    read_tree(&tree, src, laravel11)
}

/// [`read_as`] on a syntax tree of `src` (tree-sitter's, or the fast reader's).
pub(super) fn read_tree(tree: &Tree, src: &str, laravel11: bool) -> Option<Facts> {
    let mut methods: Vec<(bool, Node)> = Vec::new();
    let mut stack = vec![(tree.root()?, 0usize)];
    while let Some((n, depth)) = stack.pop() {
        if depth > 12 {
            continue;
        }
        if matches!(kind_of(n), "class_declaration" | "anonymous_class") {
            let extends_migration = n.children().any(|x| {
                kind_of(x) == "base_clause" && text(x, src).trim_end().ends_with("Migration")
            });
            if !extends_migration {
                continue;
            }
            let body = field_of(n, "body")
                .or_else(|| n.children().find(|x| kind_of(*x) == "declaration_list"));
            let Some(body) = body else { continue };
            for m in body.named_children() {
                if kind_of(m) != "method_declaration" {
                    continue;
                }
                match field_of(m, "name").map(|x| text(x, src)) {
                    Some("up") => methods.push((false, m)),
                    Some("down") => methods.push((true, m)),
                    _ => {}
                }
            }
            continue;
        }
        let kids: Vec<Node> = n.named_children().collect();
        stack.extend(kids.into_iter().rev().map(|k| (k, depth + 1)));
    }
    if !methods.iter().any(|(d, _)| !d) {
        return None;
    }
    let mut facts = Facts::default();
    for (down, m) in methods {
        let mut w = Walker {
            src,
            down,
            facts: &mut facts,
            blueprints: Vec::new(),
            vars: Vars::new(),
            laravel11,
        };
        if let Some(b) = field_of(m, "body") {
            w.visit(b, 0);
        }
    }
    Some(facts)
}

struct Blueprint {
    var: String,
    table: String,
    create: bool,
}

struct Walker<'a> {
    src: &'a str,
    down: bool,
    facts: &'a mut Facts,
    blueprints: Vec<Blueprint>,
    /// String variables assigned so far (`$prefix = DB::getTablePrefix();`).
    vars: Vars,
    /// Laravel 11 or later: `->change()` drops the attributes it does not restate.
    laravel11: bool,
}

fn obj(t: &str) -> ObjName {
    table_name(t)
}

use crate::orm::alter;

fn drop_columns(names: Vec<String>) -> AlterOp {
    AlterOp::DropColumn {
        names,
        if_exists: false,
        cascade: false,
    }
}

/// Query-builder calls that do not narrow the rows a write reaches.
const ALL_ROWS: &[&str] = &["query", "useWritePdo", "withoutGlobalScopes"];

impl<'a> Walker<'a> {
    fn visit(&mut self, n: Node<'a>, depth: usize) {
        if depth > 200 {
            return;
        }
        match kind_of(n) {
            "function_definition" | "class_declaration" | "method_declaration" => return,
            _ if is_call(n) => {
                self.chain(n, depth);
                return;
            }
            "assignment_expression" => {
                if let (Some(l), Some(r)) = (field_of(n, "left"), field_of(n, "right"))
                    && kind_of(l) == "variable_name"
                {
                    let name = text(l, self.src).trim_start_matches('$').to_string();
                    let value = if super::is_table_prefix(r, self.src) {
                        Some(String::new())
                    } else {
                        string_in(r, self.src, &self.vars)
                            .and_then(|t| t.literal().map(str::to_string))
                    };
                    match value {
                        Some(v) => self.vars.insert(name, v),
                        None => self.vars.remove(&name),
                    };
                }
            }
            _ => {}
        }
        let kids: Vec<Node> = n.named_children().collect();
        for k in kids {
            self.visit(k, depth + 1);
        }
    }

    fn not_understood(&mut self, span: Span, what: String) {
        self.facts.not_understood.push((span, what));
    }

    fn push(&mut self, kind: StmtKind, span: Span, keyword: &str, verb: &str) {
        self.facts.facts.push(Fact {
            effect: Effect::Statement(statement(kind, head_span(self.src, span), keyword)),
            verb: format!("`{verb}`"),
            down: self.down,
        });
    }

    fn blueprint(&self, var: &str) -> Option<(String, bool)> {
        self.blueprints
            .iter()
            .rev()
            .find(|b| b.var == var)
            .map(|b| (b.table.clone(), b.create))
    }

    /// Handle a call chain from its outermost call, then visit its arguments (closures run).
    fn chain(&mut self, n: Node<'a>, depth: usize) {
        let src = self.src;
        let (base, links) = chain(n, src);
        let span = Span::new(n.start_byte(), n.end_byte());
        let mut bound = None;
        match &base {
            Base::Static(class) if class == "Schema" => bound = self.schema(&links, span),
            Base::Static(class) if class == "DB" => self.db(&links, span),
            Base::Var(v) => {
                if let Some((table, create)) = self.blueprint(v)
                    && !create
                {
                    self.table_call(&table, v, &links, span);
                }
            }
            _ => {}
        }
        // the receiver of a chain that is not itself a call (`(new X)->y()`) and the arguments
        if let Base::Other = base
            && let Some(first) = links.first()
            && let Some(o) = first.node.field("object")
        {
            self.visit(o, depth + 1);
        }
        for l in &links {
            for a in &l.args {
                if let Some((var, table, create)) = &bound
                    && let Some((param, body)) = closure(*a, src)
                {
                    let _ = var;
                    self.blueprints.push(Blueprint {
                        var: param,
                        table: table.clone(),
                        create: *create,
                    });
                    self.visit(body, depth + 1);
                    self.blueprints.pop();
                } else {
                    self.visit(*a, depth + 1);
                }
            }
        }
    }

    /// `Schema::…`: returns the table a closure argument's Blueprint stands for.
    fn schema(&mut self, links: &[Link<'a>], span: Span) -> Option<(String, String, bool)> {
        let src = self.src;
        let links: Vec<&Link> = links
            .iter()
            .skip_while(|l| l.name == "connection")
            .collect();
        let first = links.first()?;
        let verb = format!("Schema::{}", first.name);
        let arg = |i: usize| first.args.get(i).and_then(|a| lit(*a, src));
        match first.name.as_str() {
            "create" | "table" => {
                let Some(t) = arg(0) else {
                    self.not_understood(span, format!("`{verb}` of a table that is not a literal"));
                    return None;
                };
                let create = first.name == "create";
                if create {
                    let columns = first
                        .args
                        .get(1)
                        .and_then(|a| closure(*a, src))
                        .map(|(var, body)| self.columns_of(&var, body))
                        .unwrap_or_default();
                    self.push(
                        crate::orm::create_table(obj(&t), columns),
                        span,
                        "CREATE",
                        &verb,
                    );
                }
                return Some((String::new(), t, create));
            }
            "drop" | "dropIfExists" => {
                // fail closed: a table named by an expression is still dropped (named as written)
                let t = arg(0).or_else(|| {
                    let a = first.args.first()?;
                    self.not_understood(span, format!("`{verb}` of a table that is not a literal"));
                    Some(text(*a, src).to_string())
                })?;
                self.push(
                    StmtKind::Drop {
                        object: ObjectKind::Table,
                        names: vec![obj(&t)],
                        if_exists: first.name == "dropIfExists",
                        cascade: false,
                        temporary: false,
                    },
                    span,
                    "DROP",
                    &verb,
                );
            }
            "dropColumns" => match (arg(0), first.args.get(1..).and_then(|a| names_of(a, src))) {
                (Some(t), Some(cols)) => {
                    self.push(alter(&t, drop_columns(cols)), span, "ALTER", &verb)
                }
                _ => self.not_understood(
                    span,
                    format!("`{verb}` with arguments that are not literals"),
                ),
            },
            "rename" => match (arg(0), arg(1)) {
                (Some(from), Some(to)) => self.push(
                    StmtKind::RenameTable {
                        from: obj(&from),
                        to: obj(&to),
                    },
                    span,
                    "ALTER",
                    &verb,
                ),
                _ => self.not_understood(
                    span,
                    format!("`{verb}` with arguments that are not literals"),
                ),
            },
            _ => {}
        }
        None
    }

    /// The columns a `Schema::create` closure defines.
    fn columns_of(&self, var: &str, body: Node) -> Vec<ColumnFacts> {
        let src = self.src;
        let mut out = Vec::new();
        let mut stack = vec![body];
        while let Some(n) = stack.pop() {
            if is_call(n) {
                let (base, links) = chain(n, src);
                if let Base::Var(v) = base
                    && v == var
                {
                    out.extend(column_def(&links, src));
                }
                continue;
            }
            if matches!(kind_of(n), "anonymous_function" | "arrow_function") {
                continue;
            }
            let kids: Vec<Node> = n.named_children().collect();
            stack.extend(kids.into_iter().rev());
        }
        out
    }

    /// `$table->…` inside `Schema::table('t', …)`.
    fn table_call(&mut self, table: &str, var: &str, links: &[Link], span: Span) {
        let src = self.src;
        let Some(first) = links.first() else { return };
        let verb = format!("${var}->{}", first.name);
        let arg = |i: usize| first.args.get(i).and_then(|a| lit(*a, src));
        let not_literal = |w: &mut Self| {
            w.not_understood(
                span,
                format!("`{verb}` with arguments that are not literals"),
            )
        };
        if links.last().is_some_and(|l| l.name == "change") && links.len() >= 2 {
            let Some(col) = arg(0) else {
                return not_literal(self);
            };
            let verb = format!("${var}->{}(…)->change", first.name);
            if let Some(data_type) = column_type(&first.name, &first.args, src) {
                self.push(
                    alter(
                        table,
                        AlterOp::SetType {
                            column: col.clone(),
                            data_type,
                        },
                    ),
                    span,
                    "ALTER",
                    &verb,
                );
            }
            if let Some(l) = links.iter().find(|l| l.name == "nullable") {
                let nullable = l.args.first().map_or(Some(true), |a| bool_of(*a, src));
                let op = match nullable {
                    Some(false) => AlterOp::SetNotNull { column: col },
                    Some(true) => AlterOp::DropNotNull { column: col },
                    None => return,
                };
                let arg = match nullable {
                    Some(false) => "false",
                    _ => "",
                };
                let verb = format!("${var}->{}(…)->nullable({arg})->change", first.name);
                self.push(alter(table, op), span, "ALTER", &verb);
            } else if self.laravel11 {
                self.facts.facts.push(Fact {
                    effect: Effect::Statement(statement(
                        alter(table, AlterOp::SetNotNull { column: col }),
                        head_span(src, span),
                        "ALTER",
                    )),
                    verb: format!("`{verb}` {IMPLICIT_NOT_NULL}"),
                    down: self.down,
                });
            }
            return;
        }
        let cols = |names: Vec<String>| drop_columns(names);
        match first.name.as_str() {
            "dropColumn" => match names_of(&first.args, src) {
                Some(names) => self.push(alter(table, cols(names)), span, "ALTER", &verb),
                None => not_literal(self),
            },
            "dropTimestamps" | "dropTimestampsTz" => self.push(
                alter(table, cols(vec!["created_at".into(), "updated_at".into()])),
                span,
                "ALTER",
                &verb,
            ),
            "dropSoftDeletes" | "dropSoftDeletesTz" => {
                let c = if first.args.is_empty() {
                    "deleted_at".to_string()
                } else if let Some(c) = arg(0) {
                    c
                } else {
                    return not_literal(self);
                };
                self.push(alter(table, cols(vec![c])), span, "ALTER", &verb)
            }
            "dropRememberToken" => self.push(
                alter(table, cols(vec!["remember_token".into()])),
                span,
                "ALTER",
                &verb,
            ),
            "dropMorphs" => match arg(0) {
                Some(m) => self.push(
                    alter(table, cols(vec![format!("{m}_type"), format!("{m}_id")])),
                    span,
                    "ALTER",
                    &verb,
                ),
                None => not_literal(self),
            },
            "dropConstrainedForeignId" => match arg(0) {
                Some(c) => self.push(alter(table, cols(vec![c])), span, "ALTER", &verb),
                None => not_literal(self),
            },
            "renameColumn" => match (arg(0), arg(1)) {
                (Some(from), Some(to)) => self.push(
                    alter(table, AlterOp::RenameColumn { from, to }),
                    span,
                    "ALTER",
                    &verb,
                ),
                _ => not_literal(self),
            },
            "rename" => match arg(0) {
                Some(to) => self.push(
                    StmtKind::RenameTable {
                        from: obj(table),
                        to: obj(&to),
                    },
                    span,
                    "ALTER",
                    &verb,
                ),
                None => not_literal(self),
            },
            "dropIndex" | "dropUnique" => {
                let kind = if first.name == "dropIndex" {
                    "index"
                } else {
                    "unique"
                };
                let name = match first.args.first() {
                    Some(a) if kind_of(*a) == "array_creation_expression" => {
                        strs_of(*a, src).map(|c| index_name(table, &c, kind))
                    }
                    Some(a) => lit(*a, src),
                    None => None,
                };
                match name {
                    Some(name) => self.push(
                        StmtKind::Drop {
                            object: ObjectKind::Index,
                            names: vec![obj(&name)],
                            if_exists: false,
                            cascade: false,
                            temporary: false,
                        },
                        span,
                        "DROP",
                        &verb,
                    ),
                    None => not_literal(self),
                }
            }
            "index" | "unique" if links.len() == 1 => {
                let Some(c) = first.args.first().and_then(|a| strs_of(*a, src)) else {
                    return not_literal(self);
                };
                let name = arg(1).unwrap_or_else(|| index_name(table, &c, &first.name));
                // with its columns: an index that covers another one makes its drop harmless
                let stmt = crate::orm::index_statement(
                    StmtKind::CreateIndex {
                        name: Some(obj(&name)),
                        table: obj(table),
                        concurrently: false,
                        unique: first.name == "unique",
                    },
                    &c,
                    None,
                    None,
                    head_span(src, span),
                );
                self.facts.facts.push(Fact {
                    effect: Effect::Statement(stmt),
                    verb: format!("`{verb}`"),
                    down: self.down,
                });
            }
            _ => {
                for c in column_def(links, src) {
                    self.push(alter(table, AlterOp::AddColumn(c)), span, "ALTER", &verb);
                }
            }
        }
    }

    /// `DB::…`
    fn db(&mut self, links: &[Link], span: Span) {
        let src = self.src;
        let links: Vec<&Link> = links
            .iter()
            .skip_while(|l| l.name == "connection")
            .collect();
        let Some(first) = links.first() else { return };
        let verb = format!("DB::{}", first.name);
        match first.name.as_str() {
            "statement" | "unprepared" | "affectingStatement" | "update" | "delete" => {
                let Some(a) = first.args.first() else { return };
                match string_in(*a, src, &self.vars) {
                    Some(mut t) => {
                        // `?` and `:name` are PDO placeholders when bindings are passed
                        if first.args.len() >= 2 {
                            bindings(&mut t);
                        }
                        self.facts.facts.push(Fact {
                            effect: Effect::Sql(t),
                            verb: format!("`{verb}`"),
                            down: self.down,
                        });
                    }
                    None => {
                        let s = Span::new(a.start_byte(), a.end_byte());
                        let words = crate::orm::words_of(text(*a, src));
                        self.facts.code_writes.push((s, words));
                        self.not_understood(s, format!("`{verb}` of SQL that is not a literal"));
                    }
                }
            }
            "table" => {
                let Some(t) = first.args.first().and_then(|a| lit(*a, src)) else {
                    return;
                };
                let Some((last, middle)) = links[1..].split_last() else {
                    return;
                };
                let filtered = !middle.iter().all(|l| ALL_ROWS.contains(&l.name.as_str()));
                let verb = format!("DB::table('{t}')->{}", last.name);
                match last.name.as_str() {
                    "truncate" => self.push(
                        StmtKind::Truncate {
                            tables: vec![obj(&t)],
                            cascade: false,
                        },
                        span,
                        "TRUNCATE",
                        &verb,
                    ),
                    "delete" if !filtered && last.args.is_empty() => self.push(
                        StmtKind::Delete {
                            table: Some(obj(&t)),
                            predicate: None,
                            limited: false,
                        },
                        span,
                        "DELETE",
                        &verb,
                    ),
                    "update" if !filtered => {
                        let Some(a) = last.args.first() else { return };
                        let cols = array_keys(*a, src);
                        let s = Span::new(a.start_byte(), a.end_byte());
                        self.facts.code_writes.push((s, cols.clone()));
                        if cols.is_empty() {
                            return;
                        }
                        self.push(crate::orm::update_all(obj(&t), cols), span, "UPDATE", &verb);
                    }
                    "update" | "insert" | "insertOrIgnore" | "upsert" | "updateOrInsert" => {
                        // a filtered update or an insert fills the columns it names
                        if let Some(a) = last.args.first() {
                            let s = Span::new(a.start_byte(), a.end_byte());
                            self.facts
                                .code_writes
                                .push((s, crate::orm::words_of(text(*a, src))));
                        }
                    }
                    _ => {}
                }
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_up_and_down() {
        let src = r#"<?php
use Illuminate\Database\Migrations\Migration;

return new class extends Migration
{
    public function up(): void
    {
        Schema::connection('pgsql')->table('users', function (Blueprint $table) {
            $table->dropColumn(['a', 'b']);
            $table->string('c', 20)->nullable(false)->change();
            $table->renameColumn('d', 'e');
        });
        DB::statement('DELETE FROM sessions');
        DB::table('jobs')->where('x', 1)->delete();
        DB::table('jobs')->delete();
        Schema::dropIfExists($name);
    }

    public function down(): void
    {
        Schema::drop('users');
    }
};
"#;
        let f = read(src).expect("a migration");
        let verbs: Vec<(&str, bool)> = f.facts.iter().map(|f| (f.verb.as_str(), f.down)).collect();
        assert_eq!(
            verbs,
            vec![
                ("`$table->dropColumn`", false),
                ("`$table->string(…)->change`", false),
                ("`$table->string(…)->nullable(false)->change`", false),
                ("`$table->renameColumn`", false),
                ("`DB::statement`", false),
                ("`DB::table('jobs')->delete`", false),
                ("`Schema::dropIfExists`", false),
                ("`Schema::drop`", true),
            ]
        );
        assert_eq!(f.not_understood.len(), 1);
        assert!(read("<?php echo 1;").is_none());
        assert!(read("<?php class A extends Migration { function down() {} }").is_none());
    }
}
