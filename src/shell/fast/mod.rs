//! A fast path around tree-sitter-bash for the common script: comments, simple commands and
//! assignments, `export`/`local` declarations, lists and pipelines, file redirections and
//! quoted heredocs, functions, `{ … }`, `if`/`elif`/`else` with `[ … ]` tests, `for … in`,
//! `while`/`until` and `case` — words made of plain characters, numbers, `"…"` strings,
//! `'…'` strings, `$x`/`${x}`/`${x:-…}` expansions and `$( … )` substitutions. A strict
//! hand-written reader builds exactly the syntax tree tree-sitter-bash gives
//! ([`crate::owned_tree::Tree::from_ts`]: the same kinds, fields, named flags and spans,
//! anonymous tokens included) or returns `None` on anything it does not fully understand —
//! then the caller parses with tree-sitter as before, so an unusual or broken script is still
//! read the way it always was. It never answers for text tree-sitter would read with errors
//! or that `shell::parse_tree` rewrites first (line-start escapes). The tests run both
//! builders on every fixture (and every truncation of it), on tricky snippets and, ignored,
//! on a corpus (`PREFLIGHT_SH_CORPUS=dir`), and require equal trees whenever it answers.

mod compound;
mod heredoc;
#[cfg(test)]
mod tests;
mod words;

use crate::owned_tree::Tree;

/// Nesting deeper than this: not the fast path's business.
const MAX_DEPTH: usize = 64;

/// The tree tree-sitter-bash gives for `text` (as `shell::parse_tree` reads it), built
/// without tree-sitter; `None`: not in the subset.
pub(crate) fn parse(text: &str) -> Option<Tree> {
    let s = text.as_bytes();
    if u32::try_from(s.len()).is_err() {
        return None;
    }
    let (odd, backslash) = scan(s);
    if odd || backslash && super::repair::line_start_escapes(text).is_some() {
        return None;
    }
    let mut p = P {
        s,
        i: 0,
        // (about one node per 3 bytes of script; room for 2: no growing on the way)
        t: Tree::with_capacity(s.len() / 2 + 64),
        kids: Vec::with_capacity(64),
        depth: 0,
        strict: false,
        term_end: 0,
    };
    // the root spans from its first child (leading blanks are not in it) to the end
    let start = s
        .iter()
        .position(|c| !matches!(c, b' ' | b'\t' | b'\n'))
        .unwrap_or(s.len());
    let root = p.t.push("program", None, true, start, s.len());
    let done = p.statements(End::Eof);
    #[cfg(test)]
    if done.is_none() {
        FAILED_AT.set(p.i);
    }
    done?;
    if p.i != s.len() {
        return None;
    }
    if let Some(&first) = p.kids.first()
        && p.t.span(first).0 != start
    {
        return None;
    }
    let kids = std::mem::take(&mut p.kids);
    p.t.link(root, &kids);
    Some(p.t)
}

/// Whether `s` has a `\r` or a NUL byte (never the fast path's), and whether it has a `\\`:
/// one pass over blocks of 32 bytes, each compared at once (no early exit inside a block, so
/// the compiler compares it with vector instructions) — three `contains` searches were three
/// passes. (After a `\r` or NUL the backslash answer may be short: the text is refused.)
fn scan(s: &[u8]) -> (bool, bool) {
    let (blocks, rest) = s.as_chunks::<32>();
    let mut backslash = false;
    for block in blocks {
        let (mut odd, mut slash) = (0u8, 0u8);
        for &c in block {
            odd |= u8::from(c == b'\r') | u8::from(c == 0);
            slash |= u8::from(c == b'\\');
        }
        backslash |= slash != 0;
        if odd != 0 {
            return (true, backslash);
        }
    }
    let mut odd = false;
    for &c in rest {
        odd |= c == b'\r' || c == 0;
        backslash |= c == b'\\';
    }
    (odd, backslash)
}

#[cfg(test)]
thread_local! {
    /// Where the reader last gave up (tests only: which shapes fall back).
    pub(crate) static FAILED_AT: std::cell::Cell<usize> = const { std::cell::Cell::new(usize::MAX) };
}

