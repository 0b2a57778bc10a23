//! Shell words → [`Word`]s: literal text, quoting, variables, expansions and command
//! substitutions, each with its span map into the file.

use super::*;
use crate::shell::command::new_text;

mod quick;
#[cfg(test)]
mod quick_tests;

impl<'t> Walker<'t> {
    /// The word at `node`. Inside a function body walked at a call, converted once per node
    /// and copied after: a word depends only on its node (and the file), the call's
    /// bindings are applied to it later ([`eval`]); the substitutions it holds are queued
    /// again for [`Walker::walk_subs`] like a fresh conversion queues them.
    pub fn word(&mut self, node: Node<'t>, _depth: usize) -> Word {
        if self.calling.is_empty() || !self.cache_words {
            return self.fresh_word(node);
        }
        if let Some((w, subs)) = self.word_cache.get(&node.id()) {
            self.subs.extend_from_slice(subs);
            return w.clone();
        }
        let from = self.subs.len();
        let w = self.fresh_word(node);
        let subs = self.subs.get(from..).unwrap_or_default().to_vec();
        self.word_cache.insert(node.id(), (w.clone(), subs));
        w
    }

    fn fresh_word(&mut self, node: Node<'t>) -> Word {
        let mut w = Word {
            span: self.span(node),
            parts: Parts::new(),
            src: Mapped::default(),
        };
        // most words: literal text, quotes without escapes, variables, `$(…)` ([`quick`]),
        // read into `w` in place (no second move of the word)
        if !self.quick_word(node, &mut w) {
            self.general_word(node, &mut w);
        }
        w
    }

    /// Any word, piece by piece ([`Walker::conv`]), into `w` (its span set, nothing else).
    fn general_word(&mut self, node: Node<'t>, w: &mut Word) {
        // sized up front: most words are one part whose text is their source (a plain
        // `word` is one piece, its map built at once by `escaped_lit`)
        if kind(node) != "word" {
            w.src = Mapped::with_capacity(node.end_byte().saturating_sub(node.start_byte()));
        }
        self.conv(node, w, 0);
    }

