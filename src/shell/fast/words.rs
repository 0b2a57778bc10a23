//! Words of the fast path: plain words and numbers, `"…"` and `'…'` strings, `$x`, `${x}`,
//! `${x:-…}`, `$( … )` and their concatenations; commands, assignments and redirections
//! (heredocs in `heredoc.rs`).

use super::{End, P, delimiter};

/// Bytes of an unquoted word the fast path reads.
pub(super) fn plain(c: u8) -> bool {
    PLAIN[c as usize]
}

const PLAIN: [bool; 256] = alphanumeric_and(b"_./:@%+,=~-*");

/// The bytes a `"…"` string's text stops at (its end, expansions, escapes, and what the fast
/// path leaves to tree-sitter).
const STRING_STOP: [bool; 256] = {
    let mut t = [false; 256];
    t[b'"' as usize] = true;
    t[b'$' as usize] = true;
    t[b'\\' as usize] = true;
    t[b'`' as usize] = true;
    t[b'\n' as usize] = true;
    t
};

/// A byte of a name (`[A-Za-z0-9_]`): one table look-up (the names of commands, variables
/// and functions are scanned several times a statement).
#[inline]
pub(super) fn name_char(c: u8) -> bool {
    NAME[c as usize]
}

const NAME: [bool; 256] = alphanumeric_and(b"_");

/// A table of the ASCII letters and digits and the bytes of `more`, by byte.
const fn alphanumeric_and(more: &[u8]) -> [bool; 256] {
    let mut t = [false; 256];
    let mut c = 0;
    while c < 256 {
        t[c] = (c as u8).is_ascii_alphanumeric();
        c += 1;
    }
    let mut k = 0;
    while k < more.len() {
        t[more[k] as usize] = true;
        k += 1;
    }
    t
}

/// Text that tree-sitter-bash would not make a `string_content` of by itself (blanks,
/// continuations): the fast path leaves such strings alone.
fn blank_only(run: &[u8]) -> bool {
    if run
        .iter()
        .any(|&c| c.is_ascii() && !matches!(c, b' ' | b'\t' | b'\n' | b'\\' | 0x0b | 0x0c))
    {
        return false;
    }
    std::str::from_utf8(run).map_or(true, |s| s.chars().all(|c| c.is_whitespace() || c == '\\'))
}

/// A name followed by one of the characters after which tree-sitter-bash's scanner takes
/// the name alone as a `variable_name` (`us-east1` in `${x:-us-east1}`, `a%b` as a command).
/// (`:` counts only outside `${…}`.)
#[inline]
fn name_then_operator(run: &[u8], colon: bool) -> bool {
    let k = run.iter().take_while(|&&c| name_char(c)).count();
    k > 0
        && match run.get(k) {
            Some(b'=' | b'%' | b'@' | b'-' | b'+' | b'?') => true,
            Some(b':') => colon,
            _ => false,
        }
}

/// A redirection operator (with its descriptor digits) is next.
pub(super) fn at_redirect(p: &P) -> bool {
    let mut k = 0;
    while p.b(k).is_ascii_digit() {
        k += 1;
    }
    match p.b(k) {
        b'<' | b'>' => true,
        b'&' => k == 0 && p.b(1) == b'>',
        _ => false,
    }
}

/// The end of a simple statement (a terminator, an operator, a comment, `)`).
pub(super) fn at_stop(p: &P) -> bool {
    matches!(p.b(0), 0 | b'\n' | b';' | b'&' | b'|' | b')' | b'#')
}

