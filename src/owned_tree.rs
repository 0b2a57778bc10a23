//! An owned syntax tree with tree-sitter's answers: kinds, field names, named/error/missing
//! flags and byte spans exactly as tree-sitter gives them, built either from tree-sitter's
//! tree ([`Tree::from_ts`]) or directly by a front end's fast reader, which builds the same
//! nodes without tree-sitter. One walker, two builders: the Laravel reader (`php::tree`) and
//! the shell walker (`shell::tree`) read it.

const NONE: u32 = u32::MAX;

#[derive(Clone, Debug, PartialEq, Eq)]
struct Data {
    kind: &'static str,
    field: Option<&'static str>,
    named: bool,
    /// `is_error`, `is_missing`, `has_error` (a fast reader never builds these).
    error: bool,
    missing: bool,
    has_error: bool,
    start: u32,
    end: u32,
    first: u32,
    next: u32,
    parent: u32,
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
    /// A copy of tree-sitter's tree (nodes in document order); `ts_kind(n)` must answer
    /// `n.kind()` (a by-id table). Made in one pass of one cursor: no reset and no list of
    /// children per node, and no failing sibling step at the end of each node's children
    /// (their count is known up front) — a failing step walks back up through the grammar's
    /// hidden nodes, the most expensive move of tree-sitter's cursor.
    pub fn from_ts(ts: &tree_sitter::Tree, ts_kind: fn(tree_sitter::Node) -> &'static str) -> Tree {
        let root = ts.root_node();
        let mut t = Tree {
            nodes: Vec::with_capacity(root.end_byte() / 3 + 16),
        };
        let r = t.copy_ts(root, None, ts_kind, true);
        // per open node: its index, its children not yet copied, its last child copied
        let mut open: Vec<(u32, usize, u32)> = vec![(r, root.child_count(), NONE)];
        let mut c = ts.walk();
        if open[0].1 == 0 || !c.goto_first_child() {
            return t;
        }
        loop {
            let k = c.node();
            let Some(top) = open.last_mut() else {
                break;
            };
            let (parent, prev) = (top.0, top.2);
            // below a node without errors there are none (tree-sitter sums them upwards)
            let errors = t.nodes.get(parent as usize).is_some_and(|p| p.has_error);
            let j = t.copy_ts(k, c.field_name(), ts_kind, errors);
            top.1 = top.1.saturating_sub(1);
            top.2 = j;
            t.attach(parent, prev, j);
            let kids = k.child_count();
            if kids > 0 && c.goto_first_child() {
                open.push((j, kids, NONE));
                continue;
            }
            // the next sibling of the nearest open node that has one left
            loop {
                let Some(&(_, left, _)) = open.last() else {
                    return t;
                };
                // (the count is the cursor's own: a failing step is never expected)
                if left > 0 && c.goto_next_sibling() {
                    break;
                }
                open.pop();
                if open.is_empty() || !c.goto_parent() {
                    return t;
                }
            }
        }
        t
    }

    /// Append tree-sitter's node `n` (no children yet), its error flags when `errors`.
    fn copy_ts(
        &mut self,
        n: tree_sitter::Node,
        field: Option<&'static str>,
        ts_kind: fn(tree_sitter::Node) -> &'static str,
        errors: bool,
    ) -> u32 {
        let i = self.push(
            ts_kind(n),
            field,
            n.is_named(),
            n.start_byte(),
            n.end_byte(),
        );
        if errors {
            self.flag(i, n);
        }
        i
    }

    /// Make `j` the child of `parent` after `prev` (`NONE`: its first child).
    fn attach(&mut self, parent: u32, prev: u32, j: u32) {
        let at = if prev == NONE { parent } else { prev };
        if let Some(d) = self.nodes.get_mut(at as usize) {
            if prev == NONE {
                d.first = j;
            } else {
                d.next = j;
            }
        }
        if let Some(d) = self.nodes.get_mut(j as usize) {
            d.parent = parent;
        }
    }

    /// Copy tree-sitter's error flags of `n` to node `i`.
    fn flag(&mut self, i: u32, n: tree_sitter::Node) {
        if let Some(d) = self.nodes.get_mut(i as usize) {
            d.error = n.is_error();
            d.missing = n.is_missing();
            d.has_error = n.has_error();
        }
    }

    /// An empty tree with room for `n` nodes (a fast reader's estimate).
    pub(crate) fn with_capacity(n: usize) -> Tree {
        Tree {
            nodes: Vec::with_capacity(n),
        }
    }

