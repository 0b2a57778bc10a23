//! Expressions: literals, constants, method chains with their arguments and blocks.

use super::{Kid, P};
use crate::ruby::fast::lex::{is_ident_byte, is_keyword};

impl<'a> P<'a> {
    /// An expression; `command`: at the start of a statement, where a call may take its
    /// arguments without parentheses and a block.
    pub(super) fn expr(&mut self, command: bool) -> Option<u32> {
        self.deeper()?;
        let r = self.expr_inner(command);
        self.depth -= 1;
        r
    }

    fn expr_inner(&mut self, command: bool) -> Option<u32> {
        let start = self.l.pos();
        let mut x = self.primary()?;
        // `foo` alone may take arguments: the method of a call
        let mut callee: Option<(Option<u32>, u32)> = None;
        if self.t.nodes[x as usize].kind == "identifier" {
            callee = Some((None, x));
        }
        loop {
            match self.l.peek() {
                Some(b'.') if self.l.peek_at(1) != Some(b'.') => {
                    self.l.bump();
                    let (ms, me) = self.l.method_name()?;
                    if is_keyword(&self.l.src[ms..me]) && &self.l.src[ms..me] != "up" {
                        // `x.class`, `x.then`…: left to tree-sitter
                        return None;
                    }
                    let m = self.leaf("identifier", ms, me);
                    if self.l.peek() == Some(b'(') {
                        let a = self.paren_args()?;
                        x = self.call(start, Some(x), m, Some(("arguments", a)));
                        callee = None;
                    } else {
                        x = self.call(start, Some(x), m, None);
                        callee = Some((Some(x), m));
                    }
                }
                Some(b'(') if callee.is_some_and(|(r, _)| r.is_none()) => {
                    let a = self.paren_args()?;
                    x = self.call(start, None, x, Some(("arguments", a)));
                    callee = None;
                }
                Some(b'[')
                    if matches!(
                        self.t.nodes[x as usize].kind,
                        "constant" | "scope_resolution"
                    ) =>
                {
                    self.l.bump();
                    let mut kids = vec![(Some("object"), x)];
                    let e = self.expr(false)?;
                    kids.push((None, e));
                    self.l.eat(b']')?;
                    x = self.node("element_reference", start, self.l.pos(), kids);
                }
                _ => break,
            }
        }
        if !command {
            if self.is_bare_call(x) {
                let kids = vec![(Some("method"), x)];
                x = self.node("call", start, self.end(x), kids);
            }
            return Some(x);
        }
        // command arguments: `add_column :t, :c` / `t.string :name`
        let save = self.l.pos();
        if callee.is_some() && self.l.need_space().is_some() && self.arg_starts() {
            let a = self.command_args()?;
            let end = self.end(a);
            x = self.with_args(x, callee, a, start, end);
            callee = None;
        } else {
            self.l.set(save);
        }
        // a block: ` do |x|` … `end`, ` { … }`
        let save = self.l.pos();
        self.l.spaces();
        let brace = self.l.peek() == Some(b'{');
        if brace && self.was_command(x) {
            return None;
        }
        if self.l.at_word("do") || brace {
            let b = self.block(brace)?;
            let end = self.end(b);
            x = match callee {
                Some((None, m)) => self.call(start, None, m, Some(("block", b))),
                _ if self.t.nodes[x as usize].kind == "call" => {
                    self.t.nodes[x as usize].kids.push((Some("block"), b));
                    self.t.nodes[x as usize].end = end;
                    x
                }
                _ => return None,
            };
            return Some(x);
        }
        self.l.set(save);
        if self.is_bare_call(x) {
            let kids = vec![(Some("method"), x)];
            x = self.node("call", start, self.end(x), kids);
        }
        Some(x)
    }

