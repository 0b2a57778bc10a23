//! Ruby front end: Rails (ActiveRecord) migrations read from their source (tree-sitter-ruby)
//! into schema operations and embedded SQL, with spans into the Ruby file. It only reads: the
//! pipeline (`check::orm`) replays the operations into the schema model and runs the rules;
//! the embedded SQL (`execute "…"`, heredocs) goes back through the SQL front end.

pub mod rails;
pub mod value;

pub use crate::orm::{Effect, Fact, Facts, Template};
use crate::source::Span;
use std::cell::RefCell;
use tree_sitter::Parser;

thread_local! {
    /// One parser per thread: creating one and loading the grammar costs more than parsing a
    /// typical migration.
    static PARSER: RefCell<Option<Parser>> = const { RefCell::new(None) };
}

/// Parse Ruby source with tree-sitter-ruby. `None` only if the parser gives up entirely.
pub fn parse(src: &str) -> Option<tree_sitter::Tree> {
    PARSER.with(|p| {
        let mut p = p.borrow_mut();
        if p.is_none() {
            let mut parser = Parser::new();
            parser
                .set_language(&tree_sitter_ruby::LANGUAGE.into())
                .ok()?;
            *p = Some(parser);
        }
        p.as_mut()?.parse(src, None)
    })
}

/// Every `#` comment that mentions `preflight:`, with what it covers: on its own line, the
/// next statement (a whole call with its block); at the end of a line, the statement that
/// ends on that line.
pub fn comment_covers(src: &str) -> Vec<(Span, Span)> {
    let mut out = Vec::new();
    if !src.contains("preflight:") {
        return out;
    }
    let Some(tree) = parse(src) else {
        return out;
    };
    let mut stack = vec![tree.root_node()];
    while let Some(n) = stack.pop() {
        if n.kind() == "comment" {
            if !value::text(n, src).contains("preflight:") {
                continue;
            }
            let line_start = src[..n.start_byte()].rfind('\n').map_or(0, |i| i + 1);
            let own_line = src[line_start..n.start_byte()].trim().is_empty();
            let line_end = src[n.end_byte()..]
                .find('\n')
                .map_or(src.len(), |i| n.end_byte() + i);
            let cover = if own_line {
                let mut next = n.next_named_sibling();
                while let Some(x) = next.filter(|x| x.kind() == "comment") {
                    next = x.next_named_sibling();
                }
                // a comment first in a method or block precedes its body: the body's first
                // statement
                while let Some(x) = next.filter(|x| {
                    matches!(
                        x.kind(),
                        "body_statement" | "block_body" | "then" | "else" | "do"
                    )
                }) {
                    let mut c = x.walk();
                    next = x.named_children(&mut c).find(|y| y.kind() != "comment");
                }
                next.map(|x| Span::new(x.start_byte(), x.end_byte()))
            } else {
                let mut prev = n.prev_named_sibling();
                while let Some(x) = prev.filter(|x| x.kind() == "comment") {
                    prev = x.prev_named_sibling();
                }
                prev.filter(|x| x.end_position().row == n.start_position().row)
                    .map(|x| Span::new(x.start_byte(), x.end_byte()))
            };
            out.push((
                Span::new(n.start_byte(), n.end_byte()),
                cover.unwrap_or(Span::new(line_start, line_end)),
            ));
            continue;
        }
        let mut c = n.walk();
        for ch in n.children(&mut c) {
            stack.push(ch);
        }
    }
    out.sort_by_key(|(c, _)| c.start);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comments_cover_the_next_call() {
        let src = "def up\n  # preflight: allow(drop-table) gone\n  drop_table :a\n  drop_table :b # preflight: allow(drop-table) too\nend\n";
        let c = comment_covers(src);
        assert_eq!(c.len(), 2);
        assert_eq!(&src[c[0].1.start..c[0].1.end], "drop_table :a");
        assert_eq!(&src[c[1].1.start..c[1].1.end], "drop_table :b");
    }
}
