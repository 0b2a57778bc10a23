//! The fast path's tokenizer: a strict Python lexer for the subset migration files use.
//! It splits the source into logical lines (indentation, tokens, newline), names, decimal
//! integers, string literals (validated here, decoded by the parser) and operators. Anything
//! it does not fully understand — a backslash line continuation, a float, a non-ASCII name, a
//! lone carriage return, an unterminated string, a newline in a one-line string, an f-string
//! hole that is not a plain (dotted) name, unbalanced brackets — makes it return `None`, and
//! the caller falls back to tree-sitter.

/// A string literal: flags from its prefix, where its content is, and its f-string holes.
#[derive(Debug)]
pub struct StrTok {
    pub raw: bool,
    pub bytes: bool,
    pub fmt: bool,
    /// The content between the quotes.
    pub body: (usize, usize),
    /// f-string holes: the `{…}` span and the span of the name inside.
    pub holes: Vec<Hole>,
}

/// An f-string hole: the `{…}` span and the span of the name inside.
pub type Hole = ((usize, usize), (usize, usize));

#[derive(Debug)]
pub enum Kind {
    Name,
    Int,
    Str(Box<StrTok>),
    Op(&'static str),
    /// A comment inside brackets (outside them comments are dropped).
    Comment,
    /// The start of a logical line; the token's span is its indentation.
    Line,
    /// The end of a logical line.
    Newline,
}

#[derive(Debug)]
pub struct Tok {
    pub kind: Kind,
    pub start: usize,
    pub end: usize,
}

/// Python's operators and delimiters, longest first.
const OPS: &[&str] = &[
    "**=", "//=", ">>=", "<<=", "...", "**", "//", "==", "!=", "<=", ">=", "<<", ">>", "->", ":=",
    "+=", "-=", "*=", "/=", "%=", "&=", "|=", "^=", "@=", "(", ")", "[", "]", "{", "}", ",", ":",
    ".", ";", "@", "=", "+", "-", "*", "/", "%", "<", ">", "~", "^", "|", "&",
];

/// Brackets deeper than this: not the fast path's business.
const MAX_BRACKETS: usize = 32;

fn is_name_start(b: u8) -> bool {
    b.is_ascii_alphabetic() || b == b'_'
}

fn is_name_char(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

/// Tokenize `src`; `None` on anything outside the subset.
pub fn lex(src: &str) -> Option<Vec<Tok>> {
    let b = src.as_bytes();
    let n = b.len();
    // NUL ends tree-sitter's input early; a lone carriage return is a newline to Python only
    if b.contains(&0)
        || (src.contains('\r')
            && b.iter()
                .enumerate()
                .any(|(i, &c)| c == b'\r' && b.get(i + 1) != Some(&b'\n')))
    {
        return None;
    }
    let mut out: Vec<Tok> = Vec::with_capacity(n / 4);
    let mut depth = 0usize;
    let mut line_start = true;
    let mut i = 0;
    let tok = |kind, start, end| Tok { kind, start, end };
    while i < n {
        if line_start && depth == 0 {
            let mut j = i;
            while j < n && (b[j] == b' ' || b[j] == b'\t') {
                j += 1;
            }
            if j == n {
                break;
            }
            match b[j] {
                b'\n' => i = j + 1,
                b'\r' if b.get(j + 1) == Some(&b'\n') => i = j + 2,
                b'#' => i = line_end(b, j),
                b'\r' | b'\\' | 0x0c => return None,
                _ => {
                    out.push(tok(Kind::Line, i, j));
                    line_start = false;
                    i = j;
                }
            }
            continue;
        }
        let c = b[i];
        match c {
            b' ' | b'\t' => i += 1,
            b'\r' if b.get(i + 1) == Some(&b'\n') => i += 1,
            b'\n' => {
                if depth == 0 {
                    out.push(tok(Kind::Newline, i, i + 1));
                    line_start = true;
                }
                i += 1;
            }
            b'#' => {
                let e = line_end(b, i);
                if depth > 0 {
                    out.push(tok(Kind::Comment, i, e));
                }
                i = e;
            }
            b'0'..=b'9' => {
                let mut j = i;
                loop {
                    while j < n && b[j].is_ascii_digit() {
                        j += 1;
                    }
                    if j + 1 < n && b[j] == b'_' && b[j + 1].is_ascii_digit() {
                        j += 1;
                    } else {
                        break;
                    }
                }
                if j < n && (is_name_char(b[j]) || b[j] == b'.') {
                    return None;
                }
                out.push(tok(Kind::Int, i, j));
                i = j;
            }
            b'\'' | b'"' => {
                let (s, e) = string(src, i, i)?;
                out.push(tok(Kind::Str(Box::new(s)), i, e));
                i = e;
            }
            _ if is_name_start(c) => {
                let mut j = i;
                while j < n && is_name_char(b[j]) {
                    j += 1;
                }
                if j < n && (b[j] == b'\'' || b[j] == b'"') {
                    let (s, e) = string(src, i, j)?;
                    out.push(tok(Kind::Str(Box::new(s)), i, e));
                    i = e;
                } else if j < n && !b[j].is_ascii() {
                    return None;
                } else {
                    out.push(tok(Kind::Name, i, j));
                    i = j;
                }
            }
            _ => {
                let op = op_at(b, i)?;
                match op {
                    "(" | "[" | "{" => {
                        depth += 1;
                        if depth > MAX_BRACKETS {
                            return None;
                        }
                    }
                    ")" | "]" | "}" => depth = depth.checked_sub(1)?,
                    _ => {}
                }
                out.push(tok(Kind::Op(op), i, i + op.len()));
                i += op.len();
            }
        }
    }
    if depth != 0 {
        return None;
    }
    if !line_start {
        out.push(tok(Kind::Newline, n, n));
    }
    Some(out)
}

/// The operator or delimiter at `i` (the common one-byte ones without a search).
fn op_at(b: &[u8], i: usize) -> Option<&'static str> {
    let next = b.get(i + 1).copied();
    Some(match b[i] {
        b'(' => "(",
        b')' => ")",
        b'[' => "[",
        b']' => "]",
        b'{' => "{",
        b'}' => "}",
        b',' => ",",
        b'.' if next != Some(b'.') => ".",
        b'=' if next != Some(b'=') => "=",
        b':' if next != Some(b'=') => ":",
        _ => OPS.iter().find(|o| b[i..].starts_with(o.as_bytes()))?,
    })
}

/// The end of the line that holds `i` (before its `\r\n` or `\n`).
fn line_end(b: &[u8], i: usize) -> usize {
    let e = b[i..]
        .iter()
        .position(|&x| x == b'\n')
        .map_or(b.len(), |p| i + p);
    if e > i && b[e - 1] == b'\r' { e - 1 } else { e }
}

/// A string literal whose prefix starts at `start` and whose opening quote is at `q`: its
/// token and where it ends.
fn string(src: &str, start: usize, q: usize) -> Option<(StrTok, usize)> {
    let b = src.as_bytes();
    let prefix = b.get(start..q)?;
    let has = |c: u8| prefix.iter().any(|p| p.to_ascii_lowercase() == c);
    let (raw, fmt, bytes, u) = (has(b'r'), has(b'f'), has(b'b'), has(b'u'));
    // "", r, u, f, b, and br / rb / fr / rf in any case
    let valid = match prefix.len() {
        0 => true,
        1 => raw || fmt || bytes || u,
        2 => (raw && (fmt || bytes)) && !u,
        _ => false,
    };
    if !valid {
        return None;
    }
    if raw && fmt {
        return None;
    }
    let quote = b[q];
    let triple = b.get(q + 1) == Some(&quote) && b.get(q + 2) == Some(&quote);
    let body_start = if triple { q + 3 } else { q + 1 };
    let mut holes = Vec::new();
    let mut i = body_start;
    loop {
        // ordinary content up to the next byte that matters
        i += b
            .get(i..)?
            .iter()
            .position(|&c| matches!(c, b'\\' | b'\n' | b'\r' | b'{' | b'}' | b'\'' | b'"'))?;
        let c = b[i];
        match c {
            b'\\' => {
                let next = *b.get(i + 1)?;
                // `\{` and `\N{…}` in an f-string: not the fast path's business
                if fmt && matches!(next, b'{' | b'}' | b'N') {
                    return None;
                }
                // tree-sitter drops a raw string's backslashes that open a content token
                // (at the start, or after a quote in a triple-quoted string)
                if raw && (i == body_start || (triple && b[i - 1] == quote)) {
                    return None;
                }
                if next == b'\r' || next == b'\n' {
                    if !triple {
                        return None;
                    }
                    // a line continuation in a triple-quoted string: the newline is content
                    i += 1;
                } else if raw && next != quote && next != b'\\' {
                    i += 1;
                } else {
                    i += 2;
                }
            }
            _ if c == quote => {
                let closing = if !triple {
                    1
                } else if b.get(i + 1) == Some(&quote) && b.get(i + 2) == Some(&quote) {
                    3
                } else {
                    i += 1;
                    continue;
                };
                let tok = StrTok {
                    raw,
                    bytes,
                    fmt,
                    body: (body_start, i),
                    holes,
                };
                return Some((tok, i + closing));
            }
            b'\n' | b'\r' if !triple => return None,
            b'{' | b'}' if fmt => {
                if b.get(i + 1) == Some(&c) {
                    i += 2;
                } else if c == b'}' {
                    return None;
                } else {
                    let (hole, e) = hole(b, i)?;
                    holes.push(hole);
                    i = e;
                }
            }
            _ => i += 1,
        }
    }
}

/// An f-string hole `{ name.attr }` at `i`: its span, the name's span, and where it ends.
/// Anything but a plain dotted name (conversions, format specs, calls, strings) is refused.
fn hole(b: &[u8], i: usize) -> Option<(Hole, usize)> {
    let mut j = i + 1;
    while b.get(j) == Some(&b' ') {
        j += 1;
    }
    let name_start = j;
    loop {
        if !b.get(j).copied().is_some_and(is_name_start) {
            return None;
        }
        let part = j;
        while b.get(j).copied().is_some_and(is_name_char) {
            j += 1;
        }
        let word = std::str::from_utf8(&b[part..j]).ok()?;
        if super::parse::is_keyword(word) && !matches!(word, "True" | "False" | "None") {
            return None;
        }
        if b.get(j) != Some(&b'.') {
            break;
        }
        j += 1;
    }
    let name_end = j;
    while b.get(j) == Some(&b' ') {
        j += 1;
    }
    (b.get(j) == Some(&b'}')).then_some((((i, j + 1), (name_start, name_end)), j + 1))
}