    /// Append a node (no children yet); its index.
    #[inline]
    pub(crate) fn push(
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
            error: false,
            missing: false,
            has_error: false,
            start: u32::try_from(start).unwrap_or(u32::MAX),
            end: u32::try_from(end).unwrap_or(u32::MAX),
            first: NONE,
            next: NONE,
            parent: NONE,
        });
        i
    }

    /// A leaf over `start..end` (a fast reader's token, its offsets known to fit: no
    /// conversions, no field).
    #[inline]
    pub(crate) fn push_leaf(
        &mut self,
        kind: &'static str,
        named: bool,
        start: u32,
        end: u32,
    ) -> u32 {
        let i = u32::try_from(self.nodes.len()).unwrap_or(NONE);
        self.nodes.push(Data {
            kind,
            field: None,
            named,
            error: false,
            missing: false,
            has_error: false,
            start,
            end,
            first: NONE,
            next: NONE,
            parent: NONE,
        });
        i
    }

    /// A named node of `kind` over `kids` (in order, at least one) made their parent: it
    /// spans from the first's start to the last's end, or to `end` when that is later (a
    /// builder's node in one call: the spans are read and written as stored, no conversions).
    #[inline(always)]
    pub(crate) fn push_over(&mut self, kind: &'static str, kids: &[u32], end: u32) -> Option<u32> {
        let start = self.nodes.get(*kids.first()? as usize)?.start;
        let last = self.nodes.get(*kids.last()? as usize)?.end;
        let i = u32::try_from(self.nodes.len()).unwrap_or(NONE);
        self.nodes.push(Data {
            kind,
            field: None,
            named: true,
            error: false,
            missing: false,
            has_error: false,
            start,
            end: last.max(end),
            first: NONE,
            next: NONE,
            parent: NONE,
        });
        self.link(i, kids);
        Some(i)
    }

    /// Make `kids` (in order) the children of `parent` (one pass over them).
    #[inline(always)]
    pub(crate) fn link(&mut self, parent: u32, kids: &[u32]) {
        let Some((&first, rest)) = kids.split_first() else {
            return;
        };
        if let Some(p) = self.nodes.get_mut(parent as usize) {
            p.first = first;
        }
        let mut prev = first;
        if let Some(d) = self.nodes.get_mut(first as usize) {
            d.parent = parent;
        }
        for &k in rest {
            if let Some(d) = self.nodes.get_mut(prev as usize) {
                d.next = k;
            }
            if let Some(d) = self.nodes.get_mut(k as usize) {
                d.parent = parent;
            }
            prev = k;
        }
    }

    /// The span of node `i`.
    #[inline]
    pub(crate) fn span(&self, i: u32) -> (usize, usize) {
        self.nodes
            .get(i as usize)
            .map_or((0, 0), |d| (d.start as usize, d.end as usize))
    }

    /// The kind of node `i`.
    #[inline]
    pub(crate) fn kind(&self, i: u32) -> &'static str {
        self.nodes.get(i as usize).map_or("", |d| d.kind)
    }

    /// Set the field name of node `i`.
    #[inline]
    pub(crate) fn set_field(&mut self, i: u32, field: &'static str) {
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

/// Visit `root` and the nodes below it in document order, without recursion;
/// `visit(node, depth)` returns whether to walk that node's children (like
/// [`crate::tree_walk::preorder`] over tree-sitter's tree).
pub fn preorder<'t>(root: Node<'t>, mut visit: impl FnMut(Node<'t>, usize) -> bool) {
    let nodes = &root.tree.nodes;
    let mut i = root.i;
    let mut depth = 0usize;
    loop {
        let Some(d) = nodes.get(i as usize) else {
            return;
        };
        if visit(Node { tree: root.tree, i }, depth) && d.first != NONE {
            i = d.first;
            depth += 1;
            continue;
        }
        // up until a node with a next sibling (never past `root`)
        loop {
            if i == root.i {
                return;
            }
            let Some(d) = nodes.get(i as usize) else {
                return;
            };
            if d.next != NONE {
                i = d.next;
                break;
            }
            i = d.parent;
            depth = depth.saturating_sub(1);
        }
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

    pub fn is_error(&self) -> bool {
        self.data().error
    }

    pub fn is_missing(&self) -> bool {
        self.data().missing
    }

    pub fn has_error(&self) -> bool {
        self.data().has_error
    }

    /// The parent (`None` for the root).
    pub fn parent(&self) -> Option<Node<'t>> {
        let p = self.data().parent;
        (p != NONE).then_some(Node {
            tree: self.tree,
            i: p,
        })
    }

    /// Unique in its tree (the node's index).
    pub fn id(&self) -> usize {
        self.i as usize
    }

    /// The field name under which the node sits in its parent.
    pub fn field_name(&self) -> Option<&'static str> {
        self.data().field
    }

    pub fn child_count(&self) -> usize {
        self.children().count()
    }

    pub fn child(&self, i: usize) -> Option<Node<'t>> {
        self.children().nth(i)
    }

    /// The first child with field name `name`.
    pub fn field(&self, name: &str) -> Option<Node<'t>> {
        self.children().find(|k| k.data().field == Some(name))
    }

    /// The children with their field names.
    pub fn fields(&self) -> impl Iterator<Item = (Option<&'static str>, Node<'t>)> + use<'t> {
        self.children().map(|k| (k.data().field, k))
    }

    /// The last named child.
    pub fn last_named_child(&self) -> Option<Node<'t>> {
        self.named_children().last()
    }

    /// Every node of the node's tree whose kind is `kind`, in the order they were built
    /// (a fast reader builds children first: not document order; a node it built may hang
    /// nowhere below the root): a scan of the node list, no walk.
    pub fn all_of_kind(&self, kind: &'static str) -> impl Iterator<Item = Node<'t>> + use<'t> {
        let tree = self.tree;
        (0u32..)
            .zip(&tree.nodes)
            .filter(move |(_, d)| d.kind == kind)
            .map(move |(i, _)| Node { tree, i })
    }
}
