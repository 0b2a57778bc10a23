//! Tests of the plain-statement tokenizer: its tokens and spans against sqlparser's, in every
//! dialect preflight parses.

use super::*;
use sqlparser::dialect as d;
use sqlparser::tokenizer::Tokenizer;

fn dialects() -> Vec<Box<dyn d::Dialect>> {
    vec![
        Box::new(d::PostgreSqlDialect {}),
        Box::new(d::MySqlDialect {}),
        Box::new(d::SQLiteDialect {}),
        Box::new(d::GenericDialect {}),
        Box::new(d::ClickHouseDialect {}),
        Box::new(d::MsSqlDialect {}),
    ]
}

/// When the fast reader reads `text`, sqlparser reads it to the same tokens and spans in
/// every dialect. Returns whether the fast reader read it.
fn same(text: &str, dialects: &[Box<dyn d::Dialect>]) -> bool {
    let Some(fast) = tokenize(text) else {
        return false;
    };
    let fast = format!("{fast:?}");
    for dia in dialects {
        let slow = Tokenizer::new(dia.as_ref(), text)
            .with_unescape(true)
            .tokenize_with_location();
        match slow {
            Ok(slow) => assert_eq!(fast, format!("{slow:?}"), "{dia:?} {text:?}"),
            Err(e) => panic!("{dia:?} {text:?}: fast read it, sqlparser refused: {e}"),
        }
    }
    true
}

#[test]
fn keywords_are_looked_up_as_sqlparser_does() {
    assert!(ALL_KEYWORDS.iter().all(|k| k.len() < 64));
    for k in ALL_KEYWORDS {
        let lower = k.to_ascii_lowercase();
        let mixed: String = k
            .chars()
            .enumerate()
            .map(|(i, c)| {
                if i % 2 == 0 {
                    c.to_ascii_lowercase()
                } else {
                    c
                }
            })
            .collect();
        for w in [
            k.to_string(),
            lower,
            mixed,
            format!("{k}x"),
            format!("{k}_"),
        ] {
            let Token::Word(slow) = Token::make_word(&w, None) else {
                unreachable!()
            };
            assert_eq!(keyword(w.as_bytes()), slow.keyword, "{w}");
        }
    }
    assert_eq!(keyword("a".repeat(100).as_bytes()), Keyword::NoKeyword);
    // keywords with one byte changed to any other word byte, or cut: digits and `_` sit
    // where case folding would move a letter
    const BYTES: &[u8] = b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_";
    let mut rng = crate::test_rng::Rng::new(0x510e_527f_ade6_82d1);
    for _ in 0..20_000 {
        let k = ALL_KEYWORDS[rng.below(ALL_KEYWORDS.len())];
        let mut w = k.as_bytes().to_vec();
        let at = rng.below(w.len());
        match rng.below(3) {
            0 => w[at] = BYTES[rng.below(BYTES.len())],
            1 => w.truncate(at.max(1)),
            _ => w.insert(at, BYTES[rng.below(BYTES.len())]),
        }
        if !w[0].is_ascii_alphabetic() && w[0] != b'_' {
            continue;
        }
        let w = String::from_utf8(w).expect("ASCII");
        let Token::Word(slow) = Token::make_word(&w, None) else {
            unreachable!()
        };
        assert_eq!(keyword(w.as_bytes()), slow.keyword, "{w}");
    }
}

#[test]
fn heredoc_statements_are_read() {
    let dialects = dialects();
    for s in [
        "UPDATE jobs SET state = 'queued' WHERE state = 'stuck' AND id > 7",
        "SELECT count(*) FROM jobs;",
        "DELETE FROM sessions WHERE expires_at < now()",
        "ALTER TABLE users ADD COLUMN age int NOT NULL",
        "CREATE INDEX idx_a ON public.users (email, created_at)",
        "UPDATE t SET a = 1, b = 'x\ny' WHERE c <> 2 AND d >= 3 OR e <= 4",
        "DROP TABLE IF EXISTS a.b CASCADE",
        "\tINSERT INTO t (a) VALUES (1), (2);\n",
        "",
    ] {
        assert!(same(s, &dialects), "{s:?} not read");
    }
}

