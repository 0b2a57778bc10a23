//! Rules that read one SQL statement, with what the file (or migration change) did before it.

pub mod cascade;
pub mod delete_null_predicate;
pub mod delete_without_where;
pub mod drop_column;
pub mod drop_database;
pub mod drop_if_exists;
pub mod drop_index;
pub mod drop_recreate;
pub mod drop_schema;
pub mod drop_table;
pub mod tautological_where;
pub mod truncate;
pub mod update_without_where;

use crate::model::Layer;
use crate::source::{Dialect, Span};
use crate::sql::{ObjName, ObjectKind};

/// Everything a SQL rule may look at besides the statement.
pub struct Context<'a> {
    /// The text the statement spans point into.
    pub src: &'a str,
    pub dialect: Dialect,
    /// The schema model's layer: what this file (or migration) did before the statement.
    pub file: &'a Layer,
    /// The file is a down/rollback migration: the drop rules do not apply.
    pub down: bool,
}

impl Context<'_> {
    pub fn text(&self, span: Span) -> &str {
        self.src.get(span.start..span.end).unwrap_or("")
    }
}

/// The names among `names` that were not created earlier in this file.
pub fn preexisting<'n>(ctx: &Context, kind: &ObjectKind, names: &'n [ObjName]) -> Vec<&'n ObjName> {
    names
        .iter()
        .filter(|n| ctx.file.created_here(kind, n).is_none())
        .collect()
}

/// `a`, `` `a` and `b` ``, … for messages.
pub fn list(names: &[&ObjName]) -> String {
    let quoted: Vec<String> = names.iter().map(|n| format!("`{}`", n.display)).collect();
    match quoted.len() {
        0 => String::new(),
        1 => quoted[0].clone(),
        n => format!("{} and {}", quoted[..n - 1].join(", "), quoted[n - 1]),
    }
}

/// `` `orders` `` or, when the front end could not tell, "the table".
pub fn table_phrase(table: Option<&ObjName>) -> String {
    table.map_or("the table".to_string(), |t| format!("`{}`", t.display))
}

pub fn plural(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        one.to_string()
    } else {
        many.to_string()
    }
}

#[cfg(test)]
pub mod testing {
    //! `fires` / `silent` vectors for the rules' own tests.
    use crate::rules::testing::{fires_in, silent_in};
    use crate::source::Lang;

    pub fn fires(rule: &str, src: &str) {
        fires_in(Lang::Sql, rule, src)
    }
    pub fn silent(rule: &str, src: &str) {
        silent_in(Lang::Sql, rule, src)
    }
}
