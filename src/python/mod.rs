//! Python front end: Django and Alembic migrations read from their source (tree-sitter-python)
//! into schema operations and embedded SQL, with spans into the Python file. It only reads:
//! the pipeline (`check::orm`) replays the operations into the schema model and runs the
//! rules; the embedded SQL goes back through the SQL front end.

pub mod alembic;
pub mod django;
pub mod fast;
pub mod stmt;
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
    if !src.contains("preflight:") {
        return Vec::new();
    }
    value::parse(src).map_or_else(Vec::new, |tree| crate::orm::comment_covers(&tree, src, &[]))
}
