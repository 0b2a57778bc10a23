//! String-like literals: `'…'`, `"…"` with escapes and interpolations, `%i[…]` / `%w[…]`,
//! and the beginning of a heredoc (its body is read where its line ends).

use super::{Kid, P};

impl<'a> P<'a> {
    /// `%i[a b]` / `%w[a b]`.
    pub(super) fn word_array(&mut self) -> Option<u32> {
        let start = self.l.pos();
        let (kind, item) = match self.l.peek_at(1) {
            Some(b'i') => ("symbol_array", "bare_symbol"),
            Some(b'w') => ("string_array", "bare_string"),
            _ => return None,
        };
        if self.l.peek_at(2) != Some(b'[') {
            return None;
        }
        self.l.set(start + 3);
        let mut kids = Vec::new();
        loop {
            match self.l.peek()? {
                b' ' | b'\t' | b'\n' => self.l.bump(),
                b']' => {
                    self.l.bump();
                    break;
                }
                _ => {
                    let s = self.l.pos();
                    while let Some(c) = self.l.peek() {
                        if matches!(c, b' ' | b'\t' | b'\n' | b']') {
                            break;
                        }
                        if matches!(c, b'\\' | b'[' | b'#') || c >= 0x80 {
                            return None;
                        }
                        self.l.bump();
                    }
                    let e = self.l.pos();
                    let content = self.leaf("string_content", s, e);
                    kids.push((None, self.node(item, s, e, vec![(None, content)])));
                }
            }
        }
        if !self.heredocs.is_empty() && self.l.src[start..self.l.pos()].contains('\n') {
            return None;
        }
        Some(self.node(kind, start, self.l.pos(), kids))
    }

    /// `'…'`: one `string_content` (`\'` and `\\` stay in it).
    pub(super) fn sstring(&mut self) -> Option<u32> {
        let start = self.l.pos();
        self.l.bump();
        let s = self.l.pos();
        loop {
            match self.l.peek()? {
                b'\'' => break,
                b'\\' => {
                    if !matches!(self.l.peek_at(1), Some(b'\'' | b'\\')) {
                        return None;
                    }
                    self.l.bump();
                    self.l.bump();
                }
                b'\n' => return None,
                _ => self.l.bump(),
            }
        }
        let e = self.l.pos();
        self.l.bump();
        let kids = if e > s {
            vec![(None, self.leaf("string_content", s, e))]
        } else {
            Vec::new()
        };
        Some(self.node("string", start, self.l.pos(), kids))
    }

    /// `"…"`: contents, escapes (`\n`, `\t`, `\\`, `\"`) and `#{x}` interpolations.
    pub(super) fn dstring(&mut self) -> Option<u32> {
        let start = self.l.pos();
        self.l.bump();
        let mut kids = Vec::new();
        self.pieces(&mut kids, b'"')?;
        self.l.eat(b'"')?;
        Some(self.node("string", start, self.l.pos(), kids))
    }

    /// The content of a double-quoted string (or heredoc line run) up to `close`.
    pub(super) fn pieces(&mut self, kids: &mut Vec<Kid>, close: u8) -> Option<()> {
        let mut s = self.l.pos();
        loop {
            let c = self.l.peek()?;
            if c == close {
                break;
            }
            match c {
                b'\\' => {
                    if !matches!(self.l.peek_at(1), Some(b'n' | b't' | b'\\' | b'"')) {
                        return None;
                    }
                    let at = self.l.pos();
                    if at > s {
                        kids.push((None, self.leaf("string_content", s, at)));
                    }
                    kids.push((None, self.leaf("escape_sequence", at, at + 2)));
                    self.l.set(at + 2);
                    s = at + 2;
                }
                b'#' if matches!(self.l.peek_at(1), Some(b'{' | b'@' | b'$')) => {
                    if self.l.peek_at(1) != Some(b'{') {
                        return None;
                    }
                    let at = self.l.pos();
                    if at > s {
                        kids.push((None, self.leaf("string_content", s, at)));
                    }
                    self.l.set(at + 2);
                    let x = self.expr(false)?;
                    self.l.eat(b'}')?;
                    let i = self.node("interpolation", at, self.l.pos(), vec![(None, x)]);
                    kids.push((None, i));
                    s = self.l.pos();
                }
                _ => self.l.bump(),
            }
        }
        let at = self.l.pos();
        if at > s {
            kids.push((None, self.leaf("string_content", s, at)));
        }
        Some(())
    }

    /// `<<~SQL`, `<<-SQL`, `<<~'SQL'`: the beginning; the body is read at the end of the line.
    pub(super) fn heredoc_start(&mut self) -> Option<u32> {
        let start = self.l.pos();
        let r = self.l.rest();
        if !(r.starts_with(b"<<~") || r.starts_with(b"<<-")) || !self.heredocs.is_empty() {
            return None;
        }
        self.l.set(start + 3);
        let quoted = self.l.eat(b'\'').is_some();
        let (ws, we) = self.l.word()?;
        if !self.l.src[ws..we]
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b == b'_')
        {
            return None;
        }
        if quoted {
            self.l.eat(b'\'')?;
        }
        let term = &self.l.src[ws..we];
        self.heredocs.push((quoted, true, term));
        Some(self.leaf("heredoc_beginning", start, self.l.pos()))
    }
}
