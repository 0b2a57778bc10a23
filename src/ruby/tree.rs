//! The syntax tree the Rails reader walks, as a trait: tree-sitter-ruby's tree, or the tree
//! the fast path ([`super::fast`]) builds for the common migration — the same kinds, spans,
//! fields and named children for what it reads. One reader over both: whenever the fast path
//! answers, its tree is tree-sitter's (the fast path's tests compare the two node by node).

use tree_sitter::{Node, TreeCursor};

/// A node: what the Rails reader asks of one (the answers of tree-sitter's `Node` methods of
/// the same names).
pub trait RubyNode: Copy {
    /// The node's kind (`call`, `simple_symbol`…).
    fn kind(self) -> &'static str;
    /// The child in field `name`.
    fn field(self, name: &str) -> Option<Self>;
    /// The named children, in order.
    fn named_children(self) -> impl Iterator<Item = Self>;
    /// All children, in order (the fast tree has only named nodes).
    fn children(self) -> impl Iterator<Item = Self>;
    fn named_child_count(self) -> usize;
    fn named_child(self, i: usize) -> Option<Self>;
    fn start_byte(self) -> usize;
    fn end_byte(self) -> usize;
    /// A syntax error in or under this node.
    fn has_error(self) -> bool;
    /// Unique in its tree.
    fn id(self) -> usize;
}

/// A cursor over a tree-sitter node's children (named only, or all).
pub struct Kids<'t> {
    c: TreeCursor<'t>,
    started: bool,
    done: bool,
    named: bool,
}

impl<'t> Iterator for Kids<'t> {
    type Item = Node<'t>;
    fn next(&mut self) -> Option<Node<'t>> {
        loop {
            if self.done {
                return None;
            }
            let moved = if self.started {
                self.c.goto_next_sibling()
            } else {
                self.started = true;
                self.c.goto_first_child()
            };
            if !moved {
                self.done = true;
                return None;
            }
            let n = self.c.node();
            if !self.named || n.is_named() {
                return Some(n);
            }
        }
    }
}

fn kids(n: Node, named: bool) -> Kids {
    Kids {
        c: n.walk(),
        started: false,
        done: false,
        named,
    }
}

impl<'t> RubyNode for Node<'t> {
    fn kind(self) -> &'static str {
        super::kind_of(self)
    }
    fn field(self, name: &str) -> Option<Self> {
        super::field_of(self, name)
    }
    fn named_children(self) -> impl Iterator<Item = Self> {
        kids(self, true)
    }
    fn children(self) -> impl Iterator<Item = Self> {
        kids(self, false)
    }
    fn named_child_count(self) -> usize {
        Node::named_child_count(&self)
    }
    fn named_child(self, i: usize) -> Option<Self> {
        Node::named_child(&self, i)
    }
    fn start_byte(self) -> usize {
        Node::start_byte(&self)
    }
    fn end_byte(self) -> usize {
        Node::end_byte(&self)
    }
    fn has_error(self) -> bool {
        Node::has_error(&self)
    }
    fn id(self) -> usize {
        Node::id(&self)
    }
}
