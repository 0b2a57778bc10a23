//! JavaScript / TypeScript expressions read as data: calls (and `new X(…)`), string literals
//! (escapes decoded, `+` concatenation), template literals as templates whose `${…}`
//! substitutions are holes, numbers, booleans, `null` / `undefined`, arrays and objects.
//! Anything else is [`Value::Unknown`] (or [`Value::Func`] for a function): the reader never
//! guesses what an expression evaluates to.

pub use crate::orm::Template;
use crate::source::Span;
use std::cell::RefCell;
use tree_sitter::Node;

#[derive(Clone, Debug, PartialEq)]
pub struct Call {
    /// The called expression as a dotted name (`Sequelize.STRING`), `new Table` for a
    /// `new` expression, or its source text when it is not a plain name.
    pub func: String,
    pub args: Vec<Value>,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    Str(Template),
    Num(f64, Span),
    Bool(bool, Span),
    /// `null` or `undefined`.
    Null(Span),
    Array(Vec<Value>, Span),
    /// An object literal; `None` as a whole when it has a spread or a computed key.
    Object(Vec<(String, Value)>, Span),
    /// A plain or dotted name (`Sequelize.STRING`, `transaction`).
    Name(String, Span),
    Call(Call),
    Func(Span),
    Unknown(Span),
}

crate::orm::value_methods!(Value; structs: Call; pairs: Num, Array, Object, Name; spans: Null, Func, Unknown);

impl Value {
    /// An object entry by key.
    pub fn get(&self, key: &str) -> Option<&Value> {
        match self {
            Value::Object(pairs, _) => pairs.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }
    /// The object of `new X({…})`, or the object itself.
    pub fn options(&self) -> Option<&Value> {
        match self {
            Value::Object(..) => Some(self),
            Value::Call(c) if c.func.starts_with("new ") => {
                c.args.first().filter(|a| matches!(a, Value::Object(..)))
            }
            _ => None,
        }
    }
}

pub fn span(n: Node) -> Span {
    Span::new(n.start_byte(), n.end_byte())
}

pub fn text<'a>(n: Node, src: &'a str) -> &'a str {
    src.get(n.start_byte()..n.end_byte()).unwrap_or("")
}

/// Nesting deeper than this reads as [`Value::Unknown`] (no stack overflow on hostile input).
pub use crate::orm::MAX_DEPTH;

thread_local! {
    static PARSER: RefCell<Option<tree_sitter::Parser>> = const { RefCell::new(None) };
}

crate::ts::by_id!(tree_sitter_typescript::LANGUAGE_TYPESCRIPT);

/// Parse JavaScript or TypeScript with tree-sitter-typescript (its TypeScript grammar reads
/// plain JavaScript migrations too); one parser per thread. `None` only if the parser gives
/// up entirely.
pub fn parse(src: &str) -> Option<tree_sitter::Tree> {
    PARSER.with(|p| {
        let mut p = p.borrow_mut();
        if p.is_none() {
            let mut parser = tree_sitter::Parser::new();
            parser
                .set_language(&tree_sitter_typescript::LANGUAGE_TYPESCRIPT.into())
                .ok()?;
            *p = Some(parser);
        }
        p.as_mut()?.parse(src, None)
    })
}

/// Strip `await`, parentheses, `as T`, `x!` and `<T>x`.
pub fn unwrap(mut n: Node) -> Node {
    for _ in 0..MAX_DEPTH {
        match kind_of(n) {
            "await_expression"
            | "parenthesized_expression"
            | "as_expression"
            | "non_null_expression"
            | "satisfies_expression"
            | "type_assertion" => {
                let mut c = n.walk();
                let inner = n
                    .named_children(&mut c)
                    .find(|x| kind_of(*x) != "comment" && !kind_of(*x).ends_with("type"));
                match inner {
                    Some(i) => n = i,
                    None => return n,
                }
            }
            _ => return n,
        }
    }
    n
}

/// Read an expression node as a value.
pub fn read(n: Node, src: &str) -> Value {
    read_at(n, src, 0)
}

