//! The plain-UPDATE builder against sqlparser's parser (trees) and against the facts read
//! from sqlparser's tree (facts without a tree), on listed and generated statements.

use super::*;
use crate::source::Dialect;
use crate::sql::{Statement as Analysed, StmtKind};

/// The tree built from `sql`'s tokens as `parse_inner` hands them over.
fn build(sql: &str) -> Option<Statement> {
    update(&crate::sql::fast_tokens::lex(sql)?)
}

/// When the builder builds a tree, sqlparser parses the statement to the same tree.
fn same(sql: &str) -> bool {
    if build(sql).is_none() {
        return false;
    }
    let fast = crate::sql::parse_inner(sql, Dialect::Postgres, true, None);
    let slow = crate::sql::parse_inner(sql, Dialect::Postgres, false, None);
    match (&fast, &slow) {
        (Ok(_), Ok(_)) => assert_eq!(format!("{fast:?}"), format!("{slow:?}"), "{sql}"),
        _ => panic!("{sql}: built, but sqlparser refused: {slow:?}"),
    }
    true
}

#[test]
fn heredoc_updates_are_built() {
    for s in [
        "UPDATE jobs SET state = 'queued' WHERE state = 'stuck' AND id > 7",
        "UPDATE jobs SET state = 'queued'",
        "UPDATE app.accounts SET name = 'x', status = 2 WHERE id = 3 OR id <> 4",
        "UPDATE t\n  SET a = b\n  WHERE c <= 1 AND d >= 2 OR e < 3 AND f = 'g\nh'",
        "UPDATE table_34 SET data = '' WHERE data IS NULL AND id > 354",
        "UPDATE t SET a = 1 WHERE x = 1 OR y IS NOT NULL",
        "UPDATE t SET a = 1 WHERE x is null and y is not null or z Is Not Null",
    ] {
        assert!(same(s), "{s} not built");
    }
}

#[test]
fn other_shapes_are_left_to_sqlparser() {
    for s in [
        "UPDATE jobs SET state = 'queued';",
        "UPDATE ONLY jobs SET a = 1",
        "UPDATE jobs AS j SET a = 1",
        "UPDATE jobs j SET a = 1",
        "UPDATE jobs SET a = 1 WHERE b IS DISTINCT FROM c",
        "UPDATE jobs SET a = 1 WHERE b IS NOT DISTINCT FROM c",
        "UPDATE jobs SET a = 1 WHERE b IS TRUE",
        "UPDATE jobs SET a = 1 WHERE b IS NOT FALSE",
        "UPDATE jobs SET a = 1 WHERE b IS UNKNOWN",
        "UPDATE jobs SET a = 1 WHERE b ISNULL",
        "UPDATE jobs SET a = 1 WHERE b NOTNULL",
        "UPDATE jobs SET isnull = 1",
        "UPDATE jobs SET a = ISNULL",
        "UPDATE isnull SET a = 1",
        "UPDATE jobs SET a = 1 WHERE isnull = 1",
        "UPDATE jobs SET a = 1 WHERE b = IsNull",
        "UPDATE jobs SET a = 1 WHERE b NOT NULL",
        "UPDATE jobs SET a = 1 WHERE b IS NULL = c",
        "UPDATE jobs SET a = 1 WHERE b IS NULL IS NULL",
        "UPDATE jobs SET a = 1 WHERE b = 1 IS NULL",
        "UPDATE jobs SET a = 1 WHERE b IS NOT",
        "UPDATE jobs SET a = 1 WHERE b IS",
        "UPDATE jobs SET a = 1 WHERE 'b' IS NULL",
        "UPDATE jobs SET a = 1 WHERE b IS \"NULL\"",
        "UPDATE jobs SET a = 1 WHERE b IN (1, 2)",
        "UPDATE jobs SET a = 1 WHERE NOT b = 1",
        "UPDATE jobs SET a = 1 WHERE b = 1 = c",
        "UPDATE jobs SET a = 1 WHERE b = now()",
        "UPDATE jobs SET a = 1 WHERE t.b = 1",
        "UPDATE jobs SET a = 1 WHERE b = TRUE",
        "UPDATE jobs SET a = 1 WHERE b = NULL",
        "UPDATE jobs SET a = 1 RETURNING *",
        "UPDATE jobs SET a = 1 FROM b WHERE c = 1",
        "UPDATE jobs SET date = 1",
        "UPDATE jobs SET (a, b) = (1, 2)",
        "UPDATE jobs SET a = 1 WHERE b = 1 AND",
        "UPDATE jobs SET a = 1,",
        "DELETE FROM jobs WHERE a = 1",
    ] {
        assert!(build(s).is_none(), "{s} was built");
    }
}