/// What ends a list of statements.
#[derive(Clone, Copy, PartialEq, Eq)]
enum End {
    /// The end of the text (the program).
    Eof,
    /// `)` of `$( … )`.
    Paren,
    /// One of these reserved words at the start of a statement (`then`, `fi`, `done`, `}`…).
    Words(&'static [&'static str]),
    /// `;;` of a case item.
    CaseItem,
}

struct P<'a> {
    s: &'a [u8],
    i: usize,
    t: Tree,
    /// Children of the nodes being built (each builder pushes on top and takes its own).
    kids: Vec<u32>,
    depth: usize,
    /// Reading a test's operands or a case pattern: no `*` or `=` in plain words.
    strict: bool,
    /// The end of the newline that ended the last statement read (a hidden terminator:
    /// it still ends an `else`/`elif` clause).
    term_end: usize,
}

/// Bytes that end a word.
#[inline]
fn delimiter(c: u8) -> bool {
    matches!(
        c,
        0 | b' ' | b'\t' | b'\n' | b';' | b'&' | b'|' | b'<' | b'>' | b'(' | b')'
    )
}

impl<'a> P<'a> {
    /// The byte `k` ahead (0 past the end).
    #[inline]
    fn b(&self, k: usize) -> u8 {
        self.s.get(self.i + k).copied().unwrap_or(0)
    }

    /// `w` is next. Compared byte by byte in place: the words asked about are short and most
    /// questions end at the first byte (a slice comparison was a `memcmp` call each).
    #[inline]
    fn at(&self, w: &str) -> bool {
        let w = w.as_bytes();
        let Some(here) = self.s.get(self.i..self.i + w.len()) else {
            return false;
        };
        let mut k = 0;
        while k < w.len() {
            if here[k] != w[k] {
                return false;
            }
            k += 1;
        }
        true
    }

    /// The reserved word `w` (followed by a delimiter) is next.
    #[inline]
    fn at_word(&self, w: &str) -> bool {
        self.at(w) && delimiter(self.b(w.len()))
    }

    /// A reserved word (or `{`, `}`, `!`, `[[`) is next: never a command name the fast path
    /// reads as one.
    fn at_reserved(&self) -> bool {
        let len = self.s[self.i..]
            .iter()
            .take_while(|c| c.is_ascii_lowercase())
            .count();
        if len == 0 {
            return matches!(self.b(0), b'{' | b'}' | b'!') && delimiter(self.b(1))
                || self.at_word("[[");
        }
        // (`unset$x`: tree-sitter reads the keyword before any non-word byte, too)
        !self
            .s
            .get(self.i + len)
            .is_some_and(|&c| c.is_ascii_alphanumeric() || c == b'_')
            && matches!(
                &self.s[self.i..self.i + len],
                b"if"
                    | b"then"
                    | b"elif"
                    | b"else"
                    | b"fi"
                    | b"for"
                    | b"select"
                    | b"while"
                    | b"until"
                    | b"do"
                    | b"done"
                    | b"case"
                    | b"esac"
                    | b"in"
                    | b"function"
                    | b"time"
                    | b"coproc"
                    | b"export"
                    | b"local"
                    | b"declare"
                    | b"readonly"
                    | b"typeset"
                    | b"unset"
                    | b"unsetenv"
            )
    }

    /// Skip blanks and line continuations (not newlines).
    #[inline]
    fn blank(&mut self) {
        loop {
            match self.b(0) {
                b' ' | b'\t' => self.i += 1,
                // a continuation before a blank line (or nothing but blanks) is read
                // differently by tree-sitter: left unread, so the caller gives up
                b'\\' if self.b(1) == b'\n' => {
                    let rest = &self.s[self.i + 2..];
                    let blanks = rest
                        .iter()
                        .take_while(|c| matches!(c, b' ' | b'\t'))
                        .count();
                    if matches!(rest.get(blanks), None | Some(b'\n')) {
                        return;
                    }
                    self.i += 2
                }
                _ => return,
            }
        }
    }

