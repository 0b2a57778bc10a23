//! The fast path's expression reader: the tokens of [`super::lex`] read into the same
//! [`Value`]s `value::read` gives on tree-sitter's tree — calls (dotted callee, receiver
//! chains, positional, keyword and `*` / `**` arguments), strings (prefixes, escapes,
//! implicit concatenation, f-strings with plain-name holes), integers, `True` / `False` /
//! `None`, names, lists, tuples, sets and dicts, with the same spans. What it does not
//! read exactly (operators, subscripts, lambdas, comprehensions, floats, keywords) returns
//! `None`: the whole file then goes to tree-sitter.

use super::lex::{Kind, StrTok, Tok};
use crate::python::value::{Call, Template, Value};
use crate::source::Span;

/// Python's reserved words (`True`, `False`, `None` included).
pub fn is_keyword(w: &str) -> bool {
    matches!(
        w,
        "False"
            | "None"
            | "True"
            | "and"
            | "as"
            | "assert"
            | "async"
            | "await"
            | "break"
            | "class"
            | "continue"
            | "def"
            | "del"
            | "elif"
            | "else"
            | "except"
            | "finally"
            | "for"
            | "from"
            | "global"
            | "if"
            | "import"
            | "in"
            | "is"
            | "lambda"
            | "nonlocal"
            | "not"
            | "or"
            | "pass"
            | "raise"
            | "return"
            | "try"
            | "while"
            | "with"
            | "yield"
    )
}

/// A word that is neither reserved nor soft (words tree-sitter-python also reads as
/// statement keywords: Python 2 `print` / `exec`, `match`, `case`, `type`): a plain name
/// everywhere.
pub fn is_plain(w: &str) -> bool {
    !is_keyword(w) && !matches!(w, "print" | "exec" | "match" | "case" | "type")
}

/// Binary and comparison operators.
fn binary(o: &str) -> bool {
    matches!(
        o,
        "+" | "-"
            | "*"
            | "/"
            | "//"
            | "%"
            | "@"
            | "**"
            | "<<"
            | ">>"
            | "&"
            | "|"
            | "^"
            | "<"
            | ">"
            | "=="
            | "!="
            | "<="
            | ">="
    )
}

/// What may follow an expression: delimiters and (augmented) assignment.
fn ends(o: &str) -> bool {
    matches!(
        o,
        ")" | "]"
            | "}"
            | ","
            | ":"
            | "="
            | "+="
            | "-="
            | "*="
            | "/="
            | "//="
            | "%="
            | "**="
            | "&="
            | "|="
            | "^="
            | ">>="
            | "<<="
            | "@="
    )
}

/// Nesting (counted the way tree-sitter's reader recurses, with room to spare) beyond this is
/// left to tree-sitter: its reader turns values deeper than 64 into `Unknown`.
const MAX_DEPTH: usize = 40;

/// A call's positional and keyword arguments.
pub type Args = (Vec<Value>, Vec<(String, Value)>);

pub struct Parser<'a> {
    pub src: &'a str,
    toks: &'a [Tok],
    i: usize,
}

impl<'a> Parser<'a> {
    pub fn new(src: &'a str, toks: &'a [Tok]) -> Self {
        Parser { src, toks, i: 0 }
    }

