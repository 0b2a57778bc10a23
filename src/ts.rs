//! Node kinds and fields by id for the ORM front ends' tree walks. `Node::kind()` measures
//! and UTF-8-checks the grammar's C string on every call, and `child_by_field_name` compares
//! the name with every field name of the grammar each time; the readers ask both for every
//! node they visit. A [`Names`] table, built once per grammar, answers the same questions
//! with the same answers from the node's numeric kind and a short list of field ids.

use tree_sitter::{Language, Node};

pub struct Names {
    kinds: Vec<&'static str>,
    fields: Vec<(&'static str, std::num::NonZeroU16)>,
}

impl Names {
    pub fn new(lang: &Language) -> Names {
        let kinds = (0..lang.node_kind_count())
            .map(|i| {
                u16::try_from(i)
                    .ok()
                    .and_then(|i| lang.node_kind_for_id(i))
                    .unwrap_or("")
            })
            .collect();
        let fields = (1..=lang.field_count())
            .filter_map(|i| {
                let id = std::num::NonZeroU16::new(u16::try_from(i).ok()?)?;
                Some((lang.field_name_for_id(id.get())?, id))
            })
            .collect();
        Names { kinds, fields }
    }

    /// `n.kind()`.
    pub fn kind(&self, n: Node) -> &'static str {
        match self.kinds.get(usize::from(n.kind_id())) {
            Some(k) if !k.is_empty() => k,
            // ERROR and other built-ins outside the table
            _ => n.kind(),
        }
    }

    /// `n.child_by_field_name(name)`.
    pub fn field<'t>(&self, n: Node<'t>, name: &str) -> Option<Node<'t>> {
        let (_, id) = self.fields.iter().find(|(f, _)| *f == name)?;
        n.child_by_field_id(id.get())
    }
}

/// `by_id!(grammar)`: a front end's `names()` table for `grammar` (built once) and its
/// `kind_of(n)` / `field_of(n, name)`, the same answers as `n.kind()` /
/// `n.child_by_field_name(name)`, by id.
macro_rules! by_id {
    ($lang:expr) => {
        /// This grammar's node kinds and fields by id ([`crate::ts::Names`]).
        fn names() -> &'static crate::ts::Names {
            static NAMES: std::sync::OnceLock<crate::ts::Names> = std::sync::OnceLock::new();
            NAMES.get_or_init(|| crate::ts::Names::new(&$lang.into()))
        }

        /// `n.kind()`, by id.
        pub(crate) fn kind_of(n: tree_sitter::Node) -> &'static str {
            names().kind(n)
        }

        /// `n.child_by_field_name(name)`, by id.
        pub(crate) fn field_of<'t>(
            n: tree_sitter::Node<'t>,
            name: &str,
        ) -> Option<tree_sitter::Node<'t>> {
            names().field(n, name)
        }
    };
}
pub(crate) use by_id;

#[cfg(test)]
mod tests {
    use super::*;

    /// The table gives the same kinds and fields as tree-sitter's by-name lookups, for every
    /// node of a file that uses most of the grammar.
    #[test]
    fn same_answers_as_by_name() {
        let lang: Language = tree_sitter_python::LANGUAGE.into();
        let names = Names::new(&lang);
        let src = "import a\n@d\ndef f(x, *y, **z):\n    return [i for i in x if i] + {1: 'a' f'{x}'}\n\
                   class C(B):\n    x: int = 1\n    with a() as b, c: pass\n\
                   try:\n    print >> x, 1\nexcept E as e:\n    raise\nfinally:\n    del x[1:2]\n\
                   lambda q: q.r(s=1)\nx = ((1,), None, True, 1.5, b'', r'\\n')\n)(\n";
        let mut p = tree_sitter::Parser::new();
        p.set_language(&lang).expect("python");
        let tree = p.parse(src, None).expect("parses");
        let mut stack = vec![tree.root_node()];
        let mut seen = 0;
        while let Some(n) = stack.pop() {
            seen += 1;
            assert_eq!(names.kind(n), n.kind());
            for f in [
                "name",
                "body",
                "value",
                "left",
                "right",
                "function",
                "arguments",
                "x",
            ] {
                assert_eq!(names.field(n, f), n.child_by_field_name(f), "{f}");
            }
            let mut c = n.walk();
            stack.extend(n.children(&mut c));
        }
        assert!(seen > 100, "{seen}");
    }
}
