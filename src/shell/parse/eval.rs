//! Shell evaluation the walker follows within one script (or one hook command):
//! - **function calls**: `wipe(){ rm -rf "$1"; }; wipe ~` walks the body again at the call
//!   with `$1`…`$9`, `"$@"`, `$*` bound to the call's words (and `shift` honoured), so the
//!   rules see `rm -rf ~`; the commands are marked [`Command::bound`] so a finding the body
//!   already has where it is written is not reported twice;
//! - **the command word**: an unquoted variable assigned a literal in the same script
//!   (`c="rm -rf /srv"; $c` → word splitting), an alias (`alias nuke='rm -rf'; nuke /srv`,
//!   re-read as shell like bash does), and `$(echo word)` / `` `echo word` `` (also as an
//!   argument) resolve to their value.
//!
//! Values come from straight-line reading: the last literal assignment before the use wins;
//! an assignment the walker cannot read (`c=$(…)`, `read c`, a loop variable) forgets it.

use super::unwrap::Reparse;
use super::*;
use crate::shell::command::NameMap;

/// Function bodies walked again at calls, per script.
const MAX_CALLS: usize = 64;
/// Calls inside calls.
const MAX_CALL_DEPTH: usize = 4;

/// What the script established, for evaluation.
#[derive(Debug, Clone, Default)]
pub struct Env {
    /// Variables holding literal text.
    vars: NameMap<Word>,
    /// `alias name='value'`: the value as written, mapped into the file.
    aliases: NameMap<Mapped>,
    /// Positional parameters of the function call being walked.
    args: Option<Vec<Word>>,
    /// Variables the call's body assigned from them (`local dir="$1"`).
    bound_vars: NameMap<Word>,
}

impl Env {
    /// `name=value` (`None`: unset, or a value the walker does not know).
    pub fn assign(&mut self, name: &str, value: Option<&Word>) {
        // (`v.lit().is_some()` without building the text: every part literal)
        match value {
            Some(v) if v.parts.iter().all(|p| matches!(p, Part::Lit { .. })) => {
                self.vars.insert(name.to_string(), v.clone());
            }
            // (no hashing of the name when the map is empty)
            _ if !self.vars.is_empty() => {
                self.vars.remove(name);
            }
            _ => {}
        }
        if !self.bound_vars.is_empty() {
            self.bound_vars.remove(name);
        }
    }

    fn binding(&self) -> Option<Binding<'_>> {
        self.args.as_ref().map(|args| Binding {
            args,
            vars: &self.bound_vars,
        })
    }
}

/// What the command word resolved to.
pub(super) enum Head {
    Words(Vec<Word>),
    /// An alias: its value and the arguments, re-read as shell.
    Reparse(Reparse),
}

/// A function call the walker follows.
pub(super) struct Call<'t> {
    name: String,
    body: Node<'t>,
    def: Span,
    args: Vec<Word>,
    /// The call as written, for messages.
    text: String,
}

/// Is this command word or argument in double quotes (no word splitting)?
#[inline]
pub(super) fn is_quoted(n: Node) -> bool {
    match kind(n) {
        "string" => true,
        "command_name" => n.named_child(0).is_some_and(|c| kind(c) == "string"),
        _ => false,
    }
}

/// A parameter reference in a word's source at byte `i`: `$1`, `${1}`, `$@`, `$*`,
/// `$name`, `${name}` → (length, name).
fn reference_at(t: &str, i: usize) -> Option<(usize, &str)> {
    let b = t.as_bytes();
    if b.get(i) != Some(&b'$') {
        return None;
    }
    let braced = b.get(i + 1) == Some(&b'{');
    let from = i + 1 + usize::from(braced);
    let c = *b.get(from)?;
    let len = if c.is_ascii_digit() || c == b'@' || c == b'*' {
        1
    } else if c.is_ascii_alphabetic() || c == b'_' {
        b[from..]
            .iter()
            .take_while(|c| c.is_ascii_alphanumeric() || **c == b'_')
            .count()
    } else {
        return None;
    };
    if braced {
        // `${1}`, and the forms that keep the value (`${1:?}`, `${1:-x}`): not `${1%/}`
        let close = from + len + t.get(from + len..)?.find('}')?;
        let modifier = &t[from + len..close];
        let keeps = modifier.is_empty()
            || [":?", ":-", ":=", "?", "-", "="]
                .iter()
                .any(|m| modifier.starts_with(m));
        keeps.then(|| (close + 1 - i, &t[from..from + len]))
    } else {
        Some((len + 1, &t[from..from + len]))
    }
}

