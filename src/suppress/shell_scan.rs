//! The shell side of suppressions: a scanner that finds `#` comments (outside quotes, not
//! escaped, not in heredoc bodies), the logical command lines they cover, and heredoc bodies.

use super::*;

/// One logical shell command line: from its first character to the end of the line that
/// ends it (backslash continuations and multi-line quotes included), plus the bodies of
/// heredocs it opened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Logical {
    pub(super) span: Span,
}

pub(super) struct ShellScan {
    pub(super) comments: Vec<Found>,
    /// Logical lines that contain code.
    pub(super) lines: Vec<Logical>,
    /// Heredoc bodies (SQL comments inside are read too).
    pub(super) heredocs: Vec<Span>,
}

/// A scanner for shell comments: `#` at the start of a word, outside quotes, not escaped,
/// and not inside a heredoc body.
pub(super) fn scan_shell(text: &str) -> ShellScan {
    let b = text.as_bytes();
    let mut comments = Vec::new();
    let mut lines = Vec::new();
    let mut heredocs = Vec::new();
    let mut i = 0;
    // current logical line: start and whether it has code
    let mut cur_start: Option<usize> = None;
    let mut pending: Vec<(String, bool)> = Vec::new(); // heredoc terminators, strip tabs
    let mut quote: Option<u8> = None;
    let mut prev_word_boundary = true;
    // inside `$(( … ))` / `(( … ))`, `<<` is a shift, not a heredoc
    let mut arith = 0usize;
    while i < b.len() {
        let c = b[i];
        if let Some(q) = quote {
            if c == b'\\' && q == b'"' {
                i += 2;
                continue;
            }
            if c == q {
                quote = None;
            }
            i += 1;
            continue;
        }
        match c {
            b'\n' => {
                if let Some(s) = cur_start.take() {
                    let mut end = i + 1;
                    // heredoc bodies follow this line
                    for (term, strip) in std::mem::take(&mut pending) {
                        let body_start = end;
                        let mut p = end;
                        loop {
                            if p >= b.len() {
                                end = b.len();
                                break;
                            }
                            let le = text[p..].find('\n').map_or(b.len(), |k| p + k);
                            let line = &text[p..le];
                            let line = if strip {
                                line.trim_start_matches('\t')
                            } else {
                                line
                            };
                            if line.trim_end_matches('\r') == term {
                                heredocs.push(Span::new(body_start, p));
                                end = (le + 1).min(b.len());
                                break;
                            }
                            p = le + 1;
                        }
                        if p >= b.len() {
                            heredocs.push(Span::new(body_start, b.len()));
                        }
                    }
                    lines.push(Logical {
                        span: Span::new(s, end.min(b.len())),
                    });
                    i = end;
                } else {
                    i += 1;
                }
                prev_word_boundary = true;
                continue;
            }
            b'\\' => {
                // escaped character, or a line continuation
                cur_start.get_or_insert(i);
                i += 2;
                prev_word_boundary = false;
                continue;
            }
            b'\'' | b'"' | b'`' => {
                cur_start.get_or_insert(i);
                quote = Some(c);
                prev_word_boundary = false;
                i += 1;
                continue;
            }
            b'#' if prev_word_boundary => {
                let end = text[i..].find('\n').map_or(b.len(), |k| i + k);
                comments.push(Found {
                    span: Span::new(i, end),
                    body_start: i,
                });
                i = end;
                continue;
            }
            b'(' if b.get(i + 1) == Some(&b'(') => {
                cur_start.get_or_insert(i);
                arith += 1;
                i += 2;
                prev_word_boundary = true;
                continue;
            }
            b')' if arith > 0 && b.get(i + 1) == Some(&b')') => {
                arith -= 1;
                i += 2;
                prev_word_boundary = true;
                continue;
            }
            b'<' if b.get(i + 1) == Some(&b'<') && b.get(i + 2) == Some(&b'<') => {
                // a here-string (`<<<`), not a heredoc
                cur_start.get_or_insert(i);
                i += 3;
                prev_word_boundary = true;
                continue;
            }
            b'<' if arith == 0 && b.get(i + 1) == Some(&b'<') => {
                cur_start.get_or_insert(i);
                let mut p = i + 2;
                let strip = b.get(p) == Some(&b'-');
                if strip {
                    p += 1;
                }
                while b.get(p).is_some_and(|&x| x == b' ' || x == b'\t') {
                    p += 1;
                }
                let (word, after) = heredoc_word(text, p);
                if !word.is_empty() {
                    pending.push((word, strip));
                }
                i = after.max(i + 2);
                prev_word_boundary = false;
                continue;
            }
            _ => {}
        }
        if !c.is_ascii_whitespace() {
            cur_start.get_or_insert(i);
        }
        prev_word_boundary =
            c.is_ascii_whitespace() || matches!(c, b';' | b'|' | b'&' | b'(' | b')');
        i += 1;
    }
    if let Some(s) = cur_start {
        lines.push(Logical {
            span: Span::new(s, b.len()),
        });
    }
    ShellScan {
        comments,
        lines,
        heredocs,
    }
}

/// The delimiter word of a heredoc starting at `p` (quotes removed) and the offset after it.
fn heredoc_word(text: &str, p: usize) -> (String, usize) {
    let b = text.as_bytes();
    let mut word = String::new();
    let mut i = p;
    while i < b.len() {
        let c = b[i];
        match c {
            b'\'' | b'"' => {
                let close = text[i + 1..].find(c as char).map_or(b.len(), |k| i + 1 + k);
                word.push_str(&text[i + 1..close.min(b.len())]);
                i = (close + 1).min(b.len());
            }
            b'\\' => i += 1,
            c if c.is_ascii_whitespace() || matches!(c, b';' | b'|' | b'&' | b'<' | b'>') => {
                break;
            }
            _ => {
                let ch_end = (i + 1..=b.len())
                    .find(|&e| text.is_char_boundary(e))
                    .unwrap_or(b.len());
                word.push_str(&text[i..ch_end]);
                i = ch_end;
            }
        }
    }
    (word, i)
}
