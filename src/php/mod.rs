//! PHP front end: Laravel migrations read from their source (tree-sitter-php) into schema
//! operations and embedded SQL, with spans into the PHP file. It only reads: the pipeline
//! (`check::orm`) replays the operations into the schema model and runs the rules; the
//! embedded SQL goes back through the SQL front end.

mod blueprint;
mod calls;
mod fast;
pub mod laravel;
pub mod tree;

pub use crate::orm::{Effect, Fact, Facts, Template, head_span, statement, table_name};
use crate::source::Span;
use std::cell::RefCell;
use std::collections::HashMap;
use tree::Node;
use tree_sitter::{Parser, Tree};

thread_local! {
    static PARSER: RefCell<Option<Parser>> = const { RefCell::new(None) };
}

/// `n.kind()` (the walker's spelling).
pub(crate) fn kind_of(n: Node) -> &'static str {
    n.kind()
}

/// `n.field(name)`: tree-sitter's `child_by_field_name`.
pub(crate) fn field_of<'t>(n: Node<'t>, name: &str) -> Option<Node<'t>> {
    n.field(name)
}

/// Parse PHP (a file starting with `<?php`) with this thread's parser (created once per
/// thread). `None` only if the parser gives up entirely.
pub fn parse(src: &str) -> Option<Tree> {
    PARSER.with(|p| {
        let mut p = p.try_borrow_mut().ok()?;
        if p.is_none() {
            let mut parser = Parser::new();
            parser
                .set_language(&tree_sitter_php::LANGUAGE_PHP.into())
                .ok()?;
            *p = Some(parser);
        }
        p.as_mut()?.parse(src, None)
    })
}

pub(crate) fn text<'a>(n: Node, src: &'a str) -> &'a str {
    src.get(n.start_byte()..n.end_byte()).unwrap_or("")
}

fn push_raw(t: &mut Template, src: &str, from: usize, to: usize) {
    if let Some(s) = src.get(from..to) {
        t.text.push_str(s);
        t.map.extend(from..to);
    }
}

fn push_hole(t: &mut Template, src: &str, n: Node) {
    // rendered `${name}`: the SQL front end reads it as a placeholder
    let name: String = text(n, src)
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '_')
        .take(40)
        .collect();
    let name = if name.is_empty() { "expr".into() } else { name };
    let r = format!("${{{name}}}");
    t.map.extend(std::iter::repeat_n(n.start_byte(), r.len()));
    t.text.push_str(&r);
    t.holes.push(Span::new(n.start_byte(), n.end_byte()));
}

fn escape(raw: &str) -> Option<char> {
    let mut c = raw.chars();
    if c.next() != Some('\\') {
        return None;
    }
    Some(match c.next()? {
        'n' => '\n',
        't' => '\t',
        'r' => '\r',
        'v' => '\u{b}',
        'f' => '\u{c}',
        'e' => '\u{1b}',
        '0' if raw.len() == 2 => '\0',
        x @ ('\\' | '$' | '"') => x,
        _ => return None,
    })
}

/// Variables whose string value is known (`$prefix = DB::getTablePrefix();`).
pub type Vars = HashMap<String, String>;

/// A variable or `DB::getTablePrefix()` (an empty prefix unless configured) whose value is
/// known: appended, mapped to the expression.
fn known(t: &mut Template, src: &str, n: Node, vars: &Vars) -> bool {
    let value = match kind_of(n) {
        "variable_name" => vars.get(text(n, src).trim_start_matches('$')).cloned(),
        "scoped_call_expression" if is_table_prefix(n, src) => Some(String::new()),
        _ => None,
    };
    let Some(v) = value else { return false };
    t.map.extend(std::iter::repeat_n(n.start_byte(), v.len()));
    t.text.push_str(&v);
    true
}

/// `DB::getTablePrefix()`: Laravel's table prefix, empty unless the connection sets one.
pub fn is_table_prefix(n: Node, src: &str) -> bool {
    kind_of(n) == "scoped_call_expression"
        && text(n, src)
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect::<String>()
            .ends_with("DB::getTablePrefix()")
}

/// The parts of an interpolating string (double quotes, heredoc body): text as written,
/// escapes decoded, interpolations as holes. `from..to`: the part between the delimiters.
fn interpolated(t: &mut Template, src: &str, n: Node, from: usize, to: usize, vars: &Vars) {
    let mut at = from;
    for ch in n.children() {
        if ch.end_byte() <= from || ch.start_byte() >= to {
            continue;
        }
        if ch.start_byte() > at {
            push_raw(t, src, at, ch.start_byte());
        }
        match kind_of(ch) {
            "string_content" | "string_value" | "nowdoc_string" => {
                push_raw(t, src, ch.start_byte(), ch.end_byte())
            }
            "escape_sequence" => match escape(text(ch, src)) {
                Some(e) => {
                    let mut b = [0; 4];
                    let enc = e.encode_utf8(&mut b);
                    t.text.push_str(enc);
                    t.map
                        .extend(std::iter::repeat_n(ch.start_byte(), enc.len()));
                }
                None => push_raw(t, src, ch.start_byte(), ch.end_byte()),
            },
            _ if !ch.is_named() => {}
            _ if known(t, src, ch, vars) => {}
            _ => push_hole(t, src, ch),
        }
        at = ch.end_byte().max(at);
    }
    if to > at {
        push_raw(t, src, at, to);
    }
}