/// A positional parameter reference in a word's source: `$1`…`$9`, `$@`, `$*`.
fn positional_at(t: &str, i: usize) -> Option<(usize, Option<usize>)> {
    let (len, name) = reference_at(t, i)?;
    positional(name).map(|k| (len, k))
}

/// `1`…`9` → `Some(Some(index))`; `@`, `*` → `Some(None)` (all of them).
fn positional(name: &str) -> Option<Option<usize>> {
    match name {
        "@" | "*" => Some(None),
        n if n.len() == 1 => n
            .parse::<usize>()
            .ok()
            .filter(|k| (1..=9).contains(k))
            .map(|k| Some(k - 1)),
        _ => None,
    }
}

/// What a parameter expands to at a call: the call's words for positional parameters,
/// the bound value of a variable assigned from them (`local dir="$1"`).
struct Binding<'a> {
    args: &'a [Word],
    vars: &'a NameMap<Word>,
}

impl<'a> Binding<'a> {
    fn get(&self, name: &str) -> Option<Vec<Word>> {
        match positional(name) {
            Some(None) => Some(self.args.to_vec()),
            Some(Some(k)) => self.args.get(k).map(|a| vec![a.clone()]),
            None => self.vars.get(name).map(|w| vec![w.clone()]),
        }
    }
    /// `get(name).is_some()` without the copies.
    fn has(&self, name: &str) -> bool {
        match positional(name) {
            Some(None) => true,
            Some(Some(k)) => k < self.args.len(),
            None => self.vars.contains_key(name),
        }
    }
    /// The one word `name` expands to (`get(name)` when that is one word), borrowed.
    fn one(&self, name: &str) -> Option<&'a Word> {
        match positional(name) {
            Some(None) => match self.args {
                [w] => Some(w),
                _ => None,
            },
            Some(Some(k)) => self.args.get(k),
            None => self.vars.get(name),
        }
    }
}

/// The variable a part reads, when a binding may replace it (not `${!X}`, `${X%…}`).
fn bound_name(p: &Part) -> Option<&str> {
    match p {
        Part::Var { name, guard } if *guard != Guard::Derived => Some(name),
        _ => None,
    }
}

/// Does [`bind`] change `w` (does it read a parameter the binding knows)?
fn binds(w: &Word, b: &Binding) -> bool {
    w.parts.iter().filter_map(bound_name).any(|n| b.has(n))
}

/// `w` with the parameters the binding knows replaced (a word that is only `"$@"` or `$*`
/// becomes all the call's words). Parameters the call does not pass stay as they are (their
/// findings are the body's own).
fn bind(w: Word, b: &Binding) -> Vec<Word> {
    if !binds(&w, b) {
        return vec![w];
    }
    if let [p] = w.parts.as_slice()
        && let Some(ws) = bound_name(p).and_then(|n| b.get(n))
    {
        return ws;
    }
    // a word with more in it: `"$1/"*`, `"$1"/cache` (its parts sized up front: no regrowth)
    let n: usize = w
        .parts
        .iter()
        .map(|p| {
            bound_name(p)
                .and_then(|n| b.one(n))
                .map_or(1, |a| a.parts.len())
        })
        .sum();
    let mut parts = Parts::with_capacity(n);
    let mut span = None;
    for p in &w.parts {
        match bound_name(p).and_then(|n| b.one(n)) {
            Some(a) => {
                span.get_or_insert(a.span);
                parts.extend(a.parts.iter().cloned());
            }
            None => parts.push(p.clone()),
        }
    }
    let Some(span) = span else {
        return vec![w];
    };
    let t = &w.src.text;
    let mut src = Mapped::default();
    let (mut last, mut i) = (0, 0);
    while i < t.len() {
        // a reference starts at a `$` only: step from one to the next (a byte search)
        match t.as_bytes()[i..].iter().position(|&c| c == b'$') {
            Some(k) => i += k,
            None => break,
        }
        if let Some((len, name)) = reference_at(t, i)
            && let Some(a) = b.one(name)
        {
            src.append(&w.src.slice(last, i));
            src.append(&a.src);
            i += len;
            last = i;
            continue;
        }
        i += 1;
    }
    src.append(&w.src.slice(last, t.len()));
    vec![Word { span, parts, src }]
}

