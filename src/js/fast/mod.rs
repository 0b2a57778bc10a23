//! A fast path around tree-sitter for the common Knex, TypeORM and Sequelize migration: a
//! module of imports, `require`s, constants, `module.exports = { up, down }` / `exports.up =
//! …` / top-level functions, or a class with `up` / `down` methods, whose function bodies
//! are expression statements (calls on dotted names, `await`, callbacks; in Knex files also
//! chains of calls, [`chain`]), `return` and declarations. A strict hand-written tokenizer
//! ([`lex`]) and reader ([`parse`]) give the same calls, in the same order, that
//! tree-sitter's walk hands to the TypeORM and Sequelize readers (as [`Site`]s) and to the
//! Knex reader (as `KChain`s), or `None` on anything they do not fully understand — then
//! the caller parses with tree-sitter as before. The tests run both paths on every fixture
//! and on tricky snippets and require equal results whenever the fast path answers.

mod chain;
mod expr;
mod lex;
mod parse;
#[cfg(test)]
mod tests;

use super::ops::{Args, Site};
use super::walk::Walker;
use super::{Framework, Migration};
use crate::orm::{Facts, Template};
use crate::source::Span;
use expr::{Body, Expr, Func, Stmt, value};
use lex::Kind;
use lex::is_reserved;
use parse::Parser;

/// Read a file the text names as `by_text`'s: `Some(answer)` when the file is in the fast
/// path's subset (`answer` is what `js::read` gives), `None` to parse it with tree-sitter.
pub fn read(src: &str, by_text: Framework) -> Option<Option<Migration>> {
    let toks = lex::lex(src)?;
    let mut p = Parser::new(src, &toks);
    // chains of calls are read in Knex files (a file naming neither `queryRunner` nor
    // `queryInterface` is read as Knex whatever its `up` takes)
    p.chains = by_text == Framework::Knex;
    let mut funcs: Vec<(bool, Func)> = Vec::new();
    let mut consts: Vec<(String, Template)> = Vec::new();
    while !p.at_end() {
        item(&mut p, &mut funcs, &mut consts)?;
    }
    let Some((_, up)) = funcs.iter().find(|(d, _)| !d) else {
        return Some(None);
    };
    let params = up.params.clone();
    let framework = match params.first().map(String::as_str) {
        Some("queryRunner") => Framework::TypeOrm,
        Some("queryInterface") => Framework::Sequelize,
        Some("knex") => Framework::Knex,
        Some(_) => by_text,
        None => return Some(None),
    };
    if p.chains && framework != Framework::Knex {
        return None;
    }
    let mut facts = Facts::default();
    for (down, f) in &funcs {
        let ps = if f.params.is_empty() {
            params.clone()
        } else {
            f.params.clone()
        };
        let mut w = Walker::new(src, framework, *down, &mut facts, ps);
        w.consts = consts.clone();
        body_consts(&f.body, &mut w.consts);
        walk_body(&mut w, &f.body);
    }
    Some(Some(Migration { framework, facts }))
}

/// One statement of the module.
fn item(
    p: &mut Parser,
    funcs: &mut Vec<(bool, Func)>,
    consts: &mut Vec<(String, Template)>,
) -> Option<()> {
    let t = *p.peek()?;
    if t.kind == Kind::Str {
        // 'use strict'
        p.expr()?;
        return p.end_stmt();
    }
    if p.eat(";").is_some() {
        return Some(());
    }
    match p.peek_name()? {
        "import" => import(p),
        "const" | "let" | "var" => {
            let keyword = p.name()?;
            let decls = p.decls()?;
            p.end_stmt()?;
            for (name, v) in decls {
                let v = v?;
                // `const up = …` and functions in values: tree-sitter's search for `up`
                if name.as_deref().is_some_and(|n| n == "up" || n == "down") || has_func(&v) {
                    return None;
                }
                if keyword == "const"
                    && let (Some(n), crate::js::value::Value::Str(t)) = (name, value(&v))
                {
                    consts.push((n, t));
                }
            }
            Some(())
        }
        "export" => {
            p.name();
            match p.peek_name()? {
                "class" => class(p, funcs),
                "async" | "function" => function(p, funcs),
                _ => None,
            }
        }
        "class" => class(p, funcs),
        "async" | "function" => function(p, funcs),
        "module" | "exports" => exports(p, funcs),
        _ => None,
    }
}

/// `import { a, b as c } from 'x'`, `import a from 'x'`, `import * as a from 'x'`,
/// `import type { A } from 'x'`, `import 'x'`.
fn import(p: &mut Parser) -> Option<()> {
    p.name();
    if p.peek()?.kind == Kind::Str {
        p.expr()?;
        return p.end_stmt();
    }
    if p.peek_name() == Some("type")
        && (p.is_at(1, "{")
            || p.peek_at(1)
                .is_some_and(|t| t.kind == Kind::Name && p.text(t) != "from"))
    {
        p.name();
    }
    let plain = |p: &mut Parser| p.name().filter(|w| !is_reserved(w)).map(|_| ());
    loop {
        if p.eat("{").is_some() {
            loop {
                if p.eat("}").is_some() {
                    break;
                }
                if p.peek_name() == Some("type") && p.peek_at(1)?.kind == Kind::Name {
                    p.name();
                }
                plain(p)?;
                if p.eat_name("as").is_some() {
                    plain(p)?;
                }
                if p.eat(",").is_none() {
                    p.eat("}")?;
                    break;
                }
            }
        } else {
            plain(p)?;
        }
        if p.eat(",").is_none() {
            break;
        }
    }
    p.eat_name("from")?;
    (p.peek()?.kind == Kind::Str).then_some(())?;
    p.expr()?;
    p.end_stmt()
}

