//! sqlparser's tokens for plain statements, read without sqlparser's tokenizer.
//!
//! sqlparser's tokenizer walks a peekable `char` iterator, tracks a copy-data state and looks
//! every word up in its keyword list char by char: a short `UPDATE … WHERE …` costs ~24,000
//! instructions, more than the parse. Most statements handed to it (psql heredocs in scripts,
//! plain DDL) use a small set of characters on which every dialect tokenizes alike; for
//! those this builds exactly the tokens (kinds, values, keywords, whitespace, spans) sqlparser
//! builds. Anything else — non-ASCII, `\r`, comments, quoted identifiers, `$`, `@`, `#`,
//! `-`, `/`, `:`, numbers with a point, an exponent or a suffix, string prefixes (`E'…'`,
//! `N'…'`, `X'…'`), doubled quotes or backslashes in strings, operators sqlparser may join
//! into longer ones, `COPY … FROM STDIN` — returns `None`, and sqlparser tokenizes as before.
//! The tokens are read first as [`Lite`] ones that borrow their text (no `String` per token):
//! a plain `UPDATE` is built from those directly (`fast_update`), anything else gets
//! sqlparser's owned tokens made from them.
//! Tests compare with sqlparser's tokenizer in every dialect preflight parses.

use sqlparser::keywords::{ALL_KEYWORDS, ALL_KEYWORDS_INDEX, Keyword};
use sqlparser::tokenizer::{Location, Span, Token, TokenWithSpan, Whitespace, Word};
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::OnceLock;

/// One of sqlparser's tokens of the plain subset, its text borrowed from the statement.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) struct Lite<'a> {
    pub kind: Kind,
    /// The word, the number's digits, or the string's body (quotes excluded).
    pub text: &'a str,
    pub span: Span,
    /// Byte offset of the token's first byte (the opening quote of a string).
    pub at: usize,
}

/// The kinds of token the plain subset holds (sqlparser's `Token` without its `String`s).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Kind {
    /// An unquoted word and its keyword (`NoKeyword` for a plain name).
    Word(Keyword),
    Number,
    /// A `'…'` string.
    Str,
    Space,
    Tab,
    Newline,
    LParen,
    RParen,
    Comma,
    SemiColon,
    Mul,
    Eq,
    Neq,
    Lt,
    Gt,
    LtEq,
    GtEq,
    Period,
}

impl Lite<'_> {
    /// sqlparser's token.
    pub(super) fn owned(&self) -> TokenWithSpan {
        let token = match self.kind {
            Kind::Word(keyword) => Token::Word(Word {
                value: self.text.to_string(),
                quote_style: None,
                keyword,
            }),
            Kind::Number => Token::Number(self.text.to_string(), false),
            Kind::Str => Token::SingleQuotedString(self.text.to_string()),
            Kind::Space => Token::Whitespace(Whitespace::Space),
            Kind::Tab => Token::Whitespace(Whitespace::Tab),
            Kind::Newline => Token::Whitespace(Whitespace::Newline),
            Kind::LParen => Token::LParen,
            Kind::RParen => Token::RParen,
            Kind::Comma => Token::Comma,
            Kind::SemiColon => Token::SemiColon,
            Kind::Mul => Token::Mul,
            Kind::Eq => Token::Eq,
            Kind::Neq => Token::Neq,
            Kind::Lt => Token::Lt,
            Kind::Gt => Token::Gt,
            Kind::LtEq => Token::LtEq,
            Kind::GtEq => Token::GtEq,
            Kind::Period => Token::Period,
        };
        TokenWithSpan::new(token, self.span)
    }
    pub(super) fn is_whitespace(&self) -> bool {
        matches!(self.kind, Kind::Space | Kind::Tab | Kind::Newline)
    }
    /// Byte offset just past the token.
    pub(super) fn end(&self) -> usize {
        self.at + self.text.len() + if self.kind == Kind::Str { 2 } else { 0 }
    }
}

/// The tokens of `text` as sqlparser's `tokenize_with_location` gives them, or `None` when
/// `text` holds anything outside the plain subset described above.
#[cfg(test)]
pub(super) fn tokenize(text: &str) -> Option<Vec<TokenWithSpan>> {
    lex(text).map(|t| t.iter().map(Lite::owned).collect())
}

