//! The fast path's tokenizer: a strict PHP lexer for the subset Laravel migrations use. After
//! the opening `<?php`: variables, ASCII names, decimal integers and floats, single- and
//! double-quoted strings (double-quoted ones without interpolation and with the common
//! escapes only), comments and the punctuation of calls, closures and arrays. Anything else —
//! a heredoc, a `$` in a double-quoted string, an unknown escape, a `?>`, a non-ASCII name,
//! an attribute, an operator it does not know, a NUL — makes it return `None`, and the caller
//! falls back to tree-sitter.

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// `$name`
    Var,
    Name,
    /// `'…'`
    Str,
    /// `"…"` (no interpolation)
    Encapsed,
    Int,
    Float,
    Comment,
    Punct(&'static str),
}

#[derive(Clone, Copy, Debug)]
pub struct Tok {
    pub kind: Kind,
    pub start: usize,
    pub end: usize,
}

/// The punctuation at `b[i]` (the longest that matches); `None`: not one the fast path reads.
fn punct(b: &[u8], i: usize) -> Option<&'static str> {
    let at = |k: usize| b.get(i + k).copied().unwrap_or(0);
    Some(match (at(0), at(1), at(2)) {
        (b'?', b'-', b'>') => "?->",
        (b'=', b'=', b'=') => "===",
        (b'!', b'=', b'=') => "!==",
        (b'-', b'>', _) => "->",
        (b':', b':', _) => "::",
        (b'=', b'>', _) => "=>",
        (b'=', b'=', _) => "==",
        (b'!', b'=', _) => "!=",
        (b'<', b'=', _) => "<=",
        (b'>', b'=', _) => ">=",
        (b'&', b'&', _) => "&&",
        (b'|', b'|', _) => "||",
        (b'?', b'?', _) => "??",
        (b'.', b'=', _) => ".=",
        (b'(', _, _) => "(",
        (b')', _, _) => ")",
        (b'[', _, _) => "[",
        (b']', _, _) => "]",
        (b'{', _, _) => "{",
        (b'}', _, _) => "}",
        (b',', _, _) => ",",
        (b';', _, _) => ";",
        (b':', _, _) => ":",
        (b'=', _, _) => "=",
        (b'.', _, _) => ".",
        (b'-', _, _) => "-",
        (b'\\', _, _) => "\\",
        (b'!', _, _) => "!",
        (b'<', _, _) => "<",
        (b'>', _, _) => ">",
        _ => return None,
    })
}

fn is_name_start(b: u8) -> bool {
    b.is_ascii_alphabetic() || b == b'_'
}

