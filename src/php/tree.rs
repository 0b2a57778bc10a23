//! The PHP syntax tree the Laravel reader walks: an owned copy of tree-sitter-php's tree
//! ([`crate::owned_tree`]), built either from tree-sitter's tree ([`from_ts`]) or, for the
//! common migration, directly by the fast reader (`super::fast`), which builds the same nodes
//! without tree-sitter. One walker, two builders.

pub use crate::owned_tree::{Node, Tree};

#[allow(dead_code)]
mod ts {
    crate::ts::by_id!(tree_sitter_php::LANGUAGE_PHP);
}

/// A copy of tree-sitter-php's tree.
pub fn from_ts(ts: &tree_sitter::Tree) -> Tree {
    Tree::from_ts(ts, ts::kind_of)
}