#[test]
fn shapes_outside_the_subset_fall_back() {
    for s in [
        "SELECT E'a'",
        "SELECT N'a'",
        "SELECT x'ab'",
        "SELECT b'01'",
        "SELECT U&'a'",
        "SELECT 'it''s'",
        "SELECT 'a\\'b'",
        "SELECT 1.5",
        "SELECT 1e5",
        "SELECT 0x1f",
        "SELECT 10L",
        "SELECT 1abc",
        "SELECT .5",
        "SELECT a <=> b",
        "SELECT a >> b",
        "SELECT a <@ b",
        "SELECT a <=* b",
        "SELECT a => b",
        "SELECT a == b",
        "SELECT a != b",
        "SELECT \"a\"",
        "SELECT `a`",
        "SELECT [a]",
        "SELECT $1",
        "SELECT @a",
        "SELECT #a",
        "SELECT a -- c",
        "SELECT a /* c */",
        "SELECT a - b",
        "SELECT a::int",
        "SELECT 'unterminated",
        "SELECT a\r\nFROM b",
        "SELECT 'é'",
        "SELECT café",
        "COPY t FROM STDIN;\n1\n\\.",
        "SELECT t.1",
        "SELECT (a).b",
        "SELECT a .b",
        "SELECT \u{c}a",
    ] {
        assert!(tokenize(s).is_none(), "{s:?} was read");
    }
}

/// Strings made of pieces sqlparser reads differently per dialect or not at all, joined with
/// and without spaces: whatever the fast reader reads, sqlparser reads alike.
#[test]
fn generated_strings_read_as_sqlparser_reads_them() {
    const PIECES: &[&str] = &[
        "UPDATE", "jobs", "state", "id", "_x", "e", "E", "n", "N", "x", "X", "b", "B", "r", "q",
        "u", "U", "nq", "STDIN", "COPY", "FROM", " ", "  ", "\n", "\t", "'queued'", "''", "'a b'",
        "'it''s'", "'\\n'", "'\n'", "=", "<", ">", ">=", "<=", "<>", "!=", "==", "=>", "<=>", ">>",
        "<<", "<@", "(", ")", ",", ";", "*", ".", "._", "7", "0", "01", "1.5", "1e5", "0x1", "&",
        "-", "--", "/", "$", "@", "#", ":", "\"q\"", "`b`", "[", "]", "é", "\r", "+", "%", "?",
        "|", "~", "!", "^", "{", "}",
    ];
    let dialects = dialects();
    let mut rng = crate::test_rng::Rng::new(0x2545_f491_4f6c_dd1d);
    let mut next = move || rng.next_u64();
    let (mut read, mut refused) = (0, 0);
    for _ in 0..20_000 {
        let n = 1 + next() % 10;
        let spaced = next() % 2 == 0;
        let mut s = String::new();
        for _ in 0..n {
            if spaced && !s.is_empty() {
                s.push(' ');
            }
            s.push_str(PIECES[(next() % PIECES.len() as u64) as usize]);
        }
        if same(&s, &dialects) {
            read += 1;
        } else {
            refused += 1;
        }
    }
    assert!(
        read > 2_000 && refused > 2_000,
        "{read} read, {refused} refused"
    );
}

/// Every statement of the SQL files and shell scripts of `fixtures/` and `tests/cases`, and
/// every prefix of the first few hundred.
#[test]
fn statements_of_the_fixtures_read_as_sqlparser_reads_them() {
    let dialects = dialects();
    let (mut statements, mut read) = (0, 0);
    for text in fixture_texts() {
        for raw in crate::sql::split::split(&text, crate::source::Dialect::Postgres) {
            let stmt = &text[raw.span.start..raw.span.end];
            statements += 1;
            if same(stmt, &dialects) {
                read += 1;
            }
            if statements < 300 {
                for (i, _) in stmt.char_indices() {
                    same(&stmt[..i], &dialects[..1]);
                }
            }
        }
    }
    assert!(
        statements > 300 && read > statements / 4,
        "{read} of {statements}"
    );
}

/// The texts of the SQL files and shell scripts of `fixtures/` and `tests/cases`.
pub(in crate::sql) fn fixture_texts() -> Vec<String> {
    let mut files = Vec::new();
    for root in ["fixtures", "tests/cases"] {
        collect(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(root),
            &mut files,
        );
    }
    let texts = files.iter().filter_map(|f| std::fs::read_to_string(f).ok());
    texts.collect()
}