/// `[async] function up(…) { … }` at the top of the module.
fn function(p: &mut Parser, funcs: &mut Vec<(bool, Func)>) -> Option<()> {
    let start = p.peek()?.start;
    p.eat_name("async");
    p.eat_name("function")?;
    let name = p.name().filter(|w| !is_reserved(w))?;
    let f = p.method(start)?;
    add(funcs, name, f);
    Some(())
}

/// `class A [extends B] [implements C, D] { fields and methods }`.
fn class(p: &mut Parser, funcs: &mut Vec<(bool, Func)>) -> Option<()> {
    p.eat_name("class")?;
    p.name().filter(|w| !is_reserved(w))?;
    if p.eat_name("extends").is_some() {
        p.ty(0)?;
    }
    if p.eat_name("implements").is_some() {
        loop {
            p.ty(0)?;
            if p.eat(",").is_none() {
                break;
            }
        }
    }
    p.eat("{")?;
    loop {
        if p.eat("}").is_some() {
            return Some(());
        }
        if p.eat(";").is_some() {
            continue;
        }
        let start = p.peek()?.start;
        while matches!(
            p.peek_name(),
            Some("public" | "private" | "protected" | "readonly")
        ) && p.peek_at(1).is_some_and(|t| t.kind == Kind::Name)
        {
            p.name();
        }
        if p.peek_name() == Some("async") && p.peek_at(1).is_some_and(|t| t.kind == Kind::Name) {
            p.name();
        }
        let name = p.name()?;
        if p.is("(") {
            let f = p.method(start)?;
            add(funcs, name, f);
            continue;
        }
        // a field: `name = 'X1700000000000'`
        if p.eat(":").is_some() {
            p.ty(0)?;
        }
        if p.eat("=").is_some() {
            let v = p.expr()?;
            if has_func(&v) {
                return None;
            }
        }
        p.end_stmt()?;
    }
}

/// `module.exports = { up, down }`, `module.exports.up = …`, `exports.up = …`.
fn exports(p: &mut Parser, funcs: &mut Vec<(bool, Func)>) -> Option<()> {
    let first = p.name()?;
    p.eat(".")?;
    let mut prop = p.name()?;
    if first == "module" {
        if prop != "exports" {
            return None;
        }
        if p.eat(".").is_some() {
            prop = p.name()?;
        } else {
            p.eat("=")?;
            p.eat("{")?;
            exports_object(p, funcs)?;
            return p.end_stmt();
        }
    }
    p.eat("=")?;
    let v = p.expr()?;
    p.end_stmt()?;
    match v {
        Expr::Func(f) => add(funcs, prop, *f),
        v if has_func(&v) => return None,
        _ => {}
    }
    Some(())
}

/// The entries of `module.exports = { … }` (after its `{`): `up: async (…) => …`,
/// `async up(…) { … }`, other values.
fn exports_object(p: &mut Parser, funcs: &mut Vec<(bool, Func)>) -> Option<()> {
    loop {
        if p.eat("}").is_some() {
            return Some(());
        }
        let start = p.peek()?.start;
        if p.peek_name() == Some("async") && p.peek_at(1).is_some_and(|t| t.kind == Kind::Name) {
            p.name();
        }
        let t = *p.peek().filter(|t| t.kind == Kind::Name)?;
        let key = p.text(&t);
        p.name();
        if p.is("(") {
            let f = p.method(start)?;
            add(funcs, key, f);
        } else if p.eat(":").is_some() {
            if start != t.start {
                return None;
            }
            match p.expr()? {
                Expr::Func(f) => add(funcs, key, *f),
                v if has_func(&v) => return None,
                _ => {}
            }
        } else if start != t.start || !(p.is(",") || p.is("}")) {
            return None;
        }
        if p.eat(",").is_none() {
            p.eat("}")?;
            return Some(());
        }
    }
}

fn add(funcs: &mut Vec<(bool, Func)>, name: &str, f: Func) {
    match name {
        "up" => funcs.push((false, f)),
        "down" => funcs.push((true, f)),
        _ => {}
    }
}

fn has_func(e: &Expr) -> bool {
    match e {
        Expr::Func(_) => true,
        Expr::Lit(_) => false,
        Expr::Array(items, _) => items.iter().any(has_func),
        Expr::Object(pairs, _, _) => pairs.iter().any(|(_, v)| has_func(v)),
        Expr::Call { args, .. } => args.iter().any(has_func),
        Expr::Chain(c) => c.args().any(has_func),
        Expr::Plus(l, r, _) => has_func(l) || has_func(r),
    }
}

