//! The common word in one pass ([`Walker::quick_word`]): plain words, quoted strings without
//! escapes, variables, `${…}` and `$(…)`, and concatenations of them, in a file walked as
//! itself. Each literal is cut from the file once and the word's source is built from the
//! file ranges it is made of, not piece by piece into a map; any other word (escapes,
//! `$'…'`, `$((…))`, a re-read string) is left to the general conversion
//! ([`Walker::conv`]), which gives the same word (`quick_tests.rs` compares the two).

use super::{expansion_part, inner, is_mktemp, var_name};
use crate::shell::command::new_text;
use crate::shell::parse::*;
use smallvec::SmallVec;

/// A word being read: its parts (the word's own), and the file ranges its source text is
/// made of.
struct Quick<'w> {
    parts: &'w mut Parts,
    /// `[start, end)` in the file, joined when contiguous (as a map joins its runs).
    runs: SmallVec<[(usize, usize); 2]>,
}

impl Quick<'_> {
    /// The file's `[a, b)` appended to the source (what `push_src` does in a file walked as
    /// itself).
    fn run(&mut self, a: usize, b: usize) {
        if a >= b {
            return;
        }
        match self.runs.last_mut() {
            Some(last) if last.1 == a => last.1 = b,
            _ => self.runs.push((a, b)),
        }
    }

    /// Literal text `raw` at file offset `a`, joined to a last literal part quoted the same
    /// (`push_lit`); `None` when it holds a backslash (an escape: the general path's).
    fn lit(&mut self, raw: &str, a: usize, quoted: bool) -> Option<()> {
        if raw.is_empty() {
            return Some(());
        }
        // an inlined byte loop, as `escaped_lit` has (literals are short)
        #[allow(clippy::manual_contains)]
        if raw.as_bytes().iter().any(|&c| c == b'\\') {
            return None;
        }
        match self.parts.last_mut() {
            Some(Part::Lit { text, quoted: q }) if *q == quoted => text.push_str(raw),
            _ => self.parts.push(Part::Lit {
                text: new_text(raw),
                quoted,
            }),
        }
        self.run(a, a + raw.len());
        Some(())
    }

    /// The word's source: its runs' text, mapped run by run.
    fn src(&self, file: &str) -> Option<Mapped> {
        match self.runs.as_slice() {
            [] => Some(Mapped::default()),
            &[(a, b)] => {
                // one literal part and one run: the part's text is the source (every piece
                // that adds to the runs adds its own text to a literal part, or a non-literal
                // part), so it is shared, not cut again
                let text = match self.parts.as_slice() {
                    [Part::Lit { text, .. }] if text.len() == b - a => text.clone(),
                    _ => new_text(file.get(a..b)?),
                };
                debug_assert_eq!(Some(text.as_str()), file.get(a..b));
                Some(Mapped::run_text(text, a))
            }
            runs => {
                let len = runs.iter().map(|r| r.1 - r.0).sum();
                let mut m = Mapped::with_capacity(len);
                for &(a, b) in runs {
                    m.push_run(file.get(a..b)?, a);
                }
                Some(m)
            }
        }
    }
}

impl<'t> Walker<'t> {
    /// The word at `node` read into `w` (its span set, nothing else) when it is of the
    /// common kinds and the walk reads the file itself: the word [`Walker::conv`] gives,
    /// with the same substitutions queued. `false` (and `w` and the queue as they were) for
    /// any other word.
    pub(super) fn quick_word(&mut self, node: Node<'t>, w: &mut Word) -> bool {
        if self.map.is_some() {
            return false;
        }
        let subs = self.subs.len();
        let mut q = Quick {
            parts: &mut w.parts,
            runs: SmallVec::new(),
        };
        let read = match kind(node) {
            "concatenation" | "command_name" => self.quick_concat(node, &mut q),
            _ => self.quick_piece(node, &mut q),
        };
        match read.and_then(|()| q.src(self.src)) {
            Some(src) => {
                w.src = src;
                true
            }
            None => {
                w.parts.clear();
                self.subs.truncate(subs);
                false
            }
        }
    }

    /// A concatenation's (or command name's) children: named ones as words, the text
    /// between them as unquoted literals.
    fn quick_concat(&mut self, node: Node<'t>, q: &mut Quick<'_>) -> Option<()> {
        for ch in node.children() {
            if ch.is_named() {
                if kind(ch) != "file_descriptor" {
                    self.quick_piece(ch, q)?;
                }
            } else {
                let a = ch.start_byte();
                q.lit(self.src.get(a..ch.end_byte())?, a, false)?;
            }
        }
        Some(())
    }

    /// One piece of a word: a literal, a quoted string or an expansion.
    fn quick_piece(&mut self, node: Node<'t>, q: &mut Quick<'_>) -> Option<()> {
        let (a, b) = (node.start_byte(), node.end_byte());
        let text = self.src.get(a..b)?;
        match kind(node) {
            "word" | "number" => q.lit(text, a, false),
            "raw_string" => {
                let (ia, ib) = inner(text, a, b, 1);
                q.parts.push(Part::Lit {
                    text: new_text(self.src.get(ia..ib)?),
                    quoted: true,
                });
                q.run(ia, ib);
                Some(())
            }
            "string" => {
                let (ia, ib) = inner(text, a, b, 1);
                let mut cur = ia;
                for ch in node.named_children() {
                    let (ca, cb) = (ch.start_byte().max(ia), ch.end_byte().min(ib));
                    if ca < cur || ca >= cb {
                        continue;
                    }
                    q.lit(self.src.get(cur..ca)?, cur, true)?;
                    if kind(ch) == "string_content" {
                        q.lit(self.src.get(ca..cb)?, ca, true)?;
                    } else {
                        self.quick_expansion(ch, q)?;
                    }
                    cur = cb;
                }
                q.lit(self.src.get(cur..ib)?, cur, true)
            }
            _ => self.quick_expansion(node, q),
        }
    }

    /// `$X`, `${…}`, `$(…)`: a part and its source as written.
    fn quick_expansion(&mut self, node: Node<'t>, q: &mut Quick<'_>) -> Option<()> {
        let (a, b) = (node.start_byte(), node.end_byte());
        let text = self.src.get(a..b)?;
        let part = match kind(node) {
            "simple_expansion" => Part::Var {
                name: new_text(var_name(text)),
                guard: Guard::Plain,
            },
            "expansion" => expansion_part(text),
            "command_substitution" => {
                self.subs.push(node);
                Part::Subst {
                    mktemp: is_mktemp(text),
                }
            }
            _ => return None,
        };
        q.parts.push(part);
        q.run(a, b);
        Some(())
    }
}