    /// The next token that is not a comment, not consumed.
    pub fn peek(&self) -> Option<&'a Tok> {
        self.toks[self.i..]
            .iter()
            .find(|t| !matches!(t.kind, Kind::Comment))
    }

    /// The token `k` places on (comments count as tokens here).
    pub fn peek_raw(&self, k: usize) -> Option<&'a Tok> {
        self.toks.get(self.i + k)
    }

    /// Consume comments, then the next token.
    pub fn next(&mut self) -> Option<&'a Tok> {
        self.eat_comments();
        let t = self.toks.get(self.i)?;
        self.i += 1;
        Some(t)
    }

    /// Consume comments; were there any?
    fn eat_comments(&mut self) -> bool {
        let from = self.i;
        while self
            .toks
            .get(self.i)
            .is_some_and(|t| matches!(t.kind, Kind::Comment))
        {
            self.i += 1;
        }
        self.i > from
    }

    pub fn text(&self, t: &Tok) -> &'a str {
        self.src.get(t.start..t.end).unwrap_or("")
    }

    pub fn is_op(&self, op: &str) -> bool {
        self.peek()
            .is_some_and(|t| matches!(t.kind, Kind::Op(o) if o == op))
    }

    pub fn eat_op(&mut self, op: &str) -> Option<&'a Tok> {
        if self.is_op(op) { self.next() } else { None }
    }

    /// The next token is a name (not consumed): its text.
    pub fn peek_name(&self) -> Option<&'a str> {
        self.peek()
            .filter(|t| matches!(t.kind, Kind::Name))
            .map(|t| self.text(t))
    }

    pub fn name(&mut self) -> Option<&'a str> {
        let w = self.peek_name()?;
        self.next();
        Some(w)
    }

    pub fn newline(&mut self) -> Option<()> {
        matches!(self.next()?.kind, Kind::Newline).then_some(())
    }

    /// Where the last consumed token ends.
    pub fn prev_end(&self) -> usize {
        self.i
            .checked_sub(1)
            .and_then(|i| self.toks.get(i))
            .map_or(0, |t| t.end)
    }

    /// An expression, followed by what may end one (a delimiter, never an operator).
    pub fn expr(&mut self, depth: usize) -> Option<Value> {
        let v = self.test(depth)?;
        match self.peek().map(|t| (&t.kind, self.text(t))) {
            Some((Kind::Newline, _) | (Kind::Name, "as")) => Some(v),
            Some((Kind::Op(o), _)) if ends(o) => Some(v),
            _ => None,
        }
    }

    /// `a if b else c` and everything below it. Operators are read as tree-sitter's reader
    /// reads them: the whole expression is [`Value::Unknown`] with its span.
    fn test(&mut self, depth: usize) -> Option<Value> {
        if depth > MAX_DEPTH {
            return None;
        }
        let start = self.peek()?.start;
        let v = self.or_test(depth)?;
        if self.peek_name() != Some("if") {
            return Some(v);
        }
        self.next();
        self.or_test(depth + 1)?;
        (self.name()? == "else").then_some(())?;
        self.test(depth + 1)?;
        Some(Value::Unknown(Span::new(start, self.prev_end())))
    }

    /// `a or b and not c`.
    fn or_test(&mut self, depth: usize) -> Option<Value> {
        let start = self.peek()?.start;
        let mut v = self.not_test(depth)?;
        while matches!(self.peek_name(), Some("and" | "or")) {
            self.next();
            self.not_test(depth + 1)?;
            v = Value::Unknown(Span::new(start, self.prev_end()));
        }
        Some(v)
    }

    fn not_test(&mut self, depth: usize) -> Option<Value> {
        if depth > MAX_DEPTH {
            return None;
        }
        if self.peek_name() == Some("not") {
            let start = self.next()?.start;
            self.not_test(depth + 1)?;
            return Some(Value::Unknown(Span::new(start, self.prev_end())));
        }
        self.arith(depth)
    }

    /// Comparisons and binary operators (`a + b`, `a not in b`, `a is not b`).
    fn arith(&mut self, depth: usize) -> Option<Value> {
        let start = self.peek()?.start;
        let mut v = self.unary(depth)?;
        loop {
            match self.peek().map(|t| (&t.kind, self.text(t))) {
                Some((Kind::Op(o), _)) if binary(o) => {
                    self.next();
                }
                Some((Kind::Name, "in")) => {
                    self.next();
                }
                Some((Kind::Name, "is")) => {
                    self.next();
                    if self.peek_name() == Some("not") {
                        self.next();
                    }
                }
                Some((Kind::Name, "not"))
                    if self.peek_raw(1).is_some_and(|t| self.text(t) == "in") =>
                {
                    self.next();
                    self.next();
                }
                _ => return Some(v),
            }
            self.unary(depth + 1)?;
            v = Value::Unknown(Span::new(start, self.prev_end()));
        }
    }

    /// `-a`, `+a`, `~a`.
    fn unary(&mut self, depth: usize) -> Option<Value> {
        if depth > MAX_DEPTH {
            return None;
        }
        if let Some(t) = self
            .eat_op("-")
            .or_else(|| self.eat_op("+"))
            .or_else(|| self.eat_op("~"))
        {
            let start = t.start;
            self.unary(depth + 1)?;
            return Some(Value::Unknown(Span::new(start, self.prev_end())));
        }
        self.primary(depth)
    }

    /// An atom and what follows it: attributes, calls, subscripts.
    fn primary(&mut self, depth: usize) -> Option<Value> {
        if depth > MAX_DEPTH {
            return None;
        }
        let first = self.next()?;
        let start = first.start;
        let sp = Span::new(first.start, first.end);
        // a plain (dotted) name so far
        let mut dotted = false;
        let mut concat = false;
        let mut cur = match &first.kind {
            Kind::Name => match self.text(first) {
                "True" => Value::Bool(true, sp),
                "False" => Value::Bool(false, sp),
                "None" => Value::None(sp),
                w if is_plain(w) => {
                    dotted = true;
                    Value::Name(w.to_string(), sp)
                }
                _ => return None,
            },
            Kind::Int => self
                .text(first)
                .replace('_', "")
                .parse()
                .map_or(Value::Unknown(sp), |i| Value::Int(i, sp)),
            Kind::Str(s) => {
                let mut parts: Vec<&StrTok> = vec![s];
                while let Some(Tok {
                    kind: Kind::Str(s), ..
                }) = self.peek()
                {
                    self.next();
                    parts.push(s);
                }
                concat = parts.len() > 1;
                let span = Span::new(start, self.prev_end());
                if parts.iter().any(|p| p.bytes) {
                    Value::Unknown(span)
                } else {
                    Value::Str(self.template(&parts, span))
                }
            }
            Kind::Op("(") => self.paren(start, depth + 1)?,
            Kind::Op("[") => {
                let items = self.items("]", depth + 1)?;
                Value::List(items, Span::new(start, self.prev_end()))
            }
            Kind::Op("{") => self.brace(start, depth + 1)?,
            _ => return None,
        };
        let mut attr_of: Option<(&str, Value)> = None;
        let mut chain = 0;
        loop {
            if self.eat_op(".").is_some() {
                let w = self.name().filter(|w| !is_keyword(w))?;
                if concat {
                    return None;
                }
                let span = Span::new(start, self.prev_end());
                match (&cur, dotted) {
                    (Value::Name(n, _), true) => cur = Value::Name(format!("{n}.{w}"), span),
                    _ => {
                        let obj = std::mem::replace(&mut cur, Value::Unknown(span));
                        attr_of = Some((w, obj));
                    }
                }
            } else if self.is_op("(") {
                chain += 2;
                if depth + chain > MAX_DEPTH || concat {
                    return None;
                }
                let (func, receiver) = match (&cur, dotted, attr_of.take()) {
                    (Value::Name(n, _), true, _) => (n.clone(), None),
                    (_, _, Some((attr, obj))) => (format!(".{attr}"), Some(Box::new(obj))),
                    _ => (self.src.get(start..self.prev_end())?.to_string(), None),
                };
                let (args, kwargs) = self.args(depth + chain)?;
                cur = Value::Call(Call {
                    func,
                    args,
                    kwargs,
                    span: Span::new(start, self.prev_end()),
                    receiver,
                });
                dotted = false;
            } else if self.eat_op("[").is_some() {
                if concat {
                    return None;
                }
                self.subscript(depth + 1)?;
                cur = Value::Unknown(Span::new(start, self.prev_end()));
                dotted = false;
                attr_of = None;
            } else {
                break;
            }
        }
        Some(cur)
    }

    /// A subscript after its `[`: indexes and slices (`a:b:c`), comma-separated, to `]`.
    fn subscript(&mut self, depth: usize) -> Option<()> {
        loop {
            if !self.is_op(":") {
                self.test(depth)?;
            }
            for _ in 0..2 {
                if self.eat_op(":").is_none() {
                    break;
                }
                if !self.is_op(":") && !self.is_op(",") && !self.is_op("]") {
                    self.test(depth)?;
                }
            }
            if self.eat_op(",").is_none() || self.is_op("]") {
                return self.eat_op("]").map(|_| ());
            }
        }
    }

    /// `( … )` after its `(` at `start`: `()`, a parenthesized expression or a tuple.
    fn paren(&mut self, start: usize, depth: usize) -> Option<Value> {
        let lead = self.eat_comments();
        if self.eat_op(")").is_some() {
            return Some(Value::Tuple(Vec::new(), Span::new(start, self.prev_end())));
        }
        let first = self.expr(depth)?;
        let trail = self.eat_comments();
        if self.eat_op(")").is_some() {
            // a comment inside the parentheses is a second child: tree-sitter's reader
            // gives up on it
            return Some(if lead || trail {
                Value::Unknown(Span::new(start, self.prev_end()))
            } else {
                first
            });
        }
        self.eat_op(",")?;
        let mut items = vec![first];
        items.extend(self.items(")", depth)?);
        Some(Value::Tuple(items, Span::new(start, self.prev_end())))
    }

    /// Comma-separated expressions up to and including `close` (a trailing comma allowed).
    fn items(&mut self, close: &str, depth: usize) -> Option<Vec<Value>> {
        let mut items = Vec::new();
        loop {
            if self.eat_op(close).is_some() {
                return Some(items);
            }
            items.push(self.expr(depth)?);
            if self.eat_op(",").is_none() {
                self.eat_op(close)?;
                return Some(items);
            }
        }
    }

    /// `{ … }` after its `{` at `start`: a dict, or a set (read as a tuple).
    fn brace(&mut self, start: usize, depth: usize) -> Option<Value> {
        if self.eat_op("}").is_some() {
            return Some(Value::Dict(Vec::new(), Span::new(start, self.prev_end())));
        }
        let first = self.expr(depth)?;
        if self.eat_op(":").is_none() {
            let mut items = vec![first];
            if self.eat_op(",").is_some() {
                items.extend(self.items("}", depth)?);
            } else {
                self.eat_op("}")?;
            }
            return Some(Value::Tuple(items, Span::new(start, self.prev_end())));
        }
        let mut pairs = vec![(first, self.expr(depth)?)];
        loop {
            if self.eat_op("}").is_some() {
                break;
            }
            self.eat_op(",")?;
            if self.eat_op("}").is_some() {
                break;
            }
            let k = self.expr(depth)?;
            self.eat_op(":")?;
            pairs.push((k, self.expr(depth)?));
        }
        Some(Value::Dict(pairs, Span::new(start, self.prev_end())))
    }

    /// A call's arguments, from its `(` to its `)`.
    pub fn args(&mut self, depth: usize) -> Option<Args> {
        self.eat_op("(")?;
        let mut args = Vec::new();
        let mut kwargs = Vec::new();
        loop {
            if self.eat_op(")").is_some() {
                return Some((args, kwargs));
            }
            self.eat_comments();
            let kw = match (self.peek_raw(0), self.peek_raw(1)) {
                (Some(k), Some(eq)) if matches!(k.kind, Kind::Name) => {
                    matches!(eq.kind, Kind::Op("=")) && !is_keyword(self.text(k))
                }
                _ => false,
            };
            if kw {
                let name = self.name()?.to_string();
                self.next();
                kwargs.push((name, self.expr(depth)?));
            } else if let Some(star) = self.eat_op("*").or_else(|| self.eat_op("**")) {
                let start = star.start;
                self.expr(depth)?;
                args.push(Value::Unknown(Span::new(start, self.prev_end())));
            } else {
                args.push(self.expr(depth)?);
            }
            if self.eat_op(",").is_none() {
                self.eat_op(")")?;
                return Some((args, kwargs));
            }
        }
    }

    /// The value of adjacent string literals, as `value::read` builds it.
    fn template(&self, parts: &[&StrTok], span: Span) -> Template {
        let mut t = Template {
            text: String::new(),
            map: Vec::new(),
            holes: Vec::new(),
            span,
        };
        for p in parts {
            decode(self.src, p, &mut t);
        }
        t
    }
}