fn read_at(n: Node, src: &str, depth: usize) -> Value {
    let Some(d) = crate::orm::deeper(depth) else {
        return Value::Unknown(span(n));
    };
    let n = unwrap(n);
    match kind_of(n) {
        "string" | "template_string" => string(n, src).map_or(Value::Unknown(span(n)), Value::Str),
        "number" => text(n, src)
            .replace('_', "")
            .parse()
            .map_or(Value::Unknown(span(n)), |f| Value::Num(f, span(n))),
        "true" => Value::Bool(true, span(n)),
        "false" => Value::Bool(false, span(n)),
        "null" | "undefined" => Value::Null(span(n)),
        "identifier" if text(n, src) == "undefined" => Value::Null(span(n)),
        "identifier" | "member_expression" | "this" => match dotted(n, src) {
            Some(name) => Value::Name(name, span(n)),
            None => Value::Unknown(span(n)),
        },
        "array" => {
            let mut c = n.walk();
            let mut items = Vec::new();
            for x in n.named_children(&mut c) {
                match kind_of(x) {
                    "comment" => {}
                    "spread_element" => return Value::Unknown(span(n)),
                    _ => items.push(read_at(x, src, d)),
                }
            }
            Value::Array(items, span(n))
        }
        "object" => {
            let mut c = n.walk();
            let mut pairs = Vec::new();
            for p in n.named_children(&mut c) {
                match kind_of(p) {
                    "comment" => {}
                    "pair" => {
                        let (Some(k), Some(v)) = (field_of(p, "key"), field_of(p, "value")) else {
                            return Value::Unknown(span(n));
                        };
                        let Some(key) = key(k, src) else {
                            return Value::Unknown(span(n));
                        };
                        pairs.push((key, read_at(v, src, d)));
                    }
                    "shorthand_property_identifier" => {
                        let k = text(p, src).to_string();
                        pairs.push((k.clone(), Value::Name(k, span(p))));
                    }
                    "method_definition" => {
                        if let Some(k) = field_of(p, "name").and_then(|k| key(k, src)) {
                            pairs.push((k, Value::Func(span(p))));
                        }
                    }
                    _ => return Value::Unknown(span(n)),
                }
            }
            Value::Object(pairs, span(n))
        }
        "arrow_function" | "function_expression" | "function" => Value::Func(span(n)),
        "binary_expression" => {
            let op = field_of(n, "operator").map(|o| text(o, src));
            if let (Some("+"), Some(l), Some(r)) = (op, field_of(n, "left"), field_of(n, "right"))
                && let (Value::Str(a), Value::Str(b)) = (read_at(l, src, d), read_at(r, src, d))
            {
                return Value::Str(concat(a, b, span(n)));
            }
            Value::Unknown(span(n))
        }
        "call_expression" | "new_expression" => {
            let f = n
                .child_by_field_name("function")
                .or_else(|| field_of(n, "constructor"));
            let Some(f) = f else {
                return Value::Unknown(span(n));
            };
            let name = dotted(unwrap(f), src).unwrap_or_else(|| text(f, src).to_string());
            let func = if kind_of(n) == "new_expression" {
                format!("new {name}")
            } else {
                name
            };
            let args = n
                .child_by_field_name("arguments")
                .map(|a| {
                    let mut c = a.walk();
                    a.named_children(&mut c)
                        .filter(|x| kind_of(*x) != "comment")
                        .map(|x| read_at(x, src, d))
                        .collect()
                })
                .unwrap_or_default();
            Value::Call(Call {
                func,
                args,
                span: span(n),
            })
        }
        _ => Value::Unknown(span(n)),
    }
}

/// An object key: a name, a string or a number.
fn key(k: Node, src: &str) -> Option<String> {
    match kind_of(k) {
        "property_identifier" | "identifier" | "number" => Some(text(k, src).to_string()),
        "string" => string(k, src).and_then(|t| t.literal().map(str::to_string)),
        _ => None,
    }
}

