//! Templated SQL is SQL with holes. Each template form becomes an opaque placeholder of the
//! same byte length (so spans still point into the original text): an identifier where a
//! value or name goes (`v0_____`), blanks where the template only controls the text
//! (`{% if %}`, `{{ end }}`, `#include` lines, Jinja comments).
//!
//! Forms: Go templates and Jinja/dbt `{{ … }}` `{% … %}` `{# … #}`, Flyway/Liquibase
//! `${name}`, extension-script `@word@`, `$%NAME%$`, C-preprocessor `#include`/`#if…` lines,
//! Python DB-API `%s` / `%(name)s`, psql variables `:name` `:'name'` `:"name"` (outside quotes,
//! as psql substitutes them), and with `shell_vars` shell expansions `$VAR` / `${VAR}`.
//! `?` and `$1` are left alone: sqlparser reads them as parameters already.

use super::lexer::{Lexer, TokenKind};
use crate::source::{Dialect, Span};

/// The masked text (same length as the original) and where its holes are.
#[derive(Debug, Clone)]
pub struct Masked {
    pub text: String,
    /// Holes that became identifiers or literals (blanked ones are not listed).
    pub holes: Vec<Span>,
}

/// Mask every template hole of `src`; `None` when there is none (the common case: no copy).
pub fn mask(src: &str, dialect: Dialect, shell_vars: bool) -> Option<Masked> {
    let bytes = src.as_bytes();
    // (a table: one load a byte over every SQL text checked)
    const OPENS: [bool; 256] = {
        let mut t = [false; 256];
        let mut i = 0;
        while i < 256 {
            t[i] = matches!(i as u8, b'{' | b'@' | b'#' | b'%' | b':' | b'$');
            i += 1;
        }
        t
    };
    if !bytes.iter().any(|&b| OPENS[b as usize]) {
        return None;
    }
    let mut out: Vec<u8> = bytes.to_vec();
    let mut holes = Vec::new();
    let mut i = 0;
    let n = bytes.len();
    let at_line_start = |i: usize| {
        bytes[..i]
            .iter()
            .rev()
            .take_while(|&&b| b != b'\n')
            .all(|b| b.is_ascii_whitespace())
    };
    while i < n {
        let b = bytes[i];
        let next = bytes.get(i + 1).copied().unwrap_or(0);
        let hole: Option<(usize, Fill)> = match (b, next) {
            (b'{', b'{') => close(bytes, i + 2, b"}}", 400).map(|end| {
                let inner = &src[i + 2..end - 2];
                let fill = if is_control(inner) || alone_on_line(bytes, i, end) {
                    Fill::Blank
                } else {
                    Fill::Ident
                };
                (end, fill)
            }),
            (b'{', b'%') => close(bytes, i + 2, b"%}", 400).map(|e| (e, Fill::Blank)),
            (b'{', b'#') => close(bytes, i + 2, b"#}", 4000).map(|e| (e, Fill::Blank)),
            (b'$', b'{') => close(bytes, i + 2, b"}", 200).map(|e| (e, Fill::Ident)),
            (b'$', b'%') => close(bytes, i + 2, b"%$", 100)
                .filter(|&e| is_word(&bytes[i + 2..e - 2]))
                .map(|e| (e, Fill::Ident)),
            (b'$', c) if shell_vars && (c.is_ascii_alphabetic() || c == b'_') => {
                Some((word_end(bytes, i + 1), Fill::Ident))
            }
            (b'@', c) if c.is_ascii_alphabetic() || c == b'_' => {
                let e = word_end(bytes, i + 1);
                (bytes.get(e) == Some(&b'@') && (i == 0 || !bytes[i - 1].is_ascii_alphanumeric()))
                    .then_some((e + 1, Fill::Ident))
            }
            (b'#', c) if c.is_ascii_alphabetic() && at_line_start(i) => {
                let e = word_end(bytes, i + 1);
                let word = &src[i + 1..e];
                PREPROCESSOR
                    .contains(&word)
                    .then(|| (line_end(bytes, i), Fill::Blank))
            }
            (b'%', b's') if prev_is_separator(bytes, i) && !is_ident_byte(at(bytes, i + 2)) => {
                Some((i + 2, Fill::Ident))
            }
            (b'%', b'(') if prev_is_separator(bytes, i) => close(bytes, i + 2, b")s", 60)
                .filter(|&e| is_word(&bytes[i + 2..e - 2]))
                .map(|e| (e, Fill::Ident)),
            _ => None,
        };
        match hole {
            Some((end, fill)) if src.is_char_boundary(end) => {
                fill_hole(&mut out, i, end, fill, holes.len());
                if fill == Fill::Ident {
                    holes.push(Span::new(i, end));
                }
                i = end;
            }
            _ => i += 1,
        }
    }
    psql_vars(src, &mut out, &mut holes, dialect);
    if holes.is_empty() && out == bytes {
        return None;
    }
    holes.sort();
    // every replacement is ASCII over whole characters, so the bytes stay UTF-8
    let text = String::from_utf8(out).ok()?;
    Some(Masked { text, holes })
}

