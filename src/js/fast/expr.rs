//! The fast path's expressions and statements as data, and what tree-sitter's path reads
//! from them: values (`value::read`) and string literals as templates (`value::string`).

use crate::js::value::{Call, Value};
use crate::orm::Template;
use crate::source::Span;

/// An expression as the subset writes it.
pub enum Expr {
    /// A literal or a dotted name, read as it is.
    Lit(Value),
    Array(Vec<Expr>, Span),
    /// An object; `true`: a key is computed (`[Op.is]: null`), the object reads as unknown.
    Object(Vec<(String, Expr)>, Span, bool),
    /// A call or `new`: `func` as [`Call::func`] has it; `chain`, for a call (not `new`):
    /// the callee's dotted name split.
    Call {
        func: String,
        chain: Option<Vec<String>>,
        args: Vec<Expr>,
        span: Span,
    },
    Func(Box<Func>),
    /// A chain of calls (`knex('t').where(…).del()`, `t.string('c').notNullable()`): Knex
    /// files only.
    Chain(Box<super::chain::Chain>),
    /// `a + b`.
    Plus(Box<Expr>, Box<Expr>, Span),
}

pub struct Func {
    pub params: Vec<String>,
    pub body: Body,
    pub span: Span,
}

pub enum Body {
    Block(Vec<Stmt>),
    Expr(Expr),
}

pub enum Stmt {
    /// An expression statement, `return x`, `throw x`, `name = x`: the expression.
    Expr(Expr),
    /// `if (cond) … else …`: the condition and both branches.
    If(Expr, Vec<Stmt>, Vec<Stmt>),
    /// `const` (true) / `let`, `var` declarations: name (None: a pattern) and value.
    Decl(bool, Vec<(Option<String>, Option<Expr>)>),
}

pub fn plus_operand(e: &Expr) -> bool {
    matches!(
        e,
        Expr::Lit(Value::Str(_) | Value::Name(..) | Value::Num(..)) | Expr::Plus(..)
    )
}

pub fn span_of(e: &Expr) -> Span {
    match e {
        Expr::Lit(v) => v.span(),
        Expr::Array(_, s) | Expr::Object(_, s, _) | Expr::Plus(_, _, s) => *s,
        Expr::Call { span, .. } => *span,
        Expr::Func(f) => f.span,
        Expr::Chain(c) => c.span,
    }
}

/// The value tree-sitter's path reads for an expression (`value::read`).
pub fn value(e: &Expr) -> Value {
    match e {
        Expr::Lit(v) => v.clone(),
        Expr::Array(items, s) => Value::Array(items.iter().map(value).collect(), *s),
        Expr::Object(_, s, true) => Value::Unknown(*s),
        Expr::Object(pairs, s, false) => Value::Object(
            pairs.iter().map(|(k, v)| (k.clone(), value(v))).collect(),
            *s,
        ),
        Expr::Call {
            func, args, span, ..
        } => Value::Call(Call {
            func: func.clone(),
            args: args.iter().map(value).collect(),
            span: *span,
        }),
        Expr::Func(f) => Value::Func(f.span),
        Expr::Chain(c) => c.value(),
        Expr::Plus(l, r, s) => match (value(l), value(r)) {
            (Value::Str(a), Value::Str(b)) => Value::Str(crate::js::value::concat(a, b, *s)),
            _ => Value::Unknown(*s),
        },
    }
}

/// A string or template literal at `start..end` (checked by the lexer) as a template:
/// escapes decoded as tree-sitter's path decodes them, `${…}` kept as a hole.
pub fn string(src: &str, start: usize, end: usize) -> Option<Template> {
    let b = src.as_bytes();
    let mut t = Template::empty(Span::new(start, end));
    let (from, to) = (start + 1, end.checked_sub(1)?);
    let mut at = from;
    let mut i = from;
    while i < to {
        match b[i] {
            b'\\' => {
                t.push_raw(src, at, i);
                let c = *b.get(i + 1)?;
                let d = match c {
                    b'n' => '\n',
                    b't' => '\t',
                    b'r' => '\r',
                    other => other as char,
                };
                t.push_char(d, i);
                i += 2;
                at = i;
            }
            b'$' if b[start] == b'`' && b.get(i + 1) == Some(&b'{') => {
                let close = src.get(i..to)?.find('}')? + i + 1;
                t.push_raw(src, at, close);
                t.holes.push(Span::new(i, close));
                i = close;
                at = i;
            }
            _ => i += 1,
        }
    }
    t.push_raw(src, at, to);
    Some(t)
}
