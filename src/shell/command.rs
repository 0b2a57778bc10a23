//! The resolved command model the shell rules read: words with their parts (literal text,
//! variables with their guards, command substitutions), the text after quote removal with a
//! byte map back into the file, and where the command sits in the control flow.
//!
//! Text is kept in [`Text`] (up to 24 bytes inline, no allocation: most words, names and
//! options), and the parts of a word and the runs of a map in vectors that hold one item
//! inline (most words are one part from one run of the file).

use crate::source::Span;
use smallvec::SmallVec;

/// A word's, part's or mapped text: a string that keeps up to 24 bytes inline.
pub type Text = compact_str::CompactString;

/// `s` as a [`Text`]. `CompactString::new` (and `From<&str>`, which calls it) first asks at
/// run time whether its argument is a `String` (castaway's type check, ~30 instructions a
/// call wherever the compiler does not fold it away); a `&str` never is, so this goes
/// straight to the copy: inline up to 24 bytes, else one allocation, the same string.
#[inline]
pub fn new_text(s: &str) -> Text {
    // SAFETY: the bytes come from a `&str`, so they are valid UTF-8.
    unsafe { Text::from_utf8_unchecked(s.as_bytes()) }
}

/// A map keyed by a short name (a variable, function or alias): hashed with foldhash, a
/// few instructions per name where the standard SipHash costs ~100.
pub type NameMap<V> = std::collections::HashMap<String, V, foldhash::fast::RandomState>;

/// The parts of a word (one inline: most words are one part).
pub type Parts = SmallVec<[Part; 1]>;

/// A text cut or rebuilt from the file (a quoted string's contents, a heredoc body, the
/// words of `eval`), with the file offset of every byte so spans found in it map back
/// exactly.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Mapped {
    pub text: Text,
    /// `(offset in text, offset in file)` where a contiguous run starts; bytes after it map
    /// one to one until the next run.
    segs: SmallVec<[(usize, usize); 1]>,
}

impl Clone for Mapped {
    /// Field by field, the runs copied as one slice (the derived clone extends them one by
    /// one through an iterator: most maps are one run).
    fn clone(&self) -> Mapped {
        Mapped {
            text: self.text.clone(),
            segs: SmallVec::from_slice(&self.segs),
        }
    }
}

