//! The tree sqlparser gives a plain synthesised `CREATE [UNIQUE] INDEX i ON "s"."t" ("a",
//! "b")` (every name letters, digits and `_`; no `USING`, no `WHERE`), built directly
//! instead of printing the SQL and parsing it again (~40,000 instructions per index on a
//! migration set of small files). Spans are those the tokenizer gives the printed text
//! (line 1, columns counted in characters, end one past the last): the tests compare both
//! trees' `Debug`, spans included.

use sqlparser::ast::{
    CreateIndex, Expr, Ident, IndexColumn, ObjectName, ObjectNamePart, OrderByExpr, OrderByOptions,
    Statement,
};
use sqlparser::tokenizer::{Location, Span};

/// A quoted identifier `"name"` printed at 1-based column `*col`; `*col` moves past it.
fn quoted(name: &str, col: &mut u64) -> Ident {
    let start = *col;
    // plain names only: one character per byte, no doubled quotes
    *col += name.len() as u64 + 2;
    Ident {
        value: name.to_string(),
        quote_style: Some('"'),
        span: Span::new(Location::new(1, start), Location::new(1, *col)),
    }
}

/// The tree of `CREATE {UNIQUE }INDEX i ON "schema"."name" ("c1", "c2", …)` as sqlparser's
/// PostgreSQL dialect parses it. The caller guarantees plain names (see `orm::is_word`) and
/// at least one column.
pub(super) fn create_index(
    unique: bool,
    schema: &str,
    name: &str,
    columns: &[String],
) -> Statement {
    // "CREATE " + "UNIQUE "? + "INDEX "
    let mut col: u64 = if unique { 21 } else { 14 };
    let index = Ident {
        value: "i".to_string(),
        quote_style: None,
        span: Span::new(Location::new(1, col), Location::new(1, col + 1)),
    };
    col += " ON ".len() as u64 + 1;
    let s = quoted(schema, &mut col);
    col += 1; // "."
    let t = quoted(name, &mut col);
    col += 2; // " ("
    let mut cols = Vec::with_capacity(columns.len());
    for (i, c) in columns.iter().enumerate() {
        if i > 0 {
            col += 2; // ", "
        }
        cols.push(IndexColumn {
            column: OrderByExpr {
                expr: Expr::Identifier(quoted(c, &mut col)),
                options: OrderByOptions {
                    sort: None,
                    nulls_first: None,
                },
                with_fill: None,
            },
            operator_class: None,
        });
    }
    Statement::CreateIndex(CreateIndex {
        name: Some(ObjectName(vec![ObjectNamePart::Identifier(index)])),
        table_name: ObjectName(vec![
            ObjectNamePart::Identifier(s),
            ObjectNamePart::Identifier(t),
        ]),
        using: None,
        columns: cols,
        unique,
        concurrently: false,
        r#async: false,
        if_not_exists: false,
        include: Vec::new(),
        nulls_distinct: None,
        with: Vec::new(),
        predicate: None,
        index_options: Vec::new(),
        alter_options: Vec::new(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The built tree is the parser's, spans included, for every shape of plain name: SQL
    /// keywords, leading digits, capitals, `_`, long names, one to five columns, unique or not.
    #[test]
    fn built_tree_equals_the_parsed_one() {
        let names = [
            "i",
            "users",
            "T_2",
            "9x",
            "_",
            "select",
            "from",
            "on",
            "using",
            "where",
            "index",
            "unique",
            "concurrently",
            "include",
            "nulls",
            "with",
            "asc",
            "desc",
            "public",
            "a_very_long_table_name_with_many_parts_0123456789",
        ];
        let mut n = 0;
        for (k, schema) in ["public", "s1", "select", "Z"].into_iter().enumerate() {
            for (j, table) in names.iter().enumerate() {
                for width in 1..=5 {
                    let columns: Vec<String> = (0..width)
                        .map(|w| names[(j + w * 7 + k) % names.len()].to_string())
                        .collect();
                    for unique in [false, true] {
                        let sql =
                            super::super::index_sql(unique, schema, table, &columns, None, None);
                        let parsed = crate::sql::parse(&sql, crate::source::Dialect::Postgres)
                            .expect("plain index SQL parses");
                        assert_eq!(parsed.len(), 1, "{sql}");
                        let built = create_index(unique, schema, table, &columns);
                        assert_eq!(format!("{built:?}"), format!("{:?}", parsed[0]), "{sql}");
                        n += 1;
                    }
                }
            }
        }
        assert_eq!(n, 4 * names.len() * 5 * 2);
    }
}