/// `a.b.c` as a dotted name; `None` when a part is not a name.
pub fn dotted(n: Node, src: &str) -> Option<String> {
    let mut parts = Vec::new();
    let mut cur = n;
    for _ in 0..MAX_DEPTH {
        match kind_of(cur) {
            "identifier" | "this" | "property_identifier" => {
                parts.push(text(cur, src));
                parts.reverse();
                return Some(parts.join("."));
            }
            "member_expression" => {
                parts.push(text(field_of(cur, "property")?, src));
                cur = unwrap(field_of(cur, "object")?);
            }
            _ => return None,
        }
    }
    None
}

pub fn concat(mut a: Template, b: Template, span: Span) -> Template {
    a.text.push_str(&b.text);
    a.map.extend(b.map);
    a.holes.extend(b.holes);
    a.span = span;
    a
}

/// A string or template literal as a template: escapes decoded, each byte mapped to the
/// source, `${…}` kept as written (a hole).
pub fn string(n: Node, src: &str) -> Option<Template> {
    let (start, end) = (n.start_byte() + 1, n.end_byte().checked_sub(1)?);
    if end < start {
        return None;
    }
    let mut t = Template::empty(span(n));
    let mut at = start;
    let mut c = n.walk();
    for ch in n.named_children(&mut c) {
        match kind_of(ch) {
            "escape_sequence" => {
                t.push_raw(src, at, ch.start_byte());
                let raw = text(ch, src);
                let decoded = match raw.as_bytes().get(1) {
                    Some(b'n') => Some("\n".to_string()),
                    Some(b't') => Some("\t".to_string()),
                    Some(b'r') => Some("\r".to_string()),
                    Some(b'0') if raw.len() == 2 => Some("\0".to_string()),
                    Some(b'\n') | Some(b'\r') => Some(String::new()),
                    Some(b'x') | Some(b'u') => None,
                    _ => raw.get(1..).map(str::to_string),
                };
                match decoded {
                    Some(d) => {
                        t.text.push_str(&d);
                        t.map.extend(std::iter::repeat_n(ch.start_byte(), d.len()));
                    }
                    None => t.push_raw(src, ch.start_byte(), ch.end_byte()),
                }
                at = ch.end_byte();
            }
            "template_substitution" => {
                t.push_raw(src, at, ch.start_byte());
                t.push_raw(src, ch.start_byte(), ch.end_byte());
                t.holes.push(span(ch));
                at = ch.end_byte();
            }
            _ => {}
        }
    }
    t.push_raw(src, at, end);
    Some(t)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn expr(src: &str) -> Value {
        let tree = parse(src).expect("parses");
        let stmt = tree.root_node().named_child(0).expect("a statement");
        read(stmt.named_child(0).expect("an expression"), src)
    }

    #[test]
    fn strings_templates_objects() {
        let v = expr(
            "f('a\\'b' + \"c\", `x ${y} z`, { a: null, 'b': [1, true], c }, new T({ n: 'm' }))\n",
        );
        let Value::Call(c) = v else { panic!("a call") };
        assert_eq!(c.func, "f");
        assert_eq!(c.args[0].str(), Some("a'bc"));
        let Value::Str(t) = &c.args[1] else {
            panic!("a template")
        };
        assert_eq!(t.text, "x ${y} z");
        assert_eq!(t.holes.len(), 1);
        assert!(matches!(c.args[2].get("a"), Some(Value::Null(_))));
        assert!(matches!(c.args[2].get("b"), Some(Value::Array(v, _)) if v.len() == 2));
        assert!(matches!(c.args[2].get("c"), Some(Value::Name(n, _)) if n == "c"));
        let o = c.args[3].options().expect("new T({…})");
        assert_eq!(o.get("n").and_then(Value::str), Some("m"));
    }

    #[test]
    fn spans_map_into_the_source() {
        let src = "q(`DROP ${t}\n  TABLE`)\n";
        let Value::Call(c) = expr(src) else {
            panic!("a call")
        };
        let Value::Str(t) = &c.args[0] else {
            panic!("a template")
        };
        let s = t.map_span(Span::new(0, 4));
        assert_eq!(&src[s.start..s.end], "DROP");
        let i = t.text.find("TABLE").expect("TABLE");
        let s = t.map_span(Span::new(i, i + 5));
        assert_eq!(&src[s.start..s.end], "TABLE");
    }
}
