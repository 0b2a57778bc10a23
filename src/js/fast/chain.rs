//! Knex on the fast path: chains of calls (`knex('t').where(…).del()`,
//! `t.string('c').notNullable().alter()`, `knex.schema.createTable(…).createTable(…)`) read
//! by the parser, and the owned [`KChain`] the Knex reader takes, built from them as
//! `knex_chain::from_tree` builds it from tree-sitter's tree (values by `expr::value`, the
//! callback's body walked by the fast walk).

use super::expr::{Expr, Func, value};
use super::lex::Kind;
use super::parse::Parser;
use crate::js::knex_chain::{self, KChain, Link};
use crate::js::value::{Call, Value};
use crate::js::walk::Walker;
use crate::source::Span;

/// `root(args)?.a.b(args)…`: the root's name, its call, the links in order.
pub struct Chain {
    pub root: String,
    pub root_call: Option<Vec<Expr>>,
    pub links: Vec<CLink>,
    pub span: Span,
    /// The outermost call's callee as written (`knex('t').where(…).del`): what
    /// tree-sitter's path reads as the called function of the chain used as a value.
    pub func: String,
}

/// `.name` or `.name(args)` (with the end of the call's `)`).
pub struct CLink {
    pub name: String,
    pub call: Option<(Vec<Expr>, usize)>,
}

impl Parser<'_> {
    /// After `a.b(args)` with a `.` next: the rest of the chain, which must end with a call.
    pub(super) fn chain(
        &mut self,
        start: usize,
        names: Vec<String>,
        args: Vec<Expr>,
    ) -> Option<Expr> {
        let mut names = names.into_iter();
        let root = names.next()?;
        let mut links: Vec<CLink> = names.map(|name| CLink { name, call: None }).collect();
        let mut root_call = None;
        match links.last_mut() {
            Some(l) => l.call = Some((args, self.last_end())),
            None => root_call = Some(args),
        }
        let mut callee_end = 0;
        while self.eat(".").is_some() {
            let t = *self.peek().filter(|t| t.kind == Kind::Name && !t.comment)?;
            self.pos += 1;
            callee_end = t.end;
            let call = match self.eat("(") {
                Some(_) => Some((self.nested(|p| p.args())?, self.last_end())),
                None => None,
            };
            links.push(CLink {
                name: self.text(&t).to_string(),
                call,
            });
        }
        links.last()?.call.as_ref()?;
        self.no_postfix()?;
        let func = self.src.get(start..callee_end)?.to_string();
        Some(Expr::Chain(Box::new(Chain {
            root,
            root_call,
            links,
            span: Span::new(start, self.last_end()),
            func,
        })))
    }
}

impl Chain {
    /// The chain used as a value: a call of its callee as written.
    pub fn value(&self) -> Value {
        let args = self.links.last().and_then(|l| l.call.as_ref());
        Value::Call(Call {
            func: self.func.clone(),
            args: args.map_or_else(Vec::new, |(a, _)| a.iter().map(value).collect()),
            span: self.span,
        })
    }

    /// Every argument, in order: the root call's, then each link's.
    pub fn args(&self) -> impl Iterator<Item = &Expr> {
        let links = self.links.iter().filter_map(|l| l.call.as_ref());
        self.root_call
            .iter()
            .flatten()
            .chain(links.flat_map(|(a, _)| a))
    }
}

impl knex_chain::Body for &Func {
    fn walk(&self, w: &mut Walker, _depth: usize) {
        super::walk_body(w, &self.body);
    }
}

fn link<'e>(name: &str, call: Option<(&'e [Expr], Span)>) -> Link<&'e Func> {
    let args = call.map_or(&[][..], |(a, _)| a);
    Link {
        name: name.to_string(),
        call: call.map(|(_, s)| s),
        args: args.iter().map(value).collect(),
        func: args.iter().find_map(|a| match a {
            Expr::Func(f) => Some(knex_chain::Func {
                id: f.span.start,
                param: f.params.first().cloned(),
                body: &**f,
            }),
            _ => None,
        }),
    }
}

/// The chain of a call on a dotted name (`knex.schema.dropTable('a')`, `knex('t')`).
pub fn of_call<'e>(
    names: &[String],
    args: &'e [Expr],
    span: Span,
    is_value: bool,
) -> KChain<&'e Func> {
    let (root, rest) = match names.split_first() {
        Some((r, rest)) => (r.clone(), rest),
        None => (String::new(), &[][..]),
    };
    let last = rest.len().checked_sub(1);
    KChain {
        root,
        root_call: last.is_none().then(|| args.iter().map(value).collect()),
        links: rest
            .iter()
            .enumerate()
            .map(|(i, n)| link(n, (Some(i) == last).then_some((args, span))))
            .collect(),
        span,
        is_value,
    }
}

/// The owned chain of a chain of calls.
pub fn of_chain(c: &Chain, is_value: bool) -> KChain<&Func> {
    let at = |end: usize| Span::new(c.span.start, end);
    KChain {
        root: c.root.clone(),
        root_call: c.root_call.as_ref().map(|a| a.iter().map(value).collect()),
        links: c
            .links
            .iter()
            .map(|l| link(&l.name, l.call.as_ref().map(|(a, end)| (&a[..], at(*end)))))
            .collect(),
        span: c.span,
        is_value,
    }
}

/// `Walker::walk` on a Knex chain: the reader first, then every argument it did not walk
/// itself (a callback it consumed).
pub fn walk<'e>(w: &mut Walker, k: &KChain<&'e Func>, args: impl Iterator<Item = &'e Expr>) {
    let consumed = crate::js::knex::call(w, k, 0);
    for a in args {
        if let Expr::Func(f) = a
            && consumed.contains(&f.span.start)
        {
            continue;
        }
        super::walk(w, a, true);
    }
}
