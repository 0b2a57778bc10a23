//! Perl inline code (`perl -e`), read by tokens: `system`/`exec` with a string or a list,
//! backticks and `qx()`, `unlink`, `rmtree`/`remove_tree` (File::Path). Strings are `'…'`,
//! `"…"`, `q()`/`qq()`; `$ENV{HOME}` is the home directory; any other variable makes a
//! value unknown.

use super::Effect;
use super::tree::{Cx, argv};
use crate::shell::command::Mapped;
use crate::source::Span;

#[derive(Debug)]
enum Tok {
    Word(usize, usize),
    /// A string's content `[a, b)`, interpolating or not, and the whole token's end.
    Str {
        a: usize,
        b: usize,
        interp: bool,
        end: usize,
    },
    /// Backticks / `qx()`: content `[a, b)`.
    Cmd(usize, usize),
    /// `$ENV{HOME}` (and `$ENV{'HOME'}`).
    Home(usize, usize),
    Var(usize),
    Punct(u8, usize),
}

fn closing(open: u8) -> u8 {
    match open {
        b'(' => b')',
        b'{' => b'}',
        b'[' => b']',
        b'<' => b'>',
        c => c,
    }
}

/// The end of a string starting after its delimiter at `i` (index of the closing delimiter).
fn string_end(b: &[u8], mut i: usize, close: u8, open: u8) -> usize {
    let mut depth = 0;
    while i < b.len() {
        let c = b[i];
        if c == b'\\' {
            i += 2;
            continue;
        }
        if c == open && open != close {
            depth += 1;
        } else if c == close {
            if depth == 0 {
                return i;
            }
            depth -= 1;
        }
        i += 1;
    }
    b.len()
}

fn tokens(s: &str) -> Vec<Tok> {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        if c.is_ascii_whitespace() {
            i += 1;
        } else if c == b'#' {
            while i < b.len() && b[i] != b'\n' {
                i += 1;
            }
        } else if c == b'\'' || c == b'"' || c == b'`' {
            let e = string_end(b, i + 1, c, c);
            let tok = if c == b'`' {
                Tok::Cmd(i + 1, e)
            } else {
                Tok::Str {
                    a: i + 1,
                    b: e,
                    interp: c == b'"',
                    end: e + 1,
                }
            };
            out.push(tok);
            i = e + 1;
        } else if c.is_ascii_alphabetic() || c == b'_' {
            let st = i;
            while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'_' || b[i] == b':') {
                i += 1;
            }
            let w = &s[st..i];
            let mut j = i;
            while j < b.len() && b[j] == b' ' {
                j += 1;
            }
            let delim = b.get(j).copied().filter(|d| b"({[</|!'\"".contains(d));
            if let (Some(open), "q" | "qq" | "qx") = (delim, w) {
                let close = closing(open);
                let e = string_end(b, j + 1, close, open);
                out.push(if w == "qx" {
                    Tok::Cmd(j + 1, e)
                } else {
                    Tok::Str {
                        a: j + 1,
                        b: e,
                        interp: w == "qq",
                        end: e + 1,
                    }
                });
                i = e + 1;
            } else {
                out.push(Tok::Word(st, i));
            }
        } else if c == b'$' || c == b'@' || c == b'%' {
            let rest = &s[i..];
            let home = ["$ENV{HOME}", "$ENV{'HOME'}", "$ENV{\"HOME\"}"]
                .iter()
                .find(|h| rest.starts_with(**h));
            if let Some(h) = home {
                out.push(Tok::Home(i, i + h.len()));
                i += h.len();
            } else {
                out.push(Tok::Var(i));
                i += 1;
                while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'_') {
                    i += 1;
                }
            }
        } else {
            out.push(Tok::Punct(c, i));
            i += 1;
        }
    }
    out
}

fn start(t: &Tok) -> usize {
    match t {
        Tok::Word(a, _) | Tok::Home(a, _) | Tok::Var(a) | Tok::Punct(_, a) => *a,
        Tok::Str { a, .. } | Tok::Cmd(a, _) => a.saturating_sub(1),
    }
}

