//! Tokens of the JavaScript / TypeScript subset the fast path reads: names, string and
//! template literals (escapes and `${name}` holes checked, decoded by the parser), decimal
//! numbers and a few punctuators. Anything else (regular expressions, operators the
//! subset has no use for, non-ASCII outside strings and comments, escapes whose decoding
//! is not plain, a lone carriage return) is `None`: the file goes to tree-sitter.

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Name,
    /// `'…'` or `"…"`.
    Str,
    /// `` `…` ``.
    Template,
    Num,
    Punct,
}

#[derive(Clone, Copy, Debug)]
pub struct Tok {
    pub kind: Kind,
    pub start: usize,
    pub end: usize,
    /// A line break (outside comments) between the previous token and this one.
    pub nl: bool,
    /// A comment between the previous token and this one.
    pub comment: bool,
}

fn is_name_start(b: u8) -> bool {
    b.is_ascii_alphabetic() || b == b'_' || b == b'$'
}

fn is_name(b: u8) -> bool {
    is_name_start(b) || b.is_ascii_digit()
}

/// An escape the fast path decodes like tree-sitter's path: a backslash and one ASCII
/// character that is not a digit, `x`, `u` or a line break.
fn plain_escape(b: u8) -> bool {
    b.is_ascii_graphic() && !b.is_ascii_digit() && b != b'x' && b != b'u' || b == b' '
}

pub fn lex(src: &str) -> Option<Vec<Tok>> {
    let b = src.as_bytes();
    let mut out = Vec::with_capacity(src.len() / 4);
    let mut i = 0;
    let mut nl = false;
    let mut comment = false;
    while i < b.len() {
        let c = b[i];
        match c {
            b' ' | b'\t' => i += 1,
            b'\n' => {
                nl = true;
                i += 1;
            }
            b'\r' => {
                // only as part of CRLF
                if b.get(i + 1) != Some(&b'\n') {
                    return None;
                }
                i += 1;
            }
            b'/' if b.get(i + 1) == Some(&b'/') => {
                comment = true;
                while i < b.len() && b[i] != b'\n' && b[i] != b'\r' {
                    if b[i] == 0xE2 {
                        // U+2028 / U+2029 end a comment: not in the subset
                        return None;
                    }
                    i += 1;
                }
            }
            b'/' if b.get(i + 1) == Some(&b'*') => {
                comment = true;
                let end = src.get(i + 2..)?.find("*/")? + i + 2;
                i = end + 2;
            }
            b'\'' | b'"' => {
                let start = i;
                i += 1;
                loop {
                    match *b.get(i)? {
                        x if x == c => break,
                        b'\\' => {
                            if !plain_escape(*b.get(i + 1)?) {
                                return None;
                            }
                            i += 2;
                        }
                        b'\n' | b'\r' => return None,
                        0xE2 if matches!(b.get(i + 1..i + 3), Some([0x80, 0xA8 | 0xA9])) => {
                            return None;
                        }
                        _ => i += 1,
                    }
                }
                i += 1;
                push(&mut out, Kind::Str, start, i, &mut nl, &mut comment);
            }
            b'`' => {
                let start = i;
                i += 1;
                loop {
                    match *b.get(i)? {
                        b'`' => break,
                        b'\\' => {
                            if !plain_escape(*b.get(i + 1)?) {
                                return None;
                            }
                            i += 2;
                        }
                        b'$' if b.get(i + 1) == Some(&b'{') => i = hole(b, i + 2)?,
                        b'\r' if b.get(i + 1) != Some(&b'\n') => return None,
                        _ => i += 1,
                    }
                }
                i += 1;
                push(&mut out, Kind::Template, start, i, &mut nl, &mut comment);
            }
            b'0'..=b'9' => {
                let start = i;
                while i < b.len() && b[i].is_ascii_digit() {
                    i += 1;
                }
                if b.get(i) == Some(&b'.') {
                    i += 1;
                    if !b.get(i).is_some_and(u8::is_ascii_digit) {
                        return None;
                    }
                    while i < b.len() && b[i].is_ascii_digit() {
                        i += 1;
                    }
                }
                if b.get(i).is_some_and(|&x| is_name(x) || x == b'.') {
                    return None;
                }
                // a leading zero: octal or legacy forms
                if b[start] == b'0' && i - start > 1 && b[start + 1] != b'.' {
                    return None;
                }
                push(&mut out, Kind::Num, start, i, &mut nl, &mut comment);
            }
            x if is_name_start(x) => {
                let start = i;
                while i < b.len() && is_name(b[i]) {
                    i += 1;
                }
                if b.get(i).is_some_and(|&x| x >= 0x80 || x == b'\\') {
                    return None;
                }
                push(&mut out, Kind::Name, start, i, &mut nl, &mut comment);
            }
            b'=' if b.get(i + 1) == Some(&b'>') => {
                push(&mut out, Kind::Punct, i, i + 2, &mut nl, &mut comment);
                i += 2;
            }
            b'.' if b.get(i + 1).is_some_and(u8::is_ascii_digit) || b.get(i + 1) == Some(&b'.') => {
                return None;
            }
            b'=' | b'!' if b.get(i + 1) == Some(&b'=') => return None,
            b'(' | b')' | b'{' | b'}' | b'[' | b']' | b',' | b';' | b':' | b'.' | b'=' | b'+'
            | b'<' | b'>' | b'!' => {
                if c == b'+' && matches!(b.get(i + 1), Some(b'+' | b'=')) {
                    return None;
                }
                push(&mut out, Kind::Punct, i, i + 1, &mut nl, &mut comment);
                i += 1;
            }
            _ => return None,
        }
    }
    Some(out)
}