    /// Skip blanks, continuations and newlines.
    fn blank_lines(&mut self) {
        loop {
            self.blank();
            if self.b(0) != b'\n' {
                return;
            }
            self.i += 1;
        }
    }

    /// The next `len` bytes as a leaf (pushed on `kids`).
    #[inline]
    fn tok(&mut self, kind: &'static str, named: bool, len: usize) -> u32 {
        // (offsets fit in u32: `parse` refuses longer texts)
        let k = self
            .t
            .push_leaf(kind, named, self.i as u32, (self.i + len) as u32);
        self.i += len;
        self.kids.push(k);
        k
    }

    /// A node over the children pushed since `mark` (at least one); it replaces them on
    /// `kids`.
    fn node(&mut self, kind: &'static str, mark: usize) -> Option<u32> {
        self.node_to(kind, mark, 0)
    }

    /// [`P::node`] built in place: for the nodes made most often (commands and their names,
    /// strings, `$x`), where a call's cost is a good part of the node's.
    #[inline(always)]
    fn node_here(&mut self, kind: &'static str, mark: usize) -> Option<u32> {
        let n = self.t.push_over(kind, self.kids.get(mark..)?, 0)?;
        self.kids.truncate(mark + 1);
        *self.kids.get_mut(mark)? = n;
        Some(n)
    }

    /// [`P::node`] ending at `end` at the least (a hidden terminator after the children).
    fn node_to(&mut self, kind: &'static str, mark: usize, end: usize) -> Option<u32> {
        let n = self.t.push_over(kind, self.kids.get(mark..)?, end as u32)?;
        // (the node takes its first child's place: no capacity check of a push)
        self.kids.truncate(mark + 1);
        *self.kids.get_mut(mark)? = n;
        Some(n)
    }

    /// Give the last pushed node field `f`.
    fn field(&mut self, f: &'static str) {
        if let Some(&k) = self.kids.last() {
            self.t.set_field(k, f);
        }
    }

    fn deeper(&mut self) -> Option<()> {
        self.depth += 1;
        (self.depth <= MAX_DEPTH).then_some(())
    }

    /// A comment (`#` to the end of the line).
    fn comment(&mut self) {
        let len = self.s[self.i..]
            .iter()
            .position(|&c| c == b'\n')
            .unwrap_or(self.s.len() - self.i);
        self.tok("comment", true, len);
    }

    /// Statements up to `end` (not consumed), pushed on `kids` with their visible
    /// terminators and comments; `terminated`: each statement needs a terminator (`;`, `&`
    /// or a newline) before the end. Returns how many statements were read.
    fn statements_with(&mut self, end: End, terminated: bool, comments: bool) -> Option<usize> {
        let mut n = 0;
        let mut open = false;
        let mut after_pipe3 = false;
        self.term_end = 0;
        loop {
            self.blank_lines();
            let c = self.b(0);
            if c == b'#' {
                if !comments {
                    return None;
                }
                self.comment();
                continue;
            }
            if self.at_end(end) {
                if open && terminated {
                    return None;
                }
                return Some(n);
            }
            if open {
                return None;
            }
            // after `a | b | c` and a newline tree-sitter may read the next lines as more
            // arguments of `c` (when a list follows): only lone simple commands then, until
            // a `;` or `&`
            let pipe3 = self.and_or(after_pipe3)?;
            n += 1;
            open = true;
            self.blank();
            if comments && self.b(0) == b'#' {
                self.comment();
            }
            match self.b(0) {
                b';' if self.b(1) != b';' && self.b(1) != b'&' => {
                    self.term_end = 0;
                    after_pipe3 = false;
                    self.tok(";", false, 1);
                    open = false;
                }
                b'&' if self.b(1) != b'&' && self.b(1) != b'>' => {
                    self.term_end = 0;
                    after_pipe3 = false;
                    self.tok("&", false, 1);
                    open = false;
                }
                b'\n' => {
                    // tree-sitter's terminator is the last newline before the next token
                    let run = self.s[self.i..]
                        .iter()
                        .take_while(|c| matches!(c, b' ' | b'\t' | b'\n'))
                        .count();
                    // a continuation after it: tree-sitter's spans differ
                    if self.s.get(self.i + run) == Some(&b'\\') {
                        return None;
                    }
                    let last = self.s[self.i..self.i + run]
                        .iter()
                        .rposition(|&c| c == b'\n')
                        .unwrap_or(0);
                    self.term_end = self.i + last + 1;
                    // past the whole run: the `blank_lines` the loop starts with would stop
                    // at its end too (it is followed by no `\\`), so it is not read again
                    self.i += run;
                    open = false;
                    after_pipe3 |= pipe3;
                }
                _ => {}
            }
            if open && !self.at_end(end) {
                return None;
            }
        }
    }