/// Generated statements: every name (plain, the allowed keywords, in both cases), value,
/// operator and joiner in every position, with varied spacing and line breaks; each with
/// whether it holds a shape the builder must refuse. `extra`: more values.
fn generated(seed: u64, extra: &[&'static str]) -> Vec<(String, bool)> {
    const NAMES: &[&str] = &[
        "jobs",
        "state",
        "id",
        "ID",
        "name",
        "Status",
        "data",
        "OWNER",
        "_x",
        "a1",
        "created_at",
        "set_to",
        "where_",
        "order",
        "limit",
        "user",
        "date",
        "value",
        "and_",
        "jobsor",
    ];
    let mut values = vec!["'queued'", "''", "'a b'", "7", "0", "0123", "x", "id"];
    values.extend_from_slice(extra);
    const OPS: &[&str] = &["=", "<>", "<", ">", "<=", ">="];
    const NULLS: &[&str] = &[
        "IS NULL",
        "is null",
        "IS NOT NULL",
        "Is Not  Null",
        "IS\nNULL",
    ];
    // what must be refused (the builder knows none of these trees)
    const NOT_NULLS: &[&str] = &[
        "IS TRUE",
        "IS NOT FALSE",
        "IS DISTINCT FROM x",
        "IS NOT DISTINCT FROM 1",
        "ISNULL",
        "isnull",
        "NOTNULL",
        "NOT NULL",
        "IS NULL = 1",
        "IS NOT NULL <> x",
        "IS NULL IS NULL",
        "IS NOT",
        "IS UNKNOWN",
    ];
    const GAPS: &[&str] = &[" ", "  ", "\n", "\t", "\n  "];
    let mut rng = crate::test_rng::Rng::new(seed);
    let mut next = move |n: usize| rng.below(n);
    let mut out = Vec::new();
    for _ in 0..3_000 {
        let mut s = String::from("UPDATE");
        let mut refuse = false;
        macro_rules! push {
            ($list:expr) => {{
                let i = next($list.len());
                s.push_str($list[i]);
            }};
        }
        push!(GAPS);
        push!(NAMES);
        if next(4) == 0 {
            s.push('.');
            push!(NAMES);
        }
        push!(GAPS);
        s.push_str("SET");
        for i in 0..1 + next(3) {
            if i > 0 {
                s.push(',');
            }
            push!(GAPS);
            push!(NAMES);
            push!(GAPS);
            s.push('=');
            push!(GAPS);
            push!(values);
        }
        if next(3) > 0 {
            push!(GAPS);
            s.push_str("WHERE");
            for i in 0..1 + next(4) {
                if i > 0 {
                    push!(GAPS);
                    push!(["AND", "OR", "and", "or"]);
                }
                push!(GAPS);
                push!(NAMES);
                push!(GAPS);
                match next(12) {
                    0..=2 => push!(NULLS),
                    3 => {
                        push!(NOT_NULLS);
                        refuse = true;
                    }
                    _ => {
                        push!(OPS);
                        push!(GAPS);
                        push!(values);
                    }
                }
            }
        }
        out.push((s, refuse));
    }
    out
}

#[test]
fn generated_updates_build_as_sqlparser_parses_them() {
    let (mut built, mut tried, mut nulls) = (0, 0, 0);
    for (s, refuse) in generated(0x9e37_79b9_7f4a_7c15, &[]) {
        tried += 1;
        if refuse {
            assert!(build(&s).is_none(), "{s} was built");
        } else if same(&s) {
            built += 1;
            nulls += usize::from(s.to_ascii_uppercase().contains(" NULL"));
        }
    }
    assert!(built > tried / 6 && built < tried, "{built} of {tried}");
    assert!(nulls > built / 8, "{nulls} of {built} with IS [NOT] NULL");
}

/// `analyze_facts` gives the statements `analyze` gives, but for the tree of a plain
/// UPDATE (read from its tokens, no tree). Returns how many it read without a tree.
fn same_facts(text: &str, shell_vars: bool) -> usize {
    let opts = crate::sql::Options { shell_vars };
    let with = crate::sql::analyze(text, Dialect::Postgres, opts);
    let without = crate::sql::analyze_facts(text, Dialect::Postgres, opts);
    assert_eq!(with.len(), without.len(), "{text:?}");
    let mut fast = 0;
    for (w, f) in with.into_iter().zip(without) {
        if f.ast.is_none() && w.ast.is_some() {
            assert!(matches!(f.kind, StmtKind::Update { .. }), "{text:?}");
            fast += 1;
        }
        // a statement both read with a tree has the same one
        assert_eq!(
            format!("{:?}", w.ast),
            format!("{:?}", f.ast.as_ref().or(w.ast.as_ref()))
        );
        let (w, f) = (Analysed { ast: None, ..w }, Analysed { ast: None, ..f });
        assert_eq!(format!("{w:?}"), format!("{f:?}"), "{text:?}");
    }
    fast
}

#[test]
fn facts_without_a_tree_are_the_facts_of_the_tree() {
    for s in [
        "UPDATE jobs SET state = 'queued' WHERE state = 'stuck' AND id > 7;\nSELECT count(*) FROM jobs;\n",
        "SELECT 1;\n  UPDATE App.Jobs SET State = 'x', n = 2\n   WHERE a IS NULL OR b <> 'c';",
        "UPDATE jobs SET a = $V WHERE id = ${ID};",
        "UPDATE jobs SET a = 1 WHERE $COND;",
        "UPDATE $T SET a = 1;",
        "UPDATE jobs SET a = 1",
    ] {
        same_facts(s, true);
        same_facts(s, false);
    }
    assert_eq!(same_facts("UPDATE jobs SET a = 1 WHERE id = $ID", true), 1);
    let opts = crate::sql::Options { shell_vars: true };
    let s = crate::sql::analyze_facts(
        "UPDATE $T SET a = 1 WHERE id = $ID",
        Dialect::Postgres,
        opts,
    );
    match &s[0].kind {
        StmtKind::Update {
            table: Some(t),
            predicate: Some(p),
            ..
        } => assert!(s[0].ast.is_none() && t.display == "$T" && p.opaque, "{s:?}"),
        other => panic!("{other:?}"),
    }
    assert_eq!(
        same_facts("DELETE FROM jobs; UPDATE t SET a = 1 WHERE b = 2", false),
        1
    );
}

/// The generated statements alone and after other statements (their spans move), with shell
/// expansions among the values (masked: a WHERE clause holding one is opaque).
#[test]
fn generated_updates_have_the_facts_of_their_trees() {
    const BEFORE: &[&str] = &[
        "",
        "SELECT 1;",
        "SELECT count(*) FROM jobs;\n",
        "  \n\tDELETE FROM t WHERE a = 1 ;\n   ",
        "UPDATE t SET a = 'x\ny';\n  ",
    ];
    const AFTER: &[&str] = &["", ";", ";\n", " ;\nSELECT 2;\n"];
    let mut rng = crate::test_rng::Rng::new(0x3c6e_f372_fe94_f82b);
    let (mut fast, mut tried) = (0, 0);
    for (s, _) in generated(0x6a09_e667_f3bc_c908, &["$V", "${V}", "v_x"]) {
        let text = format!(
            "{}{s}{}",
            BEFORE[rng.below(BEFORE.len())],
            AFTER[rng.below(AFTER.len())]
        );
        tried += 1;
        fast += same_facts(&text, rng.below(2) == 0);
    }
    assert!(fast > tried / 6 && fast < tried, "{fast} of {tried}");
}
