//! Python front end: Django and Alembic migrations read from their source (tree-sitter-python)
//! into schema operations and embedded SQL, with spans into the Python file. It only reads:
//! the pipeline (`check::python`) replays the operations into the schema model and runs the
//! rules; the embedded SQL goes back through the SQL front end.

pub mod alembic;
pub mod django;
pub mod value;

use crate::source::Span;
use crate::sql::{ObjName, Statement, StmtKind};
pub use value::{Call, Template, Value};

/// What one operation of a migration does to the database.
#[derive(Clone, Debug)]
pub enum Effect {
    /// A schema or data change, as the statement the framework runs.
    Statement(Statement),
    /// SQL run as written (`RunSQL`, `op.execute`): checked by the SQL front end, its spans
    /// mapped into the Python file through the template.
    Sql(Template),
}

#[derive(Clone, Debug)]
pub struct Fact {
    pub effect: Effect,
    /// The operation in the framework's words (`` `RemoveField` ``, `` `op.drop_column` ``).
    pub verb: String,
    /// On the down side (`reverse_sql`, `downgrade()`, a `RunPython` reverse function).
    pub down: bool,
}

/// A migration file's operations, in the order they run, and what could not be read.
#[derive(Clone, Debug, Default)]
pub struct Facts {
    pub facts: Vec<Fact>,
    /// Operations whose arguments are not literals (model unchanged): (span, what).
    pub not_understood: Vec<(Span, String)>,
    /// Writes that are code, not literal SQL (`connection.execute(sa.update(t).values(…))`):
    /// where, and the words they mention. A column they mention may have been filled.
    pub code_writes: Vec<(Span, Vec<String>)>,
}

/// The identifier-like words of `code` (sorted, deduplicated).
pub fn words_of(code: &str) -> Vec<String> {
    let mut out: Vec<String> = code
        .split(|c: char| !(c.is_alphanumeric() || c == '_'))
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect();
    out.sort();
    out.dedup();
    out
}

/// A table name as the framework passes it to the database.
pub fn table_name(name: &str) -> ObjName {
    let parts: Vec<(String, bool)> = name
        .split('.')
        .map(|p| {
            let p = p.trim_matches('"');
            (p.to_string(), p.chars().any(|c| c.is_ascii_uppercase()))
        })
        .collect();
    ObjName::from_parts(&parts)
}

/// A statement synthesised for an operation; `span` is the operation in the Python file.
pub fn statement(kind: StmtKind, span: Span, keyword: &str) -> Statement {
    Statement {
        span,
        kind,
        ast: None,
        parse_error: None,
        in_body: false,
        not_parsed: false,
        keyword: keyword.to_string(),
    }
}

/// The span of a call cut at the end of its first line (findings point at the operation's
/// line, not the whole call).
pub fn head_span(src: &str, s: Span) -> Span {
    let end = src
        .get(s.start..s.end)
        .and_then(|t| t.find('\n'))
        .map_or(s.end, |i| s.start + i);
    Span::new(s.start, end.max(s.start))
}

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
