//! Ruby expressions read as data: symbols, strings (with `#{…}` interpolation as holes, and
//! heredocs), integers, booleans, `nil`, arrays (also `%i[…]` / `%w[…]`), hashes and keyword
//! arguments, constants. Anything else is [`Value::Unknown`]: the reader never guesses what
//! an expression evaluates to.

pub use crate::orm::Template;
use crate::ruby::{field_of, kind_of};
use crate::source::Span;
use tree_sitter::Node;

#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    Sym(String, Span),
    Str(Template),
    Int(i64, Span),
    Bool(bool, Span),
    Nil(Span),
    Array(Vec<Value>, Span),
    /// A constant, also scoped (`ActiveRecord::Base`).
    Const(String, Span),
    Unknown(Span),
}

crate::orm::value_methods!(Value; structs: ; pairs: Sym, Int, Array, Const; spans: Nil, Unknown);

impl Value {
    /// A symbol or a string literal without holes: a table, column or index name.
    pub fn name(&self) -> Option<&str> {
        match self {
            Value::Sym(s, _) => Some(s),
            _ => self.str(),
        }
    }
    pub fn is_nil(&self) -> bool {
        matches!(self, Value::Nil(_))
    }
    pub fn int(&self) -> Option<i64> {
        match self {
            Value::Int(i, _) => Some(*i),
            _ => None,
        }
    }
}

/// A call's arguments: positional (splatted literal arrays spread out) and keyword.
#[derive(Clone, Debug, Default)]
pub struct Args {
    pub pos: Vec<Value>,
    pub kw: Vec<(String, Value)>,
    /// A splat or `**` whose value is not a literal: more arguments may be passed.
    pub open: bool,
}

impl Args {
    pub fn kw(&self, name: &str) -> Option<&Value> {
        self.kw.iter().find(|(k, _)| k == name).map(|(_, v)| v)
    }
    pub fn name(&self, i: usize) -> Option<&str> {
        self.pos.get(i).and_then(Value::name)
    }
}

pub(crate) fn span(n: Node) -> Span {
    Span::new(n.start_byte(), n.end_byte())
}

pub fn text<'a>(n: Node, src: &'a str) -> &'a str {
    src.get(n.start_byte()..n.end_byte()).unwrap_or("")
}

/// Heredoc bodies of a file in source order: the i-th `heredoc_beginning` reads the i-th body
/// (tree-sitter-ruby places a body after the line that opens it, not under the call).
#[derive(Default)]
pub struct Heredocs<'t> {
    starts: Vec<usize>,
    bodies: Vec<Node<'t>>,
}

impl<'t> Heredocs<'t> {
    pub fn of(root: Node<'t>, src: &str) -> Heredocs<'t> {
        let mut h = Heredocs::default();
        if !src.contains("<<") {
            return h;
        }
        let mut stack = vec![root];
        while let Some(n) = stack.pop() {
            match kind_of(n) {
                "heredoc_beginning" => h.starts.push(n.start_byte()),
                "heredoc_body" => h.bodies.push(n),
                _ => {}
            }
            let mut c = n.walk();
            for ch in n.children(&mut c) {
                stack.push(ch);
            }
        }
        h.starts.sort_unstable();
        h.bodies.sort_by_key(Node::start_byte);
        h
    }
    fn body(&self, beginning: Node) -> Option<Node<'t>> {
        let i = self.starts.binary_search(&beginning.start_byte()).ok()?;
        self.bodies.get(i).copied()
    }
}

/// Read an expression. `heredocs` resolves `<<~SQL` arguments.
pub fn read(n: Node, src: &str, heredocs: &Heredocs) -> Value {
    read_at(n, src, heredocs, 0)
}

