//! A Knex call chain as owned data (`knex.schema.table('t', (t) => { … })`,
//! `t.string('c').notNullable().alter()`, `knex('t').where(…).del()`): each link's name,
//! the span of its call and its arguments read as values, and the callback it is given
//! (its first parameter and a body the walker can walk). The Knex reader (`knex.rs`,
//! `knex_index.rs`) reads only this; it is built here from tree-sitter's tree, and the
//! body type `B` lets another builder (a fast path) give its own callback bodies.

use super::value::{Value, field_of, kind_of, unwrap};
use super::walk::{Chain, Walker, node_span};
use crate::source::Span;
use tree_sitter::Node;

/// A callback body the walker can walk (tree-sitter: the function node).
pub trait Body {
    /// Walk the body (its calls go back through the framework's reader).
    fn walk(&self, w: &mut Walker, depth: usize);
}

impl Body for Node<'_> {
    fn walk(&self, w: &mut Walker, depth: usize) {
        w.callback(*self, depth);
    }
}

/// A function passed to a call (`(t) => { … }`): its id (the argument the walker then
/// does not walk again), its first parameter when it is a plain name, and its body.
pub struct Func<B> {
    pub id: usize,
    pub param: Option<String>,
    pub body: B,
}

/// One link of a chain: `.name` or `.name(args)`.
pub struct Link<B> {
    pub name: String,
    /// The call's span (`None`: a property, not called).
    pub call: Option<Span>,
    pub args: Vec<Value>,
    /// The first argument that is a function.
    pub func: Option<Func<B>>,
}

/// `root(args).a.b(args)…`, innermost first.
pub struct KChain<B> {
    /// The name the chain starts from (`knex`, `t`); empty when it is not a name.
    pub root: String,
    /// `knex('t')`: the root called, with its arguments.
    pub root_call: Option<Vec<Value>>,
    pub links: Vec<Link<B>>,
    /// The whole chain.
    pub span: Span,
    /// Used as an argument or property value, not run as a statement.
    pub is_value: bool,
}

impl<B> KChain<B> {
    /// The chain up to and including link `i`, as written (`knex.schema.dropTable`).
    pub fn verb(&self, i: usize) -> String {
        let names = self
            .links
            .iter()
            .take(i + 1)
            .map(|l| (l.name.as_str(), None));
        super::walk::written_of(&self.root, self.root_call.is_some(), names)
    }
    /// The whole chain as written, arguments elided
    /// (`table.string(…).notNullable().alter()`).
    pub fn written(&self) -> String {
        let links = self
            .links
            .iter()
            .map(|l| (l.name.as_str(), l.call.map(|_| l.args.is_empty())));
        super::walk::written_of(&self.root, self.root_call.is_some(), links)
    }
    pub fn has(&self, name: &str) -> bool {
        self.links.iter().any(|l| l.name == name)
    }
}

/// The owned chain of tree-sitter's `ch`, its arguments read as values.
pub fn from_tree<'t>(w: &Walker, ch: &Chain<'t>) -> KChain<Node<'t>> {
    let vals = |args: &[Node]| args.iter().map(|a| w.val(Some(a))).collect::<Vec<_>>();
    KChain {
        root: ch.root.clone(),
        root_call: ch.root_call.as_ref().map(|(_, a)| vals(a)),
        links: ch
            .segs
            .iter()
            .map(|s| Link {
                name: s.name.clone(),
                call: s.call.map(node_span),
                args: vals(&s.args),
                func: fn_arg(&s.args).map(|f| Func {
                    id: f.id(),
                    param: first_param(f, w.src),
                    body: f,
                }),
            })
            .collect(),
        span: node_span(ch.node),
        is_value: is_value(ch.node),
    }
}

fn fn_arg<'t>(args: &[Node<'t>]) -> Option<Node<'t>> {
    args.iter().map(|a| unwrap(*a)).find(|a| {
        matches!(
            kind_of(*a),
            "arrow_function" | "function_expression" | "function"
        )
    })
}

fn first_param(f: Node, src: &str) -> Option<String> {
    if let Some(p) = field_of(f, "parameter") {
        return Some(super::value::text(p, src).to_string());
    }
    let ps = field_of(f, "parameters")?;
    let p = ps.named_child(0)?;
    let id = match kind_of(p) {
        "identifier" => p,
        _ => field_of(p, "pattern")?,
    };
    (kind_of(id) == "identifier").then(|| super::value::text(id, src).to_string())
}

/// An expression used as an argument or property value, not run as a statement.
fn is_value(n: Node) -> bool {
    let mut p = n.parent();
    while let Some(x) = p {
        match kind_of(x) {
            "await_expression" | "parenthesized_expression" | "as_expression" => p = x.parent(),
            "arguments" | "pair" | "binary_expression" | "template_substitution" => return true,
            _ => return false,
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::js::Framework;
    use crate::js::walk::flatten;
    use crate::orm::Facts;

    /// (written, verb of the last link, is_value, arguments per link, callback parameters)
    /// of the chain at every call in `src`.
    type Seen = (String, String, bool, Vec<usize>, Vec<Option<String>>);

    fn chains(src: &str) -> Vec<Seen> {
        fn calls<'t>(n: Node<'t>, out: &mut Vec<Node<'t>>) {
            if kind_of(n) == "call_expression" {
                out.push(n);
            }
            let mut c = n.walk();
            for ch in n.named_children(&mut c) {
                calls(ch, out);
            }
        }
        let tree = crate::js::value::parse(src).expect("a tree");
        let mut nodes = Vec::new();
        calls(tree.root_node(), &mut nodes);
        let mut facts = Facts::default();
        let w = Walker::new(src, Framework::Knex, false, &mut facts, Vec::new());
        nodes
            .into_iter()
            .map(|n| {
                let k = from_tree(&w, &flatten(n, src));
                (
                    k.written(),
                    k.verb(k.links.len().saturating_sub(1)),
                    k.is_value,
                    k.links.iter().map(|l| l.args.len()).collect(),
                    k.links
                        .iter()
                        .map(|l| l.func.as_ref().and_then(|f| f.param.clone()))
                        .collect(),
                )
            })
            .collect()
    }

    #[test]
    fn tree_sitter_chains_as_owned_links() {
        let src = "async function up(knex) {\n  await knex.schema.table('t', (t) => {\n    \
                   t.string('c', 40).notNullable().alter();\n    \
                   t.timestamp('d').defaultTo(knex.raw('now()'));\n  });\n  \
                   await knex('u').where({ a: 1 }).del();\n}\n";
        let seen = chains(src);
        let s = |x: &str| x.to_string();
        for want in [
            (
                s("knex.schema.table(…)"),
                s("knex.schema.table"),
                false,
                vec![0, 2],
                vec![None, Some(s("t"))],
            ),
            (
                s("t.string(…).notNullable().alter()"),
                s("t.string.notNullable.alter"),
                false,
                vec![2, 0, 0],
                vec![None, None, None],
            ),
            (s("knex.raw(…)"), s("knex.raw"), true, vec![1], vec![None]),
            (
                s("t.timestamp(…).defaultTo(…)"),
                s("t.timestamp.defaultTo"),
                false,
                vec![1, 1],
                vec![None, None],
            ),
            (
                s("knex(…).where(…).del()"),
                s("knex(…).where.del"),
                false,
                vec![1, 0],
                vec![None, None],
            ),
        ] {
            assert!(seen.contains(&want), "{want:?} not in {seen:?}");
        }
    }
}
