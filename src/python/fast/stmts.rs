//! The fast path's statements: indented blocks of function bodies (and of compound
//! statements anywhere) read into the [`Stmt`]s the Alembic walker takes — calls as
//! statements or assigned, `with` blocks, and the bodies of `if` / `for` / `while` / `try`.
//! Other simple statements (`pass`, `return`, `raise`, imports, augmented assignments) are
//! checked and dropped, as tree-sitter's builder drops them. A nested `def` or `class`, a
//! decorator, `match`, `async`, a tuple target or anything else unknown returns `None`.

use super::lex::{Kind, Tok};
use super::parse::{Parser, is_keyword, is_plain};
use crate::python::stmt::Stmt;
use crate::python::value::Value;
use crate::source::Span;

/// Blocks nested deeper than this are left to tree-sitter (its builder stops at 100).
const MAX_DEPTH: usize = 60;

const AUGMENTED: &[&str] = &[
    "+=", "-=", "*=", "/=", "//=", "%=", "**=", "&=", "|=", "^=", ">>=", "<<=", "@=",
];

/// The block after a compound statement's `:` and newline: its lines are indented deeper
/// than `outer`, all alike; it ends at a line indented like an enclosing block.
pub fn block(p: &mut Parser, outer: &str, depth: usize) -> Option<Vec<Stmt>> {
    if depth > MAX_DEPTH {
        return None;
    }
    let mut out = Vec::new();
    let mut indent: Option<&str> = None;
    while let Some(line) = p.peek() {
        if !matches!(line.kind, Kind::Line) {
            return None;
        }
        let ind = p.text(line);
        match indent {
            None if ind.len() > outer.len() && ind.starts_with(outer) => indent = Some(ind),
            None => return None,
            Some(i) if i == ind => {}
            Some(_) if outer.starts_with(ind) => break,
            Some(_) => return None,
        }
        p.next();
        statement(p, ind, depth, &mut out)?;
    }
    indent?;
    Some(out)
}

/// Is the next line a clause of the statement just read (`elif`, `else`, `except`,
/// `finally` at the statement's indentation `ind`)? Then it is consumed up to the keyword.
fn clause(p: &mut Parser, ind: &str, words: &[&'static str]) -> Option<&'static str> {
    let line = p.peek().filter(|t| matches!(t.kind, Kind::Line))?;
    if p.text(line) != ind {
        return None;
    }
    let kw: &Tok = p.peek_raw(1)?;
    let w = p.text(kw);
    let found = words.iter().find(|x| **x == w)?;
    if !matches!(kw.kind, Kind::Name) {
        return None;
    }
    p.next();
    p.next();
    Some(found)
}

/// `:` and a newline, then the block.
fn suite(p: &mut Parser, ind: &str, depth: usize) -> Option<Vec<Stmt>> {
    p.eat_op(":")?;
    p.newline()?;
    block(p, ind, depth + 1)
}

/// One statement of a block indented `ind`, appended to `out` if the walker looks at it.
pub fn statement(p: &mut Parser, ind: &str, depth: usize, out: &mut Vec<Stmt>) -> Option<()> {
    let first = p.peek()?;
    let word = matches!(first.kind, Kind::Name).then(|| p.text(first));
    match word {
        Some("pass" | "break" | "continue") => {
            p.next();
            p.newline()
        }
        Some("return" | "raise") => {
            p.next();
            if !p.peek().is_some_and(|t| matches!(t.kind, Kind::Newline)) {
                p.expr(depth)?;
            }
            p.newline()
        }
        Some("import") => super::import(p),
        Some("from") => super::from_import(p),
        Some("with") => {
            p.next();
            let mut items = Vec::new();
            loop {
                let v = p.expr(depth)?;
                let alias = if p.peek_name() == Some("as") {
                    p.next();
                    Some(p.name().filter(|w| is_plain(w))?.to_string())
                } else {
                    None
                };
                if let Value::Call(c) = v {
                    items.push((c, alias));
                }
                if p.eat_op(",").is_none() {
                    break;
                }
            }
            let body = suite(p, ind, depth)?;
            out.push(Stmt::With { items, body });
            Some(())
        }
        Some("if") => {
            p.next();
            p.expr(depth)?;
            let mut blocks = vec![suite(p, ind, depth)?];
            while let Some(kw) = clause(p, ind, &["elif", "else"]) {
                if kw == "elif" {
                    p.expr(depth)?;
                }
                blocks.push(suite(p, ind, depth)?);
                if kw == "else" {
                    break;
                }
            }
            out.push(Stmt::Blocks(blocks));
            Some(())
        }
        Some("for" | "while") => {
            p.next();
            if word == Some("for") {
                loop {
                    p.name().filter(|w| is_plain(w))?;
                    if p.eat_op(",").is_none() {
                        break;
                    }
                }
                (p.name()? == "in").then_some(())?;
            }
            p.expr(depth)?;
            let mut blocks = vec![suite(p, ind, depth)?];
            if clause(p, ind, &["else"]).is_some() {
                blocks.push(suite(p, ind, depth)?);
            }
            out.push(Stmt::Blocks(blocks));
            Some(())
        }
        Some("try") => {
            p.next();
            let mut blocks = vec![suite(p, ind, depth)?];
            let mut handlers = 0;
            let mut last = "try";
            while let Some(kw) = clause(p, ind, &["except", "else", "finally"]) {
                match (last, kw) {
                    ("try" | "except", "except") => {
                        handlers += 1;
                        if !p.is_op(":") {
                            p.expr(depth)?;
                            if p.peek_name() == Some("as") {
                                p.next();
                                p.name().filter(|w| is_plain(w))?;
                            }
                        }
                    }
                    ("except", "else") => {}
                    ("try" | "except" | "else", "finally") => handlers += 1,
                    _ => return None,
                }
                last = kw;
                blocks.push(suite(p, ind, depth)?);
                if kw == "finally" {
                    break;
                }
            }
            if handlers == 0 {
                return None;
            }
            out.push(Stmt::Blocks(blocks));
            Some(())
        }
        Some(w) if is_keyword(w) && !matches!(w, "True" | "False" | "None" | "not") => None,
        Some(w) if !is_plain(w) && !is_keyword(w) => None,
        _ => expression(p, depth, out),
    }
}

/// An expression statement or an assignment (`name = value`, `a.b = value`, `x += 1`).
fn expression(p: &mut Parser, depth: usize, out: &mut Vec<Stmt>) -> Option<()> {
    let first = p.peek()?;
    let start = first.start;
    let plain = matches!(first.kind, Kind::Name) && is_plain(p.text(first));
    let v = p.expr(depth)?;
    let end = p.prev_end();
    if p.eat_op("=").is_some() {
        let Value::Name(name, _) = &v else {
            return None;
        };
        if !plain {
            return None;
        }
        let target = (!name.contains('.')).then(|| name.clone());
        let r = p.expr(depth)?;
        if p.is_op("=") {
            return None;
        }
        p.newline()?;
        if let Value::Call(call) = r {
            out.push(Stmt::Call { call, target });
        }
        return Some(());
    }
    if AUGMENTED.iter().any(|a| p.is_op(a)) {
        if !plain || !matches!(v, Value::Name(..)) {
            return None;
        }
        p.next();
        p.expr(depth)?;
        return p.newline();
    }
    p.newline()?;
    // only a call that is the whole statement (not a parenthesized one) is walked
    if let Value::Call(call) = v
        && call.span == Span::new(start, end)
    {
        out.push(Stmt::Call { call, target: None });
    }
    Some(())
}
