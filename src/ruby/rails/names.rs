//! Rails naming and type conventions: model → table, index names, column types, and the
//! statements the calls stand for.

use crate::orm::table_name;
use crate::ruby::value::{Args, Value};
use crate::source::Span;
use crate::sql::{AlterOp, ColumnFacts, ObjName, ObjectKind, StmtKind};

pub(super) fn last_segment(s: &str) -> &str {
    s.rsplit("::").next().unwrap_or(s)
}

/// The table Rails gives a model by convention: `OrderItem` → `order_items`.
pub fn model_table(model: &str) -> String {
    let mut snake = String::new();
    let chars: Vec<char> = last_segment(model).chars().collect();
    for (i, &ch) in chars.iter().enumerate() {
        if ch.is_ascii_uppercase() {
            let prev_lower =
                i > 0 && (chars[i - 1].is_ascii_lowercase() || chars[i - 1].is_ascii_digit());
            let next_lower = chars.get(i + 1).is_some_and(|n| n.is_ascii_lowercase());
            if i > 0 && (prev_lower || (next_lower && chars[i - 1].is_ascii_uppercase())) {
                snake.push('_');
            }
            snake.push(ch.to_ascii_lowercase());
        } else {
            snake.push(ch);
        }
    }
    pluralize(&snake)
}

pub(super) fn pluralize(word: &str) -> String {
    let (head, last) = match word.rsplit_once('_') {
        Some((h, l)) => (format!("{h}_"), l),
        None => (String::new(), word),
    };
    let irregular = [
        ("person", "people"),
        ("man", "men"),
        ("woman", "women"),
        ("child", "children"),
        ("mouse", "mice"),
        ("ox", "oxen"),
    ];
    let uncountable = [
        "equipment",
        "information",
        "rice",
        "money",
        "species",
        "series",
        "fish",
        "sheep",
        "jeans",
        "police",
    ];
    let plural = if let Some((_, p)) = irregular.iter().find(|(s, _)| *s == last) {
        p.to_string()
    } else if uncountable.contains(&last) {
        last.to_string()
    } else if let Some(stem) = last.strip_suffix('y')
        && !stem.ends_with(['a', 'e', 'i', 'o', 'u'])
    {
        format!("{stem}ies")
    } else if last.ends_with("ss")
        || last.ends_with(['x', 'z'])
        || last.ends_with("ch")
        || last.ends_with("sh")
        || last.ends_with("us")
    {
        format!("{last}es")
    } else if last.ends_with('s') {
        last.to_string()
    } else {
        format!("{last}s")
    };
    format!("{head}{plural}")
}

pub(super) fn obj(t: &str) -> ObjName {
    table_name(t)
}

pub(super) use crate::orm::alter;

pub(super) fn drop_columns(table: &str, names: Vec<String>, if_exists: bool) -> StmtKind {
    alter(
        table,
        AlterOp::DropColumn {
            names,
            if_exists,
            cascade: false,
        },
    )
}

pub(super) fn drop(
    object: ObjectKind,
    names: Vec<ObjName>,
    if_exists: bool,
    cascade: bool,
) -> StmtKind {
    StmtKind::Drop {
        object,
        names,
        if_exists,
        cascade,
        temporary: false,
    }
}

/// The database type of a Rails column type (`None`: unknown, never guessed).
pub fn sql_type(ty: &str, a: &Args) -> Option<String> {
    let limit = a.kw("limit").and_then(Value::int);
    Some(match ty {
        "string" => match limit {
            Some(n) => format!("varchar({n})"),
            None => "varchar".into(),
        },
        "text" => "text".into(),
        "integer" => match limit {
            Some(1 | 2) => "smallint".into(),
            Some(5..=8) => "bigint".into(),
            _ => "integer".into(),
        },
        "bigint" => "bigint".into(),
        "float" => "double precision".into(),
        "decimal" | "numeric" => match (
            a.kw("precision").and_then(Value::int),
            a.kw("scale").and_then(Value::int),
        ) {
            (Some(p), Some(s)) => format!("numeric({p},{s})"),
            (Some(p), None) => format!("numeric({p})"),
            _ => "numeric".into(),
        },
        "datetime" | "timestamp" => "timestamp".into(),
        "timestamptz" => "timestamp with time zone".into(),
        "date" => "date".into(),
        "time" => "time".into(),
        "boolean" => "boolean".into(),
        "binary" => "bytea".into(),
        "json" => "json".into(),
        "jsonb" => "jsonb".into(),
        "uuid" => "uuid".into(),
        "inet" => "inet".into(),
        "citext" => "citext".into(),
        _ => return None,
    })
}