/// Unquoted text split into words the way bash splits an expansion (on blanks), each mapped
/// into the file.
fn split(src: &Mapped) -> Vec<Word> {
    let t = &src.text;
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in t.char_indices().chain([(t.len(), ' ')]) {
        let blank = matches!(c, ' ' | '\t' | '\n');
        match (start, blank) {
            (None, false) => start = Some(i),
            (Some(s), true) => {
                out.push(lit_word(src.slice(s, i), false));
                start = None;
            }
            _ => {}
        }
    }
    out
}

/// The words of `t` joined by one space (`split_whitespace` then `join(" ")`); ASCII text
/// (nearly every command) by a byte scan with no per-word step.
fn squeeze_blanks(t: &str) -> String {
    if !t.is_ascii() {
        return t.split_whitespace().collect::<Vec<_>>().join(" ");
    }
    let mut out = String::with_capacity(t.len());
    // `char::is_whitespace` on ASCII: space, \t, \n, \x0B, \x0C, \r
    let blank = |c: u8| matches!(c, b' ' | b'\t' | b'\n' | 0x0B | 0x0C | b'\r');
    let b = t.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if blank(b[i]) {
            i += 1;
            continue;
        }
        let start = i;
        while i < b.len() && !blank(b[i]) {
            i += 1;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(&t[start..i]);
    }
    out
}

/// Could this word be a command name (`rm`, `apt-get`, `/usr/bin/x`)?
fn names_command(w: &Word) -> bool {
    matches!(w.parts.as_slice(), [Part::Lit { quoted: false, text }]
        if !text.is_empty()
            && !text.starts_with('-')
            && text
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '/' | '+')))
}

fn lit_word(src: Mapped, quoted: bool) -> Word {
    Word {
        span: src.span(Span::new(0, src.text.len())),
        parts: smallvec::smallvec![Part::Lit {
            text: src.text.clone(),
            quoted,
        }],
        src,
    }
}

/// `$(echo rm -rf)` / `` `echo rm` `` / `$(printf %s rm)`: the text it prints, when every
/// word after `echo` is plain literal text (mapped into the file).
fn echoed(w: &Word) -> Option<Mapped> {
    if !matches!(w.parts.as_slice(), [Part::Subst { .. }]) {
        return None;
    }
    let t = &w.src.text;
    let (open, close) = if t.starts_with("$(") && t.ends_with(')') {
        (2, 1)
    } else if t.starts_with('`') && t.ends_with('`') && t.len() > 1 {
        (1, 1)
    } else {
        return None;
    };
    let inner_end = t.len() - close;
    // the words of the inner command, with their offsets in `t`
    let mut toks: Vec<(usize, usize)> = Vec::new();
    let mut start = None;
    for (i, c) in t[open..inner_end]
        .char_indices()
        .map(|(i, c)| (i + open, c))
        .chain([(inner_end, ' ')])
    {
        let blank = c.is_whitespace();
        match (start, blank) {
            (None, false) => start = Some(i),
            (Some(s), true) => {
                toks.push((s, i));
                start = None;
            }
            _ => {}
        }
    }
    let word = |&(a, b): &(usize, usize)| &t[a..b];
    let first = toks.first().map(word)?;
    let skip = match first {
        "echo" => {
            let flags = toks
                .iter()
                .skip(1)
                .take_while(|x| matches!(word(x), "-n" | "-e" | "-ne" | "-en" | "-E"))
                .count();
            1 + flags
        }
        "printf"
            if toks.get(1).map(word).is_some_and(|f| {
                matches!(f, "%s" | "'%s'" | "\"%s\"" | "'%s\\n'" | "\"%s\\n\"")
            }) =>
        {
            2
        }
        _ => return None,
    };
    let mut out = Mapped::default();
    for (k, tok) in toks.iter().skip(skip).enumerate() {
        let s = word(tok);
        let (a, b) = match s.as_bytes() {
            [q @ (b'\'' | b'"'), .., e] if q == e && s.len() >= 2 => (tok.0 + 1, tok.1 - 1),
            _ => (tok.0, tok.1),
        };
        let v = &t[a..b];
        if v.contains([
            '$', '`', '\\', ';', '|', '&', '<', '>', '(', ')', '\'', '"', '*', '?',
        ]) {
            return None;
        }
        if k > 0 {
            out.push_at(" ", w.src.at(tok.0));
        }
        out.append(&w.src.slice(a, b));
    }
    Some(out)
}