impl Mapped {
    /// Empty, with room for `len` bytes and one run (a word's text, at most its source).
    #[inline]
    pub fn with_capacity(len: usize) -> Mapped {
        Mapped {
            text: Text::with_capacity(len),
            segs: SmallVec::new(),
        }
    }
    /// `s`, contiguous in the file from offset `at` (what [`Mapped::push_run`] gives an
    /// empty map).
    #[inline]
    pub fn run(s: &str, at: usize) -> Mapped {
        let mut segs = SmallVec::new();
        if !s.is_empty() {
            segs.push((0, at));
        }
        Mapped {
            text: new_text(s),
            segs,
        }
    }
    /// [`Mapped::run`] of a text already built (a word's literal part shares its text).
    #[inline]
    pub fn run_text(text: Text, at: usize) -> Mapped {
        let mut segs = SmallVec::new();
        if !text.is_empty() {
            segs.push((0, at));
        }
        Mapped { text, segs }
    }
    /// No text and no run yet.
    #[inline]
    pub fn is_unset(&self) -> bool {
        self.text.is_empty() && self.segs.is_empty()
    }
    /// The file itself (offset i maps to i).
    pub fn identity(text: &str) -> Mapped {
        let mut segs = SmallVec::new();
        segs.push((0, 0));
        Mapped {
            text: new_text(text),
            segs,
        }
    }
    fn push_byte_at(&mut self, i: usize, o: usize) {
        match self.segs.last() {
            Some(&(si, so)) if so + (i - si) == o => {}
            _ => self.segs.push((i, o)),
        }
    }
    /// Append `s`, whose byte `i` sits at file offset `at(i)`.
    pub fn push_with(&mut self, s: &str, at: impl Fn(usize) -> usize) {
        let base = self.text.len();
        for k in 0..s.len() {
            self.push_byte_at(base + k, at(k));
        }
        self.text.push_str(s);
    }
    /// Append `s`, contiguous in the file from offset `at`.
    #[inline]
    pub fn push_run(&mut self, s: &str, at: usize) {
        if !s.is_empty() {
            self.push_byte_at(self.text.len(), at);
            self.text.push_str(s);
        }
    }
    /// Append `s`; every byte maps to the file offset `at` (an escape, a separator).
    pub fn push_at(&mut self, s: &str, at: usize) {
        let base = self.text.len();
        for k in 0..s.len() {
            self.segs.push((base + k, at));
        }
        self.text.push_str(s);
    }
    pub fn append(&mut self, other: &Mapped) {
        let base = self.text.len();
        for (k, &(i, o)) in other.segs.iter().enumerate() {
            if k == 0 {
                self.push_byte_at(base + i, o);
            } else {
                self.segs.push((base + i, o));
            }
        }
        self.text.push_str(&other.text);
    }
    pub fn is_empty(&self) -> bool {
        self.text.is_empty()
    }
    /// File offset of byte `i` of this text (the end maps just past the last byte).
    pub fn at(&self, i: usize) -> usize {
        if i >= self.text.len() {
            return match self.text.len() {
                0 => self.segs.first().map_or(0, |s| s.1),
                n => self.at(n - 1) + 1,
            };
        }
        let k = self.segs.partition_point(|s| s.0 <= i);
        match k.checked_sub(1).and_then(|k| self.segs.get(k)) {
            Some(&(si, so)) => so + (i - si),
            None => i,
        }
    }
    /// A span of this text as a span of the file.
    pub fn span(&self, s: Span) -> Span {
        let start = self.at(s.start);
        let end = if s.end > s.start {
            self.at(s.end - 1) + 1
        } else {
            start
        };
        Span::new(start, end.max(start))
    }
    /// The sub-text `[start, end)` with its map.
    pub fn slice(&self, start: usize, end: usize) -> Mapped {
        let end = end.min(self.text.len());
        let start = start.min(end);
        let mut m = Mapped::default();
        let Some(t) = self.text.get(start..end) else {
            return m;
        };
        // run by run (the map of every byte, [`Mapped::at`], pushed once per run: within a
        // run the bytes map one to one, so a byte-by-byte push adds nothing after its first)
        let mut i = start;
        while i < end {
            let k = self.segs.partition_point(|s| s.0 <= i);
            // before the first run, bytes map to themselves
            let (si, so) = k.checked_sub(1).map_or((0, 0), |k| self.segs[k]);
            m.push_byte_at(i - start, so + (i - si));
            i = self.segs.get(k).map_or(end, |s| s.0.min(end));
        }
        m.text.push_str(t);
        m
    }
}

/// How a `${VAR…}` expansion behaves when the variable is empty or unset.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Guard {
    /// `$VAR`, `${VAR}`: whatever the variable holds (what the script knows decides).
    Plain,
    /// `${VAR:?}`, `${VAR:-default}`, `${VAR:=default}` with a non-empty default: never empty.
    NonEmpty,
    /// `${VAR:+x}`, `${VAR%…}`, `${VAR/…}`, `${VAR[i]}`, …: may be empty whatever VAR holds.
    Derived,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Part {
    /// Literal text after quote removal. `quoted`: globs and `~` do not apply.
    Lit {
        text: Text,
        quoted: bool,
    },
    Var {
        name: Text,
        guard: Guard,
    },
    /// `$(…)` or backquotes; `mktemp` substitutions are known non-empty.
    Subst {
        mktemp: bool,
    },
    /// `$((…))`, `<(…)`, arrays: never empty, value unknown.
    Other,
}

#[derive(Debug, PartialEq, Eq)]
pub struct Word {
    pub span: Span,
    pub parts: Parts,
    /// The word after quote removal, expansions kept as their source text (`$DIR`), mapped
    /// into the file. This is what `bash -c`, `eval` and `psql -c` re-read.
    pub src: Mapped,
}

impl Clone for Word {
    /// Field by field; a one-part word's part into a one-part vector at once (the derived
    /// clone extends the parts one by one through an iterator).
    fn clone(&self) -> Word {
        let parts = match self.parts.as_slice() {
            [p] => Parts::from_buf([p.clone()]),
            ps => ps.iter().cloned().collect(),
        };
        Word {
            span: self.span,
            parts,
            src: self.src.clone(),
        }
    }
}