impl P<'_> {
    /// `NAME=` or `NAME+=` is next: the name's length.
    pub(super) fn assignment_name(&self) -> Option<usize> {
        let k = self.name_len()?;
        // `_=x` is a word to tree-sitter's scanner
        if k == 1 && self.b(0) == b'_' {
            return None;
        }
        (self.b(k) == b'=' || (self.b(k) == b'+' && self.b(k + 1) == b'=')).then_some(k)
    }

    /// The length of the name (`[A-Za-z_][A-Za-z0-9_]*`) here, if one starts here.
    pub(super) fn name_len(&self) -> Option<usize> {
        let c = self.b(0);
        if !(c.is_ascii_alphabetic() || c == b'_') {
            return None;
        }
        Some(
            1 + self.s[self.i + 1..]
                .iter()
                .take_while(|&&c| name_char(c))
                .count(),
        )
    }

    /// `NAME=value` (the name is `len` bytes).
    pub(super) fn assignment(&mut self, len: usize) -> Option<()> {
        let mark = self.kids.len();
        self.tok("variable_name", true, len);
        self.field("name");
        if self.b(0) == b'+' {
            self.tok("+=", false, 2);
        } else {
            self.tok("=", false, 1);
        }
        match self.b(0) {
            b'(' => self.array()?,
            b'#' => return None,
            // no value: only before a blank or the end (`a=)` is an error to tree-sitter)
            b' ' | b'\t' | b'\n' | 0 => {}
            c if delimiter(c) => return None,
            _ => {
                self.literal()?;
                self.field("value");
            }
        }
        self.node("variable_assignment", mark)?;
        Some(())
    }

    /// `(a "b" $c)` (over lines too) as an assignment's value.
    fn array(&mut self) -> Option<()> {
        let mark = self.kids.len();
        self.tok("(", false, 1);
        loop {
            self.blank_lines();
            if self.b(0) == b')' {
                break;
            }
            self.literal()?;
        }
        self.tok(")", false, 1);
        self.node("array", mark)?;
        self.field("value");
        Some(())
    }

    /// A simple command: assignments, a name, arguments (redirections after them are read
    /// by the statement).
    pub(super) fn command(&mut self) -> Option<()> {
        self.command_from(false)
    }

    /// [`P::command`]; `word`: a lower-case word that is not a reserved word, up to a
    /// delimiter, is next (the statement looked): no assignment, redirection or reserved word
    /// can start here, so none is looked for.
    pub(super) fn command_from(&mut self, word: bool) -> Option<()> {
        let mark = self.kids.len();
        if word {
            debug_assert!(
                self.assignment_name().is_none() && !at_redirect(self) && !self.at_reserved()
            );
        } else {
            let mut assignments = 0;
            while let Some(len) = self.assignment_name() {
                self.assignment(len)?;
                assignments += 1;
                self.blank();
                if at_stop(self) {
                    // `a=1 b=2` then a newline: tree-sitter reads on into the next line
                    return (assignments == 1).then_some(());
                }
            }
            if at_redirect(self) || self.at_reserved() {
                return None;
            }
        }
        let name = self.kids.len();
        let w = self.i;
        let run = self.s[w..].iter().take_while(|&&c| plain(c)).count();
        // `- a=b`: tree-sitter's scanner drops a lone `-` (`*`, `@`, `?`, `0`, `_`) there
        if name_then_operator(&self.s[w..w + run], true)
            || (run == 1 && matches!(self.s[w], b'-' | b'*' | b'@' | b'?' | b'0' | b'_'))
        {
            return None;
        }
        self.literal()?;
        // `a[1]=x`, `=x`: not a command name the fast path reads
        if self.s[w..self.i].contains(&b'=') {
            return None;
        }
        self.node_here("command_name", name)?;
        self.field("name");
        loop {
            self.blank();
            if self.at("<<<") {
                // a here-string: the last thing in the command the fast path reads
                let h = self.kids.len();
                self.tok("<<<", false, 3);
                self.blank();
                self.literal()?;
                self.node("herestring_redirect", h)?;
                self.field("redirect");
                self.blank();
                if !(at_stop(self) || at_redirect(self)) || self.at("<<") {
                    return None;
                }
                break;
            }
            if at_stop(self) || at_redirect(self) {
                break;
            }
            self.literal()?;
            self.field("argument");
        }
        self.node_here("command", mark)?;
        Some(())
    }

    /// A redirection; `true` for a heredoc (the statement ends with its body).
    pub(super) fn redirect(&mut self) -> Option<bool> {
        let mark = self.kids.len();
        let mut k = 0;
        while self.b(k).is_ascii_digit() {
            k += 1;
        }
        if k > 0 {
            // `0<f`: tree-sitter's scanner reads a leading 0 as an argument
            if self.b(0) == b'0' {
                return None;
            }
            self.tok("file_descriptor", true, k);
            self.field("descriptor");
        }
        let op = match (self.b(0), self.b(1), self.b(2)) {
            (b'<', b'<', b'<') => return None,
            (b'<', b'<', b'-') => "<<-",
            (b'<', b'<', _) => "<<",
            (b'&', b'>', b'>') => "&>>",
            (b'&', b'>', _) => "&>",
            (b'>', b'>', _) => ">>",
            (b'>' | b'<', b'&', b'-') => return None,
            (b'>', b'&', _) => ">&",
            (b'<', b'&', _) => "<&",
            (b'>', b'|', _) => ">|",
            (b'<', b'>' | b'(', _) | (b'>', b'(', _) => return None,
            (b'>', _, _) => ">",
            (b'<', _, _) => "<",
            _ => return None,
        };
        if op.starts_with("<<") {
            // `cat - <<EOF`: tree-sitter drops the `-` (and the like) before a heredoc
            let before = self.s[..self.i].trim_ascii_end();
            if k > 0
                || before.len() >= 2
                    && matches!(
                        before[before.len() - 1],
                        b'-' | b'*' | b'@' | b'?' | b'0' | b'_'
                    )
                    && matches!(before[before.len() - 2], b' ' | b'\t')
            {
                return None;
            }
            self.tok(op, false, op.len());
            self.heredoc(op == "<<-", mark)?;
            return Some(true);
        }
        self.tok(op, false, op.len());
        self.blank();
        // `>2>f`: digits before another operator are its descriptor
        if at_redirect(self) {
            return None;
        }
        self.literal()?;
        self.field("destination");
        self.node("file_redirect", mark)?;
        Some(false)
    }

    /// A word: one part, or a `concatenation` of parts written together.
    pub(super) fn literal(&mut self) -> Option<()> {
        let mark = self.kids.len();
        // tree-sitter splits `$a/$b.c` after the second `$` (a bare `$`, then a new word):
        // nothing may follow a `$name` that is the third part or later
        let mut simple_late = false;
        loop {
            let c = self.b(0);
            if !(matches!(c, b'"' | b'\'' | b'$') || plain(c)) {
                break;
            }
            if simple_late {
                return None;
            }
            let part = self.kids.len() - mark;
            match c {
                b'"' => self.string()?,
                b'\'' => self.raw_string()?,
                b'$' => {
                    let named = self.b(1).is_ascii_alphabetic() || self.b(1) == b'_';
                    // `'a'b$6`: after the first part only `$name`, `${…}`, `$(…)`
                    if part > 0 && !(named || matches!(self.b(1), b'{' | b'(')) {
                        return None;
                    }
                    simple_late = part >= 2 && named;
                    self.dollar()?;
                }
                _ => {
                    self.run(part == 0)?;
                    // the most common word, one run of plain bytes up to a delimiter: what
                    // the checks after the loop answer for a lone part, without them
                    let c = self.b(0);
                    if part == 0 && delimiter(c) {
                        // `a<f`: a word against a redirection is left to tree-sitter
                        return (!matches!(c, b'<' | b'>')).then_some(());
                    }
                }
            }
        }
        let n = self.kids.len() - mark;
        // `$2-`: a lone `-` (`*`, `@`, `?`, `0`, `_`) in a concatenation is read on
        if n > 1
            && self.kids[mark..].iter().any(|&k| {
                let (a, b) = self.t.span(k);
                b == a + 1 && matches!(self.s[a], b'-' | b'*' | b'@' | b'?' | b'0' | b'_')
            })
        {
            return None;
        }
        // `a<f`, `@6<x`: a word against a redirection is left to tree-sitter
        if n == 0 || !delimiter(self.b(0)) || matches!(self.b(0), b'<' | b'>') {
            return None;
        }
        if n > 1 {
            self.node("concatenation", mark)?;
        }
        Some(())
    }

    /// Unquoted plain characters: a `word`, or a `number` (`-?[0-9]+`).
    fn run(&mut self, first: bool) -> Option<()> {
        let start = self.i;
        let mut end = start;
        while end < self.s.len() && plain(self.s[end]) {
            end += 1;
        }
        let w = &self.s[start..end];
        // (slice patterns: byte comparisons in place, not a `starts_with` call each)
        if matches!(w, [b'=', b'=' | b'~', ..]) || w == b"esac" {
            return None;
        }
        if self.strict
            && w.iter()
                .any(|&c| !(c.is_ascii_alphanumeric() || matches!(c, b'_' | b'.' | b'/' | b'-')))
        {
            return None;
        }
        let digits = match w {
            [b'-', rest @ ..] => rest,
            _ => w,
        };
        if matches!(digits, [b'0', b'x', ..]) {
            return None;
        }
        let number = !digits.is_empty() && digits.iter().all(u8::is_ascii_digit);
        if number && !first {
            return None;
        }
        self.tok(if number { "number" } else { "word" }, true, end - start);
        Some(())
    }

    /// `'…'`
    fn raw_string(&mut self) -> Option<()> {
        let len = self.s[self.i + 1..].iter().position(|&c| c == b'\'')?;
        self.tok("raw_string", true, len + 2);
        Some(())
    }

    /// `"…"` with text, `$x`, `${…}` and `$( … )` inside (one line).
    fn string(&mut self) -> Option<()> {
        let mark = self.kids.len();
        self.tok("\"", false, 1);
        loop {
            let start = self.i;
            let mut j = start;
            loop {
                // (the bytes that mean nothing here skipped by a table, a whole run at once)
                while self.s.get(j).is_some_and(|&c| !STRING_STOP[c as usize]) {
                    j += 1;
                }
                match self.s.get(j) {
                    None | Some(b'`' | b'\n') => return None,
                    Some(b'"' | b'$') => break,
                    Some(b'\\') => j += 2,
                    Some(_) => j += 1,
                }
            }
            if j > start {
                if blank_only(&self.s[start..j]) {
                    return None;
                }
                self.tok("string_content", true, j - start);
            }
            if self.b(0) == b'"' {
                self.tok("\"", false, 1);
                break;
            }
            if self.b(1) == b'"' {
                self.tok("$", false, 1);
            } else {
                self.dollar()?;
            }
        }
        self.node_here("string", mark)?;
        Some(())
    }

    /// `$name`, `$1`, `$@`…, `${…}`, `$( … )`.
    fn dollar(&mut self) -> Option<()> {
        let c = self.b(1);
        if c == b'{' {
            return self.expansion();
        }
        if c == b'(' {
            return if self.b(2) == b'(' {
                None
            } else {
                self.substitution()
            };
        }
        let (kind, len) = if c.is_ascii_alphabetic() || c == b'_' {
            let mut k = 1;
            while name_char(self.b(1 + k)) {
                k += 1;
            }
            if c == b'_' && k == 1 {
                ("special_variable_name", 1)
            } else {
                ("variable_name", k)
            }
        } else if c.is_ascii_digit() {
            let mut k = 1;
            while self.b(1 + k).is_ascii_digit() {
                k += 1;
            }
            ("variable_name", k)
        } else if matches!(c, b'*' | b'@' | b'?' | b'!' | b'#' | b'-' | b'$') {
            ("special_variable_name", 1)
        } else {
            return None;
        };
        let next = self.b(1 + len);
        if name_char(next) || next >= 0x80 {
            return None;
        }
        let mark = self.kids.len();
        self.tok("$", false, 1);
        self.tok(kind, true, len);
        self.node_here("simple_expansion", mark)?;
        Some(())
    }

    /// `${x}`, `${#x}`, `${x:-word}` (`-`, `=`, `+`, `?`, with or without `:`).
    fn expansion(&mut self) -> Option<()> {
        self.deeper()?;
        let mark = self.kids.len();
        self.tok("${", false, 2);
        let length = self.b(0) == b'#';
        if length {
            self.tok("#", false, 1);
            self.field("operator");
        }
        let c = self.b(0);
        let mut k = 0;
        if c.is_ascii_alphabetic() || c == b'_' {
            while name_char(self.b(k)) {
                k += 1;
            }
        } else {
            while self.b(k).is_ascii_digit() {
                k += 1;
            }
        }
        // `${_}` names a special variable; `${0…}` is not checked
        if k == 0 || (k == 1 && matches!(c, b'_' | b'0')) {
            return None;
        }
        self.tok("variable_name", true, k);
        if self.b(0) == b'[' {
            self.subscript()?;
        }
        if self.b(0) != b'}' {
            if length {
                return None;
            }
            let colon = usize::from(self.b(0) == b':');
            let op = match self.b(colon) {
                b'-' if colon == 1 => ":-",
                b'?' if colon == 1 => ":?",
                b'=' if colon == 1 => ":=",
                b'+' if colon == 1 => ":+",
                b'-' => "-",
                b'?' => "?",
                b'=' => "=",
                b'+' => "+",
                _ => return None,
            };
            self.tok(op, false, op.len());
            self.field("operator");
            self.expansion_value()?;
        }
        if self.b(0) != b'}' {
            return None;
        }
        self.tok("}", false, 1);
        self.node("expansion", mark)?;
        self.depth -= 1;
        Some(())
    }

    /// `[0]`, `[@]` after the name in `${…}` (the name becomes the subscript's).
    fn subscript(&mut self) -> Option<()> {
        let mark = self.kids.len() - 1;
        self.field("name");
        self.tok("[", false, 1);
        let digits = self.s[self.i..]
            .iter()
            .take_while(|c| c.is_ascii_digit())
            .count();
        if digits > 0 {
            self.tok("number", true, digits);
        } else if self.b(0) == b'@' {
            self.tok("word", true, 1);
        } else {
            return None;
        }
        self.field("index");
        if self.b(0) != b']' {
            return None;
        }
        self.tok("]", false, 1);
        self.node("subscript", mark)?;
        Some(())
    }

    /// The word after `${x:-`: parts written together, or text with blanks (a word from
    /// its first blank on).
    fn expansion_value(&mut self) -> Option<()> {
        let mark = self.kids.len();
        loop {
            match (self.b(0), self.b(1)) {
                (b'}', _) => break,
                (b'"', _) => self.string()?,
                (b'\'', _) => self.raw_string()?,
                (b'$', c) if c.is_ascii_alphabetic() => self.dollar()?,
                (b'$', _) => return None,
                (b' ', _) => {
                    // ` is required}`, `a b}`: the rest is one word, blanks and all
                    // (after a word that starts with a letter: `/ x` is one word)
                    let n = self.kids.len() - mark;
                    if n > 1
                        || (n == 1
                            && (self.t.kind(*self.kids.last()?) != "word"
                                || !self.s[self.t.span(*self.kids.last()?).0]
                                    .is_ascii_alphabetic()))
                    {
                        return None;
                    }
                    let len = self.s[self.i..]
                        .iter()
                        .take_while(|&&c| plain(c) || c == b' ')
                        .count();
                    let text = &self.s[self.i..self.i + len];
                    if text.last() == Some(&b' ')
                        || text.iter().all(|&c| c == b' ')
                        || text
                            .split(|&c| c == b' ')
                            .any(|w| name_then_operator(w, false))
                    {
                        return None;
                    }
                    self.tok("word", true, len);
                    break;
                }
                (c, _) if plain(c) => {
                    let len = self.s[self.i..].iter().take_while(|&&c| plain(c)).count();
                    if name_then_operator(&self.s[self.i..self.i + len], false) {
                        return None;
                    }
                    self.tok("word", true, len);
                }
                _ => return None,
            }
        }
        let n = self.kids.len() - mark;
        if n > 2 {
            return None;
        }
        if n > 1 {
            self.node("concatenation", mark)?;
        }
        Some(())
    }

    /// `$( statements )`
    fn substitution(&mut self) -> Option<()> {
        self.parenthesized("$(", "command_substitution")
    }

    /// `open` (`(`, `$(`), statements (no comments), `)` as a `kind` node.
    pub(super) fn parenthesized(&mut self, open: &'static str, kind: &'static str) -> Option<()> {
        self.deeper()?;
        let mark = self.kids.len();
        self.tok(open, false, open.len());
        if self.statements_with(End::Paren, false, false)? == 0 {
            return None;
        }
        self.tok(")", false, 1);
        self.node(kind, mark)?;
        self.depth -= 1;
        Some(())
    }
}
