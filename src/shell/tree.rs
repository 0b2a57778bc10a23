//! The shell walker's tree: an owned copy of tree-sitter-bash's tree
//! ([`crate::owned_tree::Tree`]: the same kinds, fields, flags and spans), built from
//! tree-sitter's tree by [`from_ts`] or by a fast reader that builds the same nodes. The
//! walker (`parse`), the function pre-scan (`wrappers`) and the error regions read it
//! through these few names.

pub(crate) use crate::owned_tree::{Node, Tree};

/// A copy of tree-sitter-bash's tree.
pub(crate) fn from_ts(t: &tree_sitter::Tree) -> Tree {
    Tree::from_ts(t, super::kind::kind)
}

/// tree-sitter + the input repairs ([`super::parse_tree`]), as an owned tree.
pub(crate) fn parse(text: &str) -> Option<Tree> {
    super::parse_tree(text).map(|t| from_ts(&t))
}

/// The tree of `text`: the fast reader's ([`super::fast`], the same tree tree-sitter gives)
/// for the common script, else tree-sitter's (with its input repairs) copied.
pub(crate) fn read(text: &str) -> Option<Tree> {
    super::fast::parse(text).or_else(|| parse(text))
}

/// The node's kind (the walker's spelling of `n.kind()`).
#[inline]
pub(crate) fn kind(n: Node<'_>) -> &'static str {
    n.kind()
}

#[cfg(test)]
mod tests {
    type Row = (
        usize,
        &'static str,
        Option<&'static str>,
        [bool; 4],
        usize,
        usize,
    );

    /// Every node of tree-sitter's tree in document order: depth, kind, field, flags, span.
    fn ts_rows(ts: &tree_sitter::Tree) -> Vec<Row> {
        let mut out = Vec::new();
        let mut c = ts.walk();
        let mut depth = 0;
        loop {
            let n = c.node();
            let flags = [n.is_named(), n.is_error(), n.is_missing(), n.has_error()];
            let kind = crate::shell::kind::kind(n);
            out.push((
                depth,
                kind,
                c.field_name(),
                flags,
                n.start_byte(),
                n.end_byte(),
            ));
            if c.goto_first_child() {
                depth += 1;
                continue;
            }
            while !c.goto_next_sibling() {
                if !c.goto_parent() {
                    return out;
                }
                depth -= 1;
            }
        }
    }

    /// The same for the copy.
    fn rows(t: &crate::owned_tree::Tree) -> Vec<Row> {
        let mut out = Vec::new();
        if let Some(root) = t.root() {
            crate::owned_tree::preorder(root, |n, d| {
                let flags = [n.is_named(), n.is_error(), n.is_missing(), n.has_error()];
                out.push((
                    d,
                    n.kind(),
                    n.field_name(),
                    flags,
                    n.start_byte(),
                    n.end_byte(),
                ));
                true
            });
        }
        out
    }

    /// The copy has what tree-sitter has, node by node (kinds, fields, flags, spans, shape).
    fn same(src: &str) {
        let Some(ts) = crate::shell::parse_tree(src) else {
            return;
        };
        assert_eq!(rows(&super::from_ts(&ts)), ts_rows(&ts), "{src}");
    }

    #[test]
    fn the_copy_has_what_tree_sitter_has() {
        let src = "f() { rm -rf \"${D:?}\"/x; }\nfor x in a $(ls); do case $x in a) \
                   echo <<-EOF | psql ;; esac; done\n\tbody\n\tEOF\nbroken ( ;; )\n";
        same(src);
        let ts = crate::shell::parse_tree(src).expect("parses");
        assert!(super::from_ts(&ts).root().expect("a root").has_error());
    }

    /// On every shell script of the repository's cases and fixtures, and every prefix of one
    /// with many constructs (broken trees too).
    #[test]
    fn the_copy_has_what_tree_sitter_has_on_every_script() {
        let mut files = 0;
        for dir in ["tests/cases", "fixtures"] {
            let mut stack = vec![std::path::PathBuf::from(dir)];
            while let Some(d) = stack.pop() {
                for e in std::fs::read_dir(&d).into_iter().flatten().flatten() {
                    let p = e.path();
                    if p.is_dir() {
                        stack.push(p);
                    } else if p.extension().is_some_and(|x| x == "sh" || x == "bash") {
                        same(&std::fs::read_to_string(&p).unwrap_or_default());
                        files += 1;
                    }
                }
            }
        }
        assert!(files > 50, "{files} scripts");
        let src = "#!/bin/bash\nset -e\nf() { rm -rf \"${D:?}\"/x; }\n\
                   for x in a $(ls) \"$@\"; do case $x in a) cat <<-EOF | psql ;; esac; done\n\
                   \tbody\n\tEOF\n[[ -n $X ]] && f || exit 1\nY=(1 2) z=$((1+2)) >o 2>&1\n\
                   if ( cd /t ); then :; elif true; then `echo`; else declare -a q; fi\n";
        for end in (0..=src.len()).filter(|&e| src.is_char_boundary(e)) {
            same(&src[..end]);
        }
        same("");
        same("# only a comment\n");
    }
}