/// `const name = 'literal'` anywhere in a body, in source order (`walk::string_consts`).
fn body_consts(b: &Body, out: &mut Vec<(String, Template)>) {
    match b {
        Body::Block(stmts) => stmts_consts(stmts, out),
        Body::Expr(e) => expr_consts(e, out),
    }
}

fn stmts_consts(stmts: &[Stmt], out: &mut Vec<(String, Template)>) {
    for s in stmts {
        match s {
            Stmt::Expr(e) => expr_consts(e, out),
            Stmt::If(c, a, b) => {
                expr_consts(c, out);
                stmts_consts(a, out);
                stmts_consts(b, out);
            }
            Stmt::Decl(true, decls) => {
                // a constant's own value is not searched (tree-sitter's path stops at the
                // declaration)
                for (name, v) in decls {
                    if let (Some(n), Some(v)) = (name, v)
                        && let crate::js::value::Value::Str(t) = value(v)
                    {
                        out.push((n.clone(), t));
                    }
                }
            }
            Stmt::Decl(false, decls) => {
                for v in decls.iter().filter_map(|(_, v)| v.as_ref()) {
                    expr_consts(v, out);
                }
            }
        }
    }
}

fn expr_consts(e: &Expr, out: &mut Vec<(String, Template)>) {
    match e {
        Expr::Func(f) => body_consts(&f.body, out),
        Expr::Lit(_) => {}
        Expr::Array(items, _) => items.iter().for_each(|x| expr_consts(x, out)),
        Expr::Object(pairs, _, _) => pairs.iter().for_each(|(_, v)| expr_consts(v, out)),
        Expr::Call { args, .. } => args.iter().for_each(|x| expr_consts(x, out)),
        Expr::Chain(c) => c.args().for_each(|x| expr_consts(x, out)),
        Expr::Plus(l, r, _) => {
            expr_consts(l, out);
            expr_consts(r, out);
        }
    }
}

fn walk_body(w: &mut Walker, b: &Body) {
    match b {
        Body::Block(stmts) => walk_stmts(w, stmts),
        Body::Expr(e) => walk(w, e, false),
    }
}

fn walk_stmts(w: &mut Walker, stmts: &[Stmt]) {
    for s in stmts {
        match s {
            Stmt::Expr(e) => walk(w, e, false),
            Stmt::If(c, a, b) => {
                walk(w, c, false);
                walk_stmts(w, a);
                walk_stmts(w, b);
            }
            Stmt::Decl(_, decls) => {
                for v in decls.iter().filter_map(|(_, v)| v.as_ref()) {
                    walk(w, v, false);
                }
            }
        }
    }
}

/// `Walker::walk` on the fast path's expression: each call on a receiver handed to the
/// framework's reader, then its arguments walked. `is_value`: the expression is an
/// argument, a property's value or an operand of `+` (tree-sitter's `is_value`).
fn walk(w: &mut Walker, e: &Expr, is_value: bool) {
    match e {
        Expr::Call {
            chain: Some(names),
            args,
            span,
            ..
        } if w.framework == Framework::Knex => {
            let k = chain::of_call(names, args, *span, is_value);
            chain::walk(w, &k, args.iter());
        }
        // (chains are read in Knex files only)
        Expr::Chain(c) => {
            let k = chain::of_chain(c, is_value);
            chain::walk(w, &k, c.args());
        }
        Expr::Call {
            chain, args, span, ..
        } => {
            if let Some(site) = chain.as_deref().and_then(|c| site(w, c, *span, args)) {
                match w.framework {
                    Framework::TypeOrm => super::typeorm::call(w, &site),
                    Framework::Sequelize => super::sequelize::call(w, &site),
                    Framework::Knex => Vec::new(),
                };
            }
            args.iter().for_each(|a| walk(w, a, true));
        }
        Expr::Func(f) => walk_body(w, &f.body),
        Expr::Lit(_) => {}
        Expr::Array(items, _) => items.iter().for_each(|x| walk(w, x, false)),
        Expr::Object(pairs, _, _) => pairs.iter().for_each(|(_, v)| walk(w, v, true)),
        Expr::Plus(l, r, _) => {
            walk(w, l, true);
            walk(w, r, true);
        }
    }
}

/// `root.a.b(args)` as `Walker::site` reads it from tree-sitter's chain: a call on a
/// receiver of the migration (a call of the root itself is none).
fn site(w: &Walker, chain: &[String], span: Span, args: &[Expr]) -> Option<Site> {
    let (root, links) = chain.split_first()?;
    if links.is_empty() || !w.recv.contains(root) {
        return None;
    }
    let i = links.len() - 1;
    Some(Site {
        i,
        prev: i.checked_sub(1).map(|k| links[k].clone()),
        name: links[i].clone(),
        span,
        verb: chain.join("."),
        args: Args {
            values: args.iter().map(value).collect(),
            span,
        },
    })
}