    /// A `call` node from `start`: receiver, method, and its arguments or block.
    fn call(
        &mut self,
        start: usize,
        receiver: Option<u32>,
        method: u32,
        then: Option<(&'static str, u32)>,
    ) -> u32 {
        let mut kids = Vec::with_capacity(3);
        if let Some(r) = receiver {
            kids.push((Some("receiver"), r));
        }
        kids.push((Some("method"), method));
        let mut end = self.end(method);
        if let Some((f, n)) = then {
            kids.push((Some(f), n));
            end = self.end(n);
        }
        self.node("call", start, end, kids)
    }

    /// An identifier `foo!` / `foo?` alone: tree-sitter makes it a call.
    fn is_bare_call(&self, x: u32) -> bool {
        let d = &self.t.nodes[x as usize];
        d.kind == "identifier" && self.l.src[d.start..d.end].ends_with(['?', '!'])
    }

    /// A call with command arguments (no parentheses): braces after it would be ambiguous.
    fn was_command(&self, x: u32) -> bool {
        let d = &self.t.nodes[x as usize];
        d.kind == "call"
            && d.kids.iter().any(|&(f, a)| {
                f == Some("arguments")
                    && self.l.src.as_bytes().get(self.t.nodes[a as usize].start) != Some(&b'(')
            })
    }

    fn with_args(
        &mut self,
        x: u32,
        callee: Option<(Option<u32>, u32)>,
        a: u32,
        start: usize,
        end: usize,
    ) -> u32 {
        match callee {
            Some((Some(call), _)) => {
                self.t.nodes[call as usize]
                    .kids
                    .push((Some("arguments"), a));
                self.t.nodes[call as usize].end = end;
                call
            }
            Some((None, m)) => self.call(start, None, m, Some(("arguments", a))),
            None => x,
        }
    }

    /// After `foo `: does an argument start here?
    fn arg_starts(&self) -> bool {
        let r = self.l.rest();
        match r.first() {
            Some(b':') => r
                .get(1)
                .is_some_and(|&c| c.is_ascii_alphabetic() || c == b'_'),
            Some(b'"' | b'\'' | b'[') => true,
            Some(c) if c.is_ascii_digit() => true,
            Some(b'%') => matches!(r.get(1), Some(b'i' | b'w')) && r.get(2) == Some(&b'['),
            Some(b'<') => {
                (r.starts_with(b"<<~") || r.starts_with(b"<<-"))
                    && r.get(3)
                        .is_some_and(|&c| c.is_ascii_uppercase() || c == b'\'')
            }
            Some(&c) if c.is_ascii_alphabetic() || c == b'_' => {
                let n = r.iter().take_while(|&&c| is_ident_byte(c)).count();
                let w = std::str::from_utf8(&r[..n]).unwrap_or("");
                !matches!(
                    w,
                    "do" | "if"
                        | "unless"
                        | "end"
                        | "and"
                        | "or"
                        | "then"
                        | "while"
                        | "until"
                        | "rescue"
                )
            }
            _ => false,
        }
    }

    /// `do |a|` … `end` or `{ |a| … }`.
    fn block(&mut self, brace: bool) -> Option<u32> {
        self.deeper()?;
        let start = self.l.pos();
        if brace {
            self.l.bump();
        } else {
            self.l.word_is("do")?;
        }
        let mut kids = Vec::new();
        self.l.spaces();
        if self.l.peek() == Some(b'|') {
            let ps = self.l.pos();
            self.l.bump();
            let mut params = Vec::new();
            loop {
                let (s, e) = self.l.word()?;
                if is_keyword(&self.l.src[s..e]) {
                    return None;
                }
                params.push((None, self.leaf("identifier", s, e)));
                if self.l.eat(b',').is_some() {
                    self.l.spaces();
                    continue;
                }
                self.l.eat(b'|')?;
                break;
            }
            kids.push((
                Some("parameters"),
                self.node("block_parameters", ps, self.l.pos(), params),
            ));
        }
        if brace {
            self.l.spaces();
            if self.l.peek() == Some(b'\n') || self.l.peek() == Some(b'#') {
                return None;
            }
        } else {
            if !self.heredocs.is_empty() {
                return None;
            }
            self.end_of_statement(&mut kids)?;
        }
        if let Some(b) = self.body(&mut kids, brace)? {
            kids.push((Some("body"), b));
        }
        let end = if brace {
            self.l.eat(b'}')?;
            self.l.pos()
        } else {
            self.close_end()?
        };
        self.depth -= 1;
        let kind = if brace { "block" } else { "do_block" };
        Some(self.node(kind, start, end, kids))
    }

    /// `(a, b: 1)`: the argument list, parentheses included.
    fn paren_args(&mut self) -> Option<u32> {
        let start = self.l.pos();
        self.l.bump();
        let mut kids = Vec::new();
        self.arg_gap(&mut kids)?;
        if self.l.eat(b')').is_none() {
            loop {
                let a = self.arg()?;
                kids.push((None, a));
                self.l.spaces();
                if self.l.eat(b',').is_some() {
                    self.arg_gap(&mut kids)?;
                    continue;
                }
                self.arg_gap(&mut kids)?;
                self.l.eat(b')')?;
                break;
            }
        }
        Some(self.node("argument_list", start, self.l.pos(), kids))
    }

    /// Spaces, newlines and comments inside an argument list.
    fn arg_gap(&mut self, kids: &mut Vec<Kid>) -> Option<()> {
        loop {
            self.l.spaces_in_line()?;
            match self.l.peek() {
                Some(b'\n') => {
                    if !self.heredocs.is_empty() {
                        return None;
                    }
                    self.l.bump();
                }
                Some(b'#') => {
                    let (s, e) = self.l.comment();
                    kids.push((None, self.leaf("comment", s, e)));
                }
                _ => return Some(()),
            }
        }
    }

    /// `a, b: 1` without parentheses (a newline may follow a comma).
    fn command_args(&mut self) -> Option<u32> {
        let mut kids = Vec::new();
        let start = self.l.pos();
        loop {
            let a = self.arg()?;
            kids.push((None, a));
            let save = self.l.pos();
            self.l.spaces();
            if self.l.eat(b',').is_some() {
                self.arg_gap(&mut kids)?;
                continue;
            }
            self.l.set(save);
            break;
        }
        let end = self.end(kids[kids.len() - 1].1);
        Some(self.node("argument_list", start, end, kids))
    }

    /// One argument: a value, `key: value` or `key => value`.
    fn arg(&mut self) -> Option<u32> {
        let start = self.l.pos();
        if let Some(k) = self.hash_key() {
            return self.pair_value(k, start);
        }
        let x = self.expr(false)?;
        let save = self.l.pos();
        self.l.spaces();
        if self.l.rest().starts_with(b"=>") {
            if !matches!(self.t.nodes[x as usize].kind, "simple_symbol" | "string") {
                return None;
            }
            self.l.bump();
            self.l.bump();
            return self.pair_value(x, start);
        }
        self.l.set(save);
        Some(x)
    }

    /// `name:` (a hash key symbol; the colon is not part of it).
    fn hash_key(&mut self) -> Option<u32> {
        let save = self.l.pos();
        let (s, e) = self.l.word()?;
        if self.l.peek() == Some(b':') && self.l.peek_at(1) == Some(b' ') {
            self.l.bump();
            return Some(self.leaf("hash_key_symbol", s, e));
        }
        self.l.set(save);
        None
    }

    fn pair_value(&mut self, k: u32, start: usize) -> Option<u32> {
        self.l.spaces();
        if matches!(
            self.l.peek(),
            None | Some(b',' | b'\n' | b')' | b'}' | b'#')
        ) {
            return None;
        }
        let v = self.expr(false)?;
        let end = self.end(v);
        Some(self.node(
            "pair",
            start,
            end,
            vec![(Some("key"), k), (Some("value"), v)],
        ))
    }

    fn primary(&mut self) -> Option<u32> {
        let start = self.l.pos();
        let c = self.l.peek()?;
        match c {
            b':' => {
                self.l.bump();
                let (_, e) = self.l.word()?;
                let e = self.l.method_suffix(e);
                if self.l.peek() == Some(b'=') && self.l.peek_at(1) != Some(b'>') {
                    return None;
                }
                Some(self.leaf("simple_symbol", start, e))
            }
            b'"' => self.dstring(),
            b'\'' => self.sstring(),
            b'0'..=b'9' => self.number(),
            b'-' if self.l.peek_at(1).is_some_and(|c| c.is_ascii_digit()) => {
                self.l.bump();
                let n = self.number()?;
                let end = self.end(n);
                Some(self.node("unary", start, end, vec![(Some("operand"), n)]))
            }
            b'-' if self.l.peek_at(1) == Some(b'>') => self.lambda(),
            b'[' => self.array(),
            b'{' => self.hash(),
            b'%' => self.word_array(),
            b'<' => self.heredoc_start(),
            _ => {
                let (s, e) = self.l.word()?;
                let w = &self.l.src[s..e];
                if c.is_ascii_uppercase() {
                    let mut x = self.leaf("constant", s, e);
                    while self.l.rest().starts_with(b"::") {
                        self.l.bump();
                        self.l.bump();
                        let (ns, ne) = self.l.word()?;
                        if !self.l.src.as_bytes()[ns].is_ascii_uppercase() {
                            return None;
                        }
                        let n = self.leaf("constant", ns, ne);
                        x = self.node(
                            "scope_resolution",
                            start,
                            ne,
                            vec![(Some("scope"), x), (Some("name"), n)],
                        );
                    }
                    return Some(x);
                }
                match w {
                    "true" | "false" | "nil" | "self" => {
                        let kind = match w {
                            "true" => "true",
                            "false" => "false",
                            "nil" => "nil",
                            _ => "self",
                        };
                        Some(self.leaf(kind, s, e))
                    }
                    _ if is_keyword(w) => None,
                    _ => {
                        let e = self.l.method_suffix(e);
                        Some(self.leaf("identifier", s, e))
                    }
                }
            }
        }
    }

    /// `123`, `1_000`, `4.2`.
    fn number(&mut self) -> Option<u32> {
        let s = self.l.pos();
        let digits = |l: &mut crate::ruby::fast::lex::Lex| -> Option<()> {
            l.peek().filter(u8::is_ascii_digit)?;
            while let Some(c) = l.peek() {
                // `1_000`: an underscore between digits
                let digit = c.is_ascii_digit()
                    || c == b'_' && l.peek_at(1).is_some_and(|d| d.is_ascii_digit());
                if !digit {
                    break;
                }
                l.bump();
            }
            Some(())
        };
        digits(&mut self.l)?;
        let mut kind = "integer";
        if self.l.peek() == Some(b'.') && self.l.peek_at(1).is_some_and(|d| d.is_ascii_digit()) {
            self.l.bump();
            digits(&mut self.l)?;
            kind = "float";
        }
        if self.l.peek().is_some_and(|c| is_ident_byte(c) || c >= 0x80) {
            return None;
        }
        // `0` followed by digits is octal, `0d…`, `0x…`: left to tree-sitter
        if self.l.src.as_bytes()[s] == b'0' && self.l.pos() - s > 1 && kind == "integer" {
            return None;
        }
        Some(self.leaf(kind, s, self.l.pos()))
    }

    /// `[a, b]` on one or more lines (no comments, no trailing comma).
    fn array(&mut self) -> Option<u32> {
        let start = self.l.pos();
        let kids = self.items(b']', false)?;
        Some(self.node("array", start, self.l.pos(), kids))
    }

    /// `{ a: 1, "b" => 2 }` (no comments, no trailing comma).
    fn hash(&mut self) -> Option<u32> {
        let start = self.l.pos();
        let kids = self.items(b'}', true)?;
        Some(self.node("hash", start, self.l.pos(), kids))
    }

    /// The items between an opening bracket (here) and `close`: values, or `pairs`.
    fn items(&mut self, close: u8, pairs: bool) -> Option<Vec<Kid>> {
        self.l.bump();
        let mut kids = Vec::new();
        self.blank()?;
        if self.l.eat(close).is_some() {
            return Some(kids);
        }
        loop {
            let x = if pairs {
                self.arg()?
            } else {
                self.expr(false)?
            };
            if pairs && self.t.nodes[x as usize].kind != "pair" {
                return None;
            }
            kids.push((None, x));
            self.blank()?;
            if self.l.eat(b',').is_none() {
                self.l.eat(close)?;
                return Some(kids);
            }
            self.blank()?;
        }
    }

    /// Spaces and newlines inside brackets (a comment there: left to tree-sitter).
    fn blank(&mut self) -> Option<()> {
        loop {
            self.l.spaces_in_line()?;
            match self.l.peek() {
                Some(b'\n') if self.heredocs.is_empty() => self.l.bump(),
                Some(b'\n' | b'#') => return None,
                _ => return Some(()),
            }
        }
    }

    /// `-> { … }`.
    fn lambda(&mut self) -> Option<u32> {
        let start = self.l.pos();
        self.l.set(start + 2);
        self.l.need_space()?;
        if self.l.peek() != Some(b'{') {
            return None;
        }
        let b = self.block(true)?;
        let end = self.end(b);
        Some(self.node("lambda", start, end, vec![(Some("body"), b)]))
    }
}
