//! What the language readers share: the code with its map into the file, texts cut from it,
//! a parser per grammar made on first use, and a walk over every node.

use crate::shell::command::Mapped;
use crate::source::{Dialect, Span};
use std::cell::RefCell;
use tree_sitter::{Language, Node, Parser, Tree};

pub struct Cx<'a> {
    pub src: &'a str,
    pub code: &'a Mapped,
}

impl<'a> Cx<'a> {
    pub fn new(code: &'a Mapped) -> Cx<'a> {
        Cx {
            src: &code.text,
            code,
        }
    }
    pub fn text(&self, n: Node) -> &'a str {
        self.src.get(n.start_byte()..n.end_byte()).unwrap_or("")
    }
    /// Bytes `[a, b)` of the code, mapped into the file.
    pub fn slice(&self, a: usize, b: usize) -> Mapped {
        self.code.slice(a, b)
    }
    /// A text that stands for the node (`~` for `Path.home()`), at the node's position.
    pub fn made(&self, s: &str, n: Node) -> Mapped {
        let mut m = Mapped::default();
        m.push_at(s, self.code.at(n.start_byte()));
        m
    }
    /// A node's span in the file.
    pub fn span(&self, n: Node) -> Span {
        self.code.span(Span::new(n.start_byte(), n.end_byte()))
    }
    /// The SQL dialect the code's client library speaks, from its imports.
    pub fn dialect(&self) -> Dialect {
        let s = self.src;
        if s.contains("sqlite") {
            Dialect::Sqlite
        } else if s.contains("mysql") || s.contains("mariadb") {
            Dialect::Mysql
        } else {
            Dialect::Postgres
        }
    }
}

thread_local! {
    static PARSERS: RefCell<Vec<(usize, Parser)>> = const { RefCell::new(Vec::new()) };
}

/// Parse with this thread's parser for `lang` (made once, when first needed). `key` names
/// the grammar.
pub fn parse(key: usize, lang: impl FnOnce() -> Language, src: &str) -> Option<Tree> {
    PARSERS.with(|ps| {
        let mut ps = ps.try_borrow_mut().ok()?;
        let idx = match ps.iter().position(|(k, _)| *k == key) {
            Some(i) => i,
            None => {
                let mut p = Parser::new();
                p.set_language(&lang()).ok()?;
                ps.push((key, p));
                ps.len() - 1
            }
        };
        ps.get_mut(idx)?.1.parse(src, None)
    })
}

/// Every node of the tree, in document order (no recursion).
pub fn each(root: Node, mut f: impl FnMut(Node)) {
    crate::tree_walk::preorder(root, |n, _| {
        f(n);
        true
    });
}

/// Named children.
pub fn kids(n: Node) -> Vec<Node> {
    let mut c = n.walk();
    n.named_children(&mut c).collect()
}

/// Paths joined as `os.path.join` / `path.join` / `File.join` do (an absolute part restarts).
pub fn join(parts: Vec<Mapped>) -> Option<Mapped> {
    let mut out = Mapped::default();
    for p in parts {
        if p.text.starts_with('/') {
            out = Mapped::default();
        } else if !out.is_empty() && !out.text.ends_with('/') {
            let at = p.at(0);
            out.push_at("/", at);
        }
        out.append(&p);
    }
    (!out.is_empty()).then_some(out)
}

/// An argv list as one shell command line (each word quoted when it needs it).
pub fn argv(words: Vec<Mapped>) -> Option<Mapped> {
    let mut out = Mapped::default();
    for w in words {
        let at = w.at(0);
        if !out.is_empty() {
            out.push_at(" ", at);
        }
        let plain = !w.text.is_empty()
            && w.text
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"-_./=:,+@%~".contains(&b));
        if plain {
            out.append(&w);
        } else if w.text.contains('\'') {
            return None;
        } else {
            out.push_at("'", at);
            out.append(&w);
            out.push_at("'", at);
        }
    }
    (!out.is_empty()).then_some(out)
}

/// The content of a quoted literal `'…'`/`"…"` given the node's byte range: the text between
/// the quotes (escapes kept as written).
pub fn unquote(cx: &Cx, n: Node) -> Option<Mapped> {
    let t = cx.text(n);
    let b = t.as_bytes();
    // prefixes: r'', b'', u'', f'' (Python)
    let mut s = 0;
    while s < b.len() && b[s].is_ascii_alphabetic() {
        s += 1;
    }
    let q = *b.get(s)?;
    if !matches!(q, b'\'' | b'"' | b'`') {
        return None;
    }
    let triple = t[s..].starts_with("\"\"\"") || t[s..].starts_with("'''");
    let ql = if triple { 3 } else { 1 };
    if t.len() < s + 2 * ql {
        return None;
    }
    let a = n.start_byte() + s + ql;
    let e = n.end_byte() - ql;
    Some(cx.slice(a, e.max(a)))
}