    fn statements(&mut self, end: End) -> Option<usize> {
        self.statements_with(end, false, true)
    }

    #[inline(always)]
    fn at_end(&self, end: End) -> bool {
        match end {
            End::Eof => self.i >= self.s.len(),
            End::Paren => self.b(0) == b')',
            End::Words(ws) => {
                // (most statements start with none of the first bytes of the words that
                // end a block: `then`, `elif`, `else`, `fi`, `do`, `done`, `}`)
                debug_assert!(ws.iter().all(|w| matches!(
                    w.as_bytes().first(),
                    Some(b't' | b'e' | b'f' | b'd' | b'}')
                )));
                let c = self.b(0);
                matches!(c, b't' | b'e' | b'f' | b'd' | b'}')
                    && ws
                        .iter()
                        .any(|w| w.as_bytes().first() == Some(&c) && self.at_word(w))
            }
            End::CaseItem => self.at(";;"),
        }
    }

    /// A list (`a && b || c`, left to right) or a pipeline (`a | b | c`); mixing both is
    /// left to tree-sitter (its trees for them are not what one expects).
    /// `lone`: only a simple command without operators is read. Returns whether this was a
    /// pipeline of three commands or more.
    fn and_or(&mut self, lone: bool) -> Option<bool> {
        let mark = self.kids.len();
        let first = self.statement()?;
        if first != Body::Command && lone {
            return None;
        }
        let mut piped = 0;
        let mut listed = false;
        loop {
            self.blank();
            let op = match (self.b(0), self.b(1)) {
                (b'&', b'&') => "&&",
                (b'|', b'|') => "||",
                (b'|', b'&') => return None,
                (b'|', _) => "|",
                _ => break,
            };
            if lone {
                return None;
            }
            if op == "|" {
                if first == Body::Negated {
                    return None;
                }
                piped += 1;
            } else {
                listed = true;
            }
            if piped > 0 && listed {
                return None;
            }
            self.tok(op, false, op.len());
            self.blank_lines();
            if self.b(0) == b'#' {
                return None;
            }
            self.deeper()?;
            let body = self.statement_body()?;
            self.depth -= 1;
            if listed {
                self.node("list", mark)?;
            }
            self.blank();
            if words::at_redirect(self) {
                // redirections after the last command are the whole chain's
                return self
                    .chain_redirects(mark, body, piped > 0)
                    .map(|()| piped >= 2);
            }
        }
        if piped > 0 {
            self.node("pipeline", mark)?;
        }
        Some(piped >= 2)
    }

    /// The file redirections after the last statement of a list or pipeline (built from
    /// `mark`, the pipeline not yet): they end it, and wrap it all.
    fn chain_redirects(&mut self, mark: usize, last: Body, piped: bool) -> Option<()> {
        if last == Body::Other {
            return None;
        }
        let first = self.kids.len();
        while words::at_redirect(self) {
            if self.redirect()? {
                return None;
            }
            self.field("redirect");
            self.blank();
        }
        // more operators after them: not a shape the fast path knows
        if self.b(0) == b'|' || self.at("&&") {
            return None;
        }
        let redirects = self.kids.split_off(first);
        if piped {
            self.node("pipeline", mark)?;
        }
        self.field("body");
        self.kids.extend(redirects);
        self.node("redirected_statement", mark)?;
        Some(())
    }

