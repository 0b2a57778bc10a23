//! A small SQL lexer: enough to split statements and to read a statement by tokens when
//! sqlparser cannot parse it. It never fails: every byte ends up in some token.

use crate::source::{Dialect, Span};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TokenKind {
    /// A bare word: keyword or identifier.
    Word,
    /// `"ident"`, `` `ident` `` or `[ident]`.
    QuotedIdent,
    /// `'text'`, `E'text'`, `N'text'`, `X'..'` (and `"text"` in MySQL, where it is a string).
    Str,
    /// `$tag$ … $tag$`; `body` is the span between the tags.
    DollarStr {
        body: Span,
    },
    Number,
    /// `$1`, `?`, `:name`, `@var`.
    Param,
    /// `${VAR}` / `$VAR` — a shell expansion left in SQL taken from a script.
    ShellVar,
    Comment,
    Semicolon,
    Punct,
    /// An opening quote or comment that never closes; runs to the end of the text.
    Unterminated,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Token {
    pub kind: TokenKind,
    pub span: Span,
}

impl Token {
    pub fn text<'a>(&self, src: &'a str) -> &'a str {
        &src[self.span.start..self.span.end]
    }
    /// Case-insensitive keyword test for bare words.
    pub fn is_word(&self, src: &str, kw: &str) -> bool {
        self.kind == TokenKind::Word && self.text(src).eq_ignore_ascii_case(kw)
    }
    pub fn is_punct(&self, src: &str, p: &str) -> bool {
        self.kind == TokenKind::Punct && self.text(src) == p
    }
    pub fn is_trivia(&self) -> bool {
        self.kind == TokenKind::Comment
    }
}

pub struct Lexer<'a> {
    src: &'a str,
    bytes: &'a [u8],
    pos: usize,
    dialect: Dialect,
    /// Allow `$VAR` / `${VAR}` as opaque tokens (SQL lifted out of a shell script).
    shell_vars: bool,
}