impl Word {
    /// The value when the word is literal text only.
    pub fn lit(&self) -> Option<String> {
        // sized up front: one allocation of the exact length
        let mut len = 0;
        for p in &self.parts {
            match p {
                Part::Lit { text, .. } => len += text.len(),
                _ => return None,
            }
        }
        let mut s = String::with_capacity(len);
        for p in &self.parts {
            if let Part::Lit { text, .. } = p {
                s.push_str(text);
            }
        }
        Some(s)
    }
    /// [`Word::lit`] without a copy when the word is one literal part (most words).
    #[inline]
    pub fn lit_cow(&self) -> Option<std::borrow::Cow<'_, str>> {
        match self.parts.as_slice() {
            [Part::Lit { text, .. }] => Some(std::borrow::Cow::Borrowed(text.as_str())),
            [] => Some(std::borrow::Cow::Borrowed("")),
            _ => self.lit().map(std::borrow::Cow::Owned),
        }
    }
    /// Literal value, or `None`: shorthand for option matching.
    pub fn is(&self, s: &str) -> bool {
        // `lit() == Some(s)` without building the text
        let mut rest = s;
        for p in &self.parts {
            match p {
                Part::Lit { text, .. } => match rest.strip_prefix(text.as_str()) {
                    Some(r) => rest = r,
                    None => return false,
                },
                _ => return false,
            }
        }
        rest.is_empty()
    }
    /// The literal text before the first expansion.
    pub fn lit_prefix(&self) -> String {
        let mut s = String::new();
        for p in &self.parts {
            match p {
                Part::Lit { text, .. } => s.push_str(text),
                _ => break,
            }
        }
        s
    }
    /// Does an unquoted part carry a glob character?
    pub fn has_glob(&self) -> bool {
        self.parts.iter().any(
            |p| matches!(p, Part::Lit { text, quoted: false } if text.contains(['*', '?', '['])),
        )
    }
    pub fn has_expansion(&self) -> bool {
        self.parts.iter().any(|p| !matches!(p, Part::Lit { .. }))
    }
}

/// Where a command sits in the control flow.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Flow {
    /// Left side of `&&`, an `if`/`while` condition, `!`: its failure is handled.
    pub checked: bool,
    /// Left side of `|| exit` / `|| return` (the script stops when it fails).
    pub on_fail_exits: bool,
    /// Left side of `&& exit`, or the condition of `if …; then exit; fi`.
    pub on_success_exits: bool,
    /// Left side of `&&`, or an `if` condition: what follows up to the matching
    /// [`Item::GuardEnd`] runs only when this command succeeded.
    pub guards: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Command {
    /// argv after unwrapping: `words[0]` is the command name.
    pub words: Vec<Word>,
    /// The whole command as written (wrappers included).
    pub span: Span,
    /// What the command reads on stdin: a heredoc, a here-string, or `echo '…' |`.
    pub stdin: Option<Mapped>,
    pub flow: Flow,
    /// Wrappers that were unwrapped to reach this command (`sudo`, `xargs`, `bash -c`, …).
    pub via: Vec<String>,
    /// The command was re-read from a string (`bash -c`, `eval`, `trap`, …) or by the
    /// line-based fallback.
    pub reparsed: bool,
    /// Part of a pipeline (runs in a subshell: `cd` there does not change the script's cwd).
    pub in_pipeline: bool,
    /// A command of a function body walked again at a call, with the call's arguments bound
    /// (`wipe(){ rm -rf "$1"; }; wipe ~`): the span of the outermost function definition
    /// expanded. Findings inside it were already reported where the body is written.
    pub bound: Option<Span>,
    /// The words (as written) of the command whose output this one reads on stdin through a
    /// pipe (`base64 -d` of `… | base64 -d | sh`); empty when not fed by a command.
    pub fed_by: Vec<String>,
    /// File redirections (`> out`, `< in.sql`, `2>>log`), in order.
    pub redirects: Vec<Redirect>,
}

/// One file redirection of a command.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Redirect {
    /// The operator as written: `>`, `>>`, `<`, `>|`, `&>`, `&>>`, `<>`, …
    pub op: String,
    /// The file descriptor written before the operator (`2>`), if any.
    pub fd: Option<String>,
    pub target: Word,
    /// The whole redirection.
    pub span: Span,
}

impl Redirect {
    /// Does it replace the file's content (`>`, `>|`, `&>`, not `>>`, not `2>`)?
    pub fn truncates(&self) -> bool {
        matches!(self.op.as_str(), ">" | ">|" | "&>") && self.fd.as_deref().is_none_or(|f| f == "1")
    }
    /// Does it feed the file to the command's stdin (`< file`)?
    pub fn reads(&self) -> bool {
        self.op == "<" && self.fd.as_deref().is_none_or(|f| f == "0")
    }
}