    /// One statement, with the redirections after it (`redirected_statement`).
    fn statement(&mut self) -> Option<Body> {
        self.deeper()?;
        let mark = self.kids.len();
        let body = self.statement_body()?;
        self.blank();
        if words::at_redirect(self) {
            if body == Body::Other {
                return None;
            }
            self.field("body");
            loop {
                let heredoc = self.redirect()?;
                self.field("redirect");
                if heredoc {
                    if body != Body::Command {
                        return None;
                    }
                    break;
                }
                self.blank();
                if !words::at_redirect(self) {
                    break;
                }
            }
            self.node("redirected_statement", mark)?;
        }
        self.depth -= 1;
        Some(body)
    }

    /// A statement without its trailing redirections.
    fn statement_body(&mut self) -> Option<Body> {
        let c = self.b(0);
        if c == b'{' && matches!(self.b(1), b' ' | b'\t' | b'\n') {
            self.brace_group()?;
            return Some(Body::Compound);
        }
        if c == b'(' && self.b(1) != b'(' {
            self.subshell()?;
            return Some(Body::Compound);
        }
        if c == b'!' && matches!(self.b(1), b' ' | b'\t') {
            self.negated()?;
            return Some(Body::Negated);
        }
        if c == b'[' && (matches!(self.b(1), b' ' | b'\t') || self.at("[[ ")) {
            self.test_command()?;
            return Some(Body::Other);
        }
        // a reserved word: lower-case letters then a delimiter
        let len = self.s[self.i..]
            .iter()
            .take_while(|c| c.is_ascii_lowercase())
            .count();
        // `at_function`'s answer when it is known here without scanning the name again
        let mut function = None;
        if len > 0 && delimiter(self.b(len)) {
            let word = &self.s[self.i..self.i + len];
            let body = match word {
                b"if" => self.if_statement().map(|()| Body::Compound),
                b"for" => self.for_statement().map(|()| Body::Compound),
                b"while" | b"until" => self.while_statement().map(|()| Body::Compound),
                b"case" => self.case_statement().map(|()| Body::Compound),
                b"function" => self.function().map(|()| Body::Other),
                b"export" => self.declaration("export").map(|()| Body::Other),
                b"local" => self.declaration("local").map(|()| Body::Other),
                b"declare" => self.declaration("declare").map(|()| Body::Other),
                b"readonly" => self.declaration("readonly").map(|()| Body::Other),
                b"typeset" => self.declaration("typeset").map(|()| Body::Other),
                b"unset" => self.declaration("unset").map(|()| Body::Other),
                b"unsetenv" => self.declaration("unsetenv").map(|()| Body::Other),
                b"then" | b"elif" | b"else" | b"fi" | b"select" | b"do" | b"done" | b"esac"
                | b"in" | b"time" | b"coproc" => None,
                _ => Some(Body::Command),
            }?;
            if body != Body::Command {
                return Some(body);
            }
            function = Some(self.function_follows(len));
        }
        if matches!(c, b'{' | b'}' | b'!') && delimiter(self.b(1)) {
            return None;
        }
        if function.unwrap_or_else(|| self.at_function()) {
            self.function()?;
            return Some(Body::Other);
        }
        // (`function` known: a lower-case word that is not reserved is next)
        self.command_from(function.is_some())?;
        Some(Body::Command)
    }
}

impl P<'_> {
    /// [`P::at_function`] when a lower-case word of `len` bytes ending at a delimiter is next:
    /// a delimiter is never a name byte or `-`, so the function name would be the word, and a
    /// function is next when `(` follows after blanks (the name is not scanned again).
    fn function_follows(&self, len: usize) -> bool {
        let mut k = len;
        while matches!(self.b(k), b' ' | b'\t') {
            k += 1;
        }
        self.b(k) == b'('
    }
}

/// What a statement is, for the redirections that may follow it.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Body {
    /// A simple command (heredocs too).
    Command,
    /// `! command` (file redirections, no pipe).
    Negated,
    /// `{ … }`, `( … )`, `if`, `for`, `while`, `case` (file redirections).
    Compound,
    /// Anything else (none: left to tree-sitter).
    Other,
}
