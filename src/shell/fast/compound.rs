//! Compound statements of the fast path: `{ … }`, `[ … ]`, `if`, `for … in`, `while`/`until`,
//! `case`, function definitions and `export`/`local`/`unset` declarations.

use super::words::{at_redirect, at_stop, name_char};
use super::{End, P};

const THEN: &[&str] = &["then"];
const IF_BODY: &[&str] = &["elif", "else", "fi"];
const FI: &[&str] = &["fi"];
const DO: &[&str] = &["do"];
const DONE: &[&str] = &["done"];
const CLOSE: &[&str] = &["}"];

impl P<'_> {
    /// The reserved word `w` as an anonymous leaf.
    #[inline]
    fn kw(&mut self, w: &'static str) -> Option<()> {
        if !self.at_word(w) {
            return None;
        }
        self.tok(w, false, w.len());
        Some(())
    }

    /// Statements that must each be terminated, up to one of `end` (at least one when
    /// `some`); with `field`, every node read gets it (an `if`/`while` condition).
    fn block(
        &mut self,
        end: &'static [&'static str],
        some: bool,
        field: Option<&'static str>,
    ) -> Option<()> {
        let mark = self.kids.len();
        let n = self.statements_with(End::Words(end), true, field.is_none())?;
        if some && n == 0 {
            return None;
        }
        if let Some(f) = field {
            for k in mark..self.kids.len() {
                self.t.set_field(self.kids[k], f);
            }
        }
        Some(())
    }

    /// An `elif`/`else` clause over the children since `mark`: it ends with its last
    /// terminator (a newline too), and comments after that belong to the `if`.
    fn clause(&mut self, kind: &'static str, mark: usize) -> Option<()> {
        let end = self.term_end;
        let mut cut = self.kids.len();
        while cut > mark + 1 {
            let k = self.kids[cut - 1];
            if self.t.kind(k) != "comment" || self.t.span(k).0 < end {
                break;
            }
            cut -= 1;
        }
        let tail = self.kids.split_off(cut);
        self.node_to(kind, mark, end)?;
        self.kids.extend(tail);
        Some(())
    }

    /// `( statements )`
    pub(super) fn subshell(&mut self) -> Option<()> {
        self.parenthesized("(", "subshell")
    }

    /// `! command`, `! [ … ]`
    pub(super) fn negated(&mut self) -> Option<()> {
        let mark = self.kids.len();
        self.tok("!", false, 1);
        self.blank();
        if self.b(0) == b'[' && matches!(self.b(1), b' ' | b'\t' | b'[') {
            self.test_command()?;
        } else {
            self.command()?;
            if self.t.kind(*self.kids.last()?) != "command" {
                return None;
            }
        }
        self.node("negated_command", mark)?;
        Some(())
    }

    /// `{ statements; }`
    pub(super) fn brace_group(&mut self) -> Option<()> {
        let mark = self.kids.len();
        self.tok("{", false, 1);
        self.block(CLOSE, true, None)?;
        self.kw("}")?;
        self.node("compound_statement", mark)?;
        Some(())
    }

    /// An operand of `[ … ]`: a word without `*`/`=`, not an option.
    fn operand(&mut self) -> Option<()> {
        // `-`, `+`, `~`, `!`: unary operators in a test
        if matches!(self.b(0), b'-' | b'+' | b'~' | b'!' | b']') {
            return None;
        }
        // `/"$R"`: a lone operator character before more parts is an arithmetic operator
        let run = self.s[self.i..]
            .iter()
            .take_while(|c| c.is_ascii_graphic() && !matches!(c, b'"' | b'\'' | b'$' | b']'))
            .count();
        let head = &self.s[self.i..self.i + run];
        if run > 0
            && !head.iter().any(u8::is_ascii_alphanumeric)
            && !(super::delimiter(self.b(run)) && matches!(head, b"." | b".."))
        {
            return None;
        }
        self.strict = true;
        let done = self.literal();
        self.strict = false;
        done
    }

    /// `[ -op x ]`, `[ ! -op x ]`, `[ x = y ]`, `[ x != "y" ]`, `[ x -eq y ]`, the same in
    /// `[[ … ]]`, where two of them may be joined by `&&` or `||`.
    pub(super) fn test_command(&mut self) -> Option<()> {
        let mark = self.kids.len();
        let double = self.b(1) == b'[';
        let (open, close) = if double { ("[[", "]]") } else { ("[", "]") };
        self.tok(open, false, open.len());
        self.blank();
        let e = self.kids.len();
        let assign = self.test_term(double)?;
        self.blank();
        if double && matches!((self.b(0), self.b(1)), (b'&', b'&') | (b'|', b'|')) {
            // `=` and `=~` bind looser than `&&`/`||` in tree-sitter's grammar
            if assign {
                return None;
            }
            self.field("left");
            let op = if self.b(0) == b'&' { "&&" } else { "||" };
            self.tok(op, false, 2);
            self.field("operator");
            self.blank();
            if self.test_term(double)? {
                return None;
            }
            self.field("right");
            self.node("binary_expression", e)?;
            self.blank();
        }
        if !self.at(close) || !super::delimiter(self.b(close.len())) {
            return None;
        }
        self.tok(close, false, close.len());
        self.node("test_command", mark)?;
        Some(())
    }

    /// One test: `! -op x`, `-op x`, `x op y`; `true` when `op` is `=` or `=~`.
    fn test_term(&mut self, double: bool) -> Option<bool> {
        let e = self.kids.len();
        let mut assign = false;
        if self.b(0) == b'!' && matches!(self.b(1), b' ' | b'\t') {
            self.tok("!", false, 1);
            self.field("operator");
            self.blank();
            self.unary_test()?;
            self.node("unary_expression", e)?;
        } else if self.b(0) == b'-' {
            self.unary_test()?;
        } else {
            self.operand()?;
            self.field("left");
            self.blank();
            if double && self.at("=~ ") {
                self.tok("=~", false, 2);
                self.field("operator");
                self.blank();
                self.regex()?;
                self.field("right");
                self.node("binary_expression", e)?;
                return Some(true);
            }
            let (op, len, quoted) = match (self.b(0), self.b(1), self.b(2)) {
                (b'=', b' ' | b'\t', _) => ("=", 1, false),
                (b'!', b'=', b' ' | b'\t') => ("!=", 2, true),
                (b'=', b'=', b' ' | b'\t') => ("==", 2, true),
                (b'-', _, _) => ("test_operator", self.test_operator()?, false),
                _ => return None,
            };
            self.tok(op, op == "test_operator", len);
            self.field("operator");
            self.blank();
            // `!=`/`==` read a plain word as a pattern, `[[ x = $y ]]` as a regex: left to
            // tree-sitter
            if quoted && !matches!(self.b(0), b'"' | b'\'' | b'$') {
                return None;
            }
            if double
                && op == "="
                && !(self.b(0).is_ascii_alphanumeric() || matches!(self.b(0), b'"' | b'\''))
            {
                return None;
            }
            self.operand()?;
            // `[[ x = 4"-h" ]]`, `[[ x = x. ]]` are regexes: a quoted string or a plain
            // alphanumeric word only
            if double && op == "=" {
                let last = *self.kids.last()?;
                let (a, b) = self.t.span(last);
                let ok = match self.t.kind(last) {
                    "string" | "raw_string" => true,
                    "word" => self.s[a..b].iter().all(|&c| name_char(c)),
                    _ => false,
                };
                if !ok {
                    return None;
                }
            }
            self.field("right");
            self.node("binary_expression", e)?;
            assign = op == "=";
        }
        Some(assign)
    }

    /// The right of `=~`: `$name`, or a `regex` without blanks or quotes.
    fn regex(&mut self) -> Option<()> {
        if self.b(0) == b'$' {
            self.operand()?;
            return (self.t.kind(*self.kids.last()?) == "simple_expansion").then_some(());
        }
        let len = self.s[self.i..]
            .iter()
            .take_while(|&&c| {
                c.is_ascii_alphanumeric()
                    || matches!(
                        c,
                        b'^' | b'$'
                            | b'.'
                            | b'*'
                            | b'+'
                            | b'?'
                            | b'('
                            | b')'
                            | b'['
                            | b']'
                            | b'|'
                            | b'-'
                            | b'_'
                            | b':'
                            | b'/'
                            | b','
                    )
            })
            .count();
        // `=~ abc` is a word to tree-sitter: only regexes anchored with `^`, with balanced
        // parentheses and brackets
        if len == 0 || self.b(0) != b'^' || !matches!(self.b(len), b' ' | b'\t') {
            return None;
        }
        let (mut parens, mut brackets) = (0i32, 0i32);
        for &c in &self.s[self.i..self.i + len] {
            match c {
                b'(' => parens += 1,
                b')' => parens -= 1,
                b'[' => brackets += 1,
                b']' => brackets -= 1,
                _ => {}
            }
            if parens < 0 || brackets < 0 {
                return None;
            }
        }
        if parens != 0 || brackets != 0 {
            return None;
        }
        self.tok("regex", true, len);
        Some(())
    }

    /// The length of a test operator here (`-d`, `-eq`…), followed by a blank.
    fn test_operator(&self) -> Option<usize> {
        let mut k = 1;
        while self.b(k).is_ascii_lowercase() {
            k += 1;
        }
        let ok = match k {
            2 => true,
            3 => matches!(
                &self.s[self.i + 1..self.i + 3],
                b"eq" | b"ne" | b"lt" | b"le" | b"gt" | b"ge" | b"nt" | b"ot" | b"ef"
            ),
            _ => false,
        };
        (ok && matches!(self.b(k), b' ' | b'\t')).then_some(k)
    }

    /// `-op operand` as a `unary_expression`.
    fn unary_test(&mut self) -> Option<()> {
        let mark = self.kids.len();
        if self.b(0) != b'-' || self.test_operator()? != 2 {
            return None;
        }
        self.tok("test_operator", true, 2);
        self.field("operator");
        self.blank();
        self.operand()?;
        self.node("unary_expression", mark)?;
        Some(())
    }

    /// `if …; then …; elif …; then …; else …; fi`
    pub(super) fn if_statement(&mut self) -> Option<()> {
        let mark = self.kids.len();
        self.kw("if")?;
        self.block(THEN, true, Some("condition"))?;
        self.kw("then")?;
        self.block(IF_BODY, false, None)?;
        while self.at_word("elif") {
            let m = self.kids.len();
            self.kw("elif")?;
            self.block(THEN, true, None)?;
            self.kw("then")?;
            self.block(IF_BODY, false, None)?;
            self.clause("elif_clause", m)?;
        }
        if self.at_word("else") {
            let m = self.kids.len();
            self.kw("else")?;
            self.block(FI, false, None)?;
            self.clause("else_clause", m)?;
        }
        self.kw("fi")?;
        self.node("if_statement", mark)?;
        Some(())
    }

    /// A plain name (`[A-Za-z_][A-Za-z0-9_]*`) followed by a delimiter: its length.
    fn plain_name(&self) -> Option<usize> {
        let k = self.name_len()?;
        super::delimiter(self.b(k)).then_some(k)
    }

    /// `for x in words; do …; done`
    pub(super) fn for_statement(&mut self) -> Option<()> {
        let mark = self.kids.len();
        self.kw("for")?;
        self.blank();
        let len = self.plain_name()?;
        self.tok("variable_name", true, len);
        self.field("variable");
        self.blank();
        self.kw("in")?;
        let mut values = 0;
        loop {
            self.blank();
            if matches!(self.b(0), b';' | b'\n') {
                break;
            }
            self.literal()?;
            self.field("value");
            values += 1;
        }
        if values == 0 {
            return None;
        }
        if self.b(0) == b';' {
            self.tok(";", false, 1);
        } else {
            self.i += 1;
        }
        self.blank_lines();
        self.do_group()?;
        self.node("for_statement", mark)?;
        Some(())
    }

    /// `do …; done` (the body of a loop).
    fn do_group(&mut self) -> Option<()> {
        let mark = self.kids.len();
        self.kw("do")?;
        self.block(DONE, false, None)?;
        self.kw("done")?;
        self.node("do_group", mark)?;
        self.field("body");
        Some(())
    }

    /// `while …; do …; done`, `until …; do …; done`
    pub(super) fn while_statement(&mut self) -> Option<()> {
        let mark = self.kids.len();
        if self.at_word("while") {
            self.kw("while")?;
        } else {
            self.kw("until")?;
        }
        self.block(DO, true, Some("condition"))?;
        self.do_group()?;
        self.node("while_statement", mark)?;
        Some(())
    }

    /// `case word in pattern) …;; … esac` with `*`, quoted or all-letter patterns.
    pub(super) fn case_statement(&mut self) -> Option<()> {
        let mark = self.kids.len();
        self.kw("case")?;
        self.blank();
        self.literal()?;
        self.field("value");
        self.blank();
        self.kw("in")?;
        self.blank();
        if self.b(0) != b'\n' {
            return None;
        }
        self.blank_lines();
        while !self.at_word("esac") {
            let item = self.kids.len();
            match self.b(0) {
                b'*' if self.b(1) == b')' => {
                    self.tok("extglob_pattern", true, 1);
                }
                b'"' | b'\'' => {
                    self.operand()?;
                    let kind = self.t.kind(*self.kids.last()?);
                    if kind != "string" && kind != "raw_string" {
                        return None;
                    }
                }
                c if c.is_ascii_alphabetic() => {
                    let len = self.s[self.i..]
                        .iter()
                        .take_while(|c| c.is_ascii_alphabetic())
                        .count();
                    if self.b(len) != b')' || self.at_word("esac") {
                        return None;
                    }
                    self.tok("word", true, len);
                }
                _ => return None,
            }
            self.field("value");
            if self.b(0) != b')' {
                return None;
            }
            self.tok(")", false, 1);
            if !matches!(self.b(0), b' ' | b'\t' | b'\n') {
                return None;
            }
            self.statements_with(End::CaseItem, false, true)?;
            if !self.at(";;") || self.b(2) == b'&' {
                return None;
            }
            self.tok(";;", false, 2);
            self.blank_lines();
            if !self.at_word("esac") {
                self.field("termination");
            }
            self.node("case_item", item)?;
        }
        self.kw("esac")?;
        self.node("case_statement", mark)?;
        Some(())
    }

    /// `name() {` or `function name {` is next.
    pub(super) fn at_function(&self) -> bool {
        let Some(len) = self.function_name() else {
            return false;
        };
        let mut k = len;
        while matches!(self.b(k), b' ' | b'\t') {
            k += 1;
        }
        self.b(k) == b'('
    }

    /// A name's first byte, then name bytes and `-`: the length (one scan).
    fn function_name(&self) -> Option<usize> {
        let c = self.b(0);
        if !(c.is_ascii_alphabetic() || c == b'_') {
            return None;
        }
        Some(
            self.s[self.i..]
                .iter()
                .take_while(|&&c| name_char(c) || c == b'-')
                .count(),
        )
    }

    /// `name() { … }`, `function name { … }`, `function name() { … }`
    pub(super) fn function(&mut self) -> Option<()> {
        let mark = self.kids.len();
        let keyword = self.at_word("function");
        if keyword {
            self.kw("function")?;
            self.blank();
        }
        let len = self.function_name()?;
        if !super::delimiter(self.b(len)) {
            return None;
        }
        self.tok("word", true, len);
        self.field("name");
        self.blank();
        if self.b(0) == b'(' {
            self.tok("(", false, 1);
            self.blank();
            if self.b(0) != b')' {
                return None;
            }
            self.tok(")", false, 1);
            self.blank();
        } else if !keyword {
            return None;
        }
        if self.b(0) != b'{' || !matches!(self.b(1), b' ' | b'\t' | b'\n') {
            return None;
        }
        self.brace_group()?;
        self.field("body");
        self.blank();
        if at_redirect(self) {
            return None;
        }
        self.node("function_definition", mark)?;
        Some(())
    }

    /// `export A=1 B -f`, `local x`, `unset a b`: options, names, assignments (the latter
    /// not after `unset`).
    pub(super) fn declaration(&mut self, kw: &'static str) -> Option<()> {
        let mark = self.kids.len();
        let unset = kw.starts_with("unset");
        self.kw(kw)?;
        loop {
            self.blank();
            if at_stop(self) {
                break;
            }
            if at_redirect(self) {
                return None;
            }
            if let Some(len) = self.assignment_name() {
                if unset {
                    return None;
                }
                self.assignment(len)?;
            } else if let Some(len) = self.plain_name() {
                self.tok("variable_name", true, len);
            } else if self.b(0) == b'-' && self.b(1).is_ascii_alphabetic() {
                self.literal()?;
                if self.t.kind(*self.kids.last()?) != "word" {
                    return None;
                }
            } else {
                return None;
            }
        }
        self.node(
            if unset {
                "unset_command"
            } else {
                "declaration_command"
            },
            mark,
        )?;
        Some(())
    }
}
