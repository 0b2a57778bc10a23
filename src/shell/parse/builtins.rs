//! Constructs the walker reads itself rather than as plain commands: `[[ … ]]` / `[ … ]`
//! tests, declarations (`declare`, `local`, `export`, …) and variable assignments.

use super::*;

impl<'t> Walker<'t> {
    pub(super) fn test_command(&mut self, node: Node<'t>, flow: Flow, depth: usize) {
        // leaves of the test expression, in order (on the stack: a test has a few)
        let mut stack: SmallVec<[(Node<'t>, usize); 8]> = smallvec::smallvec![(node, 0usize)];
        let mut leaves: SmallVec<[Node<'t>; 8]> = SmallVec::new();
        while let Some((n, d)) = stack.pop() {
            let word_like = matches!(
                n.kind(),
                word_kinds!()
                    | "test_operator"
                    | "command_substitution"
                    | "ansi_c_string"
                    | "regex"
                    | "extglob_pattern"
                    | "variable_name"
            );
            if (word_like && n.id() != node.id()) || d > MAX_WORD_DEPTH {
                leaves.push(n);
                continue;
            }
            let kids: SmallVec<[Node; 8]> = n.children().collect();
            for k in kids.into_iter().rev() {
                if k.is_named() {
                    stack.push((k, d + 1));
                } else if matches!(
                    k.kind(),
                    "!" | "=" | "==" | "!=" | "-a" | "-o" | "||" | "&&"
                ) {
                    leaves.push(k);
                }
            }
        }
        leaves.sort_by_key(|n| n.start_byte());
        let mut words = Vec::with_capacity(leaves.len() + 1);
        words.push(Word {
            span: self.span_of(node.start_byte(), node.start_byte() + 1),
            parts: smallvec::smallvec![Part::Lit {
                text: "[".into(),
                quoted: false,
            }],
            src: Mapped::default(),
        });
        for l in leaves {
            if l.kind() == "variable_name" {
                // `[[ -n x ]]` has bare names in arithmetic context; keep the text
                let mut w = self.word(l, depth);
                w.parts = smallvec::smallvec![Part::Lit {
                    text: self.text(l).into(),
                    quoted: false,
                }];
                words.push(w);
            } else if !l.is_named() {
                // an operator: its kind, not its text (input repair may have turned `= ` into
                // `==` in the parsed copy; both are the same test)
                let mut w = self.word(l, depth);
                w.parts = smallvec::smallvec![Part::Lit {
                    text: l.kind().into(),
                    quoted: false,
                }];
                words.push(w);
            } else {
                words.push(self.word(l, depth));
            }
        }
        self.walk_subs(depth);
        let cmd = self.plain_command(words, node, flow, Vec::new());
        self.items.push(Item::Cmd(cmd));
    }

    /// `unset NAME`, `local NAME`: the name no longer holds a known value (`-f` and other
    /// flags are not names).
    pub(super) fn forget(&mut self, ch: Node<'t>) {
        let name = self.text(ch).to_string();
        if !name.starts_with('-') {
            self.env.assign(&name, None);
            self.items.push(Item::Assign {
                name,
                value: None,
                span: self.span(ch),
            });
        }
    }

    pub(super) fn declaration(&mut self, node: Node<'t>, depth: usize) {
        let kw = node.child(0).map(|n| n.kind()).unwrap_or("");
        let kids: Vec<Node> = node.named_children().collect();
        for ch in kids {
            match ch.kind() {
                "variable_assignment" => self.assignment(ch, depth),
                "variable_name" | "word" if kw == "local" || kw == "declare" || kw == "typeset" => {
                    self.forget(ch);
                }
                _ => {
                    self.word(ch, depth);
                    self.walk_subs(depth);
                }
            }
        }
    }

    pub(super) fn assignment(&mut self, node: Node<'t>, depth: usize) {
        // the first child of each field (what `node.field` finds), in one pass
        let (mut name_node, mut value_node) = (None, None);
        for (field, ch) in node.fields() {
            match field {
                Some("name") if name_node.is_none() => name_node = Some(ch),
                Some("value") if value_node.is_none() => value_node = Some(ch),
                _ => {}
            }
        }
        let name = name_node
            .map(|n| self.text(n).to_string())
            .unwrap_or_default();
        let value = value_node.map(|v| self.word(v, depth));
        self.walk_subs(depth);
        let value = self.assigned(&name, value);
        // `X+=…` appends: X stays whatever it was, plus text
        self.items.push(Item::Assign {
            name,
            value,
            span: self.span(node),
        });
    }
}
