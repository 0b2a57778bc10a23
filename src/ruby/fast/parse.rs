//! The parser: statements (classes, `def`s, calls, assignments, `if` / `unless`, modifiers)
//! and expressions (literals, constants, method chains, arrays, hashes) into a [`Tree`] shaped
//! like tree-sitter-ruby's. `None` on anything it does not know exactly how tree-sitter
//! builds.

use super::Tree;
use super::lex::{Lex, is_keyword};

type Kid = (Option<&'static str>, u32);

/// Deepest nesting of expressions and blocks read; deeper: left to tree-sitter.
const MAX_DEPTH: usize = 40;

pub fn parse(src: &str) -> Option<Tree> {
    if src.contains('\r') || src.contains('\0') || src.len() > u32::MAX as usize {
        return None;
    }
    let mut p = P {
        l: Lex::new(src),
        t: Tree::default(),
        depth: 0,
        heredocs: Vec::new(),
    };
    let mut kids = Vec::new();
    loop {
        p.gap(&mut kids)?;
        if p.l.eof() {
            break;
        }
        let s = p.statement()?;
        kids.push((None, s));
        p.end_of_statement(&mut kids)?;
    }
    if !p.heredocs.is_empty() {
        return None;
    }
    // the program starts at its first token and runs to the end of the file
    let start = p.start(kids.first()?.1);
    p.t.root = p.t.push("program", start, src.len(), kids);
    Some(p.t)
}

struct P<'a> {
    l: Lex<'a>,
    t: Tree,
    depth: usize,
    /// Heredocs opened on the current line, their body read at its end: (quoted (no
    /// interpolation), `<<~` / `<<-` (the terminator may be indented), terminator).
    heredocs: Vec<(bool, bool, &'a str)>,
}

impl<'a> P<'a> {
    fn node(&mut self, kind: &'static str, start: usize, end: usize, kids: Vec<Kid>) -> u32 {
        self.t.push(kind, start, end, kids)
    }
    fn leaf(&mut self, kind: &'static str, start: usize, end: usize) -> u32 {
        self.t.push(kind, start, end, Vec::new())
    }
    fn start(&self, n: u32) -> usize {
        self.t.nodes[n as usize].start
    }
    fn end(&self, n: u32) -> usize {
        self.t.nodes[n as usize].end
    }

    fn deeper(&mut self) -> Option<()> {
        self.depth += 1;
        (self.depth < MAX_DEPTH).then_some(())
    }

    /// Blank lines and comment lines between statements: comments into `kids`.
    fn gap(&mut self, kids: &mut Vec<Kid>) -> Option<()> {
        loop {
            self.l.spaces_in_line()?;
            match self.l.peek() {
                Some(b'\n') => self.newline(kids)?,
                Some(b'#') => {
                    let (s, e) = self.l.comment();
                    kids.push((None, self.leaf("comment", s, e)));
                }
                _ => return Some(()),
            }
        }
    }

    /// A newline; the bodies of the heredocs opened on the line it ends (into `kids`).
    fn newline(&mut self, kids: &mut Vec<Kid>) -> Option<()> {
        if self.heredocs.is_empty() {
            self.l.bump();
            return Some(());
        }
        if self.heredocs.len() > 1 {
            return None;
        }
        let (quoted, squiggly, term) = self.heredocs.pop()?;
        let body_start = self.l.pos();
        let src = self.l.src;
        let mut pieces = Vec::new();
        let mut seg = body_start;
        let mut line = body_start + 1;
        loop {
            let line_end = src[line..].find('\n').map_or(src.len(), |i| line + i);
            let text = &src[line..line_end];
            let trimmed = if squiggly {
                text.trim_start_matches([' ', '\t'])
            } else {
                text
            };
            if trimmed == term {
                let ts = line_end - term.len();
                if ts > seg {
                    pieces.push((None, self.leaf("heredoc_content", seg, ts)));
                }
                pieces.push((None, self.leaf("heredoc_end", ts, line_end)));
                let b = self.node("heredoc_body", body_start, line_end, pieces);
                kids.push((None, b));
                self.l.set(line_end);
                if !self.l.eof() {
                    self.l.bump();
                }
                return Some(());
            }
            if line_end >= src.len() || text.contains('\\') {
                return None;
            }
            if text.contains("#{") {
                if quoted {
                    return None;
                }
                let mut at = line;
                while let Some(i) = src[at..line_end].find("#{") {
                    let h = at + i;
                    if h > seg {
                        pieces.push((None, self.leaf("heredoc_content", seg, h)));
                    }
                    self.l.set(h + 2);
                    let x = self.expr(false)?;
                    self.l.eat(b'}')?;
                    let e = self.l.pos();
                    if e > line_end {
                        return None;
                    }
                    pieces.push((None, self.node("interpolation", h, e, vec![(None, x)])));
                    seg = e;
                    at = e;
                }
            } else if !quoted && (text.contains("#@") || text.contains("#$")) {
                return None;
            }
            line = line_end + 1;
        }
    }

    /// After a statement: spaces, then a comment (into `kids`), a newline or the end.
    fn end_of_statement(&mut self, kids: &mut Vec<Kid>) -> Option<()> {
        self.l.spaces_in_line()?;
        match self.l.peek() {
            None => Some(()),
            Some(b'\n') => self.newline(kids),
            Some(b'#') => {
                let (s, e) = self.l.comment();
                kids.push((None, self.leaf("comment", s, e)));
                self.l.spaces();
                match self.l.peek() {
                    None => Some(()),
                    Some(b'\n') => self.newline(kids),
                    _ => None,
                }
            }
            _ => None,
        }
    }

    /// Statements up to `end` (or `}` when `brace`): the comments before the first go to
    /// `outer`, the rest into a `body_statement` (`block_body` in braces). The closing word
    /// is left for the caller.
    fn body(&mut self, outer: &mut Vec<Kid>, brace: bool) -> Option<Option<u32>> {
        let mut kids: Vec<Kid> = Vec::new();
        loop {
            if kids.is_empty() {
                self.gap(outer)?;
            } else {
                self.gap(&mut kids)?;
            }
            if self.l.eof() {
                return None;
            }
            if brace && self.l.peek() == Some(b'}') {
                break;
            }
            if !brace && self.l.at_word("end") {
                break;
            }
            let s = self.statement()?;
            kids.push((None, s));
            if brace {
                self.l.spaces();
                if self.l.peek() == Some(b'}') {
                    if !self.heredocs.is_empty() {
                        return None;
                    }
                    break;
                }
                // a brace block on more than one line: left to tree-sitter
                return None;
            }
            self.end_of_statement(&mut kids)?;
        }
        if kids.is_empty() {
            return Some(None);
        }
        let start = self.start(kids[0].1);
        let end = self.end(kids[kids.len() - 1].1);
        let kind = if brace {
            "block_body"
        } else {
            "body_statement"
        };
        Some(Some(self.node(kind, start, end, kids)))
    }

    /// `end` closing a construct; its end.
    fn close_end(&mut self) -> Option<usize> {
        self.l.word_is("end")?;
        Some(self.l.pos())
    }

    fn statement(&mut self) -> Option<u32> {
        self.deeper()?;
        let r = self.statement_inner();
        self.depth -= 1;
        let s = r?;
        self.modifier(s)
    }

    /// `stmt if cond` / `stmt unless cond`.
    fn modifier(&mut self, s: u32) -> Option<u32> {
        let save = self.l.pos();
        self.l.spaces();
        let kind = if self.l.at_word("if") {
            "if_modifier"
        } else if self.l.at_word("unless") {
            "unless_modifier"
        } else {
            self.l.set(save);
            return Some(s);
        };
        self.l.word();
        self.l.need_space()?;
        let c = self.expr(false)?;
        let (start, end) = (self.start(s), self.end(c));
        Some(self.node(
            kind,
            start,
            end,
            vec![(Some("body"), s), (Some("condition"), c)],
        ))
    }

    fn statement_inner(&mut self) -> Option<u32> {
        let start = self.l.pos();
        if self.l.at_word("class") {
            return self.class();
        }
        if self.l.at_word("def") {
            return self.def();
        }
        if self.l.at_word("if") || self.l.at_word("unless") {
            return self.if_();
        }
        if self.l.at_word("return") {
            self.l.word();
            return Some(self.leaf("return", start, self.l.pos()));
        }
        // `x = …`, `NAME = …`, `self.table_name = …`
        let save = self.l.pos();
        let left = if self.l.at_word("self") && self.l.peek_at(4) == Some(b'.') {
            self.l.set(save + 5);
            self.l
                .word()
                .filter(|&(ms, me)| !is_keyword(&self.l.src[ms..me]))
                .map(|(ms, me)| {
                    let recv = self.leaf("self", save, save + 4);
                    let m = self.leaf("identifier", ms, me);
                    let kids = vec![(Some("receiver"), recv), (Some("method"), m)];
                    self.node("call", save, me, kids)
                })
        } else {
            match self.l.word() {
                Some((ws, we)) => {
                    let w = &self.l.src[ws..we];
                    let kind = if w.as_bytes()[0].is_ascii_uppercase() {
                        "constant"
                    } else {
                        "identifier"
                    };
                    let plain = !is_keyword(w) && !w.ends_with(['?', '!']);
                    plain.then(|| self.leaf(kind, ws, we))
                }
                None => None,
            }
        };
        if let Some(left) = left
            && self.l.after_spaces_is_assign()
        {
            self.l.spaces();
            self.l.bump();
            self.l.need_space()?;
            let right = self.expr(false)?;
            let end = self.end(right);
            let kids = vec![(Some("left"), left), (Some("right"), right)];
            return Some(self.node("assignment", save, end, kids));
        }
        self.l.set(save);
        self.expr(true)
    }

    /// `class Name < Super` … `end`.
    fn class(&mut self) -> Option<u32> {
        let start = self.l.pos();
        self.l.word();
        self.l.need_space()?;
        let (ns, ne) = self.l.word()?;
        if !self.l.src.as_bytes()[ns].is_ascii_uppercase() || self.l.peek() == Some(b':') {
            return None;
        }
        let mut kids = vec![(Some("name"), self.leaf("constant", ns, ne))];
        self.l.spaces();
        if self.l.peek() == Some(b'<') {
            let ls = self.l.pos();
            self.l.bump();
            self.l.need_space()?;
            let e = self.expr(false)?;
            let end = self.end(e);
            kids.push((
                Some("superclass"),
                self.node("superclass", ls, end, vec![(None, e)]),
            ));
        }
        self.end_of_statement(&mut kids)?;
        if let Some(b) = self.body(&mut kids, false)? {
            kids.push((Some("body"), b));
        }
        let end = self.close_end()?;
        Some(self.node("class", start, end, kids))
    }

    /// `def name` / `def self.name` (no parameters) … `end`.
    fn def(&mut self) -> Option<u32> {
        let start = self.l.pos();
        self.l.word();
        self.l.need_space()?;
        let (ws, we) = self.l.word()?;
        let mut kids = Vec::new();
        let kind = if &self.l.src[ws..we] == "self" && self.l.peek() == Some(b'.') {
            kids.push((Some("object"), self.leaf("self", ws, we)));
            self.l.bump();
            let (ns, ne) = self.l.method_name()?;
            kids.push((Some("name"), self.leaf("identifier", ns, ne)));
            "singleton_method"
        } else {
            let w = &self.l.src[ws..we];
            if is_keyword(w) || !w.as_bytes()[0].is_ascii_lowercase() && w.as_bytes()[0] != b'_' {
                return None;
            }
            let we = self.l.method_suffix(we);
            kids.push((Some("name"), self.leaf("identifier", ws, we)));
            "method"
        };
        self.end_of_statement(&mut kids)?;
        if let Some(b) = self.body(&mut kids, false)? {
            kids.push((Some("body"), b));
        }
        let end = self.close_end()?;
        Some(self.node(kind, start, end, kids))
    }

    /// `if cond` / `unless cond`, statements, `end` (no `else`).
    fn if_(&mut self) -> Option<u32> {
        let start = self.l.pos();
        let (ws, we) = self.l.word()?;
        let kind = if &self.l.src[ws..we] == "if" {
            "if"
        } else {
            "unless"
        };
        self.l.need_space()?;
        let c = self.expr(false)?;
        let cend = self.end(c);
        if self.l.peek() != Some(b'\n') || !self.heredocs.is_empty() {
            return None;
        }
        let mut kids = vec![(Some("condition"), c)];
        let body = self.body(&mut kids, false)??;
        // `then` starts at the newline that ends the line before its first statement:
        // the condition's or the last comment's (no blank line between)
        let bs = kids.last().map_or(cend, |&(_, k)| self.end(k));
        let first = self.start(body);
        if self.l.src.as_bytes().get(bs) != Some(&b'\n')
            || !self
                .l
                .src
                .get(bs + 1..first)
                .is_some_and(|gap| gap.bytes().all(|b| b == b' ' || b == b'\t'))
        {
            return None;
        }
        let be = self.end(body);
        let then_kids = std::mem::take(&mut self.t.nodes[body as usize].kids);
        let then = self.node("then", bs, be, then_kids);
        kids.push((Some("consequence"), then));
        let end = self.close_end()?;
        Some(self.node(kind, start, end, kids))
    }
}

mod expr;
mod strings;
