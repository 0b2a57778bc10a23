//! Laravel's Blueprint columns: column methods as the types and facts the schema model
//! compares, and Laravel's generated index names.

use super::calls::{Link, bool_of, int_of, lit};
use super::tree::Node;
use crate::sql::ColumnFacts;

/// Laravel's Blueprint column type → the type name the model compares (`None`: not known).
pub fn column_type(method: &str, args: &[Node], src: &str) -> Option<String> {
    let n = |i: usize| args.get(i).and_then(|a| int_of(*a, src));
    Some(match method {
        "string" => format!("varchar({})", n(1).unwrap_or(255)),
        "text" => "text".into(),
        "integer" | "unsignedInteger" => "integer".into(),
        "bigInteger" | "unsignedBigInteger" | "foreignId" => "bigint".into(),
        "smallInteger" | "unsignedSmallInteger" => "smallint".into(),
        "increments" => "serial".into(),
        "bigIncrements" | "id" => "bigserial".into(),
        "boolean" => "boolean".into(),
        "date" => "date".into(),
        "dateTime" | "timestamp" => "timestamp".into(),
        "dateTimeTz" | "timestampTz" => "timestamp with time zone".into(),
        "float" | "double" => "double precision".into(),
        "decimal" | "unsignedDecimal" => match (n(1), n(2)) {
            (Some(p), Some(s)) => format!("numeric({p},{s})"),
            (Some(p), None) => format!("numeric({p},2)"),
            _ => "numeric(8,2)".into(),
        },
        "uuid" | "foreignUuid" => "uuid".into(),
        "json" => "json".into(),
        "jsonb" => "jsonb".into(),
        _ => return None,
    })
}

/// Blueprint methods that add a column whose type the model does not compare.
pub(super) const OTHER_COLUMNS: &[&str] = &[
    "char",
    "tinyText",
    "mediumText",
    "longText",
    "tinyInteger",
    "unsignedTinyInteger",
    "mediumInteger",
    "unsignedMediumInteger",
    "mediumIncrements",
    "smallIncrements",
    "tinyIncrements",
    "time",
    "timeTz",
    "year",
    "binary",
    "enum",
    "set",
    "ipAddress",
    "macAddress",
    "ulid",
    "foreignUlid",
    "geometry",
    "geography",
    "point",
    "vector",
];

/// Column methods that create two or more columns or an implicit one.
pub(super) fn implicit_columns(method: &str, args: &[Node], src: &str) -> Option<Vec<ColumnFacts>> {
    let col = |name: &str, ty: &str, not_null: bool| ColumnFacts {
        name: name.to_string(),
        data_type: ty.to_string(),
        not_null,
        has_default: false,
        primary_key: false,
    };
    let arg0 = || args.first().and_then(|a| lit(*a, src));
    Some(match method {
        "timestamps" | "timestampsTz" | "nullableTimestamps" => vec![
            col("created_at", "timestamp", false),
            col("updated_at", "timestamp", false),
        ],
        "softDeletes" | "softDeletesTz" => vec![col(
            &arg0().unwrap_or_else(|| "deleted_at".into()),
            "timestamp",
            false,
        )],
        "rememberToken" => vec![col("remember_token", "varchar(100)", false)],
        "morphs" | "nullableMorphs" | "uuidMorphs" | "nullableUuidMorphs" => {
            let name = arg0()?;
            let nn = !method.starts_with("nullable");
            vec![
                col(&format!("{name}_type"), "varchar(255)", nn),
                col(&format!("{name}_id"), "", nn),
            ]
        }
        _ => return None,
    })
}

/// Laravel's generated index name: `{table}_{columns}_{type}`, lower case, `-` and `.` as `_`.
pub(super) fn index_name(table: &str, cols: &[String], kind: &str) -> String {
    format!("{table}_{}_{kind}", cols.join("_"))
        .to_lowercase()
        .replace(['-', '.'], "_")
}

/// The columns a Blueprint chain defines (`$table->string('x', 50)->nullable()->default('')`).
pub(super) fn column_def(links: &[Link], src: &str) -> Vec<ColumnFacts> {
    let Some(first) = links.first() else {
        return Vec::new();
    };
    if let Some(cols) = implicit_columns(&first.name, &first.args, src) {
        return cols;
    }
    let known = column_type(&first.name, &first.args, src);
    if known.is_none() && !OTHER_COLUMNS.contains(&first.name.as_str()) {
        return Vec::new();
    }
    let Some(name) = first.args.first().and_then(|a| lit(*a, src)) else {
        return Vec::new();
    };
    let has = |m: &str| links.iter().any(|l| l.name == m);
    let nullable = links
        .iter()
        .find(|l| l.name == "nullable")
        .is_some_and(|l| {
            l.args
                .first()
                .is_none_or(|a| bool_of(*a, src) != Some(false))
        });
    let auto = matches!(
        first.name.as_str(),
        "increments"
            | "bigIncrements"
            | "id"
            | "mediumIncrements"
            | "smallIncrements"
            | "tinyIncrements"
    ) || has("autoIncrement");
    let has_default = auto
        || has("default")
        || has("useCurrent")
        || has("storedAs")
        || has("virtualAs")
        || has("generatedAs");
    vec![ColumnFacts {
        name,
        data_type: known.unwrap_or_default(),
        not_null: !nullable,
        has_default,
        primary_key: auto || has("primary"),
    }]
}
