//! A fast path around tree-sitter for the common Rails migration (and `db/schema.rb`): a
//! strict hand-written tokenizer ([`lex`]) and parser ([`parse`]) build the tree tree-sitter-
//! ruby would build — the same kinds, spans, fields and named children — for the subset of
//! Ruby migrations are written in (classes, `def`s, calls with and without parentheses,
//! blocks, literals, `if` / `unless`, comments), or give up (`None`) on anything else; then
//! the caller parses with tree-sitter as before, so odd syntax and broken files behave as
//! they always did. The Rails reader walks either tree ([`super::tree::RubyNode`]). The tests
//! compare the two trees node by node on every fixture, every truncation of it and tricky
//! snippets.

mod lex;
mod parse;
#[cfg(test)]
mod tests;

use super::tree::RubyNode;

/// A node of a [`Tree`]: kind, span, and its children with their field names.
#[derive(Debug)]
struct Data {
    kind: &'static str,
    start: usize,
    end: usize,
    kids: Vec<(Option<&'static str>, u32)>,
}

/// The syntax tree of a file the fast path read (only named nodes, as tree-sitter names them).
#[derive(Debug, Default)]
pub struct Tree {
    nodes: Vec<Data>,
    root: u32,
}

impl Tree {
    pub fn root(&self) -> FastNode<'_> {
        FastNode {
            t: self,
            i: self.root,
        }
    }

    /// Add a node (its children are already in); its index.
    fn push(
        &mut self,
        kind: &'static str,
        start: usize,
        end: usize,
        kids: Vec<(Option<&'static str>, u32)>,
    ) -> u32 {
        self.nodes.push(Data {
            kind,
            start,
            end,
            kids,
        });
        u32::try_from(self.nodes.len() - 1).unwrap_or(u32::MAX)
    }
}

/// Parse `src` if it is in the fast path's subset.
pub fn tree(src: &str) -> Option<Tree> {
    parse::parse(src)
}

#[derive(Clone, Copy)]
pub struct FastNode<'t> {
    t: &'t Tree,
    i: u32,
}

impl<'t> FastNode<'t> {
    fn data(self) -> &'t Data {
        // indices come from the tree itself
        &self.t.nodes[self.i as usize]
    }
    fn at(self, i: u32) -> Self {
        FastNode { t: self.t, i }
    }
}

impl RubyNode for FastNode<'_> {
    fn kind(self) -> &'static str {
        self.data().kind
    }
    fn field(self, name: &str) -> Option<Self> {
        self.data()
            .kids
            .iter()
            .find(|(f, _)| *f == Some(name))
            .map(|&(_, i)| self.at(i))
    }
    fn named_children(self) -> impl Iterator<Item = Self> {
        self.data().kids.iter().map(move |&(_, i)| self.at(i))
    }
    fn children(self) -> impl Iterator<Item = Self> {
        self.named_children()
    }
    fn named_child_count(self) -> usize {
        self.data().kids.len()
    }
    fn named_child(self, i: usize) -> Option<Self> {
        self.data().kids.get(i).map(|&(_, k)| self.at(k))
    }
    fn start_byte(self) -> usize {
        self.data().start
    }
    fn end_byte(self) -> usize {
        self.data().end
    }
    fn has_error(self) -> bool {
        false
    }
    fn id(self) -> usize {
        self.i as usize
    }
}
