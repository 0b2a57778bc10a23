//! Conditionals: `if` / `elif` / `else` bodies and `case` clauses walked in order, with the
//! guards their tests establish, and whether a branch always leaves the script (`exit`,
//! `return`), so that what follows runs only when the test failed.

use super::*;

impl<'t> Walker<'t> {
    pub(super) fn if_statement(&mut self, node: Node<'t>, depth: usize) {
        let kids = fields(node);
        let has_else = kids
            .iter()
            .any(|(_, n)| matches!(kind(*n), "elif_clause" | "else_clause"));
        let body_exits = !has_else
            && kids.iter().any(|(f, n)| {
                n.is_named() && f.is_none() && !is_clause(kind(*n)) && self.exits(*n, 0)
            });
        // the condition guards the `then` body (up to the first elif/else)
        let mut open = false;
        for (field, ch) in kids {
            if !ch.is_named() {
                continue;
            }
            if field == Some("condition") {
                if !open {
                    self.items.push(Item::GuardStart);
                }
                self.stmt(
                    ch,
                    Flow {
                        checked: true,
                        on_success_exits: body_exits,
                        on_fail_exits: false,
                        guards: true,
                    },
                    depth,
                );
                open = true;
                continue;
            }
            if open && is_clause(kind(ch)) {
                self.items.push(Item::GuardEnd);
                open = false;
            }
            self.stmt(ch, Flow::default(), depth);
        }
        if open {
            self.items.push(Item::GuardEnd);
        }
    }

    /// The parts of an `if`/`while`/`until`: the condition's failure is handled (and, for
    /// `if …; then exit; fi`, its success ends the script); the bodies run unchecked.
    pub(super) fn clauses(&mut self, kids: Fields<'t>, on_success_exits: bool, depth: usize) {
        for (field, ch) in kids {
            if !ch.is_named() {
                continue;
            }
            let f = if field == Some("condition") {
                Flow {
                    checked: true,
                    on_success_exits,
                    on_fail_exits: false,
                    guards: false,
                }
            } else {
                Flow::default()
            };
            self.stmt(ch, f, depth);
        }
    }

    /// Does this statement end the script (`exit`, `return`, `die "…"`, `{ …; exit 1; }`)?
    pub(super) fn exits(&self, node: Node, depth: usize) -> bool {
        if depth > 8 {
            return false;
        }
        match kind(node) {
            "command" => node
                .field("name")
                .is_some_and(|n| crate::shell::wrappers::exits(basename(self.text(n)))),
            "compound_statement" => {
                let kids: Vec<Node> = node.named_children().collect();
                kids.iter().any(|k| self.exits(*k, depth + 1))
            }
            "redirected_statement" => node.field("body").is_some_and(|b| self.exits(b, depth + 1)),
            "list" => node
                .last_named_child()
                .is_some_and(|r| self.exits(r, depth + 1)),
            _ => false,
        }
    }
}
