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
//! Tests compare with sqlparser's tokenizer in every dialect preflight parses.

use sqlparser::keywords::{ALL_KEYWORDS, ALL_KEYWORDS_INDEX, Keyword};
use sqlparser::tokenizer::{Location, Span, Token, TokenWithSpan, Whitespace, Word};

/// The tokens of `text` as sqlparser's `tokenize_with_location` gives them, or `None` when
/// `text` holds anything outside the plain subset described above.
pub(super) fn tokenize(text: &str) -> Option<Vec<TokenWithSpan>> {
    let b = text.as_bytes();
    let mut out: Vec<TokenWithSpan> = Vec::with_capacity(b.len() / 3 + 4);
    let (mut i, mut line, mut col) = (0usize, 1u64, 1u64);
    while i < b.len() {
        let start = Location { line, column: col };
        let c = b[i];
        let mut len = 1;
        let token = match c {
            b' ' => Token::Whitespace(Whitespace::Space),
            b'\t' => Token::Whitespace(Whitespace::Tab),
            b'\n' => Token::Whitespace(Whitespace::Newline),
            b'a'..=b'z' | b'A'..=b'Z' | b'_' => {
                len = b[i..].iter().take_while(|c| is_word_byte(**c)).count();
                // a quote right after a word makes it a string prefix (E'…', N'…', X'…', B'…')
                if matches!(b.get(i + len), Some(b'\'' | b'"' | b'&')) {
                    return None;
                }
                let w = &text[i..i + len];
                // `COPY … FROM STDIN` makes sqlparser read the data after the `;`
                if w.eq_ignore_ascii_case("STDIN") {
                    return None;
                }
                Token::Word(Word {
                    value: w.to_string(),
                    quote_style: None,
                    keyword: keyword(w),
                })
            }
            b'0'..=b'9' => {
                len = b[i..].iter().take_while(|c| c.is_ascii_digit()).count();
                // decimals, exponents, `0x…`, `L` suffixes, identifiers starting with digits
                if b.get(i + len)
                    .is_some_and(|c| is_word_byte(*c) || matches!(c, b'.' | b'\'' | b'"'))
                {
                    return None;
                }
                Token::Number(text[i..i + len].to_string(), false)
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
                Token::SingleQuotedString(body.to_string())
            }
            b'(' => Token::LParen,
            b')' => Token::RParen,
            b',' => Token::Comma,
            b';' => Token::SemiColon,
            b'*' => Token::Mul,
            b'=' => {
                if matches!(b.get(i + 1), Some(b'>' | b'=')) {
                    return None;
                }
                Token::Eq
            }
            b'<' | b'>' => {
                let (tok, n) = match (c, b.get(i + 1)) {
                    (b'<', Some(b'=')) => (Token::LtEq, 2),
                    (b'<', Some(b'>')) => (Token::Neq, 2),
                    (b'>', Some(b'=')) => (Token::GtEq, 2),
                    (b'<', _) => (Token::Lt, 1),
                    _ => (Token::Gt, 1),
                };
                // sqlparser may join what follows into a longer or custom operator
                if b.get(i + n).is_some_and(|c| OPERATOR_BYTES.contains(c)) {
                    return None;
                }
                len = n;
                tok
            }
            // a qualified name `a.b`: after a word, before a word
            b'.' => {
                let after_word = matches!(out.last(), Some(t) if matches!(t.token, Token::Word(_)))
                    && i > 0
                    && is_word_byte(b[i - 1]);
                let before_word = b
                    .get(i + 1)
                    .is_some_and(|c| c.is_ascii_alphabetic() || *c == b'_');
                if !(after_word && before_word) {
                    return None;
                }
                Token::Period
            }
            _ => return None,
        };
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
        out.push(TokenWithSpan::new(
            token,
            Span::new(start, Location { line, column: col }),
        ));
        i += len;
    }
    Some(out)
}

/// Bytes that may continue an operator in some dialect (`<=>`, `>>`, `<<`, `=*`, …).
const OPERATOR_BYTES: &[u8] = b"+-*/<>=~!@#%^&|`?";

fn is_word_byte(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_'
}

/// sqlparser's keyword for an unquoted word: the same binary search over the same sorted
/// list with the same order (the word upper-cased, bytes compared, then lengths), on bytes
/// upper-cased once instead of per comparison.
fn keyword(w: &str) -> Keyword {
    let mut buf = [0u8; 64];
    let Some(upper) = buf.get_mut(..w.len()) else {
        return Keyword::NoKeyword;
    };
    for (u, c) in upper.iter_mut().zip(w.bytes()) {
        *u = c.to_ascii_uppercase();
    }
    ALL_KEYWORDS
        .binary_search_by(|probe| probe.as_bytes().cmp(upper))
        .map_or(Keyword::NoKeyword, |x| ALL_KEYWORDS_INDEX[x])
}

#[cfg(test)]
#[path = "fast_tokens_tests.rs"]
mod tests;