    pub(super) fn conv(&mut self, node: Node<'t>, w: &mut Word, depth: usize) {
        let (a, b) = (node.start_byte(), node.end_byte());
        if depth > MAX_WORD_DEPTH {
            w.parts.push(Part::Other);
            self.push_src(&mut w.src, a, b);
            return;
        }
        let text = self.text(node);
        match kind(node) {
            "raw_string" => {
                let (ia, ib) = inner(text, a, b, 1);
                let t = self.src.get(ia..ib).unwrap_or("");
                w.parts.push(Part::Lit {
                    text: new_text(t),
                    quoted: true,
                });
                self.push_src(&mut w.src, ia, ib);
            }
            "string" => {
                let (ia, ib) = inner(text, a, b, 1);
                let mut cur = ia;
                for ch in node.named_children() {
                    let (ca, cb) = (ch.start_byte().max(ia), ch.end_byte().min(ib));
                    if ca < cur || ca >= cb {
                        continue;
                    }
                    self.dq_lit(w, cur, ca);
                    if kind(ch) == "string_content" {
                        self.dq_lit(w, ca, cb);
                    } else {
                        self.conv(ch, w, depth + 1);
                    }
                    cur = cb;
                }
                self.dq_lit(w, cur, ib);
            }
            "translated_string" => {
                let kids: Vec<Node> = node.named_children().collect();
                for ch in kids {
                    self.conv(ch, w, depth + 1);
                }
            }
            "ansi_c_string" => {
                let (ia, ib) = inner(text, a, b, 2);
                let raw = self.src.get(ia..ib).unwrap_or("");
                let mut s = Text::default();
                let mut it = raw.char_indices().peekable();
                while let Some((i, ch)) = it.next() {
                    if ch == '\\'
                        && let Some((j, e)) = it.next()
                    {
                        let r = match e {
                            'n' => '\n',
                            't' => '\t',
                            'r' => '\r',
                            '0' => '\0',
                            other => other,
                        };
                        s.push(r);
                        w.src.push_at(r.encode_utf8(&mut [0; 4]), self.at(ia + j));
                        continue;
                    }
                    s.push(ch);
                    let mut buf = [0; 4];
                    w.src
                        .push_with(ch.encode_utf8(&mut buf), |k| self.at(ia + i + k));
                }
                w.parts.push(Part::Lit {
                    text: s,
                    quoted: true,
                });
            }
            "simple_expansion" => {
                let name = new_text(var_name(text));
                w.parts.push(Part::Var {
                    name,
                    guard: Guard::Plain,
                });
                self.push_src(&mut w.src, a, b);
            }
            "expansion" => {
                w.parts.push(expansion_part(text));
                self.push_src(&mut w.src, a, b);
            }
            "command_substitution" => {
                let mktemp = is_mktemp(text);
                w.parts.push(Part::Subst { mktemp });
                self.subs.push(node);
                self.push_src(&mut w.src, a, b);
            }
            "process_substitution" => {
                w.parts.push(Part::Other);
                self.subs.push(node);
                self.push_src(&mut w.src, a, b);
            }
            "arithmetic_expansion" | "array" => {
                w.parts.push(Part::Other);
                self.push_src(&mut w.src, a, b);
            }
            "concatenation" | "command_name" | "file_redirect" | "herestring_redirect" => {
                let named = kind(node) == "concatenation" || kind(node) == "command_name";
                for ch in node.children() {
                    if ch.is_named() {
                        if kind(ch) != "file_descriptor" {
                            self.conv(ch, w, depth + 1);
                        }
                    } else if named {
                        self.unquoted_lit(w, ch.start_byte(), ch.end_byte());
                    }
                }
            }
            _ => self.unquoted_lit(w, a, b),
        }
    }

    /// Unquoted text: `\x` is `x`, `\<newline>` is nothing.
    fn unquoted_lit(&self, w: &mut Word, a: usize, b: usize) {
        self.escaped_lit(w, a, b, false);
    }

    /// Text inside double quotes: `\$ \` \" \\` lose their backslash.
    fn dq_lit(&self, w: &mut Word, a: usize, b: usize) {
        if a >= b {
            return;
        }
        self.escaped_lit(w, a, b, true);
    }

    /// Literal text with backslash escapes: `\<newline>` is nothing; `\x` is `x` for any `x`
    /// unquoted, only for `$ \` " \\` inside double quotes (elsewhere the backslash stays).
    fn escaped_lit(&self, w: &mut Word, a: usize, b: usize, quoted: bool) {
        let raw = self.src.get(a..b).unwrap_or("");
        // an inlined byte loop: literals are short, the `memchr` call `contains` makes costs
        // more (d000: 2.1 M -> 1.8 M instructions here)
        #[allow(clippy::manual_contains)]
        let plain = !raw.as_bytes().iter().any(|&c| c == b'\\');
        if plain {
            // a word's first text, in the file itself (most words): its part and its one run
            // set at once (what `push_lit` and `push_src` give an empty word)
            if self.map.is_none() && !raw.is_empty() && w.parts.is_empty() && w.src.is_unset() {
                w.parts.push(Part::Lit {
                    text: new_text(raw),
                    quoted,
                });
                w.src = Mapped::run(raw, a);
                return;
            }
            push_lit(w, raw, quoted);
            self.push_src(&mut w.src, a, b);
            return;
        }
        let mut s = Text::default();
        let mut it = raw.char_indices().peekable();
        while let Some((i, ch)) = it.next() {
            let (j, c) = if ch == '\\' {
                match it.peek() {
                    Some((_, '\n')) => {
                        it.next();
                        continue;
                    }
                    Some(&(j, e)) if !quoted || matches!(e, '$' | '`' | '"' | '\\') => {
                        it.next();
                        (j, e)
                    }
                    _ => (i, ch),
                }
            } else {
                (i, ch)
            };
            s.push(c);
            let mut buf = [0; 4];
            w.src
                .push_with(c.encode_utf8(&mut buf), |k| self.at(a + j + k));
        }
        push_lit(w, &s, quoted);
    }
}