/// A string expression as a template: single- and double-quoted strings, heredoc, nowdoc,
/// and `.` concatenations of them (anything else in a concatenation is a hole). `None`: not
/// a string at all.
pub fn string(n: Node, src: &str) -> Option<Template> {
    string_in(n, src, &Vars::new())
}

/// [`string`], with the values of known variables filled in.
pub fn string_in(n: Node, src: &str, vars: &Vars) -> Option<Template> {
    let mut t = Template::empty(Span::new(n.start_byte(), n.end_byte()));
    if !string_into(&mut t, n, src, vars, 0)? {
        return None;
    }
    Some(t)
}

/// `Some(true)`: appended; `Some(false)`: `n` is no string (appended nothing).
fn string_into(t: &mut Template, n: Node, src: &str, vars: &Vars, depth: usize) -> Option<bool> {
    if depth > 50 {
        return None;
    }
    match kind_of(n) {
        "string" => {
            // '…': only \\ and \' are escapes
            let raw = text(n, src);
            let (start, end) = (n.start_byte(), n.end_byte());
            let body_start = start + raw.find('\'')? + 1;
            let body_end = end.checked_sub(1)?.max(body_start);
            let body = src.get(body_start..body_end)?;
            let mut i = 0;
            let bytes = body.as_bytes();
            while i < bytes.len() {
                if bytes[i] == b'\\' && matches!(bytes.get(i + 1), Some(b'\\' | b'\'')) {
                    t.text.push(bytes[i + 1] as char);
                    t.map.push(body_start + i);
                    i += 2;
                } else {
                    let ch_len = body[i..].chars().next().map_or(1, char::len_utf8);
                    push_raw(t, src, body_start + i, body_start + i + ch_len);
                    i += ch_len;
                }
            }
            Some(true)
        }
        "encapsed_string" => {
            let raw = text(n, src);
            let open = raw.find('"')?;
            let from = n.start_byte() + open + 1;
            let to = n.end_byte().saturating_sub(1).max(from);
            interpolated(t, src, n, from, to, vars);
            Some(true)
        }
        "heredoc" | "nowdoc" => {
            let body = n
                .children()
                .find(|x| matches!(kind_of(*x), "heredoc_body" | "nowdoc_body"));
            if let Some(b) = body {
                if kind_of(b) == "nowdoc_body" {
                    push_raw(t, src, b.start_byte(), b.end_byte());
                } else {
                    interpolated(t, src, b, b.start_byte(), b.end_byte(), vars);
                }
            }
            Some(true)
        }
        "parenthesized_expression" => match n.named_child(0) {
            Some(x) => string_into(t, x, src, vars, depth + 1),
            None => Some(false),
        },
        "binary_expression" if field_of(n, "operator").is_some_and(|o| text(o, src) == ".") => {
            let (l, r) = (field_of(n, "left")?, field_of(n, "right")?);
            for side in [l, r] {
                if !string_into(t, side, src, vars, depth + 1)? && !known(t, src, side, vars) {
                    push_hole(t, src, side);
                }
            }
            Some(true)
        }
        _ => Some(false),
    }
}

/// Every PHP comment that mentions `preflight:`, with what it covers: on its own line, the
/// next statement; at the end of a line, the statement that ends on that line.
pub fn comment_covers(src: &str) -> Vec<(Span, Span)> {
    if !src.contains("preflight:") {
        return Vec::new();
    }
    parse(src).map_or_else(Vec::new, |tree| crate::orm::comment_covers(&tree, src, &[]))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn first_arg(src: &str) -> Template {
        let tree = tree::from_ts(&parse(src).expect("parses"));
        let mut stack = vec![tree.root().expect("a root")];
        while let Some(n) = stack.pop() {
            if n.kind() == "argument" {
                let v = n.named_child(n.named_child_count().saturating_sub(1));
                return string(v.expect("a value"), src).expect("a string");
            }
            let kids: Vec<Node> = n.children().collect();
            stack.extend(kids.into_iter().rev());
        }
        panic!("no argument in {src}")
    }

    #[test]
    fn strings_are_templates_with_maps() {
        let src = "<?php f('it\\'s');";
        let t = first_arg(src);
        assert_eq!(t.text, "it's");
        assert_eq!(t.map.len(), t.text.len());
        let src = "<?php f(\"DELETE FROM {$p}users WHERE a = \\\"x\\\"\");";
        let t = first_arg(src);
        assert_eq!(t.text, "DELETE FROM ${p}users WHERE a = \"x\"");
        assert_eq!(t.holes.len(), 1);
        assert_eq!(t.map.len(), t.text.len());
        let src = "<?php f('ALTER TABLE ' . $prefix . 'pages DROP x');";
        let t = first_arg(src);
        assert_eq!(t.text, "ALTER TABLE ${prefix}pages DROP x");
        let span = t.map_span(Span::new(0, 5));
        assert_eq!(&src[span.start..span.end], "ALTER");
        let src = "<?php f(<<<SQL\n  DROP TABLE a;\n  DROP TABLE b\n  SQL);";
        let t = first_arg(src);
        assert!(
            t.text.contains("DROP TABLE a;\n  DROP TABLE b"),
            "{:?}",
            t.text
        );
        let i = t.text.find("b").expect("b");
        let s = t.map_span(Span::new(i, i + 1));
        assert_eq!(&src[s.start..s.end], "b");
        let src = "<?php f(<<<'SQL'\n  DROP TABLE {$a}\n  SQL);";
        let t = first_arg(src);
        assert!(t.text.contains("DROP TABLE {$a}"), "{:?}", t.text);
        assert!(t.holes.is_empty());
    }
}