impl<'t> Walker<'t> {
    /// `name() { … }`: remember the body for calls that follow.
    pub(super) fn define(&mut self, node: Node<'t>) {
        let Some(name) = node.field("name").map(|n| self.text(n)) else {
            return;
        };
        let Some(body) = node.field("body") else {
            return;
        };
        // whether the body reads positional parameters: worked out once here, not at each call
        let text = self.text(body);
        let reads_args = text
            .char_indices()
            .any(|(i, c)| c == '$' && positional_at(text, i).is_some());
        self.funcs
            .insert(name.to_string(), (body, self.span(node), reads_args));
    }

    /// An assigned value with the current call's positional parameters bound
    /// (`local dir="$1"`), and the variable remembered when the value is literal.
    pub(super) fn assigned(&mut self, name: &str, value: Option<Word>) -> Option<Word> {
        let bound = match (self.env.binding(), &value) {
            // a word the binding leaves as it is is not copied
            (Some(b), Some(v)) if binds(v, &b) => match bind(v.clone(), &b).as_slice() {
                [one] if one != v => Some(one.clone()),
                _ => None,
            },
            _ => None,
        };
        self.env.assign(name, bound.as_ref().or(value.as_ref()));
        if let Some(w) = bound {
            self.env.bound_vars.insert(name.to_string(), w.clone());
            return Some(w);
        }
        value
    }