/// One literal's content appended to `t`: escapes decoded (the ones tree-sitter's reader
/// decodes; the rest stay as written), holes rendered as `${name}`.
fn decode(src: &str, p: &StrTok, t: &mut Template) {
    let (s, e) = p.body;
    if p.raw {
        t.push_raw(src, s, e);
        return;
    }
    let b = src.as_bytes();
    let mut holes = p.holes.iter();
    let mut pos = s;
    let mut i = s;
    while i < e {
        // content up to the next escape or brace
        match b[i..e]
            .iter()
            .position(|&c| c == b'\\' || (p.fmt && (c == b'{' || c == b'}')))
        {
            Some(k) => i += k,
            None => break,
        }
        match b[i] {
            b'\\' => {
                let at = i;
                // Some((char or nothing, length)): an escape the reader decodes
                let esc: Option<(Option<char>, usize)> = match b.get(i + 1) {
                    Some(b'n') => Some((Some('\n'), 2)),
                    Some(b't') => Some((Some('\t'), 2)),
                    Some(b'r') => Some((Some('\r'), 2)),
                    Some(b'\\') => Some((Some('\\'), 2)),
                    Some(b'\'') => Some((Some('\''), 2)),
                    Some(b'"') => Some((Some('"'), 2)),
                    Some(b'0') if !b.get(i + 2).is_some_and(u8::is_ascii_digit) => {
                        Some((Some('\0'), 2))
                    }
                    Some(b'\n') => Some((None, 2)),
                    Some(b'x') => hex(src, i + 2, 2, e),
                    Some(b'u') => hex(src, i + 2, 4, e),
                    Some(b'U') => hex(src, i + 2, 8, e),
                    _ => None,
                };
                match esc {
                    Some((ch, len)) => {
                        t.push_raw(src, pos, at);
                        if let Some(ch) = ch {
                            t.push_char(ch, at);
                        }
                        i = at + len;
                        pos = i;
                    }
                    // as written, like content
                    None => i += 1,
                }
            }
            b'{' if p.fmt && b.get(i + 1) == Some(&b'{') => i += 2,
            b'}' if p.fmt && b.get(i + 1) == Some(&b'}') => i += 2,
            b'{' if p.fmt => {
                let Some(&((hs, he), (ns, ne))) = holes.next() else {
                    // the lexer found every hole; nothing else starts with `{`
                    i += 1;
                    continue;
                };
                t.push_raw(src, pos, i);
                let hole = format!("${{{}}}", src.get(ns..ne).unwrap_or(""));
                t.map.extend(std::iter::repeat_n(hs, hole.len()));
                t.text.push_str(&hole);
                t.holes.push(Span::new(hs, he));
                i = he;
                pos = i;
            }
            _ => i += 1,
        }
    }
    t.push_raw(src, pos, e);
}

/// `\x` / `\u` / `\U` with `n` hex digits from `from`: the character (invalid ones stay as
/// written, like tree-sitter's reader leaves them).
fn hex(src: &str, from: usize, n: usize, end: usize) -> Option<(Option<char>, usize)> {
    let digits = src.get(from..from + n).filter(|_| from + n <= end)?;
    if !digits.bytes().all(|c| c.is_ascii_hexdigit()) {
        return None;
    }
    let ch = u32::from_str_radix(digits, 16)
        .ok()
        .and_then(char::from_u32)?;
    Some((Some(ch), n + 2))
}
