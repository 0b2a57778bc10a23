//! Python expressions read as data: calls with positional and keyword arguments, string
//! literals (implicit concatenation, triple quotes, raw strings, f-strings as templates with
//! holes), numbers, booleans, `None`, lists, tuples, sets and dicts. Anything else is
//! [`Value::Unknown`]: the reader never guesses what an expression evaluates to.

pub use crate::orm::Template;
use crate::source::Span;
use tree_sitter::Node;

#[derive(Clone, Debug, PartialEq)]
pub struct Call {
    /// The called expression as a dotted name (`migrations.AddField`, `op.f`), or its source
    /// text when it is not a plain name.
    pub func: String,
    pub args: Vec<Value>,
    pub kwargs: Vec<(String, Value)>,
    pub span: Span,
    /// The called expression, when it is itself a call or attribute of a call
    /// (`op.get_bind().execute`): the receiver chain, innermost first.
    pub receiver: Option<Box<Value>>,
}

impl Call {
    pub fn arg(&self, i: usize, name: &str) -> Option<&Value> {
        self.kwargs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v)
            .or_else(|| self.args.get(i))
    }
    pub fn kw(&self, name: &str) -> Option<&Value> {
        self.kwargs.iter().find(|(k, _)| k == name).map(|(_, v)| v)
    }
    /// The last part of the called name (`AddField` for `migrations.AddField`).
    pub fn name(&self) -> &str {
        self.func.rsplit('.').next().unwrap_or(&self.func)
    }
}

#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    Str(Template),
    Int(i64, Span),
    Bool(bool, Span),
    None(Span),
    List(Vec<Value>, Span),
    Tuple(Vec<Value>, Span),
    Dict(Vec<(Value, Value)>, Span),
    /// A plain or dotted name (`models.CASCADE`, `forwards`).
    Name(String, Span),
    Call(Call),
    Unknown(Span),
}

crate::orm::value_methods!(Value; structs: Call; pairs: Int, List, Tuple, Dict, Name; spans: None, Unknown);

impl Value {
    pub fn call(&self) -> Option<&Call> {
        match self {
            Value::Call(c) => Some(c),
            _ => None,
        }
    }
    /// Items of a list, tuple or set.
    pub fn items(&self) -> Option<&[Value]> {
        match self {
            Value::List(v, _) | Value::Tuple(v, _) => Some(v),
            _ => None,
        }
    }
    pub fn is_none(&self) -> bool {
        matches!(self, Value::None(_))
    }
    /// A dict entry by string key.
    pub fn get(&self, key: &str) -> Option<&Value> {
        match self {
            Value::Dict(pairs, _) => pairs
                .iter()
                .find(|(k, _)| k.str() == Some(key))
                .map(|(_, v)| v),
            _ => None,
        }
    }
}

/// tree-sitter-python's node kinds and fields by id ([`crate::ts::Names`]).
fn names() -> &'static crate::ts::Names {
    static NAMES: std::sync::OnceLock<crate::ts::Names> = std::sync::OnceLock::new();
    NAMES.get_or_init(|| crate::ts::Names::new(&tree_sitter_python::LANGUAGE.into()))
}

/// `n.kind()`, by id.
pub fn kind(n: Node) -> &'static str {
    names().kind(n)
}

/// `n.child_by_field_name(name)`, by id.
pub fn field<'t>(n: Node<'t>, name: &str) -> Option<Node<'t>> {
    names().field(n, name)
}

fn span(n: Node) -> Span {
    Span::new(n.start_byte(), n.end_byte())
}

pub fn text<'a>(n: Node, src: &'a str) -> &'a str {
    src.get(n.start_byte()..n.end_byte()).unwrap_or("")
}

/// Read an expression node as a value.
pub fn read(n: Node, src: &str) -> Value {
    read_at(n, src, 0)
}