fn read_at(n: Node, src: &str, h: &Heredocs, depth: usize) -> Value {
    let sp = span(n);
    if depth > 50 {
        return Value::Unknown(sp);
    }
    match kind_of(n) {
        "simple_symbol" => Value::Sym(text(n, src).trim_start_matches(':').to_string(), sp),
        "delimited_symbol" | "bare_symbol" | "bare_string" => match string(&[n], src) {
            Some(t) if kind_of(n) != "bare_string" => match t.literal() {
                Some(l) => Value::Sym(l.to_string(), sp),
                None => Value::Unknown(sp),
            },
            Some(t) => Value::Str(t),
            None => Value::Unknown(sp),
        },
        "string" | "chained_string" => {
            let parts: Vec<Node> = if kind_of(n) == "chained_string" {
                let mut c = n.walk();
                n.named_children(&mut c).collect()
            } else {
                vec![n]
            };
            string(&parts, src).map_or(Value::Unknown(sp), Value::Str)
        }
        "heredoc_beginning" => h
            .body(n)
            .and_then(|b| heredoc(n, b, src))
            .map_or(Value::Unknown(sp), Value::Str),
        "integer" => text(n, src)
            .replace('_', "")
            .parse()
            .map_or(Value::Unknown(sp), |i| Value::Int(i, sp)),
        "true" => Value::Bool(true, sp),
        "false" => Value::Bool(false, sp),
        "nil" => Value::Nil(sp),
        "constant" | "scope_resolution" => Value::Const(text(n, src).to_string(), sp),
        "array" | "symbol_array" | "string_array" => {
            let mut c = n.walk();
            Value::Array(
                n.named_children(&mut c)
                    .filter(|x| kind_of(*x) != "comment")
                    .map(|x| read_at(x, src, h, depth + 1))
                    .collect(),
                sp,
            )
        }
        "parenthesized_statements" if n.named_child_count() == 1 => match n.named_child(0) {
            Some(x) => read_at(x, src, h, depth + 1),
            None => Value::Unknown(sp),
        },
        // `<<~SQL.squish`, `"…".strip`, `"…".freeze`: the same SQL
        "call" => {
            let m = field_of(n, "method").map(|m| text(m, src));
            match (field_of(n, "receiver"), m) {
                (
                    Some(r),
                    Some("squish" | "strip" | "freeze" | "dup" | "chomp" | "strip_heredoc"),
                ) if field_of(n, "arguments").is_none() => match read_at(r, src, h, depth + 1) {
                    Value::Str(t) => Value::Str(t),
                    _ => Value::Unknown(sp),
                },
                _ => Value::Unknown(sp),
            }
        }
        _ => Value::Unknown(sp),
    }
}

/// A hash key: `null:` or `:null =>` or `"null" =>`.
fn key(n: Node, src: &str) -> Option<String> {
    match kind_of(n) {
        "hash_key_symbol" | "identifier" | "constant" => Some(text(n, src).to_string()),
        "simple_symbol" => Some(text(n, src).trim_start_matches(':').to_string()),
        "string" | "delimited_symbol" => {
            string(&[n], src).and_then(|t| t.literal().map(str::to_string))
        }
        _ => None,
    }
}

/// The arguments of a call node (its `arguments` field), positional and keyword.
pub fn args(call: Node, src: &str, h: &Heredocs) -> Args {
    let mut a = Args::default();
    let Some(list) = field_of(call, "arguments") else {
        return a;
    };
    let mut c = list.walk();
    for x in list.named_children(&mut c) {
        match kind_of(x) {
            "pair" => pair(x, src, h, &mut a),
            "hash" => {
                let mut cc = x.walk();
                for p in x.named_children(&mut cc) {
                    if kind_of(p) == "pair" {
                        pair(p, src, h, &mut a);
                    } else {
                        a.open = true;
                    }
                }
            }
            "splat_argument" => match x.named_child(0).map(|v| read(v, src, h)) {
                Some(Value::Array(items, _)) => a.pos.extend(items),
                _ => a.open = true,
            },
            "hash_splat_argument" | "forward_argument" => a.open = true,
            "block_argument" | "comment" => {}
            _ => a.pos.push(read(x, src, h)),
        }
    }
    a
}

fn pair(p: Node, src: &str, h: &Heredocs, a: &mut Args) {
    let k = field_of(p, "key").and_then(|k| key(k, src));
    let v = field_of(p, "value").map(|v| read(v, src, h));
    match (k, v) {
        (Some(k), Some(v)) => a.kw.push((k, v)),
        // `null:` shorthand for `null: null` (Ruby 3.1): a variable, not a literal
        (Some(k), None) => a.kw.push((k, Value::Unknown(span(p)))),
        _ => a.open = true,
    }
}

fn string(parts: &[Node], src: &str) -> Option<Template> {
    let mut t = Template::empty(Span::new(
        parts.first()?.start_byte(),
        parts.last()?.end_byte(),
    ));
    for p in parts {
        let raw = text(*p, src).starts_with('\'')
            || text(*p, src).starts_with("%q")
            || text(*p, src).starts_with("%w")
            || text(*p, src).starts_with("%i");
        let mut c = p.walk();
        for ch in p.named_children(&mut c) {
            piece(&mut t, ch, src, raw);
        }
    }
    Some(t)
}