impl<'a> Lexer<'a> {
    pub fn new(src: &'a str, dialect: Dialect) -> Lexer<'a> {
        Lexer {
            src,
            bytes: src.as_bytes(),
            pos: 0,
            dialect,
            shell_vars: false,
        }
    }
    pub fn with_shell_vars(mut self, yes: bool) -> Self {
        self.shell_vars = yes;
        self
    }
    pub fn at(src: &'a str, dialect: Dialect, pos: usize) -> Lexer<'a> {
        let mut l = Lexer::new(src, dialect);
        l.pos = pos;
        l
    }
    pub fn pos(&self) -> usize {
        self.pos
    }
    pub fn set_pos(&mut self, pos: usize) {
        self.pos = pos.min(self.bytes.len());
    }

    fn peek(&self, off: usize) -> u8 {
        *self.bytes.get(self.pos + off).unwrap_or(&0)
    }

    fn skip_ws(&mut self) {
        while self.pos < self.bytes.len() && self.bytes[self.pos].is_ascii_whitespace() {
            self.pos += 1;
        }
    }

    /// Advance to the next char boundary at or after `pos` (never split a UTF-8 char).
    fn advance_to_boundary(&mut self) {
        while self.pos < self.bytes.len() && !self.src.is_char_boundary(self.pos) {
            self.pos += 1;
        }
    }

    fn quoted(&mut self, close: u8, backslash: bool, kind: TokenKind, start: usize) -> Token {
        // self.pos is just after the opening quote
        loop {
            match self.bytes.get(self.pos) {
                None => {
                    return Token {
                        kind: TokenKind::Unterminated,
                        span: Span::new(start, self.bytes.len()),
                    };
                }
                Some(&b) if backslash && b == b'\\' => self.pos += 2,
                Some(&b) if b == close => {
                    self.pos += 1;
                    if self.peek(0) == close {
                        self.pos += 1; // doubled quote escapes itself
                    } else {
                        break;
                    }
                }
                Some(_) => self.pos += 1,
            }
        }
        self.pos = self.pos.min(self.bytes.len());
        Token {
            kind,
            span: Span::new(start, self.pos),
        }
    }

    /// If a dollar-quote opening tag starts at `self.pos`, its length.
    fn dollar_tag_len(&self) -> Option<usize> {
        let rest = &self.bytes[self.pos..];
        if rest.first() != Some(&b'$') {
            return None;
        }
        let mut i = 1;
        if rest.get(1).is_some_and(|b| b.is_ascii_digit()) {
            return None; // $1 is a parameter
        }
        while let Some(&b) = rest.get(i) {
            if b == b'$' {
                return Some(i + 1);
            }
            if b.is_ascii_alphanumeric() || b == b'_' || b >= 0x80 {
                i += 1;
            } else {
                return None;
            }
        }
        None
    }

    pub fn next_token(&mut self) -> Option<Token> {
        self.skip_ws();
        if self.pos >= self.bytes.len() {
            return None;
        }
        let start = self.pos;
        let b = self.bytes[self.pos];
        let mysql = self.dialect == Dialect::Mysql;
        // backslash escapes inside '…' strings
        let backslash = mysql || self.dialect == Dialect::Clickhouse;
        let tok = |kind, end| Token {
            kind,
            span: Span::new(start, end),
        };
        match b {
            b'-' if self.peek(1) == b'-' => {
                while self.pos < self.bytes.len() && self.bytes[self.pos] != b'\n' {
                    self.pos += 1;
                }
                Some(tok(TokenKind::Comment, self.pos))
            }
            b'#' if mysql => {
                while self.pos < self.bytes.len() && self.bytes[self.pos] != b'\n' {
                    self.pos += 1;
                }
                Some(tok(TokenKind::Comment, self.pos))
            }
            b'/' if self.peek(1) == b'*' => {
                let nested = self.dialect.is_postgres_like();
                let mut depth = 0usize;
                loop {
                    if self.pos >= self.bytes.len() {
                        return Some(tok(TokenKind::Unterminated, self.bytes.len()));
                    }
                    if self.peek(0) == b'/' && self.peek(1) == b'*' {
                        depth = if nested || depth == 0 {
                            depth + 1
                        } else {
                            depth
                        };
                        self.pos += 2;
                    } else if self.peek(0) == b'*' && self.peek(1) == b'/' {
                        depth -= 1;
                        self.pos += 2;
                        if depth == 0 {
                            break;
                        }
                    } else {
                        self.pos += 1;
                    }
                }
                Some(tok(TokenKind::Comment, self.pos))
            }
            b'\'' => {
                self.pos += 1;
                Some(self.quoted(b'\'', backslash, TokenKind::Str, start))
            }
            b'"' => {
                self.pos += 1;
                let kind = if mysql {
                    TokenKind::Str
                } else {
                    TokenKind::QuotedIdent
                };
                Some(self.quoted(b'"', mysql, kind, start))
            }
            b'`' => {
                self.pos += 1;
                Some(self.quoted(b'`', false, TokenKind::QuotedIdent, start))
            }
            b'$' => {
                if self.shell_vars {
                    if self.peek(1) == b'{' {
                        while self.pos < self.bytes.len() && self.bytes[self.pos] != b'}' {
                            self.pos += 1;
                        }
                        self.pos = (self.pos + 1).min(self.bytes.len());
                        return Some(tok(TokenKind::ShellVar, self.pos));
                    }
                    if self.peek(1).is_ascii_alphabetic() || self.peek(1) == b'_' {
                        self.pos += 1;
                        while self.peek(0).is_ascii_alphanumeric() || self.peek(0) == b'_' {
                            self.pos += 1;
                        }
                        return Some(tok(TokenKind::ShellVar, self.pos));
                    }
                }
                if let Some(n) = self
                    .dialect_dollar()
                    .then(|| self.dollar_tag_len())
                    .flatten()
                {
                    let tag = &self.bytes[start..start + n];
                    let body_start = start + n;
                    let hay = &self.bytes[body_start..];
                    match find(hay, tag) {
                        Some(i) => {
                            self.pos = body_start + i + n;
                            Some(tok(
                                TokenKind::DollarStr {
                                    body: Span::new(body_start, body_start + i),
                                },
                                self.pos,
                            ))
                        }
                        None => {
                            self.pos = self.bytes.len();
                            Some(tok(TokenKind::Unterminated, self.pos))
                        }
                    }
                } else {
                    self.pos += 1;
                    while self.peek(0).is_ascii_alphanumeric() || self.peek(0) == b'_' {
                        self.pos += 1;
                    }
                    Some(tok(TokenKind::Param, self.pos))
                }
            }
            b';' => {
                self.pos += 1;
                Some(tok(TokenKind::Semicolon, self.pos))
            }
            b'?' => {
                self.pos += 1;
                Some(tok(TokenKind::Param, self.pos))
            }
            b'[' if matches!(
                self.dialect,
                Dialect::Sqlite | Dialect::Generic | Dialect::Mssql
            ) =>
            {
                self.pos += 1;
                Some(self.quoted(b']', false, TokenKind::QuotedIdent, start))
            }
            b if b.is_ascii_digit() => {
                while self.peek(0).is_ascii_alphanumeric() || self.peek(0) == b'.' {
                    self.pos += 1;
                }
                Some(tok(TokenKind::Number, self.pos))
            }
            b if b.is_ascii_alphabetic() || b == b'_' || b >= 0x80 => {
                // E'..', N'..', X'..', B'..', U&'..' string prefixes
                if matches!(b | 0x20, b'e' | b'n' | b'x' | b'b') && self.peek(1) == b'\'' {
                    let backslash = (b | 0x20) == b'e' || backslash;
                    self.pos += 2;
                    return Some(self.quoted(b'\'', backslash, TokenKind::Str, start));
                }
                while self.pos < self.bytes.len() {
                    let c = self.bytes[self.pos];
                    if c.is_ascii_alphanumeric() || c == b'_' || c == b'$' || c >= 0x80 {
                        self.pos += 1;
                    } else {
                        break;
                    }
                }
                self.advance_to_boundary();
                Some(tok(TokenKind::Word, self.pos))
            }
            b'@' | b':' if self.peek(1).is_ascii_alphabetic() => {
                self.pos += 1;
                while self.peek(0).is_ascii_alphanumeric() || self.peek(0) == b'_' {
                    self.pos += 1;
                }
                Some(tok(TokenKind::Param, self.pos))
            }
            _ => {
                self.pos += 1;
                // two-character operators stay together so `::` and `<>` read as one
                if matches!(
                    (b, self.peek(0)),
                    (b':', b':')
                        | (b'<', b'>')
                        | (b'!', b'=')
                        | (b'<', b'=')
                        | (b'>', b'=')
                        | (b'|', b'|')
                ) {
                    self.pos += 1;
                }
                self.advance_to_boundary();
                Some(tok(TokenKind::Punct, self.pos))
            }
        }
    }

    fn dialect_dollar(&self) -> bool {
        matches!(
            self.dialect,
            Dialect::Postgres | Dialect::Generic | Dialect::Cockroach
        )
    }
}

impl Iterator for Lexer<'_> {
    type Item = Token;
    fn next(&mut self) -> Option<Token> {
        self.next_token()
    }
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    if needle.is_empty() || hay.len() < needle.len() {
        return None;
    }
    let first = needle[0];
    let mut i = 0;
    while i + needle.len() <= hay.len() {
        match hay[i..].iter().position(|&b| b == first) {
            Some(j) => {
                i += j;
                if i + needle.len() <= hay.len() && &hay[i..i + needle.len()] == needle {
                    return Some(i);
                }
                i += 1;
            }
            None => return None,
        }
    }
    None
}

/// All non-comment tokens of `src`.
pub fn tokens(src: &str, dialect: Dialect) -> Vec<Token> {
    Lexer::new(src, dialect)
        .filter(|t| !t.is_trivia())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(src: &str) -> Vec<(TokenKind, &str)> {
        Lexer::new(src, Dialect::Postgres)
            .map(|t| (t.kind, t.text(src)))
            .collect()
    }

    #[test]
    fn strings_comments_and_dollar_quotes_are_single_tokens() {
        let src = "SELECT 'a;b''c', $x$ ; $x$ /* a /* nested */ ; */ -- x;\n$1";
        let k = kinds(src);
        assert_eq!(k[1], (TokenKind::Str, "'a;b''c'"));
        assert!(matches!(k[3].0, TokenKind::DollarStr { .. }));
        assert_eq!(k[4].0, TokenKind::Comment);
        assert_eq!(k[4].1, "/* a /* nested */ ; */");
        assert_eq!(k[5].0, TokenKind::Comment);
        assert_eq!(k[6], (TokenKind::Param, "$1"));
    }

    #[test]
    fn unterminated_tokens_run_to_the_end() {
        for src in ["'abc", "$$ abc", "/* abc", "\"abc"] {
            let toks = kinds(src);
            assert_eq!(toks.len(), 1, "{src}");
            assert_eq!(toks[0].0, TokenKind::Unterminated, "{src}");
        }
    }

    #[test]
    fn multibyte_text_does_not_split_chars() {
        let src = "é€ 'ü' ±";
        let toks: Vec<_> = Lexer::new(src, Dialect::Postgres).collect();
        for t in toks {
            assert!(src.is_char_boundary(t.span.start) && src.is_char_boundary(t.span.end));
        }
    }
}