fn read_at(n: Node, src: &str, depth: usize) -> Value {
    let Some(d) = crate::orm::deeper(depth) else {
        return Value::Unknown(span(n));
    };
    match kind(n) {
        "string" => string(&[n], src).map_or(Value::Unknown(span(n)), Value::Str),
        "concatenated_string" => {
            let mut c = n.walk();
            let parts: Vec<Node> = n
                .named_children(&mut c)
                .filter(|p| kind(*p) == "string")
                .collect();
            string(&parts, src).map_or(Value::Unknown(span(n)), |mut t| {
                t.span = span(n);
                Value::Str(t)
            })
        }
        "integer" => text(n, src)
            .replace('_', "")
            .parse()
            .map_or(Value::Unknown(span(n)), |i| Value::Int(i, span(n))),
        "true" => Value::Bool(true, span(n)),
        "false" => Value::Bool(false, span(n)),
        "none" => Value::None(span(n)),
        "identifier" => Value::Name(text(n, src).to_string(), span(n)),
        "attribute" => match dotted(n, src) {
            Some(name) => Value::Name(name, span(n)),
            None => Value::Unknown(span(n)),
        },
        "parenthesized_expression" => {
            let mut c = n.walk();
            let inner: Vec<Node> = n.named_children(&mut c).collect();
            match inner.as_slice() {
                [one] if kind(*one) != "comment" => read_at(*one, src, d),
                _ => Value::Unknown(span(n)),
            }
        }
        "list" | "tuple" | "set" | "expression_list" => {
            let mut c = n.walk();
            let items: Vec<Value> = n
                .named_children(&mut c)
                .filter(|x| kind(*x) != "comment")
                .map(|x| read_at(x, src, d))
                .collect();
            if kind(n) == "list" {
                Value::List(items, span(n))
            } else {
                Value::Tuple(items, span(n))
            }
        }
        "dictionary" => {
            let mut c = n.walk();
            let mut pairs = Vec::new();
            for p in n.named_children(&mut c) {
                match (field(p, "key"), field(p, "value")) {
                    (Some(k), Some(v)) if kind(p) == "pair" => {
                        pairs.push((read_at(k, src, d), read_at(v, src, d)))
                    }
                    _ if kind(p) == "comment" => {}
                    _ => return Value::Unknown(span(n)),
                }
            }
            Value::Dict(pairs, span(n))
        }
        "call" => call(n, src, d).map_or(Value::Unknown(span(n)), Value::Call),
        _ => Value::Unknown(span(n)),
    }
}

/// `a.b.c` as a dotted name; `None` when a part is not a name.
pub fn dotted(n: Node, src: &str) -> Option<String> {
    match kind(n) {
        "identifier" => Some(text(n, src).to_string()),
        "attribute" => {
            let obj = dotted(field(n, "object")?, src)?;
            let attr = text(field(n, "attribute")?, src);
            Some(format!("{obj}.{attr}"))
        }
        _ => None,
    }
}

fn call(n: Node, src: &str, depth: usize) -> Option<Call> {
    let f = field(n, "function")?;
    let (func, receiver) = match dotted(f, src) {
        Some(name) => (name, None),
        None if kind(f) == "attribute" => {
            let obj = field(f, "object")?;
            let attr = text(field(f, "attribute")?, src);
            (
                format!(".{attr}"),
                Some(Box::new(read_at(obj, src, depth + 1))),
            )
        }
        None => (text(f, src).to_string(), None),
    };
    let mut args = Vec::new();
    let mut kwargs = Vec::new();
    if let Some(a) = field(n, "arguments") {
        let mut c = a.walk();
        for x in a.named_children(&mut c) {
            match kind(x) {
                "comment" => {}
                "keyword_argument" => {
                    if let (Some(k), Some(v)) = (field(x, "name"), field(x, "value")) {
                        kwargs.push((text(k, src).to_string(), read_at(v, src, depth + 1)));
                    }
                }
                // `*args` / `**kwargs`: what they hold is unknown
                "list_splat" | "dictionary_splat" => args.push(Value::Unknown(span(x))),
                _ => args.push(read_at(x, src, depth + 1)),
            }
        }
    }
    Some(Call {
        func,
        args,
        kwargs,
        span: span(n),
        receiver,
    })
}

/// The value of adjacent string literals (implicit concatenation).
fn string(parts: &[Node], src: &str) -> Option<Template> {
    let mut t = Template::empty(Span::new(
        parts.first()?.start_byte(),
        parts.last()?.end_byte(),
    ));
    for p in parts {
        let mut c = p.walk();
        let children: Vec<Node> = p.children(&mut c).collect();
        let start = children.first().filter(|s| kind(**s) == "string_start")?;
        let prefix = text(*start, src)
            .trim_end_matches(['"', '\''])
            .to_ascii_lowercase();
        if prefix.contains('b') {
            // bytes are not text
            return None;
        }
        let raw = prefix.contains('r');
        for ch in &children[1..] {
            match kind(*ch) {
                "string_content" => {
                    // escape sequences are children of the content node in some grammar
                    // versions; read the content byte by byte between them
                    let mut pos = ch.start_byte();
                    let mut cc = ch.walk();
                    let escapes: Vec<Node> = ch
                        .children(&mut cc)
                        .filter(|e| kind(*e) == "escape_sequence")
                        .collect();
                    for e in escapes {
                        t.push_raw(src, pos, e.start_byte());
                        push_escape(&mut t, src, e, raw);
                        pos = e.end_byte();
                    }
                    t.push_raw(src, pos, ch.end_byte());
                }
                "escape_sequence" => push_escape(&mut t, src, *ch, raw),
                "interpolation" => {
                    let inner = ch
                        .child_by_field_name("expression")
                        .map_or_else(|| text(*ch, src), |e| text(e, src));
                    let hole = if inner.contains('}') {
                        "${hole}".to_string()
                    } else {
                        format!("${{{inner}}}")
                    };
                    for _ in 0..hole.len() {
                        t.map.push(ch.start_byte());
                    }
                    t.text.push_str(&hole);
                    t.holes.push(span(*ch));
                }
                _ => {}
            }
        }
    }
    Some(t)
}

