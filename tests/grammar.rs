//! A grammar corpus per dialect (`tests/grammar/*.sql`, statements written for it from the
//! documented synopses): valid files give no `parse-error`; every statement of a
//! `*-broken.sql` file gives one. PostgreSQL's own parser is the oracle for PostgreSQL files
//! in the dev script `scripts/pg-oracle.py`.

use preflight::check::{SqlOptions, check_sql};
use preflight::source::Dialect;

fn parse_errors(src: &str, d: Dialect) -> Vec<(usize, String)> {
    check_sql(src, d, &SqlOptions::default())
        .into_iter()
        .filter(|x| x.rule == "parse-error")
        .map(|x| (src[..x.span.start].matches('\n').count() + 1, x.message))
        .collect()
}

fn corpus(name: &str) -> String {
    let path = format!("{}/tests/grammar/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).expect("corpus file")
}

#[test]
fn valid_statements_give_no_parse_error() {
    for (file, d) in [
        ("postgres.sql", Dialect::Postgres),
        ("mysql.sql", Dialect::Mysql),
        ("sqlite.sql", Dialect::Sqlite),
        ("clickhouse.sql", Dialect::Clickhouse),
        ("mssql.sql", Dialect::Mssql),
        ("cockroach.sql", Dialect::Cockroach),
    ] {
        let errs = parse_errors(&corpus(file), d);
        assert!(errs.is_empty(), "{file}: {errs:#?}");
    }
}

#[test]
fn broken_statements_give_parse_error() {
    let src = corpus("postgres-broken.sql");
    let lines: Vec<usize> = parse_errors(&src, Dialect::Postgres)
        .into_iter()
        .map(|(l, _)| l)
        .collect();
    // gibberish after DROP's names, a missing `;`, a PostgreSQL-foreign ALTER action, a DELETE
    // whose WHERE cannot be read, an unterminated quote
    assert_eq!(lines, vec![2, 3, 5, 6, 7]);
}
