//! Laravel call chains read from the PHP tree: `Schema::table(…)`, `$table->string('c')->change()`,
//! `DB::table('t')->where(…)->delete()` as a base and a list of calls, and literal arguments.

use super::tree::Node;
use super::{Template, string, text};
use crate::php::{field_of, kind_of};
use crate::source::Span;

/// One call of a chain: `name(args)`.
pub(super) struct Link<'t> {
    pub name: String,
    pub args: Vec<Node<'t>>,
    pub node: Node<'t>,
}

pub(super) enum Base {
    /// `Schema::…`, `DB::…` (the last segment of the class name).
    Static(String),
    /// `$table->…`
    Var(String),
    Other,
}

/// A call chain from its outermost call: the base and the calls, innermost first.
pub(super) fn chain<'t>(mut n: Node<'t>, src: &str) -> (Base, Vec<Link<'t>>) {
    let mut links = Vec::new();
    let base = loop {
        match kind_of(n) {
            "member_call_expression" | "nullsafe_member_call_expression" => {
                links.push(link(n, src));
                match field_of(n, "object") {
                    Some(o) => n = o,
                    None => break Base::Other,
                }
            }
            "scoped_call_expression" => {
                links.push(link(n, src));
                let scope = n
                    .field("scope")
                    .map(|s| text(s, src).rsplit('\\').next().unwrap_or("").to_string())
                    .unwrap_or_default();
                break Base::Static(scope);
            }
            "variable_name" => break Base::Var(text(n, src).trim_start_matches('$').to_string()),
            "parenthesized_expression" => match n.named_child(0) {
                Some(x) => n = x,
                None => break Base::Other,
            },
            _ => break Base::Other,
        }
    };
    links.reverse();
    (base, links)
}

pub(super) fn link<'t>(n: Node<'t>, src: &str) -> Link<'t> {
    let name = n
        .field("name")
        .map(|x| text(x, src).to_string())
        .unwrap_or_default();
    let mut args = Vec::new();
    if let Some(a) = field_of(n, "arguments") {
        for arg in a.named_children() {
            if kind_of(arg) == "argument" {
                // the value is the last named child (after a `name:` label)
                if let Some(v) = arg.named_child(arg.named_child_count().saturating_sub(1)) {
                    args.push(v);
                }
            } else if kind_of(arg) != "comment" {
                args.push(arg);
            }
        }
    }
    Link {
        name,
        args,
        node: n,
    }
}

pub(super) fn is_call(n: Node) -> bool {
    matches!(
        kind_of(n),
        "member_call_expression" | "nullsafe_member_call_expression" | "scoped_call_expression"
    )
}

/// A string literal without interpolation.
pub(super) fn lit(n: Node, src: &str) -> Option<String> {
    string(n, src).and_then(|t| t.literal().map(str::to_string))
}

pub(super) fn bool_of(n: Node, src: &str) -> Option<bool> {
    match kind_of(n) {
        "boolean" => Some(text(n, src).eq_ignore_ascii_case("true")),
        _ => None,
    }
}

pub(super) fn int_of(n: Node, src: &str) -> Option<i64> {
    (kind_of(n) == "integer")
        .then(|| text(n, src).replace('_', "").parse().ok())
        .flatten()
}

/// The string literals of an array (`['a', 'b']`), or `None` when any element is not one.
pub(super) fn strs_of(n: Node, src: &str) -> Option<Vec<String>> {
    if kind_of(n) != "array_creation_expression" {
        return lit(n, src).map(|s| vec![s]);
    }
    let mut out = Vec::new();
    for e in n.named_children() {
        if kind_of(e) != "array_element_initializer" || e.named_child_count() != 1 {
            return None;
        }
        out.push(lit(e.named_child(0)?, src)?);
    }
    Some(out)
}

/// Column names from `dropColumn('a')`, `dropColumn('a', 'b')`, `dropColumn(['a', 'b'])`.
pub(super) fn names_of(args: &[Node], src: &str) -> Option<Vec<String>> {
    let mut out = Vec::new();
    for a in args {
        out.extend(strs_of(*a, src)?);
    }
    (!out.is_empty()).then_some(out)
}

/// The closure passed to `Schema::table` / `Schema::create`: its `Blueprint` parameter's
/// name and its body.
pub(super) fn closure<'t>(n: Node<'t>, src: &str) -> Option<(String, Node<'t>)> {
    if !matches!(kind_of(n), "anonymous_function" | "arrow_function") {
        return None;
    }
    let params = field_of(n, "parameters")?;
    let p = params
        .named_children()
        .find(|p| kind_of(*p) == "simple_parameter")?;
    let name = text(field_of(p, "name")?, src)
        .trim_start_matches('$')
        .to_string();
    Some((name, field_of(n, "body")?))
}

/// PDO placeholders outside quotes (`?`, `:name`) made holes the SQL front end reads as values.
pub(super) fn bindings(t: &mut Template) {
    let (old_text, old_map) = (std::mem::take(&mut t.text), std::mem::take(&mut t.map));
    let b = old_text.as_bytes();
    let mut quote: Option<u8> = None;
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        let at = old_map.get(i).copied().unwrap_or(t.span.start);
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if c == b'\'' || c == b'"' || c == b'`' => quote = Some(c),
            None if c == b'?'
                || (c == b':'
                    && b.get(i + 1).is_some_and(|n| n.is_ascii_alphabetic())
                    && b.get(i.wrapping_sub(1)) != Some(&b':')
                    && i > 0) =>
            {
                let mut end = i + 1;
                if c == b':' {
                    while end < b.len() && (b[end].is_ascii_alphanumeric() || b[end] == b'_') {
                        end += 1;
                    }
                }
                let r = "${b}";
                t.text.push_str(r);
                t.map.extend(std::iter::repeat_n(at, r.len()));
                let last = old_map.get(end - 1).copied().unwrap_or(at);
                t.holes.push(Span::new(at, last + 1));
                i = end;
                continue;
            }
            None => {}
        }
        // copy one char (UTF-8 aware)
        let len = old_text[i..].chars().next().map_or(1, char::len_utf8);
        t.text.push_str(&old_text[i..i + len]);
        t.map
            .extend_from_slice(&old_map[i..(i + len).min(old_map.len())]);
        i += len;
    }
}

/// The literal keys of `['a' => 1, 'b' => 2]`.
pub(super) fn array_keys(n: Node, src: &str) -> Vec<String> {
    let mut out = Vec::new();
    if kind_of(n) != "array_creation_expression" {
        return out;
    }
    for e in n.named_children() {
        if kind_of(e) == "array_element_initializer"
            && e.named_child_count() == 2
            && let Some(k) = e.named_child(0).and_then(|k| lit(k, src))
        {
            out.push(k);
        }
    }
    out.sort();
    out.dedup();
    out
}