fn end(t: &Tok) -> usize {
    match t {
        Tok::Word(_, b) | Tok::Home(_, b) => *b,
        Tok::Str { end, .. } => *end,
        Tok::Cmd(_, b) => b + 1,
        Tok::Var(a) | Tok::Punct(_, a) => a + 1,
    }
}

/// A double-quoted string's content with `$ENV{HOME}` read as `~`; other variables: unknown.
fn interpolated(cx: &Cx, a: usize, b: usize) -> Option<Mapped> {
    let s = cx.src.get(a..b)?;
    let mut m = Mapped::default();
    let mut last = 0;
    let mut i = 0;
    let bytes = s.as_bytes();
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 2,
            b'$' | b'@' => {
                let rest = &s[i..];
                let h = ["$ENV{HOME}", "$ENV{'HOME'}"]
                    .iter()
                    .find(|h| rest.starts_with(**h))?;
                m.append(&cx.slice(a + last, a + i));
                m.push_at("~", cx.code.at(a + i));
                i += h.len();
                last = i;
            }
            _ => i += 1,
        }
    }
    m.append(&cx.slice(a + last, b));
    Some(m)
}

/// A value: terms joined by `.`.
fn value(cx: &Cx, toks: &[Tok], mut k: usize) -> (Option<Mapped>, usize) {
    let mut m = Mapped::default();
    loop {
        let v = match toks.get(k) {
            Some(Tok::Str {
                a,
                b,
                interp: false,
                ..
            }) => Some(cx.slice(*a, *b)),
            Some(Tok::Str {
                a, b, interp: true, ..
            }) => interpolated(cx, *a, *b),
            Some(Tok::Home(a, _)) => {
                let mut h = Mapped::default();
                h.push_at("~", cx.code.at(*a));
                Some(h)
            }
            _ => None,
        };
        let Some(v) = v else {
            return (None, k);
        };
        m.append(&v);
        k += 1;
        if matches!(toks.get(k), Some(Tok::Punct(b'.', _))) {
            k += 1;
        } else {
            return (Some(m), k);
        }
    }
}

pub fn read(cx: &Cx) -> Vec<Effect> {
    let toks = tokens(cx.src);
    let mut out = Vec::new();
    let mut k = 0;
    while k < toks.len() {
        match &toks[k] {
            Tok::Cmd(a, b) => out.push(Effect::Shell {
                call: "backticks".to_string(),
                text: cx.slice(*a, *b),
            }),
            Tok::Word(a, b) => {
                let name = &cx.src[*a..*b];
                let short = name.rsplit("::").next().unwrap_or(name);
                let kind = match short {
                    "system" | "exec" => 0,
                    "unlink" => 1,
                    "rmtree" | "remove_tree" => 2,
                    _ => {
                        k += 1;
                        continue;
                    }
                };
                // arguments: `f(…)` or `f …` up to `;`
                let mut j = k + 1;
                let paren = matches!(toks.get(j), Some(Tok::Punct(b'(', _)));
                if paren {
                    j += 1;
                }
                let mut vals = Vec::new();
                let mut known = true;
                loop {
                    let (v, next) = value(cx, &toks, j);
                    match v {
                        Some(v) => vals.push(v),
                        None => {
                            known = false;
                            break;
                        }
                    }
                    j = next;
                    if matches!(toks.get(j), Some(Tok::Punct(b',', _))) {
                        j += 1;
                    } else {
                        break;
                    }
                }
                let stop = toks.get(j).map_or(cx.src.len(), |t| {
                    if paren && matches!(t, Tok::Punct(b')', _)) {
                        end(t)
                    } else {
                        start(t)
                    }
                });
                let span = cx.code.span(Span::new(*a, stop.max(*b)));
                if known && !vals.is_empty() {
                    match kind {
                        0 => {
                            let text = if vals.len() == 1 {
                                vals.pop()
                            } else {
                                argv(vals)
                            };
                            out.extend(text.map(|text| Effect::Shell {
                                call: short.to_string(),
                                text,
                            }));
                        }
                        _ => {
                            for path in vals {
                                out.push(Effect::Delete {
                                    call: short.to_string(),
                                    path,
                                    recursive: kind == 2,
                                    span,
                                });
                            }
                        }
                    }
                }
                k = j.max(k + 1);
                continue;
            }
            _ => {}
        }
        k += 1;
    }
    out
}
