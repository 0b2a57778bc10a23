//! The shell walker's tree: an owned copy of tree-sitter-bash's tree
//! ([`crate::owned_tree::Tree`]: the same kinds, fields, flags and spans), built from
//! tree-sitter's tree by [`from_ts`] or by a fast reader that builds the same nodes. The
//! walker (`parse`), the function pre-scan (`wrappers`) and the error regions read it
//! through these few names.

pub(crate) use crate::owned_tree::{Node, Tree};

/// A copy of tree-sitter-bash's tree.
pub(crate) fn from_ts(t: &tree_sitter::Tree) -> Tree {
    Tree::from_ts(t, super::kind::kind)
}

/// tree-sitter + the input repairs ([`super::parse_tree`]), as an owned tree.
pub(crate) fn parse(text: &str) -> Option<Tree> {
    super::parse_tree(text).map(|t| from_ts(&t))
}

/// The node's kind (the walker's spelling of `n.kind()`).
#[inline]
pub(crate) fn kind(n: Node<'_>) -> &'static str {
    n.kind()
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_copy_has_what_tree_sitter_has() {
        let src = "f() { rm -rf \"${D:?}\"/x; }\nfor x in a $(ls); do case $x in a) \
                   echo <<-EOF | psql ;; esac; done\n\tbody\n\tEOF\nbroken ( ;; )\n";
        let ts = crate::shell::parse_tree(src).expect("parses");
        let t = super::from_ts(&ts);
        let mut want = Vec::new();
        crate::tree_walk::preorder(ts.root_node(), |n, d| {
            want.push((
                d,
                n.kind(),
                n.is_named(),
                n.is_error(),
                n.is_missing(),
                n.has_error(),
                n.start_byte(),
                n.end_byte(),
            ));
            true
        });
        let mut got = Vec::new();
        let root = t.root().expect("a root");
        crate::owned_tree::preorder(root, |n, d| {
            got.push((
                d,
                n.kind(),
                n.is_named(),
                n.is_error(),
                n.is_missing(),
                n.has_error(),
                n.start_byte(),
                n.end_byte(),
            ));
            true
        });
        assert_eq!(got, want);
        assert!(root.has_error());
    }
}
