//! The one-pass split against `split::split` (every dialect) and each statement's tokens
//! against the fast tokenizer's reading of the statement's text alone.

use super::*;
use crate::source::Dialect;

const DIALECTS: [Dialect; 7] = [
    Dialect::Postgres,
    Dialect::Cockroach,
    Dialect::Mysql,
    Dialect::Sqlite,
    Dialect::Generic,
    Dialect::Clickhouse,
    Dialect::Mssql,
];

/// When the one-pass split reads `text`, it gives `split::split`'s statements in every
/// dialect, and tokens equal to `lex` of each statement's text. Returns whether it read it.
fn same(text: &str) -> bool {
    let Some((stmts, lite)) = split(text) else {
        return false;
    };
    let raws: Vec<&RawStatement> = stmts.iter().map(|(r, _)| r).collect();
    for d in DIALECTS {
        let slow = crate::sql::split::split(text, d);
        assert_eq!(raws, slow.iter().collect::<Vec<_>>(), "{d:?} {text:?}");
    }
    for (raw, range) in stmts {
        let own = &text[raw.span.start..raw.span.end];
        let alone = lex(own).expect("a statement of a text read fast is read fast alone");
        assert_eq!(rebase(&lite[range]), alone, "{own:?} in {text:?}");
    }
    true
}

#[test]
fn plain_scripts_are_split_in_one_pass() {
    for s in [
        "UPDATE jobs SET state = 'queued' WHERE state = 'stuck' AND id > 0;\nSELECT count(*) FROM jobs;\n",
        "  DROP TABLE a;;\n\n ALTER TABLE b ADD COLUMN c int NOT NULL ;  ",
        "SELECT 'a;b'\n, 'c\nd' ;UPDATE t SET a = 1",
        "",
        " \n\t",
        ";",
        "SELECT CASE WHEN a THEN b END FROM t; END; UPDATE t SET a = 1",
    ] {
        assert!(same(s), "{s:?} not read");
    }
    for s in [
        "BEGIN; DELETE FROM t; COMMIT;",
        "CREATE TRIGGER x AFTER INSERT ON t BEGIN DELETE FROM u; END;",
        "DELIMITER ;\nDROP TABLE t;",
        "DROP TABLE t\nGO\nDROP TABLE u",
        "DROP TABLE t; -- gone",
        "\\connect app\nDROP TABLE t;",
        "COPY t FROM STDIN;\n1\n\\.\n",
        "SELECT 'open",
        "DROP TABLE $T;",
        "begin; delete from t",
        "SELECT 1; Delimiter //",
        "drop table t\ngo",
        "SELECT 1 Go",
    ] {
        assert!(split(s).is_none(), "{s:?} was read");
    }
}

/// Generated scripts: statements, `;`s and the words that make the splitter do more, with
/// varied spacing and line breaks.
#[test]
fn generated_scripts_split_as_the_splitter_splits_them() {
    const PIECES: &[&str] = &[
        "UPDATE jobs SET state = 'queued' WHERE id > 7",
        "SELECT count(*) FROM jobs",
        "DROP TABLE a.b",
        "INSERT INTO t (a, b) VALUES (1, 'x;y')",
        "'multi\nline'",
        "jobs",
        "=",
        "<>",
        "(",
        ")",
        ",",
        ";",
        ";",
        ";",
        "'it''s'",
        "BEGIN",
        "CREATE TRIGGER x AFTER INSERT ON t",
        "end",
        "Case",
        "delimiter",
        "GO",
        "\nGO\n",
        "\ndelimiter ;\n",
        "-- c",
        "/* c */",
        "$1",
        "\"q\"",
        "1.5",
    ];
    const GAPS: &[&str] = &["", " ", "  ", "\n", "\t", "\n  ", " \n"];
    let mut rng = crate::test_rng::Rng::new(0xbb67_ae85_84ca_a73b);
    let (mut read, mut refused) = (0, 0);
    for _ in 0..3_000 {
        let mut s = String::new();
        for _ in 0..1 + rng.below(8) {
            s.push_str(GAPS[rng.below(GAPS.len())]);
            s.push_str(PIECES[rng.below(PIECES.len())]);
        }
        s.push_str(GAPS[rng.below(GAPS.len())]);
        if same(&s) {
            read += 1;
        } else {
            refused += 1;
        }
    }
    assert!(
        read > 400 && refused > 400,
        "{read} read, {refused} refused"
    );
}

/// Every SQL file and shell script of `fixtures/` and `tests/cases`, whole.
#[test]
fn fixture_files_split_as_the_splitter_splits_them() {
    let texts = crate::sql::fast_tokens::tests::fixture_texts();
    let read = texts.iter().filter(|t| same(t)).count();
    assert!(texts.len() > 100 && read > 5, "{read} of {}", texts.len());
}
