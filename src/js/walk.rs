//! Walking an `up` / `down` body: every call chain (`knex.schema.table('t', cb)`,
//! `knex('t').where(…).del()`, `queryRunner.query(…)`) in source order, handed to the
//! framework's reader; callbacks and arguments are walked in turn (transactions,
//! `Promise.all`, loops: their calls may run).

use super::Framework;
use super::value::{self, Value, span, text, unwrap};
use crate::js::value::{field_of, kind_of};
use crate::orm::{Effect, Fact, Facts, Template, head_span, statement, table_name, words_of};
use crate::source::Span;
use crate::sql::{AlterOp, ColumnFacts, StmtKind};
use tree_sitter::Node;

/// One link of a call chain: `.name` or `.name(args)`.
pub struct Seg<'t> {
    pub name: String,
    pub call: Option<Node<'t>>,
    pub args: Vec<Node<'t>>,
}

/// `root(args).a.b(args)…`, innermost first.
pub struct Chain<'t> {
    /// The name the chain starts from (`knex`, `queryRunner`, `this`); empty when it is not
    /// a name.
    pub root: String,
    /// `knex('t')`: the root called.
    pub root_call: Option<(Node<'t>, Vec<Node<'t>>)>,
    pub segs: Vec<Seg<'t>>,
    pub node: Node<'t>,
}

fn args_of(call: Node) -> Vec<Node> {
    field_of(call, "arguments")
        .map(|a| {
            let mut c = a.walk();
            a.named_children(&mut c)
                .filter(|x| kind_of(*x) != "comment")
                .collect()
        })
        .unwrap_or_default()
}

pub fn flatten<'t>(node: Node<'t>, src: &str) -> Chain<'t> {
    let mut segs = Vec::new();
    let mut root = String::new();
    let mut root_call = None;
    let mut n = node;
    for _ in 0..value::MAX_DEPTH {
        n = unwrap(n);
        match kind_of(n) {
            "call_expression" => {
                let Some(f) = field_of(n, "function").map(unwrap) else {
                    break;
                };
                match kind_of(f) {
                    "member_expression" => {
                        let (Some(p), Some(o)) = (field_of(f, "property"), field_of(f, "object"))
                        else {
                            break;
                        };
                        segs.push(Seg {
                            name: text(p, src).to_string(),
                            call: Some(n),
                            args: args_of(n),
                        });
                        n = o;
                    }
                    "identifier" => {
                        root = text(f, src).to_string();
                        root_call = Some((n, args_of(n)));
                        break;
                    }
                    _ => break,
                }
            }
            "member_expression" => {
                let (Some(p), Some(o)) = (field_of(n, "property"), field_of(n, "object")) else {
                    break;
                };
                segs.push(Seg {
                    name: text(p, src).to_string(),
                    call: None,
                    args: Vec::new(),
                });
                n = o;
            }
            "identifier" | "this" => {
                root = text(n, src).to_string();
                break;
            }
            _ => break,
        }
    }
    segs.reverse();
    Chain {
        root,
        root_call,
        segs,
        node,
    }
}

impl Chain<'_> {
    /// The chain up to and including segment `i`, as written (`knex.schema.dropTable`,
    /// `knex(…).del`).
    pub fn verb(&self, i: usize) -> String {
        let names = self
            .segs
            .iter()
            .take(i + 1)
            .map(|s| (s.name.as_str(), None));
        written_of(&self.root, self.root_call.is_some(), names)
    }
}

/// A chain as written from its root (`called`: `root(…)`) and its links (name and, for a
/// call, whether it has no arguments: `()` or `(…)`; `None`: a property).
pub fn written_of<'s>(
    root: &str,
    called: bool,
    links: impl Iterator<Item = (&'s str, Option<bool>)>,
) -> String {
    let mut s = root.to_string();
    if called {
        s.push_str("(…)");
    }
    for (name, call) in links {
        s.push('.');
        s.push_str(name);
        match call {
            Some(true) => s.push_str("()"),
            Some(false) => s.push_str("(…)"),
            None => {}
        }
    }
    s
}

/// A knex table builder in scope: the callback's parameter, its table, and whether the
/// table is being created.
pub struct Builder {
    pub param: String,
    pub table: String,
    pub create: bool,
}

pub struct Walker<'a> {
    pub src: &'a str,
    pub framework: Framework,
    pub down: bool,
    pub facts: &'a mut Facts,
    /// Names bound to the framework's handle (`knex`, a transaction `trx`, `queryRunner`,
    /// `queryInterface`).
    pub recv: Vec<String>,
    pub builders: Vec<Builder>,
    /// Columns of the knex `createTable` being read.
    pub columns: Option<Vec<ColumnFacts>>,
    /// `const name = 'literal'` / `` `template` `` in the module or the function: filled
    /// into `${name}` (literals), and read where SQL is passed by name.
    pub consts: Vec<(String, Template)>,
}

