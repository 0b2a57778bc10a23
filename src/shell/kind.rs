//! Node kinds of tree-sitter-bash trees without the C-string round trip: `Node::kind` reads
//! the grammar's symbol name through `strlen` and UTF-8 validation on every call, and the
//! walker asks for a kind at nearly every node. The names are read once into a table indexed
//! by `kind_id` ([`crate::ts::Names`], shared with the ORM front ends); the answer is the
//! same `&'static str` `Node::kind` gives.

use crate::ts::Names;
use std::sync::OnceLock;
use tree_sitter::Node;

static NAMES: OnceLock<Names> = OnceLock::new();

/// `n.kind()` for a node of a tree-sitter-bash tree (only those: the table is bash's).
pub(crate) fn kind(n: Node<'_>) -> &'static str {
    NAMES
        .get_or_init(|| Names::new(&tree_sitter_bash::LANGUAGE.into()))
        .kind(n)
}

#[cfg(test)]
mod tests {
    use super::kind;

    #[test]
    fn the_table_gives_what_the_tree_gives() {
        let src = "#!/bin/bash\nset -euo pipefail\nf() { rm -rf \"${D:?}\"/x; }\n\
                   for x in a $(ls) \"$@\"; do case $x in a) echo <<-EOF | psql ;; esac; done\n\
                   body\n\tEOF\n[[ -n $X ]] && f || exit 1\nY=(1 2) z=$((1+2)) >out 2>&1 <<< 'w'\n\
                   if ( cd /tmp ); then :; elif true; then `echo`; else declare -a q; fi\n\
                   while read -r l; do unset l; done < <(cat) ; ! { x=$'a\\n'; }\nbroken ( ;; )\n";
        let tree = crate::shell::parse_tree(src).expect("parses");
        let mut seen = 0;
        crate::tree_walk::preorder(tree.root_node(), |n, _| {
            assert_eq!(kind(n), n.kind(), "at byte {}", n.start_byte());
            seen += 1;
            true
        });
        assert!(seen > 100, "walked {seen} nodes");
        assert!(
            tree.root_node().has_error(),
            "the sample also covers ERROR nodes"
        );
    }
}