fn push_escape(t: &mut Template, src: &str, e: Node, raw: bool) {
    let s = text(e, src);
    let value = match s.as_bytes().get(1) {
        _ if raw => None,
        // a backslash-newline continues the line: nothing
        Some(b'\n') => return,
        Some(b'0') if s.len() == 2 => Some('\0'),
        Some(b'x' | b'u' | b'U') => u32::from_str_radix(&s[2..], 16)
            .ok()
            .and_then(char::from_u32),
        Some(&b) => crate::orm::escape_char(b),
        None => None,
    };
    t.push_escape(value, src, e.start_byte(), e.end_byte());
}

/// Parse Python source with tree-sitter-python. `None` only if the parser gives up entirely.
/// One parser per thread, reused across files (creating one costs more than parsing a small
/// migration).
pub fn parse(src: &str) -> Option<tree_sitter::Tree> {
    thread_local! {
        static PARSER: std::cell::RefCell<Option<tree_sitter::Parser>> =
            const { std::cell::RefCell::new(None) };
    }
    PARSER.with(|cell| {
        let mut slot = cell.try_borrow_mut().ok()?;
        if slot.is_none() {
            let mut p = tree_sitter::Parser::new();
            p.set_language(&tree_sitter_python::LANGUAGE.into()).ok()?;
            *slot = Some(p);
        }
        let p = slot.as_mut()?;
        let tree = p.parse(src, None);
        // a parse that gave up leaves state behind: start clean next time
        if tree.is_none() {
            p.reset();
        }
        tree
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn expr(src: &str) -> Value {
        let tree = parse(src).expect("parses");
        let root = tree.root_node();
        let stmt = root.named_child(0).expect("a statement");
        let e = stmt.named_child(0).expect("an expression");
        read(e, src)
    }

    #[test]
    fn calls_strings_and_unknowns() {
        let src = "f(1, 'a' \"b\", x=[True, None], y=(g(),), z=h.i, w=a + b)\n";
        let Value::Call(c) = expr(src) else {
            panic!("a call")
        };
        assert_eq!(c.func, "f");
        assert_eq!(c.args[0], Value::Int(1, Span::new(2, 3)));
        assert_eq!(c.args[1].str(), Some("ab"));
        assert_eq!(
            c.kw("x").and_then(Value::items).map(<[Value]>::len),
            Some(2)
        );
        assert!(
            c.kw("y")
                .and_then(Value::items)
                .is_some_and(|v| v[0].call().is_some())
        );
        let at = src.find("h.i").unwrap_or(0);
        assert_eq!(
            c.kw("z"),
            Some(&Value::Name("h.i".into(), Span::new(at, at + 3)))
        );
        assert!(matches!(c.kw("w"), Some(Value::Unknown(_))));
    }

    #[test]
    fn string_forms_map_back() {
        let src = "x('''DROP\n  TABLE t''', r'a\\b', 'a\\'b', f\"DROP {name} x\")\n";
        let Value::Call(c) = expr(src) else {
            panic!("a call")
        };
        let Value::Str(t) = &c.args[0] else {
            panic!("a string")
        };
        assert_eq!(t.text, "DROP\n  TABLE t");
        // "TABLE" maps to its place in the source
        let at = t.text.find("TABLE").unwrap_or(0);
        let s = t.map_span(Span::new(at, at + 5));
        assert_eq!(&src[s.start..s.end], "TABLE");
        assert_eq!(c.args[1].str(), Some("a\\b"));
        assert_eq!(c.args[2].str(), Some("a'b"));
        let Value::Str(f) = &c.args[3] else {
            panic!("an f-string")
        };
        assert_eq!(f.text, "DROP ${name} x");
        assert_eq!(f.holes.len(), 1);
        assert_eq!(c.args[3].str(), None);
    }

    #[test]
    fn receivers_of_chained_calls() {
        let Value::Call(c) = expr("op.get_bind().execute(sa.text('DELETE FROM t'))\n") else {
            panic!("a call")
        };
        assert_eq!(c.func, ".execute");
        assert_eq!(
            c.receiver
                .as_deref()
                .and_then(Value::call)
                .map(|r| r.func.as_str()),
            Some("op.get_bind")
        );
    }
}