/// [`tokenize`]'s tokens as [`Lite`] ones.
pub(super) fn lex(text: &str) -> Option<Vec<Lite<'_>>> {
    let b = text.as_bytes();
    let mut out: Vec<Lite> = Vec::with_capacity(b.len() / 2 + 4);
    let (mut i, mut line, mut col) = (0usize, 1u64, 1u64);
    while i < b.len() {
        let start = Location { line, column: col };
        let c = b[i];
        let mut len = 1;
        // the token's text when it is not the bytes read
        let mut value = None;
        let kind = match c {
            b' ' => Kind::Space,
            b'\t' => Kind::Tab,
            b'\n' => Kind::Newline,
            b'a'..=b'z' | b'A'..=b'Z' | b'_' => {
                let mut end = i + 1;
                while end < b.len() && WORD[b[end] as usize] {
                    end += 1;
                }
                len = end - i;
                // a quote right after a word makes it a string prefix (E'…', N'…', X'…', B'…')
                if matches!(b.get(end), Some(b'\'' | b'"' | b'&')) {
                    return None;
                }
                let k = keyword(&b[i..end]);
                // `COPY … FROM STDIN` makes sqlparser read the data after the `;`
                if k == Keyword::STDIN {
                    return None;
                }
                Kind::Word(k)
            }
            b'0'..=b'9' => {
                len = b[i..].iter().take_while(|c| c.is_ascii_digit()).count();
                // decimals, exponents, `0x…`, `L` suffixes, identifiers starting with digits
                if b.get(i + len)
                    .is_some_and(|c| is_word_byte(*c) || matches!(c, b'.' | b'\'' | b'"'))
                {
                    return None;
                }
                Kind::Number
            }
            b'\'' => {
                let close = b[i + 1..].iter().position(|&c| c == b'\'')?;
                let body = &text[i + 1..i + 1 + close];
                // escapes and doubled quotes read differently per dialect and option
                if body.bytes().any(|c| c == b'\\' || c == b'\r')
                    || b.get(i + 2 + close) == Some(&b'\'')
                {
                    return None;
                }
                len = close + 2;
                value = Some(body);
                Kind::Str
            }
            b'(' => Kind::LParen,
            b')' => Kind::RParen,
            b',' => Kind::Comma,
            b';' => Kind::SemiColon,
            b'*' => Kind::Mul,
            b'=' => {
                if matches!(b.get(i + 1), Some(b'>' | b'=')) {
                    return None;
                }
                Kind::Eq
            }
            b'<' | b'>' => {
                let (kind, n) = match (c, b.get(i + 1)) {
                    (b'<', Some(b'=')) => (Kind::LtEq, 2),
                    (b'<', Some(b'>')) => (Kind::Neq, 2),
                    (b'>', Some(b'=')) => (Kind::GtEq, 2),
                    (b'<', _) => (Kind::Lt, 1),
                    _ => (Kind::Gt, 1),
                };
                // sqlparser may join what follows into a longer or custom operator
                if b.get(i + n).is_some_and(|c| OPERATOR_BYTES.contains(c)) {
                    return None;
                }
                len = n;
                kind
            }
            // a qualified name `a.b`: after a word, before a word
            b'.' => {
                let after_word = matches!(out.last(), Some(t) if matches!(t.kind, Kind::Word(_)))
                    && i > 0
                    && is_word_byte(b[i - 1]);
                let before_word = b
                    .get(i + 1)
                    .is_some_and(|c| c.is_ascii_alphabetic() || *c == b'_');
                if !(after_word && before_word) {
                    return None;
                }
                Kind::Period
            }
            _ => return None,
        };
        match kind {
            Kind::Newline => {
                line += 1;
                col = 1;
            }
            // a string's body may hold anything: line breaks move the line
            Kind::Str => {
                for &c in &b[i..i + len] {
                    if c == b'\n' {
                        line += 1;
                        col = 1;
                    } else if c.is_ascii_graphic() || c == b' ' || c == b'\t' {
                        col += 1;
                    } else {
                        // control characters and non-ASCII text
                        return None;
                    }
                }
            }
            // every other token is printable ASCII (or one space or tab): a column a byte
            _ => col += len as u64,
        }
        let text = value.unwrap_or(&text[i..i + len]);
        let span = Span::new(start, Location { line, column: col });
        out.push(Lite {
            kind,
            text,
            span,
            at: i,
        });
        i += len;
    }
    Some(out)
}