    /// Positional parameters bound, then the command word (and `$(echo …)` arguments)
    /// resolved; `alias`, `shift` and assignments update [`Env`].
    pub(super) fn evaluate(
        &mut self,
        words: Vec<Word>,
        quoted: &[bool],
        via: &mut Vec<String>,
    ) -> Head {
        // quoting per word before binding (`"$@"` may turn one word into several); outside a
        // function call nothing is bound and the words stay where they are
        let (mut words, mut q) = match self.env.binding() {
            None => (words, std::borrow::Cow::Borrowed(quoted)),
            Some(b) => {
                let mut q: Vec<bool> = Vec::with_capacity(words.len());
                let mut bound = Vec::with_capacity(words.len());
                for (i, w) in words.into_iter().enumerate() {
                    let qi = quoted.get(i).copied().unwrap_or(false);
                    // a word the binding leaves as it is moves over (no one-word vector)
                    if !binds(&w, &b) {
                        q.push(qi);
                        bound.push(w);
                        continue;
                    }
                    let ws = bind(w, &b);
                    q.extend(std::iter::repeat_n(qi, ws.len()));
                    bound.extend(ws);
                }
                (bound, std::borrow::Cow::Owned(q))
            }
        };
        // `$(echo word)` as the command word or an argument
        let mut i = 0;
        while i < words.len() {
            // (only a word that is one command substitution can be one)
            if matches!(words[i].parts.as_slice(), [Part::Subst { .. }])
                && let Some(m) = echoed(&words[i])
            {
                let new = if q.get(i).copied().unwrap_or(false) {
                    vec![lit_word(m, true)]
                } else {
                    split(&m)
                };
                if i == 0 {
                    let t = words[0].src.text.as_str();
                    let inner = t
                        .strip_prefix("$(")
                        .and_then(|t| t.strip_suffix(')'))
                        .or_else(|| t.strip_prefix('`').and_then(|t| t.strip_suffix('`')))
                        .unwrap_or(t);
                    via.push(format!("the output of `{}`", inner.trim()));
                }
                let n = new.len();
                words.splice(i..=i, new);
                let q = q.to_mut();
                // `quoted` has a flag per word as written (the walker's); keep them in step
                q.resize(q.len().max(i + 1), false);
                q.splice(i..=i, std::iter::repeat_n(false, n));
                i += n;
                continue;
            }
            i += 1;
        }
        // an unquoted variable holding literal text as the command word: word splitting
        if let Some(first) = words.first()
            && !q.first().copied().unwrap_or(false)
            && let [Part::Var { name, guard }] = first.parts.as_slice()
            && *guard != Guard::Derived
            && let Some(value) = self.env.vars.get(name.as_str())
        {
            let new = split(&value.src);
            // `STD=silent; $STD rm -rf /`: `silent` is often a function of a file the script
            // sources; the prefix reading (`wrappers::variable_prefix`) checks `rm -rf /`
            if new.len() > 1 || !words.get(1).is_some_and(names_command) {
                let label = format!("`${name}`");
                words.splice(0..1, new);
                via.push(label);
            }
        }
        // borrowed: most command words are one literal part
        let Some(name) = words.first().and_then(Word::lit_cow) else {
            return Head::Words(words);
        };
        let unquoted_head = matches!(
            words.first().map(|w| w.parts.as_slice()),
            Some([Part::Lit { quoted: false, .. }])
        );
        match name.as_ref() {
            "alias" => {
                for w in &words[1..] {
                    if let Some(l) = w.lit()
                        && let Some((n, _)) = l.split_once('=')
                    {
                        let off = w.src.text.find('=').map_or(0, |i| i + 1);
                        let v = w.src.slice(off, w.src.text.len());
                        self.env.aliases.insert(n.to_string(), v);
                    }
                }
            }
            "read" | "mapfile" | "readarray" | "getopts" => {
                for w in &words[1..] {
                    if let Some(l) = w.lit() {
                        self.env.assign(&l, None);
                    }
                }
            }
            "unalias" => {
                for w in &words[1..] {
                    if let Some(l) = w.lit() {
                        self.env.aliases.remove(&l);
                    }
                }
            }
            "shift" => {
                let n = words
                    .get(1)
                    .and_then(Word::lit)
                    .and_then(|l| l.parse::<usize>().ok())
                    .unwrap_or(1);
                if let Some(args) = &mut self.env.args {
                    args.drain(..n.min(args.len()));
                }
            }
            // (no hashing of the name when the script defined no alias)
            _ if unquoted_head && !self.env.aliases.is_empty() => {
                if let Some(value) = self.env.aliases.get(name.as_ref()) {
                    let mut text = value.clone();
                    for w in &words[1..] {
                        text.push_at(" ", w.span.start);
                        text.append(&w.src);
                    }
                    return Head::Reparse(Reparse {
                        text,
                        via: vec![format!("the alias `{name}`")],
                        scoped: false,
                        flow: Flow::default(),
                    });
                }
            }
            _ => {}
        }
        Head::Words(words)
    }

