//! A text judged against the shared fresh replay (`leaves_nothing_read`) gets the findings
//! its own replay gives, and the checks of an `Other` statement read no state.

use super::*;
use crate::diagnostic::Diagnostic;

/// Statements that analyse to `StmtKind::Other`.
const OTHER: &[&str] = &[
    "SELECT * FROM t",
    "SELECT count(*) FROM jobs",
    "INSERT INTO t (a) VALUES (1)",
    "INSERT INTO t SELECT * FROM u",
    "GRANT SELECT ON t TO r",
    "COMMENT ON TABLE t IS 'x'",
    "CREATE EXTENSION IF NOT EXISTS pgcrypto",
    "CREATE FUNCTION f() RETURNS int AS 'select 1' LANGUAGE sql",
    "ANALYZE t",
    "VACUUM t",
    "BEGIN",
    "COMMIT",
    "SET search_path TO app",
    "REFRESH MATERIALIZED VIEW v",
    "LOCK TABLE t",
    "CREATE ROLE r",
    "ALTER SEQUENCE s RESTART",
    "DO $$ BEGIN PERFORM 1; END $$",
    "gibberish here",
];

/// Statements that change what the replay knows, or read it.
const FIRST: &[&str] = &[
    "CREATE TABLE t (a int, b text NOT NULL)",
    "CREATE MATERIALIZED VIEW v AS SELECT a FROM t",
    "ALTER TABLE t ADD COLUMN c int NOT NULL",
    "ALTER TABLE t RENAME COLUMN a TO a2",
    "ALTER TABLE t ALTER COLUMN b SET NOT NULL",
    "ALTER TABLE t DROP COLUMN b",
    "DROP TABLE t",
    "DROP TABLE t CASCADE",
    "DROP INDEX i",
    "CREATE INDEX i ON t (a)",
    "UPDATE t SET a = 1",
    "UPDATE t SET a = 1 WHERE b = 'x'",
    "UPDATE t SET a = 1 WHERE 1 = 1",
    "DELETE FROM t",
    "DELETE FROM t WHERE a IS NULL",
    "TRUNCATE t",
    "DO $$ BEGIN DELETE FROM t; END $$",
];

/// The findings of `src` checked against a replay of its own (never the shared fresh one).
fn own(src: &str, dialect: Dialect, opts: &SqlOptions) -> Vec<Diagnostic> {
    let o = sql::Options {
        shell_vars: opts.shell_vars,
    };
    let statements = sql::analyze_facts(src, dialect, o);
    let mut local = Replay::new(false);
    local.next_file("", opts.down);
    local.begin_text(src);
    check_statements(src, dialect, opts, &statements, Seen::Own(&mut local))
}

#[test]
fn the_other_statements_are_other() {
    for s in OTHER {
        let stmts = sql::analyze(s, Dialect::Postgres, sql::Options::default());
        assert!(
            stmts
                .iter()
                .all(|st| matches!(st.kind, sql::StmtKind::Other)),
            "{s}: {stmts:?}"
        );
    }
}

/// Generated texts: a first statement of any kind, then statements mostly of kind `Other`
/// (the fresh replay serves those texts) and sometimes not, in several dialects.
#[test]
fn texts_judged_fresh_find_what_their_own_replay_finds() {
    let mut rng = crate::test_rng::Rng::new(0x1f83_d9ab_fb41_bd6b);
    let (mut fresh, mut tried) = (0, 0);
    for _ in 0..2_000 {
        let pick = |rng: &mut crate::test_rng::Rng, other: bool| {
            let list = if other { OTHER } else { FIRST };
            list[rng.below(list.len())]
        };
        let other = rng.below(3) == 0;
        let mut text = pick(&mut rng, other).to_string();
        for _ in 0..rng.below(4) {
            text.push_str(";\n");
            let other = rng.below(6) > 0;
            text.push_str(pick(&mut rng, other));
        }
        if rng.below(2) == 0 {
            text.push(';');
        }
        let dialect = [Dialect::Postgres, Dialect::Mysql, Dialect::Sqlite][rng.below(3)];
        let opts = SqlOptions {
            down: rng.below(8) == 0,
            shell_vars: rng.below(2) == 0,
        };
        let statements = sql::analyze_facts(
            &text,
            dialect,
            sql::Options {
                shell_vars: opts.shell_vars,
            },
        );
        fresh += usize::from(leaves_nothing_read(&text, &opts, &statements));
        tried += 1;
        assert_eq!(
            format!("{:?}", check_sql(&text, dialect, &opts)),
            format!("{:?}", own(&text, dialect, &opts)),
            "{text:?} {dialect:?} {opts:?}"
        );
    }
    assert!(fresh > tried / 4 && fresh < tried, "{fresh} of {tried}");
}

/// What every check of an `Other` statement finds is the same against a replay that knows a
/// lot (tables, columns, indexes, renames, drops, updates of this file) as against the fresh
/// one: none of them reads the state for it, so what earlier statements record is not read.
#[test]
fn checks_of_other_statements_read_no_state() {
    let prefix = FIRST.join(";\n");
    let mut loaded = Replay::new(false);
    loaded.next_file("", false);
    loaded.begin_text(&prefix);
    loaded.begin_layer(false);
    for s in sql::analyze(&prefix, Dialect::Postgres, sql::Options::default()) {
        loaded.after_rules(&s, (&prefix, Dialect::Postgres, false), &mut Vec::new(), 0);
    }
    let t = sql::ObjName::from_parts(&[("t".to_string(), false)]);
    assert!(
        loaded
            .schema
            .layer
            .created_here(&sql::ObjectKind::Table, &t)
            .is_some()
    );
    assert!(!loaded.schema.dropped_tables.is_empty() || !loaded.schema.tables.is_empty());
    let judged = |r: &Replay, src: &str, st: &Statement| {
        let at = (src, Dialect::Postgres, false);
        let mut out = Vec::new();
        for f in sql_checks() {
            f(st, &r.context(at), &mut out);
        }
        let dropped = (
            crate::idioms::dropped_indexes(st, &r.schema).len(),
            crate::rebuild::dropped_table(st, 0, &r.schema).is_some(),
        );
        r.rules_only(st, at, &mut out, 0);
        format!("{out:?} {dropped:?}")
    };
    for src in OTHER {
        for st in sql::analyze(src, Dialect::Postgres, sql::Options::default()) {
            assert_eq!(
                judged(&loaded, src, &st),
                judged(replay::fresh(), src, &st),
                "{src}"
            );
        }
    }
}
