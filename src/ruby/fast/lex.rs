//! Reading bytes: spaces, words, comments — the small steps the parser is made of.

pub struct Lex<'a> {
    pub src: &'a str,
    b: &'a [u8],
    i: usize,
}

pub fn is_ident_byte(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_'
}

/// Ruby's reserved words (a method or variable of that name is left to tree-sitter).
pub fn is_keyword(w: &str) -> bool {
    matches!(
        w,
        "BEGIN"
            | "END"
            | "alias"
            | "and"
            | "begin"
            | "break"
            | "case"
            | "class"
            | "def"
            | "defined"
            | "do"
            | "else"
            | "elsif"
            | "end"
            | "ensure"
            | "false"
            | "for"
            | "if"
            | "in"
            | "module"
            | "next"
            | "nil"
            | "not"
            | "or"
            | "redo"
            | "rescue"
            | "retry"
            | "return"
            | "self"
            | "super"
            | "then"
            | "true"
            | "undef"
            | "unless"
            | "until"
            | "when"
            | "while"
            | "yield"
            | "__FILE__"
            | "__LINE__"
            | "__ENCODING__"
            | "__END__"
            | "__method__"
            | "lambda"
            | "proc"
            | "loop"
            | "puts"
            | "p"
            | "require"
    )
}

impl<'a> Lex<'a> {
    pub fn new(src: &'a str) -> Lex<'a> {
        Lex {
            src,
            b: src.as_bytes(),
            i: 0,
        }
    }
    pub fn pos(&self) -> usize {
        self.i
    }
    pub fn set(&mut self, i: usize) {
        self.i = i;
    }
    pub fn eof(&self) -> bool {
        self.i >= self.b.len()
    }
    pub fn peek(&self) -> Option<u8> {
        self.b.get(self.i).copied()
    }
    pub fn peek_at(&self, k: usize) -> Option<u8> {
        self.b.get(self.i + k).copied()
    }
    pub fn bump(&mut self) {
        self.i += 1;
    }
    pub fn eat(&mut self, c: u8) -> Option<()> {
        (self.peek() == Some(c)).then(|| self.bump())
    }
    pub fn rest(&self) -> &'a [u8] {
        self.b.get(self.i..).unwrap_or(&[])
    }
    /// Spaces and tabs.
    pub fn spaces(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t')) {
            self.i += 1;
        }
    }
    /// Spaces and tabs that do not end a line (trailing blanks move where tree-sitter-ruby
    /// ends a statement list: left to it).
    pub fn spaces_in_line(&mut self) -> Option<()> {
        let at = self.i;
        self.spaces();
        (self.i == at || !matches!(self.peek(), None | Some(b'\n'))).then_some(())
    }
    /// At least one space or tab.
    pub fn need_space(&mut self) -> Option<()> {
        let at = self.i;
        self.spaces();
        (self.i > at).then_some(())
    }
    /// A `#` comment up to the end of its line: its span.
    pub fn comment(&mut self) -> (usize, usize) {
        let s = self.i;
        while self.peek().is_some_and(|c| c != b'\n') {
            self.i += 1;
        }
        (s, self.i)
    }
    /// At word `w` (not a longer word, not a hash key `w:`).
    pub fn at_word(&self, w: &str) -> bool {
        let r = self.rest();
        r.starts_with(w.as_bytes())
            && !r.get(w.len()).is_some_and(|&c| {
                is_ident_byte(c) || c == b':' || c == b'?' || c == b'!' || c >= 0x80
            })
    }
    /// A word (`[A-Za-z_][A-Za-z0-9_]*`): its span. `None` (nothing read) if none starts
    /// here or it runs into a non-ASCII byte.
    pub fn word(&mut self) -> Option<(usize, usize)> {
        let s = self.i;
        let first = self.peek()?;
        if !(first.is_ascii_alphabetic() || first == b'_') {
            return None;
        }
        let mut e = s;
        while self.b.get(e).is_some_and(|&c| is_ident_byte(c)) {
            e += 1;
        }
        if self.b.get(e).is_some_and(|&c| c >= 0x80) {
            return None;
        }
        self.i = e;
        Some((s, e))
    }
    /// The word `w`.
    pub fn word_is(&mut self, w: &str) -> Option<()> {
        let at = self.i;
        match self.word() {
            Some((s, e)) if &self.src[s..e] == w => Some(()),
            _ => {
                self.i = at;
                None
            }
        }
    }
    /// A method's name where it ends at `we`: with a `?` or `!` that follows (not `!=`,
    /// `?=`…); moves past it.
    pub fn method_suffix(&mut self, we: usize) -> usize {
        if matches!(self.b.get(we), Some(b'?' | b'!'))
            && !matches!(self.b.get(we + 1), Some(b'=' | b'?' | b'!' | b':'))
        {
            self.i = we + 1;
            return we + 1;
        }
        we
    }
    /// A method name after `.`: a word with its `?` / `!`.
    pub fn method_name(&mut self) -> Option<(usize, usize)> {
        let (s, e) = self.word()?;
        let e = self.method_suffix(e);
        Some((s, e))
    }
    /// After spaces: `=` as an assignment (not `==`, `=~`, `=>`).
    pub fn after_spaces_is_assign(&self) -> bool {
        let mut j = self.i;
        while matches!(self.b.get(j), Some(b' ' | b'\t')) {
            j += 1;
        }
        j > self.i
            && self.b.get(j) == Some(&b'=')
            && !matches!(self.b.get(j + 1), Some(b'=' | b'~' | b'>'))
            && matches!(self.b.get(j + 1), Some(b' '))
    }
}