impl<'a> Walker<'a> {
    pub fn new(
        src: &'a str,
        framework: Framework,
        down: bool,
        facts: &'a mut Facts,
        params: Vec<String>,
    ) -> Walker<'a> {
        let mut recv: Vec<String> = params
            .into_iter()
            .take(1)
            .filter(|p| !p.is_empty())
            .collect();
        let default = match framework {
            Framework::Knex => "knex",
            Framework::TypeOrm => "queryRunner",
            Framework::Sequelize => "queryInterface",
        };
        if !recv.iter().any(|r| r == default) {
            recv.push(default.to_string());
        }
        Walker {
            src,
            framework,
            down,
            facts,
            recv,
            builders: Vec::new(),
            columns: None,
            consts: Vec::new(),
        }
    }

    pub fn walk(&mut self, n: Node, depth: usize) {
        if depth > 200 {
            return;
        }
        if kind_of(n) == "call_expression" {
            let chain = flatten(n, self.src);
            let consumed = match self.framework {
                Framework::Knex => {
                    let k = super::knex_chain::from_tree(self, &chain);
                    super::knex::call(self, &k, depth)
                }
                Framework::TypeOrm => match self.site(&chain) {
                    Some(site) => super::typeorm::call(self, &site),
                    None => Vec::new(),
                },
                Framework::Sequelize => match self.site(&chain) {
                    Some(site) => super::sequelize::call(self, &site),
                    None => Vec::new(),
                },
            };
            let calls = chain
                .root_call
                .iter()
                .map(|(_, a)| a)
                .chain(chain.segs.iter().map(|s| &s.args));
            for args in calls {
                for a in args {
                    // a callback the reader walked (consumed: the function itself, also
                    // when written in parentheses or after `await`) is not walked again
                    if !consumed.contains(&unwrap(*a).id()) {
                        self.walk(*a, depth + 1);
                    }
                }
            }
            return;
        }
        let mut c = n.walk();
        for ch in n.named_children(&mut c) {
            self.walk(ch, depth + 1);
        }
    }

    /// Walk a callback's body with its first parameter bound by `bind`.
    pub fn callback(&mut self, f: Node, depth: usize) {
        if let Some(body) = field_of(f, "body") {
            self.walk(body, depth + 1);
        }
    }

    pub fn not_understood(&mut self, span: Span, what: &str) {
        self.facts.not_understood.push((span, what.to_string()));
    }

    pub fn push(&mut self, kind: StmtKind, span: Span, keyword: &str, verb: &str) {
        self.facts.facts.push(Fact {
            effect: Effect::Statement(statement(kind, head_span(self.src, span), keyword)),
            verb: format!("`{verb}`"),
            down: self.down,
        });
    }

    /// SQL run as written: a string or template literal; anything else is not understood
    /// (and may write the columns it mentions).
    pub fn sql(&mut self, arg: Option<Value>, at: Span, verb: &str) {
        let Some(a) = arg else {
            return;
        };
        let v = match a {
            Value::Name(n, s) => match self.consts.iter().rev().find(|(k, _)| *k == n) {
                Some((_, t)) => Value::Str(t.clone()),
                None => Value::Name(n, s),
            },
            v => v,
        };
        match v {
            Value::Str(t) => {
                let t = self.fill(t);
                // SQL built from values the code computes (`${chat.id}`, often in a loop)
                // may fill the columns it names, one row at a time
                if !t.holes.is_empty() && t.text.to_ascii_uppercase().contains("UPDATE") {
                    self.facts.code_writes.push((t.span, words_of(&t.text)));
                }
                self.facts.facts.push(Fact {
                    effect: Effect::Sql(t),
                    verb: format!("`{verb}`"),
                    down: self.down,
                })
            }
            other => {
                let s = other.span();
                let words = words_of(self.src.get(s.start..s.end).unwrap_or(""));
                self.facts.code_writes.push((s, words));
                let _ = at;
                self.not_understood(s, &format!("`{verb}` of SQL that is not a literal"));
            }
        }
    }

    /// Fill `${name}` holes whose name is a string constant; other holes stay.
    fn fill(&self, t: Template) -> Template {
        if t.holes.is_empty() || self.consts.is_empty() {
            return t;
        }
        let mut out = Template::empty(t.span);
        let mut i = 0;
        let mut copied = 0;
        while i < t.text.len() {
            let hole = t
                .holes
                .iter()
                .find(|h| t.map.get(i) == Some(&h.start) && t.text[i..].starts_with("${"));
            let Some(h) = hole else {
                i += 1;
                continue;
            };
            let end = (i + h.len()).min(t.text.len());
            let name = t
                .text
                .get(i + 2..end.saturating_sub(1))
                .unwrap_or("")
                .trim();
            let value = self
                .consts
                .iter()
                .rev()
                .find(|(n, _)| n == name)
                .and_then(|(_, t)| t.literal());
            out.text.push_str(&t.text[copied..i]);
            out.map.extend_from_slice(&t.map[copied..i]);
            match value {
                Some(v) => {
                    out.text.push_str(v);
                    out.map.extend(std::iter::repeat_n(h.start, v.len()));
                }
                None => {
                    out.text.push_str(&t.text[i..end]);
                    out.map.extend_from_slice(&t.map[i..end]);
                    out.holes.push(*h);
                }
            }
            i = end;
            copied = end;
        }
        out.text.push_str(&t.text[copied..]);
        out.map.extend_from_slice(&t.map[copied..]);
        out
    }

    /// A write that is code, not SQL: the words it mentions (a column it names may have
    /// been filled).
    pub fn code_write(&mut self, s: Span) {
        let words = words_of(self.src.get(s.start..s.end).unwrap_or(""));
        self.facts.code_writes.push((s, words));
    }

    pub fn val(&self, n: Option<&Node>) -> Value {
        match n {
            Some(n) => value::read(*n, self.src),
            None => Value::Null(Span::default()),
        }
    }
}

