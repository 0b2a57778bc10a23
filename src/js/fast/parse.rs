//! The fast path's expressions and statements: literals, dotted names, calls on a dotted
//! name (one call per chain), `new X(…)`, arrays, objects, `+` of literals and names,
//! functions (arrow, `function`, methods) whose bodies are expression statements,
//! `return` and `const` / `let` / `var` declarations. Anything else is `None`.

use super::expr::{Body, Expr, Func, Stmt, plus_operand, span_of, string};
use super::lex::{Kind, Tok, is_reserved};
use crate::js::value::Value;
use crate::source::Span;

/// Containers and functions nested deeper than this are not in the subset (far below what
/// tree-sitter's path reads: its limits are never reached).
const MAX_NEST: usize = 8;
const MAX_FUNCS: usize = 2;

pub struct Parser<'a> {
    pub src: &'a str,
    toks: &'a [Tok],
    pub pos: usize,
    nest: usize,
    funcs: usize,
    /// Read chains of calls (`a.b(x).c()`): Knex files.
    pub chains: bool,
}

impl<'a> Parser<'a> {
    pub fn new(src: &'a str, toks: &'a [Tok]) -> Parser<'a> {
        Parser {
            src,
            toks,
            pos: 0,
            nest: 0,
            funcs: 0,
            chains: false,
        }
    }

    pub fn peek(&self) -> Option<&'a Tok> {
        self.toks.get(self.pos)
    }

    pub fn peek_at(&self, k: usize) -> Option<&'a Tok> {
        self.toks.get(self.pos + k)
    }

    pub fn text(&self, t: &Tok) -> &'a str {
        self.src.get(t.start..t.end).unwrap_or("")
    }

    pub fn at_end(&self) -> bool {
        self.pos >= self.toks.len()
    }

    /// The next token's text when it is a name.
    pub fn peek_name(&self) -> Option<&'a str> {
        self.peek()
            .filter(|t| t.kind == Kind::Name)
            .map(|t| self.text(t))
    }

    pub fn is(&self, p: &str) -> bool {
        self.is_at(0, p)
    }

    pub fn is_at(&self, k: usize, p: &str) -> bool {
        self.peek_at(k)
            .is_some_and(|t| t.kind == Kind::Punct && self.text(t) == p)
    }

    /// The next token when it is of `kind` and reads `text`, taken.
    fn take(&mut self, kind: Kind, text: &str) -> Option<&'a Tok> {
        let t = self
            .peek()
            .filter(|t| t.kind == kind && self.text(t) == text)?;
        self.pos += 1;
        Some(t)
    }

    pub fn eat(&mut self, p: &str) -> Option<&'a Tok> {
        self.take(Kind::Punct, p)
    }

    pub fn eat_name(&mut self, w: &str) -> Option<&'a Tok> {
        self.take(Kind::Name, w)
    }

    pub fn name(&mut self) -> Option<&'a str> {
        let w = self.peek_name()?;
        self.pos += 1;
        Some(w)
    }

    /// The end of the last token taken.
    pub fn last_end(&self) -> usize {
        self.pos
            .checked_sub(1)
            .and_then(|i| self.toks.get(i))
            .map_or(0, |t| t.end)
    }

    /// The end of a statement: `;`, a `}` or the end of the file next, or a line break
    /// before a name that cannot continue the statement.
    pub fn end_stmt(&mut self) -> Option<()> {
        if self.eat(";").is_some() || self.is("}") || self.at_end() {
            return Some(());
        }
        let t = self.peek()?;
        let w = self.text(t);
        (t.nl
            && t.kind == Kind::Name
            && !matches!(w, "as" | "in" | "instanceof" | "satisfies" | "of" | "is"))
        .then_some(())
    }

    /// A type annotation: `a.B`, `B<C, D[]>`, `typeof a.B`, `void`.
    pub fn ty(&mut self, depth: usize) -> Option<()> {
        if depth > 4 {
            return None;
        }
        self.eat_name("typeof");
        self.plain_name()?;
        while self.eat(".").is_some() {
            self.plain_name()?;
        }
        if self.eat("<").is_some() {
            loop {
                self.ty(depth + 1)?;
                if self.eat(",").is_none() {
                    break;
                }
            }
            self.eat(">")?;
        }
        while self.is("[") && self.is_at(1, "]") {
            self.pos += 2;
        }
        Some(())
    }

    /// A name that is not reserved (`void`, `any` and other type names are fine).
    fn plain_name(&mut self) -> Option<&'a str> {
        let w = self.peek_name()?;
        if is_reserved(w) && w != "void" && w != "object" {
            return None;
        }
        self.pos += 1;
        Some(w)
    }

    /// `(a, b: T)` (after its `(`): plain names, optional type annotations, no comments.
    pub fn params(&mut self) -> Option<Vec<String>> {
        let first = self.pos;
        let mut out = Vec::new();
        loop {
            if self.eat(")").is_some() {
                break;
            }
            let w = self.plain_name()?;
            if self.eat(":").is_some() {
                self.ty(0)?;
            }
            out.push(w.to_string());
            if self.eat(",").is_none() {
                self.eat(")")?;
                break;
            }
        }
        // a comment in the list is a parameter to tree-sitter's path
        if self.toks.get(first..self.pos)?.iter().any(|t| t.comment) {
            return None;
        }
        Some(out)
    }

    /// A function body: `{ statements }` (after its `{`).
    pub fn block(&mut self) -> Option<Vec<Stmt>> {
        let mut out = Vec::new();
        loop {
            if self.eat("}").is_some() {
                return Some(out);
            }
            if self.eat(";").is_some() {
                continue;
            }
            out.push(self.stmt()?);
        }
    }

    fn stmt(&mut self) -> Option<Stmt> {
        match self.peek_name() {
            Some(w @ ("const" | "let" | "var")) => {
                self.pos += 1;
                let d = self.decls()?;
                self.end_stmt()?;
                Some(Stmt::Decl(w == "const", d))
            }
            Some(w @ ("return" | "throw")) => {
                self.pos += 1;
                if w == "return" && (self.eat(";").is_some() || self.is("}")) {
                    return Some(Stmt::Decl(false, Vec::new()));
                }
                // `return` / `throw` and a line break: not the statement it looks like
                if self.peek()?.nl {
                    return None;
                }
                let e = self.expr()?;
                self.end_stmt()?;
                Some(Stmt::Expr(e))
            }
            Some("if") => {
                self.pos += 1;
                self.eat("(")?;
                while self.eat("!").is_some() {}
                let cond = self.expr()?;
                self.eat(")")?;
                let then = self.branch()?;
                let other = if self.eat_name("else").is_some() {
                    self.branch()?
                } else {
                    Vec::new()
                };
                Some(Stmt::If(cond, then, other))
            }
            Some(w) if !is_reserved(w) && self.is_at(1, "=") => {
                self.pos += 2;
                let e = self.expr()?;
                self.end_stmt()?;
                Some(Stmt::Expr(e))
            }
            // a block, a declaration or a label
            Some("function" | "async" | "class") => None,
            _ if self.is("{") => None,
            _ => {
                let e = self.expr()?;
                self.end_stmt()?;
                Some(Stmt::Expr(e))
            }
        }
    }

    /// The branch of an `if`: a block or one statement.
    fn branch(&mut self) -> Option<Vec<Stmt>> {
        if self.nest >= MAX_NEST {
            return None;
        }
        self.nest += 1;
        let r = if self.eat("{").is_some() {
            self.block()
        } else {
            self.stmt().map(|s| vec![s])
        };
        self.nest -= 1;
        r
    }

    /// `a = 1, { b, c } = d` (after `const`): a pattern is plain names only.
    pub fn decls(&mut self) -> Option<Vec<(Option<String>, Option<Expr>)>> {
        let mut out = Vec::new();
        loop {
            let name = if self.eat("{").is_some() {
                loop {
                    self.plain_name()?;
                    if self.eat(",").is_none() {
                        break;
                    }
                    if self.is("}") {
                        break;
                    }
                }
                self.eat("}")?;
                None
            } else {
                Some(self.plain_name()?.to_string())
            };
            if self.eat(":").is_some() {
                self.ty(0)?;
            }
            let value = match self.eat("=") {
                Some(_) => Some(self.expr()?),
                None => None,
            };
            out.push((name, value));
            if self.eat(",").is_none() {
                return Some(out);
            }
        }
    }

    pub fn expr(&mut self) -> Option<Expr> {
        let first = self.unary()?;
        if !self.is("+") {
            return Some(first);
        }
        let start = span_of(&first).start;
        let mut acc = first;
        while self.eat("+").is_some() {
            if !plus_operand(&acc) || self.is("(") || self.peek_name() == Some("await") {
                return None;
            }
            let r = self.unary()?;
            if !plus_operand(&r) {
                return None;
            }
            let span = Span::new(start, span_of(&r).end);
            acc = Expr::Plus(Box::new(acc), Box::new(r), span);
        }
        Some(acc)
    }

    /// An expression that may start with `await` (read through, as tree-sitter's path
    /// unwraps it).
    fn unary(&mut self) -> Option<Expr> {
        if self.peek_name() == Some("await") {
            self.pos += 1;
            let e = self.primary()?;
            // `await a + b`: the sum's span starts at `await`
            if self.is("+") {
                return None;
            }
            return matches!(
                e,
                Expr::Call { .. } | Expr::Chain(_) | Expr::Lit(Value::Name(..))
            )
            .then_some(e);
        }
        self.primary()
    }

    fn primary(&mut self) -> Option<Expr> {
        let t = *self.peek()?;
        let sp = Span::new(t.start, t.end);
        match t.kind {
            Kind::Str | Kind::Template => {
                self.pos += 1;
                let s = string(self.src, t.start, t.end)?;
                self.no_postfix()?;
                Some(Expr::Lit(Value::Str(s)))
            }
            Kind::Num => {
                self.pos += 1;
                let f: f64 = self.text(&t).parse().ok()?;
                self.no_postfix()?;
                Some(Expr::Lit(Value::Num(f, sp)))
            }
            Kind::Punct => match self.text(&t) {
                "[" => self.nested(|p| p.array(t.start)),
                "{" => self.nested(|p| p.object(t.start)),
                "(" => {
                    if let Some(f) = self.try_arrow(t.start) {
                        return Some(f);
                    }
                    self.pos += 1;
                    let e = self.nested(|p| p.expr())?;
                    self.eat(")")?;
                    self.no_postfix()?;
                    // `(a) + b`: the sum's span starts at the parenthesis
                    if self.is("+") {
                        return None;
                    }
                    Some(e)
                }
                _ => None,
            },
            Kind::Name => {
                let w = self.text(&t);
                let lit = match w {
                    "true" => Some(Value::Bool(true, sp)),
                    "false" => Some(Value::Bool(false, sp)),
                    "null" | "undefined" => Some(Value::Null(sp)),
                    _ => None,
                };
                if let Some(v) = lit {
                    self.pos += 1;
                    self.no_postfix()?;
                    return Some(Expr::Lit(v));
                }
                match w {
                    "new" => {
                        self.pos += 1;
                        let (name, _) = self.dotted()?;
                        self.eat("(")?;
                        let args = self.nested(|p| p.args())?;
                        self.no_postfix()?;
                        Some(Expr::Call {
                            func: format!("new {}", name.join(".")),
                            chain: None,
                            args,
                            span: Span::new(t.start, self.last_end()),
                        })
                    }
                    "async" | "function" => self.func_expr(t.start),
                    _ if self.is_at(1, "=>") => self.func_expr(t.start),
                    _ => {
                        let (name, end) = self.dotted()?;
                        if self.eat("(").is_some() {
                            let args = self.nested(|p| p.args())?;
                            if self.chains && self.is(".") {
                                return self.chain(t.start, name, args);
                            }
                            self.no_postfix()?;
                            return Some(Expr::Call {
                                func: name.join("."),
                                chain: Some(name),
                                args,
                                span: Span::new(t.start, self.last_end()),
                            });
                        }
                        self.no_postfix()?;
                        Some(Expr::Lit(Value::Name(
                            name.join("."),
                            Span::new(t.start, end),
                        )))
                    }
                }
            }
        }
    }

    /// After a value: nothing that would make it part of a longer expression this subset
    /// does not read (`.x`, `(…)`, `[…]`, a tagged template, `=`, `<`…).
    pub(super) fn no_postfix(&self) -> Option<()> {
        match self.peek() {
            None => Some(()),
            Some(t) if t.kind == Kind::Template => None,
            Some(t) if t.kind == Kind::Punct => {
                matches!(self.text(t), ")" | "]" | "}" | "," | ";" | "+").then_some(())
            }
            Some(_) => Some(()),
        }
    }

    /// `a.b.c` (its first name not reserved, except `this`): the names and the end.
    fn dotted(&mut self) -> Option<(Vec<String>, usize)> {
        let first = self.peek_name()?;
        if is_reserved(first) {
            return None;
        }
        self.pos += 1;
        let mut out = vec![first.to_string()];
        while self.eat(".").is_some() {
            let t = self.peek().filter(|t| t.kind == Kind::Name && !t.comment)?;
            out.push(self.text(t).to_string());
            self.pos += 1;
        }
        Some((out, self.last_end()))
    }

    pub(super) fn nested<T>(&mut self, f: impl FnOnce(&mut Self) -> Option<T>) -> Option<T> {
        if self.nest >= MAX_NEST {
            return None;
        }
        self.nest += 1;
        let r = f(self);
        self.nest -= 1;
        r
    }

    /// Call arguments (after the `(`).
    pub(super) fn args(&mut self) -> Option<Vec<Expr>> {
        let mut out = Vec::new();
        loop {
            if self.eat(")").is_some() {
                return Some(out);
            }
            out.push(self.expr()?);
            if self.eat(",").is_none() {
                self.eat(")")?;
                return Some(out);
            }
        }
    }

    fn array(&mut self, start: usize) -> Option<Expr> {
        self.pos += 1;
        let mut out = Vec::new();
        loop {
            if self.eat("]").is_some() {
                break;
            }
            out.push(self.expr()?);
            if self.eat(",").is_none() {
                self.eat("]")?;
                break;
            }
        }
        self.no_postfix()?;
        Some(Expr::Array(out, Span::new(start, self.last_end())))
    }

    fn object(&mut self, start: usize) -> Option<Expr> {
        self.pos += 1;
        let mut out = Vec::new();
        let mut computed = false;
        loop {
            if self.eat("}").is_some() {
                break;
            }
            if self.eat("[").is_some() {
                // `[a.b]: value`: a dotted name as the key
                self.dotted()?;
                self.eat("]")?;
                self.eat(":")?;
                computed = true;
                let v = self.expr()?;
                out.push((String::new(), v));
                if self.eat(",").is_none() {
                    self.eat("}")?;
                    break;
                }
                continue;
            }
            let t = *self.peek()?;
            let key = match t.kind {
                Kind::Name => self.text(&t).to_string(),
                Kind::Num => self.text(&t).to_string(),
                Kind::Str => string(self.src, t.start, t.end)?.literal()?.to_string(),
                _ => return None,
            };
            self.pos += 1;
            if self.eat(":").is_some() {
                let v = self.expr()?;
                out.push((key, v));
            } else if t.kind == Kind::Name && !is_reserved(&key) && (self.is(",") || self.is("}")) {
                out.push((
                    key.clone(),
                    Expr::Lit(Value::Name(key, Span::new(t.start, t.end))),
                ));
            } else {
                return None;
            }
            if self.eat(",").is_none() {
                self.eat("}")?;
                break;
            }
        }
        self.no_postfix()?;
        Some(Expr::Object(
            out,
            Span::new(start, self.last_end()),
            computed,
        ))
    }

    /// An arrow function at `(`, if it is one; the position is kept otherwise.
    fn try_arrow(&mut self, start: usize) -> Option<Expr> {
        let save = self.pos;
        let r = (|| {
            self.eat("(")?;
            let params = self.params()?;
            if self.eat(":").is_some() {
                self.ty(0)?;
            }
            self.eat("=>")?;
            self.func_body(params, start)
        })();
        if r.is_none() {
            self.pos = save;
        }
        r
    }

    /// `async (…) => …`, `x => …`, `function (…) {…}`, `async function name(…) {…}`.
    fn func_expr(&mut self, start: usize) -> Option<Expr> {
        self.eat_name("async");
        if self.eat_name("function").is_some() {
            if !self.is("(") {
                self.plain_name()?;
            }
            return self.method(start).map(|f| Expr::Func(Box::new(f)));
        }
        if self.is("(") {
            return self.try_arrow(start);
        }
        let p = self.plain_name()?;
        if self.peek()?.nl {
            return None;
        }
        self.eat("=>")?;
        self.func_body(vec![p.to_string()], start)
    }

    /// A function's body after `=>` or its parameters: a block or an expression.
    pub fn func_body(&mut self, params: Vec<String>, start: usize) -> Option<Expr> {
        if self.funcs >= MAX_FUNCS || self.nest >= MAX_NEST {
            return None;
        }
        self.funcs += 1;
        self.nest += 1;
        let body = if self.eat("{").is_some() {
            self.block().map(Body::Block)
        } else {
            self.expr().map(Body::Expr)
        };
        self.funcs -= 1;
        self.nest -= 1;
        let body = body?;
        self.no_postfix()?;
        Some(Expr::Func(Box::new(Func {
            params,
            body,
            span: Span::new(start, self.last_end()),
        })))
    }

    /// A method's parameters, return type and body (after its name): a function.
    pub fn method(&mut self, start: usize) -> Option<Func> {
        self.eat("(")?;
        let params = self.params()?;
        if self.eat(":").is_some() {
            self.ty(0)?;
        }
        if !self.is("{") {
            return None;
        }
        match self.func_body(params, start)? {
            Expr::Func(f) => Some(*f),
            _ => None,
        }
    }
}
