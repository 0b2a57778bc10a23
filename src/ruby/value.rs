//! Ruby expressions read as data: symbols, strings (with `#{…}` interpolation as holes, and
//! heredocs), integers, booleans, `nil`, arrays (also `%i[…]` / `%w[…]`), hashes and keyword
//! arguments, constants. Anything else is [`Value::Unknown`]: the reader never guesses what
//! an expression evaluates to.

pub use crate::orm::Template;
use crate::ruby::tree::RubyNode;
use crate::source::Span;

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

pub(crate) fn span<N: RubyNode>(n: N) -> Span {
    Span::new(n.start_byte(), n.end_byte())
}

pub fn text<N: RubyNode>(n: N, src: &str) -> &str {
    src.get(n.start_byte()..n.end_byte()).unwrap_or("")
}

/// Heredoc bodies of a file in source order: the i-th `heredoc_beginning` reads the i-th body
/// (tree-sitter-ruby places a body after the line that opens it, not under the call).
pub struct Heredocs<N> {
    starts: Vec<usize>,
    bodies: Vec<N>,
}

impl<N> Default for Heredocs<N> {
    fn default() -> Self {
        Heredocs {
            starts: Vec::new(),
            bodies: Vec::new(),
        }
    }
}

impl<N: RubyNode> Heredocs<N> {
    pub fn of(root: N, src: &str) -> Heredocs<N> {
        let mut h = Heredocs::default();
        if !src.contains("<<") {
            return h;
        }
        let mut stack = vec![root];
        while let Some(n) = stack.pop() {
            match n.kind() {
                "heredoc_beginning" => h.starts.push(n.start_byte()),
                "heredoc_body" => h.bodies.push(n),
                _ => {}
            }
            for ch in n.children() {
                stack.push(ch);
            }
        }
        h.starts.sort_unstable();
        h.bodies.sort_by_key(|b| b.start_byte());
        h
    }
    fn body(&self, beginning: N) -> Option<N> {
        let i = self.starts.binary_search(&beginning.start_byte()).ok()?;
        self.bodies.get(i).copied()
    }
}

/// Read an expression. `heredocs` resolves `<<~SQL` arguments.
pub fn read<N: RubyNode>(n: N, src: &str, heredocs: &Heredocs<N>) -> Value {
    read_at(n, src, heredocs, 0)
}

fn read_at<N: RubyNode>(n: N, src: &str, h: &Heredocs<N>, depth: usize) -> Value {
    let sp = span(n);
    if depth > 50 {
        return Value::Unknown(sp);
    }
    match n.kind() {
        "simple_symbol" => Value::Sym(text(n, src).trim_start_matches(':').to_string(), sp),
        "delimited_symbol" | "bare_symbol" | "bare_string" => match string(&[n], src) {
            Some(t) if n.kind() != "bare_string" => match t.literal() {
                Some(l) => Value::Sym(l.to_string(), sp),
                None => Value::Unknown(sp),
            },
            Some(t) => Value::Str(t),
            None => Value::Unknown(sp),
        },
        "string" | "chained_string" => {
            let parts: Vec<N> = if n.kind() == "chained_string" {
                n.named_children().collect()
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
        "array" | "symbol_array" | "string_array" => Value::Array(
            n.named_children()
                .filter(|x| x.kind() != "comment")
                .map(|x| read_at(x, src, h, depth + 1))
                .collect(),
            sp,
        ),
        "parenthesized_statements" if n.named_child_count() == 1 => match n.named_child(0) {
            Some(x) => read_at(x, src, h, depth + 1),
            None => Value::Unknown(sp),
        },
        // `<<~SQL.squish`, `"…".strip`, `"…".freeze`: the same SQL
        "call" => {
            let m = n.field("method").map(|m| text(m, src));
            match (n.field("receiver"), m) {
                (
                    Some(r),
                    Some("squish" | "strip" | "freeze" | "dup" | "chomp" | "strip_heredoc"),
                ) if n.field("arguments").is_none() => match read_at(r, src, h, depth + 1) {
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
fn key<N: RubyNode>(n: N, src: &str) -> Option<String> {
    match n.kind() {
        "hash_key_symbol" | "identifier" | "constant" => Some(text(n, src).to_string()),
        "simple_symbol" => Some(text(n, src).trim_start_matches(':').to_string()),
        "string" | "delimited_symbol" => {
            string(&[n], src).and_then(|t| t.literal().map(str::to_string))
        }
        _ => None,
    }
}

/// The arguments of a call node (its `arguments` field), positional and keyword.
pub fn args<N: RubyNode>(call: N, src: &str, h: &Heredocs<N>) -> Args {
    let mut a = Args::default();
    let Some(list) = call.field("arguments") else {
        return a;
    };
    for x in list.named_children() {
        match x.kind() {
            "pair" => pair(x, src, h, &mut a),
            "hash" => {
                for p in x.named_children() {
                    if p.kind() == "pair" {
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

fn pair<N: RubyNode>(p: N, src: &str, h: &Heredocs<N>, a: &mut Args) {
    let k = p.field("key").and_then(|k| key(k, src));
    let v = p.field("value").map(|v| read(v, src, h));
    match (k, v) {
        (Some(k), Some(v)) => a.kw.push((k, v)),
        // `null:` shorthand for `null: null` (Ruby 3.1): a variable, not a literal
        (Some(k), None) => a.kw.push((k, Value::Unknown(span(p)))),
        _ => a.open = true,
    }
}

fn string<N: RubyNode>(parts: &[N], src: &str) -> Option<Template> {
    let mut t = Template::empty(Span::new(
        parts.first()?.start_byte(),
        parts.last()?.end_byte(),
    ));
    for p in parts {
        let raw = text(*p, src).starts_with('\'')
            || text(*p, src).starts_with("%q")
            || text(*p, src).starts_with("%w")
            || text(*p, src).starts_with("%i");
        for ch in p.named_children() {
            piece(&mut t, ch, src, raw);
        }
    }
    Some(t)
}

fn piece<N: RubyNode>(t: &mut Template, ch: N, src: &str, raw: bool) {
    match ch.kind() {
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
fn heredoc<N: RubyNode>(beginning: N, body: N, src: &str) -> Option<Template> {
    let raw = text(beginning, src).contains('\'');
    let mut t = Template::empty(Span::new(beginning.start_byte(), body.end_byte()));
    for ch in body.named_children() {
        if raw && ch.kind() == "interpolation" {
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

fn push_escape<N: RubyNode>(t: &mut Template, src: &str, e: N, raw: bool) {
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
        let second = tree
            .root_node()
            .named_children()
            .filter(|n| n.kind() == "call")
            .nth(1)
            .expect("second call");
        let a = args(second, src, &h);
        assert_eq!(a.pos[0].name(), Some("UPDATE t SET a = 'b'"));
    }
}