impl Command {
    /// The command name without its directory (`/usr/bin/rm` → `rm`, `\rm` → `rm`).
    #[inline]
    pub fn name(&self) -> Option<&str> {
        match self.words.first()?.parts.as_slice() {
            [Part::Lit { text, .. }] => Some(basename(text)),
            _ => None,
        }
    }
    #[inline]
    pub fn args(&self) -> &[Word] {
        self.words.get(1..).unwrap_or_default()
    }
    /// Span of the command name.
    pub fn name_span(&self) -> Span {
        self.words.first().map_or(self.span, |w| w.span)
    }
    /// Literal args (non-literal ones as `None`).
    pub fn lit_args(&self) -> Vec<Option<String>> {
        self.args().iter().map(Word::lit).collect()
    }
}

#[inline]
pub fn basename(s: &str) -> &str {
    // a byte search (the slice iterator's own, inlined loop): `/` is ASCII, so the cut is on
    // a character boundary
    match s.as_bytes().iter().rposition(|&b| b == b'/') {
        Some(i) => s.get(i + 1..).unwrap_or(s),
        None => s,
    }
}

/// What the walk produces, in execution (document) order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Item {
    Cmd(Command),
    /// `X=value`, `local X=value`, `export X=value` (`None`: `X=` or `unset X`).
    Assign {
        name: String,
        value: Option<Word>,
        span: Span,
    },
    /// `for X in …` / `read X`: the variable takes values we cannot see.
    LoopVar {
        name: String,
        non_empty: bool,
    },
    /// A subshell, command substitution, function body or pipeline stage begins: what
    /// happens inside (cd, assignments) does not outlive it.
    Enter,
    Exit,
    /// A guarding command follows (its test holds until the matching `GuardEnd`).
    GuardStart,
    /// The end of what a guarding command (`[ -d "$X" ] && …`, `if [ -n "$X" ]; then …`)
    /// covers: what its test proved no longer holds.
    GuardEnd,
}

#[cfg(test)]
mod tests {
    use super::Mapped;

    /// The byte-by-byte slice [`Mapped::slice`] replaced (the reference).
    fn slice_by_byte(m: &Mapped, start: usize, end: usize) -> Mapped {
        let end = end.min(m.text.len());
        let start = start.min(end);
        let mut out = Mapped::default();
        if let Some(t) = m.text.get(start..end) {
            out.push_with(t, |k| m.at(start + k));
        }
        out
    }

    /// Every map three of these steps build (runs, escapes, separators, appended maps,
    /// empty pieces), sliced at every pair of offsets: the same text and runs as byte by
    /// byte.
    #[test]
    fn slice_is_the_byte_by_byte_slice() {
        let steps: [fn(&mut Mapped); 7] = [
            |m| m.push_run("abc", 10),
            |m| m.push_run("de", 13),
            |m| m.push_at(" ", 40),
            |m| m.push_with("xy", |k| 50 + 2 * k),
            |m| m.append(&Mapped::identity("hi")),
            |m| m.append(&Mapped::identity("")),
            |m| {
                let mut o = Mapped::default();
                o.push_run("uv", 7);
                o.push_at("-", 3);
                m.append(&o);
            },
        ];
        let mut maps = 0;
        for a in 0..steps.len() {
            for b in 0..=steps.len() {
                for c in 0..=steps.len() {
                    let mut m = Mapped::default();
                    for s in [a, b, c] {
                        if let Some(f) = steps.get(s) {
                            f(&mut m);
                        }
                    }
                    maps += 1;
                    for start in 0..=m.text.len() + 1 {
                        for end in 0..=m.text.len() + 1 {
                            assert_eq!(
                                m.slice(start, end),
                                slice_by_byte(&m, start, end),
                                "{m:?} [{start}, {end})"
                            );
                        }
                    }
                }
            }
        }
        assert_eq!(maps, 7 * 8 * 8);
        // a text with no run maps to itself
        let bare = Mapped {
            text: "abcd".into(),
            segs: Default::default(),
        };
        assert_eq!(bare.slice(1, 3), slice_by_byte(&bare, 1, 3));
        assert_eq!(bare.slice(1, 3).at(0), 1);
    }
}
