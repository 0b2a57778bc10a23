//! Django model fields as columns: name, nullability, Django's effective default, SQL type.

use crate::python::sql_type;
use crate::python::value::Value;
use crate::sql::ColumnFacts;

/// What the earlier migrations of the app said about a field.
#[derive(Clone, Debug)]
pub(super) struct Field {
    /// `None`: no column (many-to-many and other relations kept in other tables).
    pub(super) column: Option<String>,
    pub(super) null: bool,
    pub(super) has_default: bool,
    pub(super) sql_type: Option<String>,
    pub(super) explicit_column: bool,
    /// A `RunPython` function that mentions the field ran since it became nullable: it may
    /// have filled the NULLs (code is not judged).
    pub(super) maybe_filled: bool,
}

/// Relations without a column of their own.
const NO_COLUMN: &[&str] = &[
    "ManyToManyField",
    "GenericRelation",
    "GenericForeignKey",
    "TaggableManager",
    "ParentalManyToManyField",
    "ForeignObject",
    "ForeignObjectRel",
];

/// Does Django fill `""` into a blank, non-null field of this class when it is added
/// (`Field.empty_strings_allowed`)? True for `Field` and its string-like subclasses (Char,
/// Text, Slug, Email, URL, File, Binary … and custom fields, which inherit it); false for the
/// built-in numeric, date/time, boolean, UUID, IP, JSON, array and range fields.
fn empty_strings_allowed(class: &str) -> bool {
    const NOT: &[&str] = &[
        "IntegerField",
        "AutoField",
        "BooleanField",
        "DateField",
        "DateTimeField",
        "TimeField",
        "DecimalField",
        "DurationField",
        "FloatField",
        "IPAddressField",
        "UUIDField",
        "JSONField",
        "ArrayField",
        "HStoreField",
        "RangeField",
    ];
    !NOT.iter().any(|n| class.ends_with(n))
}

pub(super) fn field(name: &str, f: &Value) -> Option<Field> {
    let c = f.call()?;
    let class = c.name();
    if NO_COLUMN.contains(&class) {
        return Some(Field {
            column: None,
            null: true,
            has_default: true,
            sql_type: None,
            explicit_column: false,
            maybe_filled: false,
        });
    }
    let relation = class.ends_with("ForeignKey") || class.ends_with("OneToOneField");
    let explicit = c.kw("db_column").and_then(Value::str);
    let column = match explicit {
        Some(col) => col.to_string(),
        None if relation => format!("{name}_id"),
        None => name.to_string(),
    };
    let int = |k: &str| match c.kw(k) {
        Some(Value::Int(i, _)) => Some(*i),
        _ => None,
    };
    let sql_type = if relation {
        None
    } else {
        match class {
            "CharField" | "SlugField" | "EmailField" | "URLField" => sql_type(
                class,
                &[int("max_length").or(match class {
                    "SlugField" => Some(50),
                    "EmailField" => Some(254),
                    "URLField" => Some(200),
                    _ => None,
                })],
            ),
            "DecimalField" => sql_type(class, &[int("max_digits"), int("decimal_places")]),
            _ => sql_type(class, &[]),
        }
    };
    let primary = c.kw("primary_key").and_then(Value::as_bool) == Some(true);
    // Django's effective default: the default, or "" for a blank string field, or now for
    // auto_now(_add)
    let flag = |k: &str| c.kw(k).and_then(Value::as_bool) == Some(true);
    let strings = !relation && empty_strings_allowed(class);
    let has_default = c
        .kw("default")
        .is_some_and(|d| !matches!(d, Value::Name(n, _) if n.ends_with("NOT_PROVIDED")))
        || class.ends_with("AutoField")
        || (strings && flag("blank"))
        || flag("auto_now")
        || flag("auto_now_add");
    Some(Field {
        column: Some(column),
        null: !primary && c.kw("null").and_then(Value::as_bool) == Some(true),
        has_default,
        sql_type,
        explicit_column: explicit.is_some(),
        maybe_filled: false,
    })
}

pub(super) fn column_facts(f: &Field, primary: bool) -> Option<ColumnFacts> {
    Some(ColumnFacts {
        name: f.column.clone()?,
        data_type: f.sql_type.clone().unwrap_or_default(),
        not_null: !f.null,
        has_default: f.has_default,
        primary_key: primary,
    })
}
