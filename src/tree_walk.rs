//! The one cursor walk over a tree-sitter tree that the front ends share (shell, inline
//! code): every node in document order, without recursion, with its depth below the root;
//! the visitor says whether to go below each node.

use tree_sitter::Node;

/// Visit `root` and the nodes below it in document order; `visit(node, depth)` returns
/// whether to walk that node's children.
pub fn preorder(root: Node, mut visit: impl FnMut(Node, usize) -> bool) {
    let mut c = root.walk();
    let mut depth = 0usize;
    'outer: loop {
        if visit(c.node(), depth) && c.goto_first_child() {
            depth += 1;
            continue;
        }
        loop {
            if c.goto_next_sibling() {
                continue 'outer;
            }
            if !c.goto_parent() {
                break 'outer;
            }
            depth -= 1;
        }
    }
}