/// Bytes that may continue an operator in some dialect (`<=>`, `>>`, `<<`, `=*`, …).
const OPERATOR_BYTES: &[u8] = b"+-*/<>=~!@#%^&|`?";

const fn is_word_byte(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_'
}

/// [`is_word_byte`] as a table: one load a byte in the word loop.
const WORD: [bool; 256] = {
    let mut t = [false; 256];
    let mut c = 0;
    while c < 256 {
        t[c] = is_word_byte(c as u8);
        c += 1;
    }
    t
};

/// A map from sqlparser's keyword list (each entry to the keyword at its index).
type Keywords<K> = HashMap<K, Keyword, BuildHasherDefault<WordHasher>>;

/// sqlparser's keyword for an unquoted word (ASCII letters, digits, `_`): sqlparser looks
/// the upper-cased word up in its sorted list by binary search; this looks it up in a map
/// made of the same list. A word of up to 16 bytes (nearly every keyword and name) is one
/// number, upper-cased in one step; a longer one is looked up by its upper-cased bytes.
fn keyword(w: &[u8]) -> Keyword {
    if let Some(short) = packed(w) {
        static SHORT: OnceLock<Keywords<u128>> = OnceLock::new();
        let map = SHORT.get_or_init(|| {
            ALL_KEYWORDS
                .iter()
                .zip(ALL_KEYWORDS_INDEX)
                .filter_map(|(k, i)| Some((packed(k.as_bytes())?, *i)))
                .collect()
        });
        return map
            .get(&upper(short))
            .copied()
            .unwrap_or(Keyword::NoKeyword);
    }
    let mut buf = [0u8; 64];
    let Some(upper) = buf.get_mut(..w.len()) else {
        return Keyword::NoKeyword;
    };
    upper.copy_from_slice(w);
    upper.make_ascii_uppercase();
    static LONG: OnceLock<Keywords<&[u8]>> = OnceLock::new();
    let map = LONG.get_or_init(|| {
        ALL_KEYWORDS
            .iter()
            .zip(ALL_KEYWORDS_INDEX)
            .map(|(k, i)| (k.as_bytes(), *i))
            .collect()
    });
    map.get(&*upper).copied().unwrap_or(Keyword::NoKeyword)
}

/// The bytes of a word of at most 16 bytes as one little-endian number (zero bytes after).
fn packed(w: &[u8]) -> Option<u128> {
    let mut buf = [0u8; 16];
    buf.get_mut(..w.len())?.copy_from_slice(w);
    Some(u128::from_le_bytes(buf))
}

/// A packed word upper-cased. Its bytes are ASCII letters, digits, `_` or zero: the
/// lower-case letters are exactly the bytes from `0x61`, the ones adding `0x1f` lifts to
/// `0x80` or more (no byte reaches `0x100`, so none carries into the next); `0x20` off them.
fn upper(w: u128) -> u128 {
    const ADD: u128 = u128::from_le_bytes([0x1f; 16]);
    const TOP: u128 = u128::from_le_bytes([0x80; 16]);
    w ^ ((w + ADD) & TOP) >> 2
}

/// A small multiplicative hash for short upper-case words (the maps hold fixed keys only).
#[derive(Default)]
struct WordHasher(u64);

impl Hasher for WordHasher {
    fn write(&mut self, bytes: &[u8]) {
        for chunk in bytes.chunks(8) {
            let mut v = [0u8; 8];
            v[..chunk.len()].copy_from_slice(chunk);
            self.0 = (self.0.rotate_left(5) ^ u64::from_le_bytes(v)).wrapping_mul(K);
        }
    }
    fn write_usize(&mut self, n: usize) {
        self.0 = (self.0.rotate_left(5) ^ n as u64).wrapping_mul(K);
    }
    fn write_u128(&mut self, n: u128) {
        self.0 = ((n as u64) ^ ((n >> 64) as u64).rotate_left(29)).wrapping_mul(K);
    }
    fn finish(&self) -> u64 {
        // the map picks a bucket by the low bits: bring the well-mixed high ones down
        self.0.rotate_left(26)
    }
}

const K: u64 = 0xf135_7aea_2e62_a9c5;

#[cfg(test)]
#[path = "fast_tokens_tests.rs"]
pub(super) mod tests;