/// `const name = 'literal'` anywhere under `n` (not reassignable), in source order.
pub fn string_consts(n: Node, src: &str, out: &mut Vec<(String, Template)>, depth: usize) {
    if depth > 60 {
        return;
    }
    if kind_of(n) == "lexical_declaration" && n.child(0).is_some_and(|k| text(k, src) == "const") {
        let mut c = n.walk();
        for d in n
            .named_children(&mut c)
            .filter(|d| kind_of(*d) == "variable_declarator")
        {
            if let (Some(name), Some(v)) = (field_of(d, "name"), field_of(d, "value"))
                && kind_of(name) == "identifier"
                && let Value::Str(t) = value::read(v, src)
            {
                out.push((text(name, src).to_string(), t));
            }
        }
        return;
    }
    let mut c = n.walk();
    for ch in n.named_children(&mut c) {
        string_consts(ch, src, out, depth + 1);
    }
}

/// The value a framework write assigns: a parameter (never NULL as far as the model knows).
fn bound() -> Option<sqlparser::ast::Expr> {
    use sqlparser::ast::{Expr, Value as V};
    Some(Expr::Value(V::Placeholder("?".into()).with_empty_span()))
}

/// An `UPDATE t SET c = ?, …` the framework runs (`where`: filtered by code).
pub fn update(table: &str, columns: &[String], filtered: bool) -> StmtKind {
    use sqlparser::ast::{Expr, Ident};
    // a filtered write by code may be the backfill of the columns it sets (as
    // `UPDATE … WHERE c IS NULL`); it is not judged as a write without WHERE
    let predicate = filtered.then(|| {
        let e = columns
            .iter()
            .map(|c| Expr::IsNull(Box::new(Expr::Identifier(Ident::with_quote('"', c)))))
            .reduce(|a, b| Expr::BinaryOp {
                left: Box::new(a),
                op: sqlparser::ast::BinaryOperator::Or,
                right: Box::new(b),
            });
        crate::sql::Predicate {
            expr: e.map(Box::new),
            opaque: false,
        }
    });
    StmtKind::Update {
        table: Some(table_name(table)),
        predicate,
        assignments: columns
            .iter()
            .map(|c| crate::sql::Assignment {
                column: c.clone(),
                value: bound(),
            })
            .collect(),
        limited: false,
    }
}

pub fn node_span(n: Node) -> Span {
    span(n)
}

pub use crate::orm::{alter, drop};

pub fn drop_columns(table: &str, names: Vec<String>) -> StmtKind {
    alter(
        table,
        AlterOp::DropColumn {
            names,
            if_exists: false,
            cascade: false,
        },
    )
}

/// A table named by a string, `{ tableName, schema }` (Sequelize) or `new Table({ name })`
/// (TypeORM).
pub fn table_arg(v: &Value) -> Option<String> {
    if let Some(s) = v.str() {
        return Some(s.to_string());
    }
    let o = v.options()?;
    let name = o
        .get("tableName")
        .or_else(|| o.get("name"))
        .and_then(Value::str)?;
    Some(match o.get("schema").and_then(Value::str) {
        Some(s) => format!("{s}.{name}"),
        None => name.to_string(),
    })
}
