//! Statements of a plain text split from the fast tokenizer's tokens: one lexing pass serves
//! both the splitter and sqlparser. When `fast_tokens` reads the whole text (no comment,
//! quoted identifier, `$`, `\`, unterminated quote, `COPY … FROM STDIN`, …) and no word of it
//! is `BEGIN`, `DELIMITER` or `GO` (a routine body, where `END` and `CASE` count too; MySQL's
//! delimiter directive; T-SQL batches), `split::split` cuts it at every `;` and nowhere else, into
//! the tokens made here; anything else returns `None` and `split::split` reads the text as
//! before. Tests compare both splits, and each statement's tokens with the fast tokenizer's
//! own reading of the statement's text.

use super::fast_tokens::{Kind, Lite, lex};
use super::lexer::{Token, TokenKind};
use super::split::RawStatement;
use crate::source::Span;
use sqlparser::keywords::Keyword;
use sqlparser::tokenizer::{Location, Span as SqlSpan};

/// The text's statements (as `split::split` gives them) and the fast tokens, each statement
/// with the range of its tokens (whitespace inside included) in them.
pub(super) type Split<'a> = (Vec<(RawStatement, std::ops::Range<usize>)>, Vec<Lite<'a>>);

pub(super) fn split(text: &str) -> Option<Split<'_>> {
    let lite = lex(text)?;
    let mut out = Vec::new();
    let mut cur: Vec<Token> = Vec::with_capacity(64);
    let mut first = None;
    for (i, t) in lite.iter().enumerate() {
        let kind = match t.kind {
            Kind::Space | Kind::Tab | Kind::Newline => continue,
            Kind::SemiColon => {
                flush(&mut cur, &mut first, i, &mut out);
                continue;
            }
            Kind::Word(k) => {
                // the words that make `split::split` do more than cut at `;` (`END` and `CASE`
                // only count after a `BEGIN`); `BEGIN` and `DELIMITER` are keywords, looked
                // up by the lexer already
                let split_word = match k {
                    Keyword::BEGIN | Keyword::DELIMITER => true,
                    Keyword::NoKeyword => t.text.eq_ignore_ascii_case("GO"),
                    _ => false,
                };
                if split_word {
                    return None;
                }
                TokenKind::Word
            }
            Kind::Number => TokenKind::Number,
            Kind::Str => TokenKind::Str,
            _ => TokenKind::Punct,
        };
        first.get_or_insert(i);
        cur.push(Token {
            kind,
            span: Span::new(t.at, t.end()),
        });
    }
    flush(&mut cur, &mut first, lite.len(), &mut out);
    Some((out, lite))
}

/// The statement in `cur` (its fast tokens from index `first` to `end`), if it has any.
fn flush(
    cur: &mut Vec<Token>,
    first: &mut Option<usize>,
    end: usize,
    out: &mut Vec<(RawStatement, std::ops::Range<usize>)>,
) {
    if let (Some(f), Some(a), Some(b)) = (first.take(), cur.first(), cur.last()) {
        let raw = RawStatement {
            span: Span::new(a.span.start, b.span.end),
            tokens: cur.clone(),
            unterminated: false,
        };
        // (the whitespace before the `;` is in the range: `rebase` drops it)
        out.push((raw, f..end));
    }
    cur.clear();
}

/// `tokens` (a statement's, spans in the whole text) as `fast_tokens::lex` reads the
/// statement's text alone: lines counted from the statement's first token, columns on its
/// first line too, byte offsets from its first byte; whitespace at either end dropped.
pub(super) fn rebase<'a>(tokens: &[Lite<'a>]) -> Vec<Lite<'a>> {
    let ws = |t: &&Lite| t.is_whitespace();
    let start = tokens.iter().position(|t| !ws(&t)).unwrap_or(tokens.len());
    let end = tokens
        .iter()
        .rposition(|t| !ws(&t))
        .map_or(start, |e| e + 1);
    let tokens = &tokens[start..end.max(start)];
    let Some(first) = tokens.first() else {
        return Vec::new();
    };
    let (base, at) = (Base::of(first), first.at);
    tokens
        .iter()
        .map(|t| Lite {
            span: base.span(t.span),
            at: t.at - at,
            ..*t
        })
        .collect()
}

/// Where a statement starts in a whole text: [`rebase`]'s move of a span into the statement's
/// own text, for the few tokens a reader keeps (no rebased copy of every token).
#[derive(Clone, Copy, Debug)]
pub(super) struct Base(Location);

impl Base {
    /// The statement is the whole text: spans stay.
    pub(super) const NONE: Base = Base(Location { line: 1, column: 1 });

    /// The statement starting at token `first`.
    pub(super) fn of(first: &Lite) -> Base {
        Base(first.span.start)
    }
    /// The statement's first token of `tokens` (whitespace skipped).
    pub(super) fn first_of(tokens: &[Lite]) -> Option<Base> {
        tokens.iter().find(|t| !t.is_whitespace()).map(Base::of)
    }
    fn loc(self, l: Location) -> Location {
        let b = self.0;
        if l.line == b.line {
            Location::new(1, l.column - b.column + 1)
        } else {
            Location::new(l.line - b.line + 1, l.column)
        }
    }
    pub(super) fn span(self, s: SqlSpan) -> SqlSpan {
        SqlSpan::new(self.loc(s.start), self.loc(s.end))
    }
    /// An unquoted word's identifier, its span in the statement's text.
    pub(super) fn ident(self, t: &Lite) -> sqlparser::ast::Ident {
        sqlparser::ast::Ident {
            value: t.text.to_string(),
            quote_style: None,
            span: self.span(t.span),
        }
    }
}

#[cfg(test)]
#[path = "fast_split_tests.rs"]
mod tests;
