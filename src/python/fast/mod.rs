//! A fast path around tree-sitter for the common Django migration: a file whose top level is
//! only comments, docstrings, imports, simple assignments and classes whose bodies are
//! assignments, docstrings and `pass` (no `def` anywhere: `RunPython` code is read from
//! tree-sitter's tree). A strict hand-written tokenizer ([`lex`]) and expression reader
//! ([`parse`]) give exactly the [`Raw`] the tree-sitter path gives, or `None` on anything
//! they do not fully understand — then the caller parses with tree-sitter as before, so a
//! broken file is still reported the way it always was. The tests run both paths on every
//! fixture and on tricky snippets and require equal results whenever the fast path answers.

mod lex;
mod parse;
mod stmts;
#[cfg(test)]
mod tests;

use super::alembic::{self, Parts};
use super::django::{self, Raw};
use lex::Kind;
use parse::{Parser, is_keyword, is_plain};

/// A file read by the fast path: what `django::read_tree` and `alembic::parts` give on it.
#[derive(Debug, Default)]
pub struct Read {
    /// `Some`: a Django migration (a class whose base ends in `Migration`).
    pub django: Option<Raw>,
    /// The revision header and `upgrade()` / `downgrade()` bodies (empty in a Django file).
    pub alembic: Parts,
}

/// Read a file; `None`: not in the fast path's subset (parse it with tree-sitter).
pub fn read(src: &str) -> Option<Read> {
    let toks = lex::lex(src)?;
    let mut p = Parser::new(src, &toks);
    let mut raw = Raw::default();
    let mut parts = Parts::default();
    let mut found = false;
    let mut functions = false;
    while let Some(line) = p.next() {
        if !matches!(line.kind, Kind::Line) || line.end != line.start {
            return None;
        }
        match p.peek_name() {
            Some("import") => import(&mut p)?,
            Some("from") => from_import(&mut p)?,
            Some("class") => found |= class(&mut p, &mut raw)?,
            Some("def") => {
                functions = true;
                let (name, body) = def(&mut p)?;
                match name {
                    "upgrade" => parts.funcs.push((false, body)),
                    "downgrade" => parts.funcs.push((true, body)),
                    _ => {}
                }
            }
            Some(w) if is_plain(w) && p.peek_raw(1).is_some_and(|t| p.text(t) == "=") => {
                p.next();
                p.next();
                let v = p.expr(0)?;
                if p.is_op("=") {
                    return None;
                }
                p.newline()?;
                alembic::header(&mut parts, w, &v);
            }
            _ => stmts::statement(&mut p, "", 0, &mut Vec::new())?,
        }
    }
    // a migration with module-level functions: `RunPython` code, read from tree-sitter's tree
    if found && functions {
        return None;
    }
    Some(Read {
        django: found.then_some(raw),
        alembic: parts,
    })
}

/// [`read`] for `django::read`: `Some(Some(raw))` a migration, `Some(None)` none in it.
pub fn django(src: &str) -> Option<Option<Raw>> {
    read(src).map(|r| r.django)
}

/// `def name(a, b=1) -> T:` and its body.
fn def<'a>(p: &mut Parser<'a>) -> Option<(&'a str, Vec<super::stmt::Stmt>)> {
    p.name();
    let name = p.name().filter(|w| is_plain(w))?;
    p.eat_op("(")?;
    loop {
        if p.eat_op(")").is_some() {
            break;
        }
        p.name().filter(|w| is_plain(w))?;
        if p.eat_op("=").is_some() {
            p.expr(0)?;
        }
        if p.eat_op(",").is_none() {
            p.eat_op(")")?;
            break;
        }
    }
    if p.eat_op("->").is_some() {
        p.expr(0)?;
    }
    p.eat_op(":")?;
    p.newline()?;
    Some((name, stmts::block(p, "", 0)?))
}

/// `import a.b as c, d`.
pub(super) fn import(p: &mut Parser) -> Option<()> {
    p.name();
    loop {
        dotted(p)?;
        if p.peek_name() == Some("as") {
            p.name();
            p.name().filter(|w| is_plain(w))?;
        }
        if p.eat_op(",").is_none() {
            return p.newline();
        }
    }
}

/// `from .a.b import (c as d, e)`, `from . import x`, `from a import *`.
pub(super) fn from_import(p: &mut Parser) -> Option<()> {
    p.name();
    let mut dots = false;
    while p.eat_op(".").or_else(|| p.eat_op("...")).is_some() {
        dots = true;
    }
    if p.peek_name() != Some("import") || !dots {
        dotted(p)?;
    }
    (p.name()? == "import").then_some(())?;
    if p.eat_op("*").is_some() {
        return p.newline();
    }
    let paren = p.eat_op("(").is_some();
    loop {
        if paren && p.eat_op(")").is_some() {
            break;
        }
        p.name().filter(|w| is_plain(w))?;
        if p.peek_name() == Some("as") {
            p.name();
            p.name().filter(|w| is_plain(w))?;
        }
        if p.eat_op(",").is_none() {
            if paren {
                p.eat_op(")")?;
            }
            break;
        }
        if !paren && p.is_op(")") {
            return None;
        }
    }
    p.newline()
}

/// A dotted module or class name (`a.b.c`).
fn dotted(p: &mut Parser) -> Option<String> {
    let mut s = p.name().filter(|w| is_plain(w))?.to_string();
    while p.eat_op(".").is_some() {
        s.push('.');
        s.push_str(p.name().filter(|w| !is_keyword(w))?);
    }
    Some(s)
}

/// `class Name(Base, …):` and its body. `Some(true)`: a migration class (a base whose dotted
/// name ends in `Migration`), its assignments applied to `raw`.
fn class(p: &mut Parser, raw: &mut Raw) -> Option<bool> {
    p.name();
    p.name().filter(|w| is_plain(w))?;
    let mut migration = false;
    if p.eat_op("(").is_some() {
        loop {
            if p.eat_op(")").is_some() {
                break;
            }
            migration |= dotted(p)?.ends_with("Migration");
            if p.eat_op(",").is_none() {
                p.eat_op(")")?;
                break;
            }
        }
    }
    p.eat_op(":")?;
    p.newline()?;
    // the body: lines indented exactly like its first line
    let mut indent: Option<&str> = None;
    while let Some(line) = p.peek() {
        let ind = p.text(line);
        if !matches!(line.kind, Kind::Line) || ind.is_empty() {
            break;
        }
        if *indent.get_or_insert(ind) != ind {
            return None;
        }
        p.next();
        match p.peek().map(|t| (&t.kind, p.text(t))) {
            Some((Kind::Name, "pass")) => {
                p.name();
                p.newline()?;
            }
            Some((Kind::Str(_), _)) => {
                p.expr(0)?;
                p.newline()?;
            }
            Some((Kind::Name, w)) if is_plain(w) => {
                p.name();
                p.eat_op("=")?;
                let v = p.expr(0)?;
                if p.is_op("=") {
                    return None;
                }
                p.newline()?;
                if migration {
                    django::assign(raw, w, v);
                }
            }
            _ => return None,
        }
    }
    indent?;
    Some(migration)
}