fn piece(t: &mut Template, ch: Node, src: &str, raw: bool) {
    match kind_of(ch) {
        "string_content" if raw => push_single(t, src, ch.start_byte(), ch.end_byte()),
        "string_content" | "heredoc_content" => t.push_raw(src, ch.start_byte(), ch.end_byte()),
        "escape_sequence" => push_escape(t, src, ch, raw),
        "interpolation" => {
            let inner = text(ch, src).trim_start_matches("#{").trim_end_matches('}');
            let hole = if inner.contains('}') || inner.contains('\n') {
                "${hole}".to_string()
            } else {
                format!("${{{inner}}}")
            };
            t.map
                .extend(std::iter::repeat_n(ch.start_byte(), hole.len()));
            t.text.push_str(&hole);
            t.holes.push(span(ch));
        }
        _ => {}
    }
}

/// A heredoc's value: the body's content; `<<~'SQL'` (quoted) has no interpolation.
fn heredoc(beginning: Node, body: Node, src: &str) -> Option<Template> {
    let raw = text(beginning, src).contains('\'');
    let mut t = Template::empty(Span::new(beginning.start_byte(), body.end_byte()));
    let mut c = body.walk();
    for ch in body.named_children(&mut c) {
        if raw && kind_of(ch) == "interpolation" {
            t.push_raw(src, ch.start_byte(), ch.end_byte());
        } else {
            piece(&mut t, ch, src, raw);
        }
    }
    Some(t)
}

/// Single-quoted content: only `\\'` and `\\\\` are escapes.
fn push_single(t: &mut Template, src: &str, from: usize, to: usize) {
    let Some(s) = src.get(from..to) else { return };
    let mut it = s.char_indices().peekable();
    while let Some((i, ch)) = it.next() {
        if ch == '\\'
            && let Some(&(_, next @ ('\\' | '\''))) = it.peek()
        {
            it.next();
            t.text.push(next);
            t.map.push(from + i);
            continue;
        }
        let mut buf = [0u8; 4];
        let enc = ch.encode_utf8(&mut buf);
        t.text.push_str(enc);
        t.map.extend(from + i..from + i + enc.len());
    }
}

fn push_escape(t: &mut Template, src: &str, e: Node, raw: bool) {
    let value = match text(e, src).as_bytes().get(1) {
        Some(b'#') if !raw => Some('#'),
        // single-quoted (raw): only `\\` and `\'`
        Some(&b) if !raw || b == b'\\' || b == b'\'' => crate::orm::escape_char(b),
        _ => None,
    };
    t.push_escape(value, src, e.start_byte(), e.end_byte());
}

#[cfg(test)]
mod tests {
    use super::*;

    fn first_call_args(src: &str) -> Args {
        let tree = crate::ruby::parse(src).expect("parses");
        let root = tree.root_node();
        let h = Heredocs::of(root, src);
        let call = root.named_child(0).expect("a call");
        args(call, src, &h)
    }

    #[test]
    fn symbols_strings_keywords_and_splats() {
        let a = first_call_args(
            "remove_columns :t, \"a\", *%i[b c], type: :boolean, :null => false, 'x' => nil\n",
        );
        let names: Vec<&str> = a.pos.iter().filter_map(Value::name).collect();
        assert_eq!(names, ["t", "a", "b", "c"]);
        assert_eq!(a.kw("type").and_then(Value::name), Some("boolean"));
        assert_eq!(a.kw("null").and_then(Value::as_bool), Some(false));
        assert!(a.kw("x").is_some_and(Value::is_nil));
        assert!(!a.open);
        let a = first_call_args("remove_columns :t, *cols\n");
        assert!(a.open);
    }

    #[test]
    fn heredocs_and_interpolation_map_back() {
        let src = "execute <<~SQL.squish\n  DELETE FROM #{table}\n  WHERE a = 'x'\nSQL\nexecute 'UPDATE t SET a = \\'b\\''\n";
        let a = first_call_args(src);
        let Some(Value::Str(t)) = a.pos.first() else {
            panic!("a heredoc: {a:?}")
        };
        assert!(t.text.contains("DELETE FROM ${table}"), "{:?}", t.text);
        assert_eq!(t.holes.len(), 1);
        let at = t.text.find("WHERE").expect("where");
        assert_eq!(&src[t.map[at]..t.map[at] + 5], "WHERE");
        let tree = crate::ruby::parse(src).expect("parses");
        let h = Heredocs::of(tree.root_node(), src);
        let mut c = tree.root_node().walk();
        let second = tree
            .root_node()
            .named_children(&mut c)
            .filter(|n| n.kind() == "call")
            .nth(1)
            .expect("second call");
        let a = args(second, src, &h);
        assert_eq!(a.pos[0].name(), Some("UPDATE t SET a = 'b'"));
    }
}