/// Column types `t.<type> :name` accepts in `create_table` / `change_table`.
pub(super) const COLUMN_TYPES: &[&str] = &[
    "string",
    "text",
    "integer",
    "bigint",
    "float",
    "decimal",
    "numeric",
    "datetime",
    "timestamp",
    "timestamptz",
    "time",
    "date",
    "binary",
    "blob",
    "boolean",
    "json",
    "jsonb",
    "uuid",
    "inet",
    "cidr",
    "citext",
    "hstore",
    "money",
    "xml",
    "enum",
    "virtual",
];

/// A column as `add_column` / `t.<type>` describe it.
pub(super) fn column(name: &str, ty: &str, a: &Args) -> ColumnFacts {
    let primary = a.kw("primary_key").and_then(Value::as_bool) == Some(true);
    let not_null = primary || a.kw("null").and_then(Value::as_bool) == Some(false);
    let has_default =
        a.kw("default").is_some_and(|v| !v.is_nil()) || a.kw("as").is_some() || ty == "virtual";
    ColumnFacts {
        name: name.to_string(),
        data_type: sql_type(ty, a).unwrap_or_default(),
        not_null,
        has_default,
        primary_key: primary,
    }
}

/// `index_<table>_on_<a>_and_<b>`, Rails's default index name.
pub(super) fn index_name(table: &str, columns: &Value) -> Option<String> {
    let cols: Vec<&str> = match columns {
        Value::Array(items, _) => items.iter().map(Value::name).collect::<Option<_>>()?,
        other => vec![other.name()?],
    };
    Some(format!("index_{table}_on_{}", cols.join("_and_")))
}

pub(super) fn null_false() -> Args {
    Args {
        kw: vec![("null".into(), Value::Bool(false, Span::default()))],
        ..Args::default()
    }
}

pub(super) fn create_index(t: &str, name: Option<String>, a: &Args) -> StmtKind {
    StmtKind::CreateIndex {
        name: name.as_deref().map(obj),
        table: obj(t),
        concurrently: matches!(
            a.kw("algorithm").and_then(Value::name),
            Some("concurrently")
        ),
        unique: a.kw("unique").and_then(Value::as_bool) == Some(true),
    }
}

/// The columns of a reference: `user_id`, plus `user_type` when polymorphic.
pub(super) fn reference_columns(r: &str, a: &Args) -> Vec<String> {
    let mut v = vec![format!("{r}_id")];
    if a.kw("polymorphic")
        .is_some_and(|p| p.as_bool() != Some(false))
    {
        v.push(format!("{r}_type"));
    }
    v
}

/// A reference's index name: `index_<t>_on_<r>_id`, `index_<t>_on_<r>` when polymorphic.
pub(super) fn reference_index(t: &str, r: &str, a: &Args) -> String {
    if reference_columns(r, a).len() > 1 {
        format!("index_{t}_on_{r}")
    } else {
        format!("index_{t}_on_{r}_id")
    }
}

pub(super) fn singular(w: &str) -> String {
    if let Some(s) = w.strip_suffix("ies") {
        format!("{s}y")
    } else if let Some(s) = w.strip_suffix("ses") {
        format!("{s}s")
    } else {
        w.strip_suffix('s').unwrap_or(w).to_string()
    }
}

/// `create_join_table :users, :roles` → `roles_users` (names in lexical order).
pub(super) fn join_table(a: &str, b: &str) -> String {
    let (x, y) = if a <= b { (a, b) } else { (b, a) };
    format!("{x}_{y}")
}
