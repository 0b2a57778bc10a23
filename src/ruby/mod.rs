//! Ruby front end: Rails (ActiveRecord) migrations read from their source (tree-sitter-ruby)
//! into schema operations and embedded SQL, with spans into the Ruby file. It only reads: the
//! pipeline (`check::orm`) replays the operations into the schema model and runs the rules;
//! the embedded SQL (`execute "…"`, heredocs) goes back through the SQL front end.

pub mod fast;
pub mod rails;
pub mod tree;
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

crate::ts::by_id!(tree_sitter_ruby::LANGUAGE);

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
    if !src.contains("preflight:") {
        return Vec::new();
    }
    parse(src).map_or_else(Vec::new, |tree| {
        crate::orm::comment_covers(
            &tree,
            src,
            &["body_statement", "block_body", "then", "else", "do"],
        )
    })
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
