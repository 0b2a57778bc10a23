//! Shell front end: tree-sitter-bash → resolved commands ([`command::Item`]) and variable
//! facts ([`facts`]); the SQL that `psql`/`mysql`/`sqlite3` run is found by [`sql`] and handed
//! back to the pipeline (`check::shell`) with its span map. No rules run here.
//!
//! A script with syntax errors keeps every command tree-sitter recovered, gets one
//! `parse-error` warning, and the lines inside the broken region are read again one by one
//! (with heredoc bodies skipped) so a destructive command next to a construct tree-sitter
//! misreads (`cat <<'EOF'; rm -rf …`, several heredocs on one line) is not lost.

pub mod command;
pub mod env;
pub mod facts;
mod fast;
mod kind;
mod parse;
pub mod repair;
pub mod sql;
pub(crate) mod tree;
mod unwrap;
pub mod wrappers;

use crate::source::{Span, floor_char_boundary};
use command::{Item, Mapped};
use std::cell::RefCell;
use tree_sitter::{Parser, Tree};

thread_local! {
    static PARSER: RefCell<Option<Parser>> = const { RefCell::new(None) };
}

/// Route tree-sitter's allocations (parse stacks, subtrees) to mimalloc: shell parsing
/// spends a fifth of its time in glibc malloc otherwise. Rust allocations are unaffected.
///
/// # Safety
/// Call at most once, at program start, before any tree-sitter parser or tree exists
/// (memory allocated by one allocator must never be freed by the other).
pub unsafe fn use_mimalloc_for_tree_sitter() {
    // SAFETY: the caller guarantees no tree-sitter allocation exists yet; the mimalloc
    // functions have the C malloc/calloc/realloc/free signatures tree-sitter expects.
    unsafe {
        tree_sitter::set_allocator(
            Some(libmimalloc_sys::mi_malloc),
            Some(libmimalloc_sys::mi_calloc),
            Some(libmimalloc_sys::mi_realloc),
            Some(libmimalloc_sys::mi_free),
        );
    }
}

/// Parse with this thread's parser (created once per thread).
pub(crate) fn parse_tree(text: &str) -> Option<Tree> {
    PARSER.with(|p| {
        let mut p = p.try_borrow_mut().ok()?;
        if p.is_none() {
            let mut parser = Parser::new();
            parser
                .set_language(&tree_sitter_bash::LANGUAGE.into())
                .ok()?;
            *p = Some(parser);
        }
        let p = p.as_mut()?;
        // `\. ../nvm.sh`, `\rm x` at the start of a line: tree-sitter reads the line as a
        // continuation of the one before; ` .` parses as bash reads it (same length)
        let escaped = repair::line_start_escapes(text);
        let text = escaped.as_deref().unwrap_or(text);
        let tree = p.parse(text, None)?;
        if !tree.root_node().has_error() {
            return Some(tree);
        }
        // tree-sitter-bash rejects some forms bash accepts: repair them in place (same
        // length, so every offset still points into `text`) and keep the better tree
        let Some(fixed) = repair::repair(text) else {
            return Some(tree);
        };
        let better = p.parse(&fixed, None)?;
        if error_count(&better) < error_count(&tree) {
            Some(better)
        } else {
            Some(tree)
        }
    })
}

/// ERROR / MISSING regions of a tree (at least 1 when it has an error).
fn error_count(t: &Tree) -> usize {
    if !t.root_node().has_error() {
        return 0;
    }
    let owned = tree::from_ts(t);
    owned
        .root()
        .map_or(1, |root| error_regions(root).len().max(1))
}