fn is_name_char(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

/// Escapes of a double-quoted string the fast path reads (the character after `\`).
pub fn plain_escape(b: u8) -> bool {
    matches!(
        b,
        b'n' | b't' | b'r' | b'v' | b'f' | b'e' | b'\\' | b'$' | b'"'
    )
}

/// Tokenize `src` (a file starting with `<?php` and whitespace); `None` outside the subset.
pub fn lex(src: &str) -> Option<Vec<Tok>> {
    let b = src.as_bytes();
    if !src.starts_with("<?php") || !b.get(5).is_some_and(|c| c.is_ascii_whitespace()) {
        return None;
    }
    if b.contains(&0) {
        return None;
    }
    let n = b.len();
    let mut out = Vec::with_capacity(n / 5);
    let mut i = 5;
    let tok = |kind, start, end| Tok { kind, start, end };
    while i < n {
        #[cfg(test)]
        super::FAILED_AT.set(i);
        let c = b[i];
        let start = i;
        match c {
            b' ' | b'\t' | b'\n' | b'\r' => {
                i += 1;
                continue;
            }
            b'/' if b.get(i + 1) == Some(&b'/') => i = line_comment(b, i)?,
            b'#' if b.get(i + 1) != Some(&b'[') => i = line_comment(b, i)?,
            b'/' if b.get(i + 1) == Some(&b'*') => {
                let end = src.get(i + 2..)?.find("*/")?;
                i = i + 2 + end + 2;
            }
            b'$' => {
                if !b.get(i + 1).is_some_and(|&x| is_name_start(x)) {
                    return None;
                }
                i += 1;
                while i < n && is_name_char(b[i]) {
                    i += 1;
                }
                if i < n && b[i] >= 0x80 {
                    return None;
                }
                out.push(tok(Kind::Var, start, i));
                continue;
            }
            _ if is_name_start(c) => {
                while i < n && is_name_char(b[i]) {
                    i += 1;
                }
                if i < n && b[i] >= 0x80 {
                    return None;
                }
                out.push(tok(Kind::Name, start, i));
                continue;
            }
            b'0'..=b'9' => {
                let kind = number(b, &mut i)?;
                out.push(tok(kind, start, i));
                continue;
            }
            b'\'' => {
                i += 1;
                loop {
                    match *b.get(i)? {
                        b'\\' => i += 2,
                        b'\'' => break,
                        _ => i += 1,
                    }
                }
                i += 1;
                out.push(tok(Kind::Str, start, i));
                continue;
            }
            b'"' => {
                i += 1;
                loop {
                    match *b.get(i)? {
                        b'\\' if b.get(i + 1).is_some_and(|&x| plain_escape(x)) => i += 2,
                        b'\\' => return None,
                        b'$' => i = interpolation(b, i)?.end,
                        b'{' if b.get(i + 1) == Some(&b'$') => i = interpolation(b, i)?.end,
                        b'"' => break,
                        _ => i += 1,
                    }
                }
                i += 1;
                out.push(tok(Kind::Encapsed, start, i));
                continue;
            }
            _ => {
                let p = punct(b, i)?;
                i += p.len();
                // `.5`, `..`, `.=`, `--`, `-=`, `==`: operators the fast path does not read
                let next = b.get(i).copied().unwrap_or(b' ');
                let other = match p {
                    "." => next.is_ascii_digit() || matches!(next, b'.' | b'='),
                    "-" => matches!(next, b'-' | b'='),
                    "=" | "??" | ".=" => next == b'=',
                    "<=" | "<" | ">" => matches!(next, b'>' | b'<' | b'='),
                    _ => false,
                };
                if other {
                    return None;
                }
                out.push(tok(Kind::Punct(p), start, i));
                continue;
            }
        }
        out.push(tok(Kind::Comment, start, i));
    }
    Some(out)
}

/// An interpolation in a double-quoted string: `$v`, `$v->p`, `{$v}`, `{$v->p}`.
#[derive(Clone, Copy, Debug)]
pub struct Interp {
    /// `{…}` around it.
    pub braced: bool,
    /// `$v`
    pub var: (usize, usize),
    /// `p` of `->p`
    pub member: Option<(usize, usize)>,
    pub end: usize,
}

/// The interpolation at `b[i]` (`$` or `{$`); `None` for any other form (`$a[0]`, `$a->b->c`,
/// `{$a->b()}`, `${a}`…), which the fast path does not read.
pub fn interpolation(b: &[u8], mut i: usize) -> Option<Interp> {
    let braced = b.get(i) == Some(&b'{');
    if braced {
        i += 1;
    }
    let name = |i: usize| -> Option<usize> {
        if !b.get(i).is_some_and(|&x| is_name_start(x)) {
            return None;
        }
        let mut j = i + 1;
        while b.get(j).is_some_and(|&x| is_name_char(x)) {
            j += 1;
        }
        b.get(j).is_none_or(|&x| x < 0x80).then_some(j)
    };
    (b.get(i) == Some(&b'$')).then_some(())?;
    let var_end = name(i + 1)?;
    let var = (i, var_end);
    let mut end = var_end;
    let mut member = None;
    if b.get(end) == Some(&b'-') && b.get(end + 1) == Some(&b'>') {
        let m_end = name(end + 2);
        match m_end {
            Some(m) => {
                member = Some((end + 2, m));
                end = m;
            }
            None if braced => return None,
            None => {}
        }
    }
    let next = b.get(end).copied().unwrap_or(0);
    if matches!(next, b'[' | b'(') || (next == b'-' && b.get(end + 1) == Some(&b'>')) {
        return None;
    }
    if braced {
        (next == b'}').then_some(())?;
        end += 1;
    }
    Some(Interp {
        braced,
        var,
        member,
        end,
    })
}

/// The end of a `//` or `#` comment (before the line break); `None` when it holds `?>`, which
/// would end PHP mode.
fn line_comment(b: &[u8], mut i: usize) -> Option<usize> {
    while i < b.len() && b[i] != b'\n' && b[i] != b'\r' {
        if b[i] == b'?' && b.get(i + 1) == Some(&b'>') {
            return None;
        }
        i += 1;
    }
    Some(i)
}

/// A decimal integer (`1_000`, `007`) or float (`1.5`); `None` for other forms.
fn number(b: &[u8], i: &mut usize) -> Option<Kind> {
    let digits = |i: &mut usize| {
        let s = *i;
        while *i < b.len() && (b[*i].is_ascii_digit() || (b[*i] == b'_' && *i > s)) {
            *i += 1;
        }
        *i > s && b[*i - 1] != b'_'
    };
    if !digits(i) {
        return None;
    }
    let mut kind = Kind::Int;
    if b.get(*i) == Some(&b'.') && b.get(*i + 1).is_some_and(u8::is_ascii_digit) {
        *i += 1;
        if !digits(i) {
            return None;
        }
        kind = Kind::Float;
    }
    // `0x1F`, `1e3`, `1.`, `1.5.2`, `1a`: not read here
    if b.get(*i)
        .is_some_and(|&x| is_name_char(x) || x == b'.' || x >= 0x80)
    {
        return None;
    }
    Some(kind)
}
