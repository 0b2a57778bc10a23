//! Node kinds of tree-sitter-bash trees without the C-string round trip: `Node::kind` reads
//! the grammar's symbol name through `strlen` and UTF-8 validation on every call, and the
//! walker asks for a kind at nearly every node. The names are read once into a table indexed
//! by `kind_id`; the answer is the same `&'static str` `Node::kind` gives.

use std::sync::OnceLock;
use tree_sitter::Node;

static NAMES: OnceLock<Vec<&'static str>> = OnceLock::new();

/// `n.kind()` for a node of a tree-sitter-bash tree (only those: the table is bash's).
pub(crate) fn kind(n: Node<'_>) -> &'static str {
    let names = NAMES.get_or_init(|| {
        let lang: tree_sitter::Language = tree_sitter_bash::LANGUAGE.into();
        (0..lang.node_kind_count())
            .map(|id| {
                u16::try_from(id)
                    .ok()
                    .and_then(|id| lang.node_kind_for_id(id))
                    .unwrap_or("")
            })
            .collect()
    });
    match names.get(usize::from(n.kind_id())) {
        Some(k) if !k.is_empty() => k,
        // ERROR (id 65535) and anything the table lacks: ask the tree
        _ => n.kind(),
    }
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
        let mut c = tree.root_node().walk();
        let mut seen = 0;
        'outer: loop {
            let n = c.node();
            assert_eq!(kind(n), n.kind(), "at byte {}", n.start_byte());
            seen += 1;
            if c.goto_first_child() {
                continue;
            }
            loop {
                if c.goto_next_sibling() {
                    continue 'outer;
                }
                if !c.goto_parent() {
                    break 'outer;
                }
            }
        }
        assert!(seen > 100, "walked {seen} nodes");
        assert!(
            tree.root_node().has_error(),
            "the sample also covers ERROR nodes"
        );
    }
}
