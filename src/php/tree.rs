//! The PHP syntax tree the Laravel reader walks: an owned copy of tree-sitter-php's tree
//! (kinds, field names, named flags and byte spans exactly as tree-sitter gives them), built
//! either from tree-sitter's tree ([`Tree::from_ts`]) or, for the common migration, directly
//! by the fast reader (`super::fast`), which builds the same nodes without tree-sitter. One
//! walker, two builders.

#[allow(dead_code)]
mod ts {
    crate::ts::by_id!(tree_sitter_php::LANGUAGE_PHP);
}

use ts::kind_of as ts_kind;

const NONE: u32 = u32::MAX;

#[derive(Clone, Debug, PartialEq, Eq)]
struct Data {
    kind: &'static str,
    field: Option<&'static str>,
    named: bool,
    start: u32,
    end: u32,
    first: u32,
    next: u32,
}

/// A tree of nodes, the root first.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Tree {
    nodes: Vec<Data>,
}

/// A node of a [`Tree`]: the questions tree-sitter's `Node` answers, with the same answers.
#[derive(Clone, Copy)]
pub struct Node<'t> {
    tree: &'t Tree,
    i: u32,
}

impl Tree {
    /// A copy of tree-sitter's tree.
    pub fn from_ts(ts: &tree_sitter::Tree) -> Tree {
        let mut t = Tree::default();
        let root = ts.root_node();
        let r = t.push(
            ts_kind(root),
            None,
            root.is_named(),
            root.start_byte(),
            root.end_byte(),
        );
        let mut stack = vec![(r, root)];
        let mut c = root.walk();
        while let Some((i, n)) = stack.pop() {
            c.reset(n);
            if !c.goto_first_child() {
                continue;
            }
            let mut kids = Vec::new();
            loop {
                let k = c.node();
                let field = c.field_name();
                let j = t.push(
                    ts_kind(k),
                    field,
                    k.is_named(),
                    k.start_byte(),
                    k.end_byte(),
                );
                kids.push(j);
                stack.push((j, k));
                if !c.goto_next_sibling() {
                    break;
                }
            }
            t.link(i, &kids);
        }
        t
    }

    /// Append a node (no children yet); its index.
    pub(super) fn push(
        &mut self,
        kind: &'static str,
        field: Option<&'static str>,
        named: bool,
        start: usize,
        end: usize,
    ) -> u32 {
        let i = u32::try_from(self.nodes.len()).unwrap_or(NONE);
        self.nodes.push(Data {
            kind,
            field,
            named,
            start: u32::try_from(start).unwrap_or(u32::MAX),
            end: u32::try_from(end).unwrap_or(u32::MAX),
            first: NONE,
            next: NONE,
        });
        i
    }

    /// Make `kids` (in order) the children of `parent`.
    pub(super) fn link(&mut self, parent: u32, kids: &[u32]) {
        if let Some(&f) = kids.first()
            && let Some(p) = self.nodes.get_mut(parent as usize)
        {
            p.first = f;
        }
        for w in kids.windows(2) {
            if let Some(d) = self.nodes.get_mut(w[0] as usize) {
                d.next = w[1];
            }
        }
    }

    /// The span of node `i`.
    pub(super) fn span(&self, i: u32) -> (usize, usize) {
        self.nodes
            .get(i as usize)
            .map_or((0, 0), |d| (d.start as usize, d.end as usize))
    }

    /// The kind of node `i`.
    pub(super) fn kind(&self, i: u32) -> &'static str {
        self.nodes.get(i as usize).map_or("", |d| d.kind)
    }

    /// Set the field name of node `i`.
    pub(super) fn set_field(&mut self, i: u32, field: &'static str) {
        if let Some(d) = self.nodes.get_mut(i as usize) {
            d.field = Some(field);
        }
    }

    /// The root (the first node pushed).
    pub fn root(&self) -> Option<Node<'_>> {
        (!self.nodes.is_empty()).then_some(Node { tree: self, i: 0 })
    }

    /// The tree as text: one node a line, indented, with field, kind and span (for tests).
    #[cfg(test)]
    pub fn dump(&self) -> String {
        fn go(n: Node, depth: usize, out: &mut String) {
            let d = n.data();
            out.push_str(&format!(
                "{}{}{}{} {}..{}\n",
                "  ".repeat(depth),
                d.field.map(|f| format!("{f}: ")).unwrap_or_default(),
                if d.named { "" } else { "'" },
                d.kind,
                d.start,
                d.end
            ));
            for k in n.children() {
                go(k, depth + 1, out);
            }
        }
        let mut out = String::new();
        if let Some(r) = self.root() {
            go(r, 0, &mut out);
        }
        out
    }
}

/// The children of a node, in order.
pub struct Children<'t> {
    tree: &'t Tree,
    at: u32,
}

impl<'t> Iterator for Children<'t> {
    type Item = Node<'t>;

    fn next(&mut self) -> Option<Node<'t>> {
        let d = self.tree.nodes.get(self.at as usize)?;
        let n = Node {
            tree: self.tree,
            i: self.at,
        };
        self.at = d.next;
        Some(n)
    }
}

impl<'t> Node<'t> {
    fn data(&self) -> &'t Data {
        &self.tree.nodes[self.i as usize]
    }

    pub fn kind(&self) -> &'static str {
        self.data().kind
    }

    pub fn is_named(&self) -> bool {
        self.data().named
    }

    pub fn start_byte(&self) -> usize {
        self.data().start as usize
    }

    pub fn end_byte(&self) -> usize {
        self.data().end as usize
    }

    pub fn children(&self) -> Children<'t> {
        Children {
            tree: self.tree,
            at: self.data().first,
        }
    }

    pub fn named_children(&self) -> impl Iterator<Item = Node<'t>> + use<'t> {
        self.children().filter(|k| k.is_named())
    }

    pub fn named_child(&self, i: usize) -> Option<Node<'t>> {
        self.named_children().nth(i)
    }

    pub fn named_child_count(&self) -> usize {
        self.named_children().count()
    }

    /// The first child with field name `name`.
    pub fn field(&self, name: &str) -> Option<Node<'t>> {
        self.children().find(|k| k.data().field == Some(name))
    }
}
