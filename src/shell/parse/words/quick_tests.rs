//! [`Walker::quick_word`] against the general conversion ([`Walker::general_word`]) on
//! generated words (quotes, escapes, `$`, `${…}`, `$(…)`, backslash-newline, non-ASCII):
//! wherever the quick path answers, the same word and the same substitutions queued.

use super::{expansion_part, inner, is_mktemp, var_name};
use crate::shell::command::{Mapped, Parts, Word};
use crate::shell::parse::Walker;
use crate::shell::tree::{self, Node, Tree, kind};
use crate::test_rng::Rng;

/// Pieces of words, as written; a word is one to three of them side by side.
const PIECES: &[&str] = &[
    "abc",
    "-rf",
    "./build/",
    "/var/log/*.log",
    "é",
    "日本語",
    "x=y",
    "~",
    "{a,b}",
    "+7",
    "42",
    "a.b",
    "'raw'",
    "''",
    "'a\"b $X'",
    "'é \\ x'",
    "\"\"",
    "\"dq\"",
    "\"$X\"",
    "\"$X/y\"",
    "\"${X:-d}/z\"",
    "\"${X:?}\"",
    "\"${#X}\"",
    "\"$(date +%s)\"",
    "\"$(mktemp -d)\"",
    "\"a $1 b\"",
    "\"é$X日\"",
    "\"a\\\"b\"",
    "\"\\$x\"",
    "\"a\\\\b\"",
    "\"x\\y\"",
    "\"`echo q`\"",
    "\"$\"",
    "\"$$\"",
    "\"a\\\nb\"",
    "\"$((1+2))\"",
    "\"a'b\"",
    "$X",
    "${X}",
    "${#X}",
    "${!X}",
    "${X:-$(pwd)}",
    "${X:-\"d\"}",
    "$1",
    "$@",
    "$$",
    "$?",
    "$(mktemp -d)",
    "$(  mktemp)",
    "`mktemp`",
    "$(date)",
    "$((1+2))",
    "$'a\\tb'",
    "$\"tr\"",
    "\\$x",
    "a\\ b",
    "\\\n",
    "<(cat)",
    "=",
    ":",
    "\"${Xé:-d}\"",
    "${_a1:=v}",
    "${12x}",
    "${é}",
    "$é",
];

fn word(r: &mut Rng) -> String {
    (0..1 + r.below(3))
        .map(|_| PIECES[r.below(PIECES.len())])
        .collect()
}

/// A few commands of generated words: arguments, assignments, redirections, tests.
fn script(r: &mut Rng) -> String {
    let mut s = String::new();
    for _ in 0..1 + r.below(5) {
        let line = match r.below(5) {
            0 => format!("X={}\n", word(r)),
            1 => format!("cat {} > {}\n", word(r), word(r)),
            2 => format!("[ -d {} ] && {}\n", word(r), word(r)),
            _ => format!("{} {} {}\n", word(r), word(r), word(r)),
        };
        s.push_str(&line);
    }
    s
}

fn nodes<'t>(n: Node<'t>, out: &mut Vec<Node<'t>>) {
    out.push(n);
    for c in n.children() {
        nodes(c, out);
    }
}

/// A word as [`Walker::fresh_word`] starts it: its span, nothing else.
fn empty(w: &Walker, n: Node) -> Word {
    Word {
        span: w.span(n),
        parts: Parts::new(),
        src: Mapped::default(),
    }
}

/// Every node of `tree` both ways; (nodes the quick path read, nodes compared).
fn compare(src: &str, tree: &Tree) -> (usize, usize) {
    let mut all = Vec::new();
    nodes(tree.root().expect("a root"), &mut all);
    let mut w = Walker::new(src, None, 0);
    let (mut quick, mut total) = (0, 0);
    for n in all {
        total += 1;
        let from = w.subs.len();
        let mut q = empty(&w, n);
        let read = w.quick_word(n, &mut q);
        let q_subs: Vec<usize> = w.subs.drain(from..).map(|s| s.id()).collect();
        let mut g = empty(&w, n);
        w.general_word(n, &mut g);
        let g_subs: Vec<usize> = w.subs.drain(from..).map(|s| s.id()).collect();
        if read {
            quick += 1;
            assert_eq!(q, g, "{:?} in {src:?}", kind(n));
            assert_eq!(q_subs, g_subs, "{:?} in {src:?}", kind(n));
        } else {
            assert_eq!(q, empty(&w, n), "a refused word is left empty: {src:?}");
            assert!(q_subs.is_empty(), "a refused word queues nothing: {src:?}");
        }
    }
    (quick, total)
}