    /// The function call this command is, when its body is worth walking again: a function
    /// defined above, called with arguments, whose body reads positional parameters.
    pub(super) fn call_of(&self, cmd: &Command, node: Node<'t>) -> Option<Call<'t>> {
        // borrowed: most commands call no function
        let name = cmd.words.first()?.lit_cow()?;
        let &(body, def, reads_args) = self.funcs.get(name.as_ref())?;
        if cmd.words.len() < 2
            || self.calling.iter().any(|c| *c == name)
            || self.calling.len() >= MAX_CALL_DEPTH
            || self.calls_walked >= MAX_CALLS
            // `run rm -rf /` is already checked as `rm -rf /` (wrappers.rs)
            || crate::shell::wrappers::is_wrapper(&name)
        {
            return None;
        }
        if !reads_args {
            return None;
        }
        let call = squeeze_blanks(self.text(node));
        // (a text of at most 60 bytes has at most 60 characters: no count)
        let call = if call.len() > 60 && call.chars().count() > 60 {
            format!("{}…", call.chars().take(59).collect::<String>())
        } else {
            call
        };
        Some(Call {
            name: name.into_owned(),
            body,
            def,
            args: cmd.words[1..].to_vec(),
            text: call,
        })
    }

    /// Walk a function body again with the call's arguments bound.
    pub(super) fn call(&mut self, call: Call<'t>, depth: usize) {
        self.calls_walked += 1;
        let saved_args = self.env.args.replace(call.args);
        let saved_vars = std::mem::take(&mut self.env.bound_vars);
        let saved_bound = self.bound;
        self.bound = Some(self.bound.unwrap_or(call.def));
        self.calling.push(call.name);
        self.items.push(Item::Enter);
        let start = self.items.len();
        self.stmt(call.body, Flow::default(), depth + 1);
        // (`format!("the call `{}`", call.text)` without the formatting machinery)
        let mut label = String::with_capacity(call.text.len() + 11);
        label.push_str("the call `");
        label.push_str(&call.text);
        label.push('`');
        for it in &mut self.items[start..] {
            if let Item::Cmd(c) = it {
                c.via.insert(0, label.clone());
            }
        }
        self.items.push(Item::Exit);
        self.calling.pop();
        self.bound = saved_bound;
        self.env.args = saved_args;
        self.env.bound_vars = saved_vars;
    }

    /// `find … | xargs rm`: the operands are what `find` found (read like `find -exec`).
    pub(super) fn mark_find_fed(&self, c: &mut Command) {
        if self.prev_stage.as_deref() == Some("find")
            && let Some(v) = c.via.iter_mut().rev().find(|v| *v == "xargs")
        {
            *v = "find | xargs".to_string();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::positional_at;

    /// The byte scan gives what `split_whitespace` and `join(" ")` give, on generated texts
    /// of blanks (every ASCII one and some Unicode ones), words and non-ASCII characters.
    #[test]
    fn squeezed_blanks_are_the_joined_words() {
        let pieces = [
            " ",
            "\t",
            "\n",
            "\x0B",
            "\x0C",
            "\r",
            "\u{a0}",
            "\u{2003}",
            "\u{85}",
            "a",
            "rm",
            "-rf",
            "\"$1\"",
            "é",
            "\u{1f600}",
            "\x1f",
            "_",
        ];
        let mut rng = crate::test_rng::Rng::new(0x3c6e_f372_fe94_f82b);
        for _ in 0..20_000 {
            let t: String = (0..rng.below(12))
                .map(|_| pieces[rng.below(pieces.len())])
                .collect();
            let joined = t.split_whitespace().collect::<Vec<_>>().join(" ");
            assert_eq!(super::squeeze_blanks(&t), joined, "{t:?}");
        }
    }

    #[test]
    fn positional_references() {
        assert_eq!(positional_at("$1", 0), Some((2, Some(0))));
        assert_eq!(positional_at("${9}", 0), Some((4, Some(8))));
        assert_eq!(positional_at("$@", 0), Some((2, None)));
        assert_eq!(positional_at("${*}", 0), Some((4, None)));
        assert_eq!(positional_at("$0", 0), None);
        assert_eq!(positional_at("${10}", 0), None);
        assert_eq!(positional_at("${1:?}/x", 0), Some((6, Some(0))));
        assert_eq!(positional_at("${1%/}", 0), None);
        assert_eq!(positional_at("$x", 0), None);
    }
}