fn push(out: &mut Vec<Tok>, kind: Kind, start: usize, end: usize, nl: &mut bool, c: &mut bool) {
    out.push(Tok {
        kind,
        start,
        end,
        nl: *nl,
        comment: *c,
    });
    *nl = false;
    *c = false;
}

/// A template hole `${ a.b }` whose content starts at `i`: a dotted name, blanks around it.
/// The index after its `}`.
fn hole(b: &[u8], mut i: usize) -> Option<usize> {
    let blanks = |i: &mut usize| {
        while matches!(b.get(*i), Some(b' ' | b'\t')) {
            *i += 1;
        }
    };
    blanks(&mut i);
    loop {
        if !b.get(i).is_some_and(|&x| is_name_start(x)) {
            return None;
        }
        while b.get(i).is_some_and(|&x| is_name(x)) {
            i += 1;
        }
        if b.get(i) != Some(&b'.') {
            break;
        }
        i += 1;
    }
    blanks(&mut i);
    (b.get(i) == Some(&b'}')).then_some(i + 1)
}

/// Names that start something other than an expression statement, or that TypeScript
/// reads as a declaration or an operator (sorted: a binary search finds them).
const RESERVED: &[&str] = &[
    "abstract",
    "accessor",
    "as",
    "asserts",
    "async",
    "await",
    "break",
    "case",
    "catch",
    "class",
    "const",
    "continue",
    "debugger",
    "declare",
    "default",
    "delete",
    "do",
    "else",
    "enum",
    "export",
    "extends",
    "false",
    "finally",
    "for",
    "function",
    "get",
    "global",
    "if",
    "implements",
    "import",
    "in",
    "infer",
    "instanceof",
    "interface",
    "is",
    "keyof",
    "let",
    "module",
    "namespace",
    "new",
    "null",
    "object",
    "of",
    "override",
    "package",
    "private",
    "protected",
    "public",
    "readonly",
    "return",
    "satisfies",
    "set",
    "static",
    "super",
    "switch",
    "throw",
    "true",
    "try",
    "type",
    "typeof",
    "undefined",
    "unique",
    "var",
    "void",
    "while",
    "with",
    "yield",
];

pub fn is_reserved(w: &str) -> bool {
    RESERVED.binary_search(&w).is_ok()
}

#[cfg(test)]
#[test]
fn reserved_words_are_sorted() {
    assert!(RESERVED.is_sorted());
    assert!(is_reserved("abstract") && is_reserved("yield") && !is_reserved("knex"));
}