const PREPROCESSOR: &[&str] = &[
    "include", "if", "ifdef", "ifndef", "else", "elif", "endif", "define", "undef", "pragma",
];

#[derive(Clone, Copy, PartialEq, Eq)]
enum Fill {
    /// An identifier (`v3____`), or a literal / quoted identifier for psql's `:'x'` / `:"x"`.
    Ident,
    Blank,
}

fn at(bytes: &[u8], i: usize) -> u8 {
    bytes.get(i).copied().unwrap_or(0)
}

fn is_ident_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

fn is_word(b: &[u8]) -> bool {
    !b.is_empty() && b.iter().all(|&c| is_ident_byte(c))
}

fn word_end(bytes: &[u8], mut i: usize) -> usize {
    while i < bytes.len() && is_ident_byte(bytes[i]) {
        i += 1;
    }
    i
}

fn line_end(bytes: &[u8], i: usize) -> usize {
    bytes[i..]
        .iter()
        .position(|&b| b == b'\n')
        .map_or(bytes.len(), |p| i + p)
}

/// `%s` is a parameter after whitespace, `(`, `,`, `=` and other operators, not after a
/// word or number (where `%` would be the modulo operator).
fn prev_is_separator(bytes: &[u8], i: usize) -> bool {
    i == 0 || !is_ident_byte(bytes[i - 1]) && bytes[i - 1] != b')'
}

/// End (exclusive) of `close` searched from `from`, within `max` bytes, on no `;`.
fn close(bytes: &[u8], from: usize, close: &[u8], max: usize) -> Option<usize> {
    let limit = (from + max).min(bytes.len());
    let hay = &bytes[from.min(limit)..limit];
    let pos = hay.windows(close.len()).position(|w| w == close)?;
    let body = &hay[..pos];
    (!body.contains(&b';') || close == b"#}").then_some(from + pos + close.len())
}

/// Go-template and Jinja control actions, which produce no text of their own.
fn is_control(inner: &str) -> bool {
    let t = inner.trim_matches(|c: char| c == '-' || c == '~' || c.is_whitespace());
    let word = t
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .next()
        .unwrap_or("");
    t.starts_with("/*")
        || matches!(
            word,
            "if" | "else"
                | "end"
                | "range"
                | "with"
                | "define"
                | "template"
                | "block"
                | "break"
                | "continue"
        )
}

/// `{{ config(…) }}` on a line of its own is a directive, not a name in the SQL.
fn alone_on_line(bytes: &[u8], start: usize, end: usize) -> bool {
    let before = bytes[..start]
        .iter()
        .rev()
        .take_while(|&&b| b != b'\n')
        .all(|b| b.is_ascii_whitespace());
    let after = bytes[end..]
        .iter()
        .take_while(|&&b| b != b'\n')
        .all(|b| b.is_ascii_whitespace());
    before && after
}

fn fill_hole(out: &mut [u8], start: usize, end: usize, fill: Fill, index: usize) {
    match fill {
        Fill::Blank => {
            for b in &mut out[start..end] {
                if *b != b'\n' {
                    *b = b' ';
                }
            }
        }
        Fill::Ident => {
            let tag = index.to_string();
            for (k, b) in out[start..end].iter_mut().enumerate() {
                *b = match k {
                    0 => b'v',
                    k if k <= tag.len() && end - start > tag.len() + 1 => tag.as_bytes()[k - 1],
                    _ => b'_',
                };
            }
        }
    }
}

