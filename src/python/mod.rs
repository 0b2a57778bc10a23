//! Python front end: Django and Alembic migrations read from their source (tree-sitter-python)
//! into schema operations and embedded SQL, with spans into the Python file. It only reads:
//! the pipeline (`check::orm`) replays the operations into the schema model and runs the
//! rules; the embedded SQL goes back through the SQL front end.

pub mod alembic;
pub mod django;
pub mod value;

pub use crate::orm::{Effect, Fact, Facts, Template, head_span, statement, table_name, words_of};
use crate::source::Span;
pub use value::{Call, Value};

/// SQLAlchemy / Django type names the model compares (`None`: unknown, never guessed).
pub fn sql_type(class: &str, args: &[Option<i64>]) -> Option<String> {
    let n = |i: usize| args.get(i).copied().flatten();
    Some(match class {
        "Integer" | "INTEGER" | "IntegerField" | "PositiveIntegerField" => "integer".into(),
        "BigInteger" | "BIGINT" | "BigIntegerField" | "PositiveBigIntegerField" => "bigint".into(),
        "SmallInteger" | "SMALLINT" | "SmallIntegerField" | "PositiveSmallIntegerField" => {
            "smallint".into()
        }
        "AutoField" => "serial".into(),
        "BigAutoField" => "bigserial".into(),
        "Text" | "TEXT" | "TextField" | "UnicodeText" => "text".into(),
        "String" | "VARCHAR" | "Unicode" | "CharField" | "SlugField" | "EmailField"
        | "URLField" => match n(0) {
            Some(len) => format!("varchar({len})"),
            None if class.ends_with("Field") => return None,
            None => "varchar".into(),
        },
        "Boolean" | "BOOLEAN" | "BooleanField" => "boolean".into(),
        "DateTime" | "TIMESTAMP" | "DateTimeField" => "timestamp with time zone".into(),
        "Date" | "DATE" | "DateField" => "date".into(),
        "Float" | "FLOAT" | "FloatField" => "double precision".into(),
        "Numeric" | "NUMERIC" | "DecimalField" => match (n(0), n(1)) {
            (Some(p), Some(s)) => format!("numeric({p},{s})"),
            (Some(p), None) => format!("numeric({p})"),
            _ => "numeric".into(),
        },
        "UUID" | "Uuid" | "UUIDField" => "uuid".into(),
        "JSON" | "JSONB" | "JSONField" => "jsonb".into(),
        _ => return None,
    })
}

/// Every `#` comment that mentions `preflight:`, with what it covers: on its own line, the
/// next statement or list item (a whole operation or call); at the end of a line, the
/// operation or call that ends on that line.
pub fn comment_covers(src: &str) -> Vec<(Span, Span)> {
    let mut out = Vec::new();
    if !src.contains("preflight:") {
        return out;
    }
    let Some(tree) = value::parse(src) else {
        return out;
    };
    let mut stack = vec![tree.root_node()];
    while let Some(n) = stack.pop() {
        if n.kind() == "comment" {
            if !value::text(n, src).contains("preflight:") {
                continue;
            }
            let line_start = src[..n.start_byte()].rfind('\n').map_or(0, |i| i + 1);
            let own_line = src[line_start..n.start_byte()].trim().is_empty();
            let line_end = src[n.end_byte()..]
                .find('\n')
                .map_or(src.len(), |i| n.end_byte() + i);
            let cover = if own_line {
                let mut next = n.next_named_sibling();
                while let Some(x) = next.filter(|x| x.kind() == "comment") {
                    next = x.next_named_sibling();
                }
                next.map(|x| Span::new(x.start_byte(), x.end_byte()))
            } else {
                let mut prev = n.prev_named_sibling();
                while let Some(x) = prev.filter(|x| x.kind() == "comment") {
                    prev = x.prev_named_sibling();
                }
                prev.filter(|x| x.end_position().row == n.start_position().row)
                    .map(|x| Span::new(x.start_byte(), x.end_byte()))
            };
            out.push((
                Span::new(n.start_byte(), n.end_byte()),
                cover.unwrap_or(Span::new(line_start, line_end)),
            ));
            continue;
        }
        let mut c = n.walk();
        for ch in n.children(&mut c) {
            stack.push(ch);
        }
    }
    out.sort_by_key(|(c, _)| c.start);
    out
}