fn collect(dir: std::path::PathBuf, out: &mut Vec<std::path::PathBuf>) {
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            collect(p, out);
        } else if p.extension().is_some_and(|x| x == "sql" || x == "sh") {
            out.push(p);
        }
    }
}

/// Generated statements (plain updates the builder takes, near misses, other statements,
/// broken ones) parse to the same trees or errors, spans included, with the fast tokens
/// and builder as with sqlparser alone, in every dialect preflight parses.
#[test]
fn generated_statements_parse_as_sqlparser_parses_them() {
    use crate::source::Dialect as D;
    const SHAPES: &[&str] = &[
        "UPDATE {n} SET {n} = {v} WHERE {n} {op} {v}",
        "UPDATE {n}.{n} SET {n} = {v}, {n} = {v}",
        "UPDATE {n} SET {n} = {v} WHERE {n} IS NULL AND {n} {op} {v} OR {n} IS NOT NULL",
        "UPDATE {n} SET {n} = {v} WHERE {n} ISNULL",
        "UPDATE {n} SET {n} = {v} WHERE {n} {op} {v} AND",
        "UPDATE {n} SET {n} = {v} WHERE {n} IS NULL = {v}",
        "DELETE FROM {n} WHERE {n} {op} {v} AND {n} IS NULL",
        "CREATE INDEX {n} ON {n} ({n}, {n})",
        "ALTER TABLE {n} ADD COLUMN {n} int NOT NULL",
        "DROP TABLE {n}.{n}",
        "SELECT count(*) FROM {n} WHERE {n} {op} {v};",
        "{n} {n} = {v}",
    ];
    // plain names mostly; now and then a keyword, `isnull` or an odd value
    const NAMES: &[&str] = &[
        "jobs", "state", "id", "ID", "name", "data", "Status", "_x", "a1",
    ];
    const ODD_NAMES: &[&str] = &[
        "order", "user", "isnull", "date", "set", "where", "null", "is",
    ];
    const VALUES: &[&str] = &["'queued'", "''", "7", "0123", "x", "id"];
    const ODD_VALUES: &[&str] = &["null", "true", "1.5", "'it''s'", "$1", "E'x'"];
    const OPS: &[&str] = &["=", "<>", "<", ">", "<=", ">="];
    const GAPS: &[&str] = &[" ", "  ", "\n", "\t", "\n  "];
    let dialects = [
        D::Postgres,
        D::Cockroach,
        D::Mysql,
        D::Sqlite,
        D::Generic,
        D::Clickhouse,
        D::Mssql,
    ];
    let mut rng = crate::test_rng::Rng::new(0x6a09_e667_f3bc_c908);
    let (mut fast, mut built) = (0, 0);
    for _ in 0..2_000 {
        let shape = SHAPES[rng.below(SHAPES.len())];
        let mut s = String::new();
        for (i, part) in shape.split(' ').enumerate() {
            if i > 0 {
                s.push_str(GAPS[rng.below(GAPS.len())]);
            }
            let mut rest = part;
            while !rest.is_empty() {
                let odd = rng.below(6) == 0;
                let (list, n): (&[&str], usize) = if rest.starts_with("{n}") {
                    (if odd { ODD_NAMES } else { NAMES }, 3)
                } else if rest.starts_with("{v}") {
                    (if odd { ODD_VALUES } else { VALUES }, 3)
                } else if rest.starts_with("{op}") {
                    (OPS, 4)
                } else {
                    let c = rest.chars().next().unwrap_or(' ');
                    s.push(c);
                    rest = &rest[c.len_utf8()..];
                    continue;
                };
                s.push_str(list[rng.below(list.len())]);
                rest = &rest[n..];
            }
        }
        fast += usize::from(lex(&s).is_some());
        built +=
            usize::from(lex(&s).is_some_and(|t| crate::sql::fast_update::update(&t).is_some()));
        for d in dialects {
            let new = crate::sql::parse_inner(&s, d, true, None);
            let old = crate::sql::parse_inner(&s, d, false, None);
            assert_eq!(format!("{new:?}"), format!("{old:?}"), "{d:?} {s:?}");
        }
    }
    // some statements fall back (odd values), some hundred are plain updates
    assert!(
        fast > 1_200 && fast < 2_000 && built > 100,
        "{fast} read fast, {built} built"
    );
}