/// What the front end read from a script.
#[derive(Debug, Default)]
pub struct Analysis {
    pub items: Vec<Item>,
    /// The first syntax error tree-sitter reported.
    pub syntax_error: Option<Span>,
    /// Statement nesting deeper than the walker follows.
    pub too_deep: Option<Span>,
    /// The parser could not run at all (it never returns nothing for text, but fail closed).
    pub unparsed: bool,
    /// Not a bash script (from this offset on): zsh, Tcl, a Ruby tail after `exec ruby -x`.
    pub foreign: Option<(&'static str, usize)>,
}

pub fn analyze(text: &str) -> Analysis {
    let mut a = Analysis {
        foreign: repair::foreign(text),
        ..Analysis::default()
    };
    // a tail in another language (`exec ruby -x "$0"` then Ruby) is not read as shell
    let blanked;
    let parsed = match a.foreign {
        Some((_, off)) if off > 0 && text.is_char_boundary(off) => {
            // byte for byte: offsets stay the file's
            let tail: String = text[off..]
                .bytes()
                .map(|c| if c == b'\n' { '\n' } else { ' ' })
                .collect();
            blanked = format!("{}{}", &text[..off], tail);
            blanked.as_str()
        }
        _ => text,
    };
    // the common script is read by the fast reader (the same tree tree-sitter gives, or
    // `None`); everything else by tree-sitter (with its input repairs) and copied
    let Some(tree) = tree::read(parsed) else {
        a.unparsed = true;
        return a;
    };
    let Some(root) = tree.root() else {
        a.unparsed = true;
        return a;
    };
    wrappers::set_current(wrappers::scan(root, text));
    let mut w = parse::Walker::new(text, None, 0);
    w.stmt(root, command::Flow::default(), 0);
    a.items = w.items;
    a.too_deep = w.too_deep;
    if root.has_error() {
        let errors = error_regions(root);
        a.syntax_error = first_error(root).map(|at| {
            let at = floor_char_boundary(text, at);
            let end = text
                .get(at..)
                .and_then(|t| t.find('\n'))
                .map_or(text.len(), |i| at + i);
            Span::new(at, end.max(at))
        });
        fallback(text, &errors, &mut a.items);
    }
    a
}

/// Commands of a shell text cut out of the file (a string another program runs as shell),
/// spans mapped into the file; each command notes `via`.
pub fn analyze_mapped(text: &Mapped, via: &str) -> Vec<Item> {
    let Some(tree) = tree::read(&text.text) else {
        return Vec::new();
    };
    let Some(root) = tree.root() else {
        return Vec::new();
    };
    let mut w = parse::Walker::new(&text.text, Some(text), 1);
    w.stmt(root, command::Flow::default(), 0);
    for it in w.items.iter_mut() {
        if let Item::Cmd(c) = it {
            c.via.insert(0, via.to_string());
        }
    }
    w.items
}

/// ERROR / MISSING nodes (outermost), in document order, without recursion.
fn error_regions(root: tree::Node) -> Vec<Span> {
    let mut out = Vec::new();
    crate::owned_tree::preorder(root, |n, _| {
        if n.is_error() || n.is_missing() {
            out.push(Span::new(n.start_byte(), n.end_byte().max(n.start_byte())));
            return false;
        }
        n.has_error()
    });
    out
}

/// Where the first syntax error is: the innermost ERROR / MISSING node on the path of
/// first errors (an outer ERROR node can span the whole file).
fn first_error(root: tree::Node) -> Option<usize> {
    let mut node = root;
    for _ in 0..10_000 {
        let next = node
            .children()
            .find(|ch| ch.is_error() || ch.is_missing() || ch.has_error());
        match next {
            Some(ch) if ch.is_missing() => return Some(ch.start_byte()),
            Some(ch) => node = ch,
            None => break,
        }
    }
    (node.is_error() || node.is_missing()).then(|| node.start_byte())
}

/// Heredoc bodies found by reading lines (for the fallback: tree-sitter can misplace them).
pub(crate) fn heredoc_bodies(text: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut pending: Vec<(String, bool)> = Vec::new();
    let mut body_start = None;
    let mut off = 0;
    for line in text.split_inclusive('\n') {
        let content = line.trim_end_matches(['\n', '\r']);
        if let Some((delim, dash)) = pending.first().cloned() {
            let check = if dash {
                content.trim_start_matches('\t')
            } else {
                content
            };
            if body_start.is_none() {
                body_start = Some(off);
            }
            if check == delim {
                out.push((body_start.unwrap_or(off), off + line.len()));
                body_start = None;
                pending.remove(0);
            }
        } else {
            pending = heredoc_starts(content)
                .into_iter()
                .map(|(d, dash, _, _)| (d, dash))
                .collect();
        }
        off += line.len();
    }
    if let Some(s) = body_start {
        out.push((s, text.len()));
    }
    out
}

/// `<<EOF`, `<<-'EOF'`, `<< "EOF"` on a line (outside quotes): delimiter, dash, byte range
/// of the operator and delimiter.
fn heredoc_starts(line: &str) -> Vec<(String, bool, usize, usize)> {
    let b = line.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    let mut quote = None;
    while i < b.len() {
        let c = b[i];
        match quote {
            Some(q) => {
                if c == q {
                    quote = None;
                } else if c == b'\\' && q == b'"' {
                    i += 1;
                }
            }
            None => match c {
                b'\'' | b'"' => quote = Some(c),
                b'\\' => i += 1,
                b'#' if i == 0 || b[i - 1].is_ascii_whitespace() => break,
                // `<<<` is a here-string, not a heredoc
                b'<' if b.get(i + 1) == Some(&b'<') && b.get(i + 2) == Some(&b'<') => {
                    i += 3;
                    continue;
                }
                b'<' if b.get(i + 1) == Some(&b'<') && b.get(i + 2) != Some(&b'<') => {
                    let start = i;
                    let mut j = i + 2;
                    let dash = b.get(j) == Some(&b'-');
                    if dash {
                        j += 1;
                    }
                    while j < b.len() && b[j] == b' ' {
                        j += 1;
                    }
                    let mut delim = String::new();
                    while j < b.len() && !b[j].is_ascii_whitespace() && !b";|&<>()".contains(&b[j])
                    {
                        if !matches!(b[j], b'\'' | b'"' | b'\\') {
                            delim.push(b[j] as char);
                        }
                        j += 1;
                    }
                    if !delim.is_empty() {
                        out.push((delim, dash, start, j));
                    }
                    i = j;
                    continue;
                }
                _ => {}
            },
        }
        i += 1;
    }
    out
}

/// Re-read the lines of broken regions one by one.
fn fallback(text: &str, errors: &[Span], items: &mut Vec<Item>) {
    let bodies = heredoc_bodies(text);
    let in_body = |pos: usize| bodies.iter().any(|(a, b)| pos >= *a && pos < *b);
    // commands tree-sitter read out of a heredoc body it misplaced
    items.retain(|it| match it {
        Item::Cmd(c) if !c.reparsed => !in_body(c.name_span().start),
        _ => true,
    });
    let known: std::collections::HashSet<usize> = items
        .iter()
        .filter_map(|it| match it {
            Item::Cmd(c) => Some(c.name_span().start),
            _ => None,
        })
        .collect();
    // the lines the error regions touch
    let mut lines: Vec<(usize, usize)> = Vec::new();
    let mut off = 0;
    let mut e = errors.iter().peekable();
    for line in text.split_inclusive('\n') {
        let (a, b) = (off, off + line.len());
        off = b;
        while e.peek().is_some_and(|s| s.end < a) {
            e.next();
        }
        let touched = errors
            .iter()
            .skip_while(|s| s.end < a)
            .take_while(|s| s.start <= b)
            .any(|s| s.start < b && s.end >= a);
        if touched && !in_body(a) {
            lines.push((a, b));
        }
        if lines.len() > 10_000 {
            break;
        }
    }
    let mut extra = Vec::new();
    for (a, b) in lines {
        let Some(line) = text.get(a..b) else { continue };
        // blank out heredoc operators so the rest of the line reads as commands
        let mut cleaned = line.to_string();
        for (_, _, s, e) in heredoc_starts(line) {
            if cleaned.is_char_boundary(s) && cleaned.is_char_boundary(e) {
                cleaned.replace_range(s..e, &" ".repeat(e - s));
            }
        }
        let mut m = Mapped::default();
        m.push_with(&cleaned, |i| a + i);
        let Some(tree) = tree::read(&m.text) else {
            continue;
        };
        let Some(root) = tree.root() else {
            continue;
        };
        let mut w = parse::Walker::new(&m.text, Some(&m), 1);
        w.stmt(root, command::Flow::default(), 0);
        for it in w.items {
            if let Item::Cmd(c) = &it
                && known.contains(&c.name_span().start)
            {
                continue;
            }
            extra.push((a, it));
        }
    }
    if extra.is_empty() {
        return;
    }
    // insert each fallback item before the first command that starts after its line
    let mut merged = Vec::with_capacity(items.len() + extra.len());
    let mut extra = extra.into_iter().peekable();
    for it in items.drain(..) {
        if let Item::Cmd(c) = &it {
            let pos = c.name_span().start;
            while let Some((_, x)) = extra.next_if(|(a, _)| *a <= pos) {
                merged.push(x);
            }
        }
        merged.push(it);
    }
    merged.extend(extra.map(|(_, x)| x));
    *items = merged;
}
