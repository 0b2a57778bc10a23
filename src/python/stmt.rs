//! The statements of a function body as the Alembic reader walks them: calls (as statements
//! or assigned to a name), `with` blocks and the bodies of compound statements, nothing else.
//! Built from tree-sitter's tree here, or by the fast path (`python::fast`) without a parse;
//! one walker (`alembic`) serves both, and the tests compare the two builders.

use super::value::{self, Call, Value, text};
use tree_sitter::Node;

#[derive(Clone, Debug, PartialEq)]
pub enum Stmt {
    /// A call as a statement, or assigned: `target` is the name it is assigned to when the
    /// left side is a plain name.
    Call { call: Call, target: Option<String> },
    /// `with a as b, c:`: each item that is a call, with its alias; then the body.
    With {
        items: Vec<(Call, Option<String>)>,
        body: Vec<Stmt>,
    },
    /// if / for / while / try (and any other statement holding blocks): the bodies, in order.
    Blocks(Vec<Vec<Stmt>>),
}

/// Blocks nested deeper than this are not read (the walker stops there too).
pub const MAX_DEPTH: usize = 100;

/// The statements of a tree-sitter `block` node (`depth`: how deep it is nested).
pub fn block(n: Node, src: &str, depth: usize) -> Vec<Stmt> {
    let mut out = Vec::new();
    if depth > MAX_DEPTH {
        return out;
    }
    let mut c = n.walk();
    for s in n.named_children(&mut c) {
        match value::kind(s) {
            "function_definition" | "class_definition" => {}
            "with_statement" => {
                let mut items = Vec::new();
                let mut cc = s.walk();
                for clause in s
                    .named_children(&mut cc)
                    .filter(|x| value::kind(*x) == "with_clause")
                {
                    let mut ic = clause.walk();
                    for item in clause.named_children(&mut ic) {
                        let Some(v) = value::field(item, "value") else {
                            continue;
                        };
                        let (call, alias) = if value::kind(v) == "as_pattern" {
                            let alias = v
                                .child_by_field_name("alias")
                                .map(|a| text(a, src).trim().to_string());
                            (v.named_child(0), alias)
                        } else {
                            (Some(v), None)
                        };
                        if let Some(Value::Call(call)) = call.map(|x| value::read(x, src)) {
                            items.push((call, alias));
                        }
                    }
                }
                let body = value::field(s, "body")
                    .map(|b| block(b, src, depth + 1))
                    .unwrap_or_default();
                out.push(Stmt::With { items, body });
            }
            "expression_statement" => {
                let Some(e) = s.named_child(0) else { continue };
                match value::kind(e) {
                    "assignment" => {
                        if let (Some(l), Some(r)) =
                            (value::field(e, "left"), value::field(e, "right"))
                            && let Value::Call(call) = value::read(r, src)
                        {
                            let target =
                                (value::kind(l) == "identifier").then(|| text(l, src).to_string());
                            out.push(Stmt::Call { call, target });
                        }
                    }
                    "call" => {
                        if let Value::Call(call) = value::read(e, src) {
                            out.push(Stmt::Call { call, target: None });
                        }
                    }
                    _ => {}
                }
            }
            _ => {
                // if / for / try / while: their bodies run (maybe); conditions are not judged
                let mut blocks = Vec::new();
                let mut cc = s.walk();
                for ch in s.named_children(&mut cc) {
                    match value::kind(ch) {
                        "block" => blocks.push(block(ch, src, depth + 1)),
                        "else_clause" | "elif_clause" | "except_clause" | "finally_clause" => {
                            if let Some(b) = value::field(ch, "body").or_else(|| {
                                let mut k = ch.walk();
                                ch.named_children(&mut k)
                                    .find(|x| value::kind(*x) == "block")
                            }) {
                                blocks.push(block(b, src, depth + 1));
                            }
                        }
                        _ => {}
                    }
                }
                if !blocks.is_empty() {
                    out.push(Stmt::Blocks(blocks));
                }
            }
        }
    }
    out
}