/// psql's `:name`, `:'name'`, `:"name"` outside quotes, comments and dollar quotes.
fn psql_vars(src: &str, out: &mut [u8], holes: &mut Vec<Span>, dialect: Dialect) {
    let bytes = src.as_bytes();
    let candidate = bytes.windows(2).enumerate().any(|(i, w)| {
        w[0] == b':'
            && (w[1].is_ascii_alphabetic() || w[1] == b'_' || w[1] == b'\'' || w[1] == b'"')
            && (i == 0 || bytes[i - 1] != b':')
    });
    if !candidate {
        return;
    }
    // lex the text as masked so far (template holes may hold quotes)
    let masked = String::from_utf8_lossy(out).into_owned();
    if masked.len() != src.len() {
        return;
    }
    let toks: Vec<_> = Lexer::new(&masked, dialect).collect();
    for (k, t) in toks.iter().enumerate() {
        let s = t.span.start;
        let prev_ok = s == 0 || {
            let p = bytes[s - 1];
            !(is_ident_byte(p) || p == b'[' || p == b':')
        };
        if !prev_ok {
            continue;
        }
        match t.kind {
            TokenKind::Param if bytes[s] == b':' && t.span.len() > 1 => {
                fill_hole(out, s, t.span.end, Fill::Ident, holes.len());
                holes.push(t.span);
            }
            TokenKind::Punct if bytes[s] == b':' && t.span.len() == 1 => {
                let Some(q) = toks.get(k + 1).filter(|q| q.span.start == t.span.end) else {
                    continue;
                };
                let body = &bytes[q.span.start..q.span.end];
                let quote = body[0];
                let inner = &body[1..body.len().saturating_sub(1)];
                if !matches!(q.kind, TokenKind::Str | TokenKind::QuotedIdent)
                    || !matches!(quote, b'\'' | b'"')
                    || !is_word(inner)
                {
                    continue;
                }
                // `:'name'` → `'v0___'` (a literal), `:"name"` → `"v0___"` (an identifier)
                let end = q.span.end;
                fill_hole(out, s + 1, end - 1, Fill::Ident, holes.len());
                out[s] = quote;
                out[s + 1] = b'v';
                out[end - 1] = quote;
                holes.push(Span::new(s, end));
            }
            _ => {}
        }
    }
}

/// Put the template text back into a name or message built from the masked text.
pub fn unmask(display: &str, masked: &str, original: &str, holes: &[Span]) -> String {
    let mut out = display.to_string();
    // longest first, so `v1_____` is not cut by a shorter `v1__`
    let mut hs: Vec<&Span> = holes.iter().collect();
    hs.sort_by_key(|h| std::cmp::Reverse(h.len()));
    for h in hs {
        if let (Some(m), Some(o)) = (masked.get(h.start..h.end), original.get(h.start..h.end))
            && out.contains(m)
        {
            out = out.replace(m, o);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(src: &str) -> String {
        mask(src, Dialect::Postgres, false).map_or_else(|| src.to_string(), |m| m.text)
    }

    #[test]
    fn forms_become_same_length_holes() {
        for (src, want) in [
            (
                "drop table if exists {{ index .Options \"Namespace\" }}.sso_sessions;",
                "drop table if exists v0______________________________.sso_sessions;",
            ),
            ("DELETE FROM ${schema}.t;", "DELETE FROM v0_______.t;"),
            ("CREATE SCHEMA @extschema@;", "CREATE SCHEMA v0_________;"),
            ("DELETE FROM :tbl;", "DELETE FROM v0__;"),
            ("SELECT :'v', :\"t\"", "SELECT 'v_', \"v_\""),
            (
                "WHERE a = %s AND b = %(name)s",
                "WHERE a = v_ AND b = v1______",
            ),
            (
                "#include \"udfs/x.sql\"\nSELECT 1",
                "                     \nSELECT 1",
            ),
            (
                "{% if x %}DROP TABLE a;{% endif %}",
                "          DROP TABLE a;           ",
            ),
            (
                "{{ config(materialized='table') }}\nselect 1",
                "                                  \nselect 1",
            ),
        ] {
            let got = m(src);
            assert_eq!(got.len(), src.len());
            assert_eq!(got, want, "{src}");
        }
    }

    #[test]
    fn look_alikes_are_left_alone() {
        for src in [
            "SELECT a::text, 'x:y', $$ :z $$, a[1:n] FROM t",
            "SELECT 10 % 3, 'a@b.com'",
            "SELECT $1, ?",
        ] {
            assert_eq!(m(src), src);
        }
    }
}