fn push_lit(w: &mut Word, s: &str, quoted: bool) {
    if s.is_empty() && !quoted {
        return;
    }
    if let Some(Part::Lit { text, quoted: q }) = w.parts.last_mut()
        && *q == quoted
    {
        text.push_str(s);
        return;
    }
    w.parts.push(Part::Lit {
        text: new_text(s),
        quoted,
    });
}

/// `[a, b)` without `open` leading bytes and a closing quote.
fn inner(text: &str, a: usize, b: usize, open: usize) -> (usize, usize) {
    let ia = (a + open).min(b);
    // the last byte: an ASCII quote byte ends a text only as the quote character itself
    let close = text.len() > open && matches!(text.as_bytes().last(), Some(b'\'' | b'"'));
    let ib = if close { b - 1 } else { b };
    (ia, ib.max(ia))
}

/// `$NAME` → `NAME` (every leading `$` off).
fn var_name(text: &str) -> &str {
    // a byte count, not `trim_start_matches`'s searcher: `$` is ASCII, so the cut is on a
    // character boundary
    let n = text.bytes().take_while(|&c| c == b'$').count();
    text.get(n..).unwrap_or("")
}

fn is_mktemp(subst: &str) -> bool {
    // `trim_start_matches("$(")` and `('`')` as prefix loops (the searcher they build costs
    // more than the whole test), then the first whitespace-separated word
    let mut inner = subst;
    while let Some(r) = inner.strip_prefix("$(") {
        inner = r;
    }
    while let Some(r) = inner.strip_prefix('`') {
        inner = r;
    }
    let inner = inner.trim_start();
    let first = inner
        .find(char::is_whitespace)
        .map_or(inner, |i| &inner[..i]);
    basename(first) == "mktemp"
}

/// `${NAME…}` → the variable and how it behaves when empty.
pub fn expansion_part(text: &str) -> Part {
    let inner = text
        .strip_prefix("${")
        .map(|t| t.strip_suffix('}').unwrap_or(t))
        .unwrap_or("");
    if inner.len() > 1 && inner.starts_with('#') {
        return Part::Other; // ${#X}: a length
    }
    if let Some(rest) = inner.strip_prefix('!') {
        return Part::Var {
            name: new_text(rest),
            guard: Guard::Derived,
        };
    }
    let first = inner.chars().next().unwrap_or(' ');
    // byte searches: a character outside ASCII starts with a byte that is no ASCII letter,
    // digit or `_`, so the first byte that fails is where the first character that fails is
    let name_len = if first.is_ascii_alphabetic() || first == '_' {
        inner
            .bytes()
            .position(|c| !(c.is_ascii_alphanumeric() || c == b'_'))
            .unwrap_or(inner.len())
    } else if first.is_ascii_digit() {
        inner
            .bytes()
            .position(|c| !c.is_ascii_digit())
            .unwrap_or(inner.len())
    } else {
        first.len_utf8().min(inner.len())
    };
    let name = new_text(&inner[..name_len]);
    let rest = &inner[name_len..];
    // `${X?}`, `${X-d}`, `${X=d}` still allow an empty X: what the script knows decides
    let guard = if rest.is_empty()
        || rest.starts_with('?')
        || rest.starts_with('-')
        || rest.starts_with('=')
    {
        Guard::Plain
    } else if rest.starts_with(":?") {
        Guard::NonEmpty
    } else if let Some(default) = rest.strip_prefix(":-").or_else(|| rest.strip_prefix(":=")) {
        if default.is_empty() {
            Guard::Derived
        } else {
            Guard::NonEmpty
        }
    } else {
        Guard::Derived
    };
    Part::Var { name, guard }
}
