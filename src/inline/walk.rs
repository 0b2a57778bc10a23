//! The walk every tree-sitter inline reader shares (Python, JavaScript, Ruby, PHP): every
//! node in document order, literal values bound to names by assignments, other nodes (calls,
//! backticks) handed to the language's reader, the effects it finds collected.

use super::Effect;
use super::tree::{Cx, each};
use crate::shell::command::Mapped;
use std::collections::HashMap;
use std::marker::PhantomData;
use tree_sitter::{Node, Tree};

/// One language's node kinds and readers for the shared walk.
pub trait Language: Sized {
    /// An assignment node's kind, its target and value fields, and a plain name's kind.
    const ASSIGNMENT: &'static str;
    const LEFT: &'static str;
    const RIGHT: &'static str;
    const NAME: &'static str;
    /// Assigning a value that is not known forgets the name's earlier value.
    const FORGET: bool = false;
    /// A path, a command or SQL known from literals.
    fn eval(r: &Reader<Self>, n: Node) -> Option<Mapped>;
    /// Every node that is not an assignment: calls, backtick commands.
    fn visit(r: &mut Reader<Self>, n: Node);
}

/// `language!(Name: assignment, left, right, name[, forget: true])`: the unit type `Name` of a
/// language for the shared walk, its [`Language`] impl (the node kinds and fields above; its
/// `eval` and `visit` are the reader's own inherent `eval` and `visit`), and the `Reader` alias
/// the language's module writes them on.
macro_rules! language {
    ($lang:ident: $assignment:literal, $left:literal, $right:literal, $name:literal
     $(, forget: $forget:literal)?) => {
        #[doc = concat!(stringify!($lang), "'s node kinds and readers in the shared walk.")]
        pub struct $lang;

        impl $crate::inline::walk::Language for $lang {
            const ASSIGNMENT: &'static str = $assignment;
            const LEFT: &'static str = $left;
            const RIGHT: &'static str = $right;
            const NAME: &'static str = $name;
            $(const FORGET: bool = $forget;)?

            fn eval(r: &Reader, n: tree_sitter::Node) -> Option<$crate::shell::command::Mapped> {
                r.eval(n)
            }

            fn visit(r: &mut Reader, n: tree_sitter::Node) {
                r.visit(n)
            }
        }

        type Reader<'a, 'c> = $crate::inline::walk::Reader<'a, 'c, $lang>;
    };
}
pub(super) use language;

/// The walk's state: the names bound to known values so far, and the effects found.
pub struct Reader<'a, 'c, L> {
    pub cx: &'c Cx<'a>,
    pub vars: HashMap<String, Mapped>,
    pub out: Vec<Effect>,
    lang: PhantomData<L>,
}

/// The effects of a program's tree, read as language `L` (none when it did not parse).
pub fn read<L: Language>(cx: &Cx, tree: Option<Tree>) -> Vec<Effect> {
    let Some(tree) = tree else {
        return Vec::new();
    };
    let mut r = Reader::<L> {
        cx,
        vars: HashMap::new(),
        out: Vec::new(),
        lang: PhantomData,
    };
    each(tree.root_node(), |n| {
        if n.kind() == L::ASSIGNMENT {
            r.assign(n);
        } else {
            L::visit(&mut r, n);
        }
    });
    r.out
}

impl<L: Language> Reader<'_, '_, L> {
    fn assign(&mut self, n: Node) {
        let (Some(l), Some(v)) = (
            n.child_by_field_name(L::LEFT),
            n.child_by_field_name(L::RIGHT),
        ) else {
            return;
        };
        if l.kind() != L::NAME {
            return;
        }
        match L::eval(self, v) {
            Some(m) => {
                self.vars.insert(self.cx.text(l).to_string(), m);
            }
            None if L::FORGET => {
                self.vars.remove(self.cx.text(l));
            }
            None => {}
        }
    }

    /// The values of `nodes` when every one is known.
    pub fn evals<'t>(&self, nodes: impl IntoIterator<Item = Node<'t>>) -> Option<Vec<Mapped>> {
        nodes.into_iter().map(|k| L::eval(self, k)).collect()
    }

    /// The value a name is bound to.
    pub fn var(&self, n: Node) -> Option<Mapped> {
        self.vars.get(self.cx.text(n)).cloned()
    }
}

/// `l` followed by `r`.
pub fn concat(mut l: Mapped, r: &Mapped) -> Mapped {
    l.append(r);
    l
}
