//! Knex, TypeORM and Sequelize migrations (issue 15): which files are read, the down side,
//! suppressions, and a file checked alone. The findings of the fixture sets are snapshots in
//! `tests/migrations.rs`.

use preflight::discover::discover;
use preflight::run::{Outcome, Settings, run};
use std::path::PathBuf;

fn check(paths: &[&str], settings: &Settings) -> Outcome {
    let inputs: Vec<PathBuf> = paths.iter().map(PathBuf::from).collect();
    let (files, errors) = discover(&inputs, &|_| None, &|_| false);
    assert!(errors.is_empty(), "{errors:?}");
    run(&files, settings)
}

fn rules_in(out: &Outcome, suffix: &str) -> Vec<String> {
    out.files
        .iter()
        .filter(|f| f.path.ends_with(suffix))
        .flat_map(|f| f.diagnostics.iter().map(|d| d.rule.clone()))
        .collect()
}

const PROJECTS: &[&str] = &[
    "fixtures/migrations/knex",
    "fixtures/migrations/typeorm",
    "fixtures/migrations/sequelize",
];

#[test]
fn only_files_in_migrations_folders_are_read() {
    for p in PROJECTS {
        let inputs = vec![PathBuf::from(p)];
        let (files, _) = discover(&inputs, &|_| None, &|_| false);
        assert!(!files.is_empty(), "{p}");
        for f in &files {
            assert!(f.display.contains("/migrations/"), "{p}: {}", f.display);
        }
    }
    // the near misses outside migrations folders call the same API: never reported
    let out = check(PROJECTS, &Settings::default());
    for f in ["src/cleanup.js", "entity/User.ts", "models/user.js"] {
        assert!(out.files.iter().all(|o| !o.path.ends_with(f)), "{f}");
    }
}

#[test]
fn down_side_is_reported_only_with_check_down() {
    let cases = [
        (
            "fixtures/migrations/knex/migrations",
            "20240102090000_changes.js",
            "drop-table",
        ),
        (
            "fixtures/migrations/typeorm/src/migrations",
            "1700000000002-Changes.ts",
            "drop-column",
        ),
        (
            "fixtures/migrations/sequelize/migrations",
            "20240102090000-changes.js",
            "drop-column",
        ),
    ];
    for (dir, file, rule) in cases {
        let count = |out: &Outcome| rules_in(out, file).iter().filter(|r| *r == rule).count();
        let out = check(&[dir], &Settings::default());
        let up = count(&out);
        let out = check(
            &[dir],
            &Settings {
                check_down: true,
                ..Settings::default()
            },
        );
        assert_eq!(count(&out), up + 1, "{dir}: {:?}", rules_in(&out, file));
    }
}

#[test]
fn suppression_comment_in_a_js_file() {
    let out = check(
        &["fixtures/migrations/knex/migrations"],
        &Settings::default(),
    );
    let f = out
        .files
        .iter()
        .find(|f| f.path.ends_with("20240102090000_changes.js"))
        .expect("findings");
    assert_eq!(f.suppressed.len(), 1);
    assert_eq!(f.suppressed[0].rule, "drop-column");
    assert!(
        f.diagnostics
            .iter()
            .all(|d| !d.message.contains("users.notes"))
    );
}

#[test]
fn a_single_file_is_judged_with_its_history() {
    let out = check(
        &["fixtures/migrations/sequelize/migrations/20240102090000-changes.js"],
        &Settings::default(),
    );
    assert_eq!(out.files.len(), 1);
    let d = &out.files[0].diagnostics[0];
    assert_eq!(d.rule, "drop-column");
    assert!(
        d.message
            .contains("created in 20240101090000-create-tables.js"),
        "{}",
        d.message
    );
}

#[test]
fn a_file_alone_on_stdin_style() {
    let src = "exports.up = async (knex) => {\n  await knex.schema.dropTable('users');\n};\n";
    let got =
        preflight::check::orm::check_alone_js(src, preflight::source::Dialect::Postgres, false);
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].rule, "drop-table");
    assert!(
        got[0].message.starts_with("`knex.schema.dropTable` drops"),
        "{}",
        got[0].message
    );
    // not a migration (no `up`): nothing
    let src = "const knex = require('knex')(cfg);\nknex.schema.dropTable('users');\n";
    assert!(
        preflight::check::orm::check_alone_js(src, preflight::source::Dialect::Postgres, false)
            .is_empty()
    );
}

/// The down side of an ORM migration is exempt from every per-statement data-loss rule, DML
/// included (DELETE, UPDATE, TRUNCATE, null predicates), as SQL down migrations are; with
/// `check_down` each is reported.
#[test]
fn dml_on_the_down_side_is_exempt_unless_checked() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let write = |rel: &str, text: &str| {
        let p = tmp.path().join(rel);
        std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
        std::fs::write(p, text).expect("write");
    };
    let dml = [
        r#"DELETE FROM permissions WHERE "collectionId" IS NULL"#,
        "DELETE FROM permissions",
        "UPDATE permissions SET a = 1",
        "TRUNCATE permissions",
    ];
    let js: String = dml
        .iter()
        .map(|q| format!("    await queryInterface.sequelize.query(`{q}`);\n"))
        .collect();
    write(
        "seq/migrations/20230101000000-x.js",
        &format!(
            "module.exports = {{\n  async up(queryInterface, Sequelize) {{\n    await queryInterface.addColumn(\"a\", \"b\", {{ type: Sequelize.STRING }});\n  }},\n  async down(queryInterface, Sequelize) {{\n{js}  }},\n}};\n"
        ),
    );
    let py: String = dml
        .iter()
        .map(|q| format!("    op.execute('{q}')\n"))
        .collect();
    write("alembic/env.py", "");
    write(
        "alembic/versions/a1_x.py",
        &format!(
            "revision = 'a1'\ndown_revision = None\n\ndef upgrade():\n    op.add_column('a', sa.Column('b', sa.Integer()))\n\ndef downgrade():\n{py}"
        ),
    );
    let dir = tmp.path().to_string_lossy().to_string();
    let count = |out: &Outcome, suffix: &str| rules_in(out, suffix).len();
    let out = check(&[&dir], &Settings::default());
    assert_eq!(
        count(&out, "20230101000000-x.js"),
        0,
        "{:?}",
        rules_in(&out, ".js")
    );
    assert_eq!(count(&out, "a1_x.py"), 0, "{:?}", rules_in(&out, ".py"));
    let out = check(
        &[&dir],
        &Settings {
            check_down: true,
            ..Settings::default()
        },
    );
    let expect = [
        "delete-null-predicate",
        "delete-without-where",
        "update-without-where",
        "truncate",
    ];
    assert_eq!(rules_in(&out, "20230101000000-x.js"), expect);
    assert_eq!(rules_in(&out, "a1_x.py"), expect);
}