#[test]
fn quick_words_are_the_general_ones() {
    let mut r = Rng::new(0x5eed_0f3a_11c0_de01);
    let (mut quick, mut total) = (0, 0);
    for _ in 0..400 {
        let src = script(&mut r);
        // the fast reader's tree (or tree-sitter's when it declines) and tree-sitter's
        for t in [tree::read(&src), tree::parse(&src)].into_iter().flatten() {
            let (q, n) = compare(&src, &t);
            quick += q;
            total += n;
        }
    }
    // most generated words are of the quick kinds
    assert!(quick > 3000, "{quick} of {total}");
}

#[test]
fn a_reread_string_takes_the_general_path() {
    let src = "echo abc \"$X\"\n";
    let t = tree::read(src).expect("a tree");
    let map = Mapped::identity(src);
    let mut w = Walker::new(src, Some(&map), 1);
    let mut all = Vec::new();
    nodes(t.root().expect("a root"), &mut all);
    for n in all {
        let mut q = empty(&w, n);
        assert!(!w.quick_word(n, &mut q));
    }
}

/// The helpers' char-by-char versions they replaced (the references).
mod by_char {
    use crate::shell::command::{Guard, Part, Text, basename};

    pub fn var_name(text: &str) -> &str {
        text.trim_start_matches('$')
    }

    pub fn inner(text: &str, a: usize, b: usize, open: usize) -> (usize, usize) {
        let ia = (a + open).min(b);
        let close = text.len() > open && (text.ends_with('\'') || text.ends_with('"'));
        let ib = if close { b - 1 } else { b };
        (ia, ib.max(ia))
    }

    pub fn is_mktemp(subst: &str) -> bool {
        let inner = subst
            .trim_start_matches("$(")
            .trim_start_matches('`')
            .trim_start();
        let first = inner.split_whitespace().next().unwrap_or("");
        basename(first) == "mktemp"
    }

    pub fn expansion_part(text: &str) -> Part {
        let inner = text
            .strip_prefix("${")
            .map(|t| t.strip_suffix('}').unwrap_or(t))
            .unwrap_or("");
        if inner.len() > 1 && inner.starts_with('#') {
            return Part::Other;
        }
        if let Some(rest) = inner.strip_prefix('!') {
            return Part::Var {
                name: Text::from(rest),
                guard: Guard::Derived,
            };
        }
        let first = inner.chars().next().unwrap_or(' ');
        let name_len = if first.is_ascii_alphabetic() || first == '_' {
            inner
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                .unwrap_or(inner.len())
        } else if first.is_ascii_digit() {
            inner
                .find(|c: char| !c.is_ascii_digit())
                .unwrap_or(inner.len())
        } else {
            first.len_utf8().min(inner.len())
        };
        let name = Text::from(&inner[..name_len]);
        let rest = &inner[name_len..];
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
}

/// The byte-wise helpers against their char-wise versions on generated texts (ASCII,
/// non-ASCII letters and spaces, quotes, `$`, backquotes, braces).
#[test]
fn byte_helpers_are_their_char_versions() {
    let alphabet = [
        "$", "(", "`", " ", "\t", "é", "日", "#", "!", "_", "a", "Z", "1", "}", "${", ":", "-",
        "?", "=", "'", "\"", "\u{a0}", "\u{3000}", "mktemp", "/bin/", "x",
    ];
    let mut r = Rng::new(0x0b17_e5a1_1ce5_0001);
    for _ in 0..20_000 {
        let t: String = (0..r.below(8))
            .map(|_| alphabet[r.below(alphabet.len())])
            .collect();
        assert_eq!(var_name(&t), by_char::var_name(&t), "{t:?}");
        assert_eq!(is_mktemp(&t), by_char::is_mktemp(&t), "{t:?}");
        for open in [1, 2] {
            let (a, b) = (100, 100 + t.len());
            assert_eq!(
                inner(&t, a, b, open),
                by_char::inner(&t, a, b, open),
                "{t:?}"
            );
        }
        let e = format!("${{{t}}}");
        for text in [&t, &e] {
            assert_eq!(
                expansion_part(text),
                by_char::expansion_part(text),
                "{text:?}"
            );
        }
    }
}
