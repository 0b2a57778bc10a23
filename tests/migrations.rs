//! Migration sets: fixture sets in each convention under `fixtures/migrations/`, checked as a
//! whole (files in version order, one replayed schema), with snapshots of the findings and of
//! `--explain-order`.

use preflight::discover::discover;
use preflight::run::explain_order;
use preflight::run::{Outcome, Settings, run};
use preflight::source::LineIndex;
use std::path::{Path, PathBuf};
use std::process::Command;

fn check(paths: &[&str], settings: &Settings) -> Outcome {
    let inputs: Vec<PathBuf> = paths.iter().map(PathBuf::from).collect();
    let (files, errors) = discover(&inputs, &|_| None, &|_| false);
    assert!(errors.is_empty(), "{errors:?}");
    run(&files, settings)
}

/// One line per finding: `file:line severity[rule] message`.
fn compact(out: &Outcome) -> String {
    let mut s = String::new();
    for f in &out.files {
        let idx = LineIndex::new(&f.text);
        for d in &f.diagnostics {
            let line = idx.position(&f.text, d.span.start).line;
            s.push_str(&format!(
                "{}:{line} {}[{}] {}\n",
                f.path,
                d.severity.as_str(),
                d.rule,
                d.message
            ));
        }
    }
    for e in &out.errors {
        s.push_str(&format!("error {}: {}\n", e.file, e.message));
    }
    s
}

fn rules_in(out: &Outcome, file_suffix: &str) -> Vec<String> {
    out.files
        .iter()
        .filter(|f| f.path.ends_with(file_suffix))
        .flat_map(|f| f.diagnostics.iter().map(|d| d.rule.clone()))
        .collect()
}

const SETS: &[(&str, &str)] = &[
    ("numbered", "fixtures/migrations/numbered"),
    ("flyway", "fixtures/migrations/flyway/sql"),
    (
        "golang-migrate",
        "fixtures/migrations/golang-migrate/migrations",
    ),
    ("prisma", "fixtures/migrations/prisma/prisma/migrations"),
    ("dbmate", "fixtures/migrations/dbmate/db/migrations"),
    ("diesel", "fixtures/migrations/diesel/migrations"),
    (
        "supabase",
        "fixtures/migrations/supabase/supabase/migrations",
    ),
    ("django", "fixtures/migrations/django/shop/migrations"),
    ("alembic", "fixtures/migrations/alembic/versions"),
    ("knex", "fixtures/migrations/knex/migrations"),
    ("typeorm", "fixtures/migrations/typeorm/src/migrations"),
    ("sequelize", "fixtures/migrations/sequelize/migrations"),
    ("laravel", "fixtures/migrations/laravel/database/migrations"),
    (
        "laravel11",
        "fixtures/migrations/laravel11/database/migrations",
    ),
    ("rails", "fixtures/migrations/rails/db/migrate"),
];

#[test]
fn fixture_sets_findings_and_order() {
    for (name, dir) in SETS {
        let out = check(&[dir], &Settings::default());
        let order = explain_order(Path::new(dir), &Settings::default()).expect("a set");
        insta::with_settings!({snapshot_path => "snapshots/migrations", prepend_module_to_snapshot => false}, {
            insta::assert_snapshot!(format!("{name}__findings"), compact(&out));
            insta::assert_snapshot!(format!("{name}__order"), order);
        });
    }
}

#[test]
fn incident_gives_three_findings_naming_where_objects_were_created() {
    for (dir, file, init, notes) in [
        (
            "fixtures/migrations/numbered",
            "0004_incident.sql",
            "0001_init.sql:",
            "0002_add_notes.sql:2",
        ),
        (
            "fixtures/migrations/flyway/sql",
            "V10__incident.sql",
            "V1__init.sql:",
            "V1.1__add_notes.sql:2",
        ),
        (
            "fixtures/migrations/golang-migrate/migrations",
            "000010_incident.up.sql",
            "000001_init.up.sql:",
            "000002_add_notes.up.sql:2",
        ),
    ] {
        let out = check(&[dir], &Settings::default());
        let f = out
            .files
            .iter()
            .find(|f| f.path.ends_with(file))
            .unwrap_or_else(|| panic!("{dir}: no findings in {file}"));
        let mut rules: Vec<&str> = f.diagnostics.iter().map(|d| d.rule.as_str()).collect();
        rules.sort();
        assert_eq!(
            rules,
            ["drop-index", "rename-column", "set-not-null"],
            "{dir}"
        );
        for d in &f.diagnostics {
            let expected = if d.rule == "set-not-null" {
                notes
            } else {
                init
            };
            assert!(
                d.message.contains(expected),
                "{dir}: {} lacks {expected}",
                d.message
            );
        }
        // nothing else in the set is reported, down migrations included
        assert_eq!(
            out.files.iter().map(|f| f.diagnostics.len()).sum::<usize>(),
            if dir.contains("flyway") { 6 } else { 3 },
            "{dir}: {}",
            compact(&out)
        );
    }
}

#[test]
fn backfill_or_not_null_column_gives_none() {
    for dir in [
        "fixtures/migrations/numbered-backfill",
        "fixtures/migrations/numbered-not-null",
    ] {
        let out = check(&[dir], &Settings::default());
        assert_eq!(compact(&out), "", "{dir}");
    }
}

#[test]
fn a_single_file_of_a_set_is_judged_with_its_history() {
    let out = check(
        &["fixtures/migrations/numbered/0004_incident.sql"],
        &Settings::default(),
    );
    assert_eq!(out.files_checked, 1);
    let msgs = compact(&out);
    assert!(
        msgs.contains("created nullable in 0002_add_notes.sql:2"),
        "{msgs}"
    );
    assert!(msgs.contains("was created in 0001_init.sql:12"), "{msgs}");
    // the earlier files are replayed, not reported
    assert!(rules_in(&out, "0001_init.sql").is_empty());
}

#[test]
fn down_migrations_are_exempt_unless_checked() {
    let dir = "fixtures/migrations/golang-migrate/migrations";
    let out = check(&[dir], &Settings::default());
    assert!(rules_in(&out, "000001_init.down.sql").is_empty());
    let out = check(
        &[dir],
        &Settings {
            check_down: true,
            ..Settings::default()
        },
    );
    assert_eq!(
        rules_in(&out, "000001_init.down.sql"),
        ["drop-table", "drop-table"]
    );
    // dbmate: the `-- migrate:down` section drops a table; exempt by default
    let out = check(
        &["fixtures/migrations/dbmate/db/migrations"],
        &Settings::default(),
    );
    assert!(!rules_in(&out, "20240301000000_incident.sql").contains(&"drop-table".to_string()));
    let out = check(
        &["fixtures/migrations/dbmate/db/migrations"],
        &Settings {
            check_down: true,
            ..Settings::default()
        },
    );
    assert!(rules_in(&out, "20240301000000_incident.sql").contains(&"drop-table".to_string()));
}

#[test]
fn configured_directory_is_a_set() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path().join("schema_changes");
    std::fs::create_dir(&dir).expect("mkdir");
    // no convention: names are not numbered
    std::fs::write(dir.join("a_init.sql"), "CREATE TABLE t (id int, c text);\n").expect("write");
    std::fs::write(
        dir.join("b_tighten.sql"),
        "ALTER TABLE t ALTER COLUMN c SET NOT NULL;\n",
    )
    .expect("write");
    let path = dir.to_string_lossy().to_string();
    let plain = check(&[&path], &Settings::default());
    // alone, the column is unknown: a warning
    assert!(
        compact(&plain).contains("warning[set-not-null]"),
        "{}",
        compact(&plain)
    );
    let configured = check(
        &[&path],
        &Settings {
            migrations: vec!["**/schema_changes".to_string()],
            ..Settings::default()
        },
    );
    let c = compact(&configured);
    assert!(
        c.contains("error[set-not-null]") && c.contains("a_init.sql:1"),
        "{c}"
    );
}

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_preflight"))
}

fn git(dir: &Path, args: &[&str]) {
    let st = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(["-c", "user.email=t@example.com", "-c", "user.name=t"])
        .args(args)
        .output()
        .expect("git runs");
    assert!(
        st.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&st.stderr)
    );
}

#[test]
fn since_reports_only_changed_files_but_replays_all() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let root = tmp.path();
    let m = root.join("migrations");
    std::fs::create_dir(&m).expect("mkdir");
    for f in [
        "0001_init.sql",
        "0002_add_notes.sql",
        "0003_customer_email.sql",
    ] {
        std::fs::copy(Path::new("fixtures/migrations/numbered").join(f), m.join(f)).expect("copy");
    }
    // an old, unchanged destructive script: not reported under --since
    std::fs::write(root.join("old.sql"), "DROP TABLE legacy;\n").expect("write");
    git(root, &["init", "-q"]);
    git(root, &["add", "."]);
    git(root, &["commit", "-q", "-m", "init"]);
    std::fs::copy(
        "fixtures/migrations/numbered/0004_incident.sql",
        m.join("0004_incident.sql"),
    )
    .expect("copy");
    std::fs::write(root.join("new.sql"), "TRUNCATE audit;\n").expect("write");

    let out = bin()
        .current_dir(root)
        .args(["check", "--format", "json", "--since", "HEAD", "."])
        .output()
        .expect("runs");
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let mut seen: Vec<(String, String)> = json["diagnostics"]
        .as_array()
        .expect("array")
        .iter()
        .map(|d| {
            (
                d["file"].as_str().unwrap_or_default().to_string(),
                d["rule"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect();
    seen.sort();
    let files: Vec<&str> = seen.iter().map(|(f, _)| f.as_str()).collect();
    assert!(
        files
            .iter()
            .all(|f| f.ends_with("0004_incident.sql") || f.ends_with("new.sql")),
        "{seen:?}"
    );
    assert!(seen.iter().any(|(_, r)| r == "set-not-null"), "{seen:?}");
    assert!(seen.iter().any(|(_, r)| r == "truncate"), "{seen:?}");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("0002_add_notes.sql:2"),
        "history replayed: {text}"
    );
    assert_eq!(out.status.code(), Some(1));

    // unknown ref, and outside a git repository: clear errors, exit 2
    let bad = bin()
        .current_dir(root)
        .args(["check", "--since", "no-such-ref", "."])
        .output()
        .expect("runs");
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("unknown git revision 'no-such-ref'"));
    let outside = tempfile::tempdir().expect("tempdir");
    std::fs::write(outside.path().join("a.sql"), "SELECT 1;\n").expect("write");
    let out = bin()
        .current_dir(outside.path())
        .args(["check", "--since", "HEAD", "."])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("needs a git repository"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn explain_order_cli() {
    let out = bin()
        .args(["check", "--explain-order", "fixtures/migrations/flyway/sql"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8_lossy(&out.stdout);
    let v2 = text.find("V2__audit.sql").expect("listed");
    let v10 = text.find("V10__incident.sql").expect("listed");
    assert!(v2 < v10, "natural order: {text}");
    let out = bin()
        .args(["check", "--explain-order", "src"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn rename_used_by_a_later_migration_is_an_error() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path().join("migrations");
    std::fs::create_dir(&dir).expect("mkdir");
    let write = |name: &str, text: &str| std::fs::write(dir.join(name), text).expect("write");
    write(
        "0001_init.sql",
        "CREATE TABLE t (id int PRIMARY KEY, a int, b int);\n",
    );
    write("0002_rename.sql", "ALTER TABLE t RENAME COLUMN a TO a2;\n");
    write(
        "0003_uses_new.sql",
        "CREATE INDEX CONCURRENTLY t_a2_idx ON t (a2);\n",
    );
    let path = dir.to_string_lossy().to_string();
    let out = compact(&check(&[&path], &Settings::default()));
    assert!(out.contains("warning[rename-column]"), "{out}");
    assert!(!out.contains("later migration"), "{out}");
    write(
        "0004_uses_old.sql",
        "\nUPDATE t SET a = 0 WHERE a IS NULL;\n",
    );
    let out = compact(&check(&[&path], &Settings::default()));
    assert!(out.contains("error[rename-column]"), "{out}");
    assert!(
        out.contains("a later migration still uses `a`: 0004_uses_old.sql:2"),
        "{out}"
    );
    // an identifier that only starts with the old name is not a use
    write(
        "0004_uses_old.sql",
        "UPDATE t SET b = a2 + 1 WHERE a2 IS NOT NULL;\n",
    );
    let out = compact(&check(&[&path], &Settings::default()));
    assert!(out.contains("warning[rename-column]"), "{out}");
}

#[test]
fn a_schema_dump_beside_the_set_seeds_the_model() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let db = tmp.path().join("db");
    let dir = db.join("migrations");
    std::fs::create_dir_all(&dir).expect("mkdir");
    std::fs::write(
        db.join("schema.sql"),
        "CREATE TABLE legacy (\n  id int PRIMARY KEY,\n  note text\n);\nCREATE TABLE orders (id int, notes text NOT NULL);\n",
    )
    .expect("write");
    std::fs::write(
        dir.join("0001_tighten.sql"),
        "ALTER TABLE legacy ALTER COLUMN note SET NOT NULL;\n",
    )
    .expect("write");
    // the dump may show the final state: the set's own CREATE (even IF NOT EXISTS) wins
    std::fs::write(
        dir.join("0002_orders.sql"),
        "CREATE TABLE IF NOT EXISTS orders (id int, notes text);\nCREATE INDEX orders_id_idx ON orders (id);\n",
    )
    .expect("write");
    let path = dir.to_string_lossy().to_string();
    let out = compact(&check(&[&path], &Settings::default()));
    assert!(
        out.contains(
            "error[set-not-null] column `legacy.note` was created nullable in schema.sql:3"
        ),
        "{out}"
    );
    assert!(!out.contains("create-index-blocking"), "{out}");
    // the dump itself is not a member of the set, and checking it alone still works
    let order = explain_order(&dir, &Settings::default()).expect("a set");
    assert!(order.contains("seeded from schema dump"), "{order}");
    assert!(order.contains("schema after replay: 2 tables"), "{order}");
}

#[test]
fn references_count_old_names_in_application_code() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let root = tmp.path();
    let m = root.join("db").join("migrations");
    std::fs::create_dir_all(&m).expect("mkdir");
    std::fs::create_dir_all(root.join("app")).expect("mkdir");
    std::fs::write(
        m.join("0001_init.sql"),
        "CREATE TABLE orders (id int, customer_id int);\n",
    )
    .expect("write");
    std::fs::write(
        m.join("0002_rename.sql"),
        "ALTER TABLE orders RENAME COLUMN customer_id TO client_id;\n",
    )
    .expect("write");
    std::fs::write(
        root.join("app").join("orders.py"),
        "q = 'SELECT customer_id FROM orders'\n# customer_ids is another word\nrow.customer_id\n",
    )
    .expect("write");
    std::fs::write(root.join("app").join("other.rb"), "x = 1\n").expect("write");
    let out = bin()
        .current_dir(root)
        .args(["check", "--format", "json", "--references", "app", "db"])
        .output()
        .expect("runs");
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let d = json["diagnostics"]
        .as_array()
        .and_then(|a| a.iter().find(|d| d["rule"] == "rename-column"))
        .cloned()
        .expect("rename-column finding");
    let msg = d["message"].as_str().unwrap_or_default();
    assert!(
        msg.contains(
            "`customer_id` appears in 2 places in 1 file (app/orders.py:1, app/orders.py:3)"
        ),
        "{msg}"
    );
    assert_eq!(d["renamed"]["from"], "customer_id");
    assert_eq!(d["references"].as_array().map(Vec::len), Some(2));
    // without --references nothing is searched
    let out = bin()
        .current_dir(root)
        .args(["check", "--format", "json", "db"])
        .output()
        .expect("runs");
    assert!(!String::from_utf8_lossy(&out.stdout).contains("appears in"));
}

#[test]
fn prisma_findings_cite_the_migration_header_warning() {
    let out = check(
        &["fixtures/migrations/prisma/prisma/migrations"],
        &Settings::default(),
    );
    let file = out
        .files
        .iter()
        .find(|f| f.path.ends_with("20240401000000_drop_notes/migration.sql"))
        .expect("the migration is checked");
    let drops: Vec<_> = file
        .diagnostics
        .iter()
        .filter(|d| d.rule == "drop-column")
        .collect();
    assert_eq!(drops.len(), 2, "{drops:?}");
    let cited = |d: &preflight::diagnostic::Diagnostic| {
        d.labels.iter().any(|l| {
            l.message
                .contains("drop the column `notes` on the `orders` table")
        })
    };
    assert!(drops[0].message.contains("notes") && cited(drops[0]));
    assert!(drops[1].message.contains("total") && !cited(drops[1]));
}

#[test]
fn alembic_ini_version_locations_are_revision_directories() {
    let out = check(&["fixtures/migrations/alembic-ini"], &Settings::default());
    let paths: Vec<&str> = out.files.iter().map(|f| f.path.as_str()).collect();
    assert!(
        paths.iter().any(|p| p.ends_with("db/revisions/b2_drop.py")),
        "{paths:?}"
    );
    assert!(
        paths
            .iter()
            .any(|p| p.ends_with("db/reports/r1_reports.py")),
        "{paths:?}"
    );
    assert!(!paths.iter().any(|p| p.ends_with("seed.py")), "{paths:?}");
    assert_eq!(rules_in(&out, "b2_drop.py"), ["drop-column"]);
    assert!(out.errors.is_empty(), "{:?}", out.errors);
}

#[test]
fn a_rebuild_is_judged_by_the_columns_it_copies() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path().join("migrations");
    std::fs::create_dir(&dir).expect("mkdir");
    let write = |name: &str, text: &str| std::fs::write(dir.join(name), text).expect("write");
    write(
        "0001_init.sql",
        "CREATE TABLE t (id int PRIMARY KEY, a int, b text);\n",
    );
    // SQLite's 12-step ALTER, every column copied: nothing to report
    write(
        "0002_rebuild.sql",
        "PRAGMA foreign_keys=off;\nCREATE TABLE t_new (id int PRIMARY KEY, a int NOT NULL, b text);\n\
         INSERT INTO t_new (id, a, b) SELECT id, coalesce(a, 0), b FROM t;\nDROP TABLE t;\n\
         ALTER TABLE t_new RENAME TO t;\nPRAGMA foreign_keys=on;\n",
    );
    let path = dir.to_string_lossy().to_string();
    let out = compact(&check(&[&path], &Settings::default()));
    assert!(!out.contains("0002_rebuild.sql"), "{out}");
    // the next rebuild leaves `b` out: a drop-column at the DROP, naming it
    write(
        "0003_rebuild.sql",
        "CREATE TABLE t_new (id int PRIMARY KEY, a int NOT NULL);\n\
         INSERT INTO t_new (id, a) SELECT id, a FROM t;\nDROP TABLE t;\n\
         ALTER TABLE t_new RENAME TO t;\n",
    );
    let out = compact(&check(&[&path], &Settings::default()));
    assert!(
        out.contains(
            "0003_rebuild.sql:3 error[drop-column] the rebuild of table `t` drops column `b`"
        ),
        "{out}"
    );
    assert!(!out.contains("drop-table"), "{out}");
}

#[test]
fn a_popx_split_migration_is_one_migration() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path().join("migrations");
    std::fs::create_dir(&dir).expect("mkdir");
    let write = |name: &str, text: &str| std::fs::write(dir.join(name), text).expect("write");
    write(
        "20210101000000000000_init.up.sql",
        "CREATE TABLE a (id int, note text);\n",
    );
    write("20210101000000000000_init.down.sql", "DROP TABLE a;\n");
    // one migration in three files: the table is created by it
    write(
        "20210202000000000000_t.up.sql",
        "CREATE TABLE t (id int, x int);\n",
    );
    write("20210202000000000000_t.down.sql", "DROP TABLE t;\n");
    write(
        "20210202000000000001_t.up.sql",
        "CREATE INDEX t_x ON t (x);\n",
    );
    write(
        "20210202000000000002_t.up.sql",
        "ALTER TABLE t DROP COLUMN x;\n",
    );
    // a later migration: `a` existed before it
    write(
        "20210303000000000000_u.up.sql",
        "CREATE INDEX a_id ON a (id);\n",
    );
    write(
        "20210303000000000001_u.up.sql",
        "ALTER TABLE a DROP COLUMN note;\n",
    );
    let path = dir.to_string_lossy().to_string();
    let out = compact(&check(&[&path], &Settings::default()));
    assert!(!out.contains("20210202"), "{out}");
    assert!(
        out.contains(
            "20210303000000000000_u.up.sql:1 warning[create-index-blocking] CREATE INDEX without \
             CONCURRENTLY on `a`, which existed before this migration"
        ),
        "{out}"
    );
    assert!(
        out.contains("20210303000000000001_u.up.sql:1 error[drop-column]"),
        "{out}"
    );
}

#[test]
fn synapse_delta_folders_are_a_set() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let delta = tmp.path().join("schema/main/delta");
    for d in ["9", "10"] {
        std::fs::create_dir_all(delta.join(d)).expect("mkdir");
    }
    std::fs::write(
        delta.join("9/01users.sql"),
        "CREATE TABLE users (id int, name text);\n",
    )
    .expect("write");
    // delta 10 runs after 9 (numeric order), and sees `users`
    std::fs::write(
        delta.join("10/01rename.sql"),
        "ALTER TABLE users RENAME COLUMN name TO display_name;\n",
    )
    .expect("write");
    std::fs::write(
        delta.join("10/02index.sql"),
        "CREATE INDEX users_name ON users (name);\n",
    )
    .expect("write");
    let path = tmp.path().to_string_lossy().to_string();
    let out = compact(&check(&[&path], &Settings::default()));
    assert!(
        out.contains("a later migration still uses `name`: 10/02index.sql:1"),
        "{out}"
    );
    let order = explain_order(&delta, &Settings::default()).expect("a set");
    assert!(order.contains("synapse"), "{order}");
}

#[test]
fn laravel_down_is_exempt_unless_checked_and_near_misses_are_silent() {
    let dir = "fixtures/migrations/laravel/database/migrations";
    let out = check(&[dir], &Settings::default());
    assert!(rules_in(&out, "2024_01_01_000000_create_shop_tables.php").is_empty());
    assert!(rules_in(&out, "2024_04_01_000000_add_flags_to_customers.php").is_empty());
    // the near misses: nothing but nothing (the reviewed delete is suppressed, not reported)
    assert!(
        rules_in(&out, "2024_03_01_000000_near_misses.php").is_empty(),
        "{}",
        compact(&out)
    );
    let near = out
        .files
        .iter()
        .find(|f| f.path.ends_with("2024_03_01_000000_near_misses.php"))
        .expect("reported");
    assert_eq!(near.suppressed.len(), 1);
    let out = check(
        &[dir],
        &Settings {
            check_down: true,
            ..Settings::default()
        },
    );
    // `vip` was added by this migration's own `up()`: dropping it loses nothing older
    assert_eq!(
        rules_in(&out, "2024_04_01_000000_add_flags_to_customers.php"),
        ["drop-table"]
    );
    // `down()` drops only the tables its own `up()` created
    assert!(rules_in(&out, "2024_01_01_000000_create_shop_tables.php").is_empty());
}

#[test]
fn laravel_change_without_nullable_is_not_null_only_from_laravel_11() {
    let src = Path::new("fixtures/migrations/laravel11");
    let out = check(&["fixtures/migrations/laravel11"], &Settings::default());
    assert_eq!(
        rules_in(&out, "2024_06_01_000000_widen_invoice_columns.php"),
        ["set-not-null"]
    );
    // the same migrations in a Laravel 10 project (composer.lock), or one whose version is
    // unknown: `->change()` keeps what it does not restate, nothing to report
    for lock in [
        Some(r#"{"packages": [{"name": "laravel/framework", "version": "v10.48.1"}]}"#),
        None,
    ] {
        let tmp = tempfile::tempdir().expect("tempdir");
        let mig = tmp.path().join("database/migrations");
        std::fs::create_dir_all(&mig).expect("dirs");
        for e in std::fs::read_dir(src.join("database/migrations")).expect("fixture") {
            let e = e.expect("entry");
            std::fs::copy(e.path(), mig.join(e.file_name())).expect("copy");
        }
        if let Some(lock) = lock {
            std::fs::write(tmp.path().join("composer.lock"), lock).expect("write");
        }
        let out = check(&[&mig.to_string_lossy()], &Settings::default());
        assert!(
            rules_in(&out, "2024_06_01_000000_widen_invoice_columns.php").is_empty(),
            "{}",
            compact(&out)
        );
    }
}

const RAILS: &str = "fixtures/migrations/rails/db/migrate";

#[test]
fn rails_down_and_reversible_down_are_checked_only_when_asked() {
    let out = check(&[RAILS], &Settings::default());
    assert!(!rules_in(&out, "20240103000000_cleanup.rb").is_empty());
    let text = compact(&out);
    // `def down` drops `clients`; `dir.down` drops `reports`: both exempt by default
    assert!(!text.contains("`clients` and all"), "{text}");
    assert!(!text.contains("`reports` and all"), "{text}");
    let out = check(
        &[RAILS],
        &Settings {
            check_down: true,
            ..Settings::default()
        },
    );
    let text = compact(&out);
    assert!(
        text.contains("cleanup.rb:51 error[drop-table] `drop_table` drops table `clients`"),
        "{text}"
    );
    assert!(
        text.contains(
            "revert_and_reversible.rb:14 error[drop-table] `drop_table` drops table `reports`"
        ),
        "{text}"
    );
    // a helper method runs in the direction of the method that calls it; one nobody calls
    // does not run
    assert!(
        text.contains(
            "drop_shipment_extras.rb:32 error[drop-table] `drop_table` drops table `shipments`"
        ),
        "{text}"
    );
    assert!(!text.contains("`orders` and all"), "{text}");
}

#[test]
fn laravel_single_file_is_judged_with_its_history() {
    let out = check(
        &[
            "fixtures/migrations/laravel/database/migrations/2024_02_01_000000_destructive_changes.php",
        ],
        &Settings::default(),
    );
    assert_eq!(out.files_checked, 1);
    let msgs = compact(&out);
    assert!(
        msgs.contains("was created in 2024_01_01_000000_create_shop_tables.php:18"),
        "{msgs}"
    );
    // the heredoc's DELETE is reported on its own line inside the string
    assert!(
        msgs.contains("2024_02_01_000000_destructive_changes.php:41 error[delete-without-where] `DB::unprepared`"),
        "{msgs}"
    );
}

#[test]
fn rails_safety_assured_with_a_reason_suppresses_without_one_reports() {
    let out = check(&[RAILS], &Settings::default());
    let f = out
        .files
        .iter()
        .find(|f| f.path.ends_with("20240102000000_change_orders.rb"))
        .expect("the file");
    let acked: Vec<&str> = f.suppressed.iter().map(|d| d.help.as_str()).collect();
    assert_eq!(
        acked,
        ["acknowledged by `safety_assured`: the column has been ignored by the model since #812"]
    );
    let unreasoned: Vec<&str> = f
        .diagnostics
        .iter()
        .filter(|d| d.message.contains("safety_assured"))
        .map(|d| d.message.as_str())
        .collect();
    assert_eq!(unreasoned.len(), 1, "{unreasoned:?}");
    assert!(unreasoned[0].contains("`customers.name`"), "{unreasoned:?}");
    // the preflight comment in the last file suppresses its drop_table
    assert_eq!(out.suppressed, 2);
}

#[test]
fn rails_single_migration_alone_and_a_non_migration_file() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let f = tmp.path().join("one_off.rb");
    std::fs::write(
        &f,
        "class X < ActiveRecord::Migration[7.1]\n  def up\n    drop_table :users\n  end\nend\n",
    )
    .expect("write");
    let g = tmp.path().join("helper.rb");
    std::fs::write(&g, "User.delete_all\ndrop_table :users\n").expect("write");
    let out = check(
        &[&f.to_string_lossy(), &g.to_string_lossy()],
        &Settings::default(),
    );
    assert_eq!(rules_in(&out, "one_off.rb"), ["drop-table"]);
    assert!(rules_in(&out, "helper.rb").is_empty());
    // walked: only files under db/migrate/ are Rails migrations
    let out = check(&[&tmp.path().to_string_lossy()], &Settings::default());
    assert_eq!(out.files_checked, 0);
}

/// A `RunPython` function that deletes (or fills) the rows where a field is NULL, through a
/// Django lookup (`webhook__isnull=True`), may have emptied the field before a later
/// `AlterField` makes it NOT NULL: not an error. Without it, the same `AlterField` is one.
#[test]
fn django_lookup_in_run_python_counts_as_a_backfill() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path().join("core/migrations");
    std::fs::create_dir_all(&dir).expect("mkdir");
    let write = |name: &str, text: &str| std::fs::write(dir.join(name), text).expect("write");
    write(
        "0001_initial.py",
        "from django.db import migrations, models\n\nclass Migration(migrations.Migration):\n    operations = [\n        migrations.CreateModel(\n            name=\"Delivery\",\n            fields=[\n                (\"id\", models.AutoField(primary_key=True)),\n                (\"webhook\", models.ForeignKey(null=True, on_delete=models.CASCADE, to=\"core.webhook\")),\n                (\"target\", models.CharField(max_length=20, null=True)),\n            ],\n        ),\n    ]\n",
    );
    write(
        "0002_orphans.py",
        "from django.db import migrations\n\ndef forwards(apps, schema_editor):\n    apps.get_model(\"core\", \"Delivery\").objects.filter(webhook__isnull=True).delete()\n\nclass Migration(migrations.Migration):\n    dependencies = [(\"core\", \"0001_initial\")]\n    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]\n",
    );
    write(
        "0003_required.py",
        "from django.db import migrations, models\n\nclass Migration(migrations.Migration):\n    dependencies = [(\"core\", \"0002_orphans\")]\n    operations = [\n        migrations.AlterField(model_name=\"delivery\", name=\"webhook\", field=models.ForeignKey(on_delete=models.CASCADE, to=\"core.webhook\")),\n        migrations.AlterField(model_name=\"delivery\", name=\"target\", field=models.CharField(max_length=20)),\n    ]\n",
    );
    let path = tmp.path().to_string_lossy().to_string();
    let c = compact(&check(&[&path], &Settings::default()));
    let hits: Vec<&str> = c.lines().filter(|l| l.contains("set-not-null")).collect();
    assert_eq!(hits.len(), 1, "{c}");
    assert!(
        hits[0].contains("0003_required.py:7") && hits[0].contains("`core_delivery.target`"),
        "{c}"
    );
}

/// `ALTER TABLE orders_id_seq RENAME TO …` renames a serial's sequence, not a table: only the
/// table's rename is reported; a table the set created under a `_seq` name still is.
#[test]
fn sequence_renames_are_not_table_renames() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path().join("migrations");
    std::fs::create_dir_all(&dir).expect("mkdir");
    let write = |name: &str, text: &str| std::fs::write(dir.join(name), text).expect("write");
    write(
        "001_init.sql",
        "CREATE TABLE orders (id serial PRIMARY KEY);\nCREATE TABLE gene_seq (a int);\n",
    );
    write(
        "002_rename.sql",
        "ALTER TABLE orders RENAME TO purchases;\nALTER TABLE orders_id_seq RENAME TO purchases_id_seq;\nALTER TABLE gene_seq RENAME TO genes;\n",
    );
    let path = dir.to_string_lossy().to_string();
    let c = compact(&check(&[&path], &Settings::default()));
    let hits: Vec<&str> = c.lines().filter(|l| l.contains("rename-table")).collect();
    assert_eq!(hits.len(), 2, "{c}");
    assert!(hits[0].contains("002_rename.sql:1"), "{c}");
    assert!(hits[1].contains("002_rename.sql:3"), "{c}");
}

/// Django adds a blank, non-null field with `""` as its effective default when the field
/// class allows empty strings — custom fields included (`ColorField(blank=True)`, a
/// `CharField` subclass); a blank `IntegerField` gets no default and still fails.
#[test]
fn django_blank_custom_field_is_filled_with_empty_strings() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path().join("dcim/migrations");
    std::fs::create_dir_all(&dir).expect("mkdir");
    let write = |name: &str, text: &str| std::fs::write(dir.join(name), text).expect("write");
    write(
        "0001_initial.py",
        "from django.db import migrations, models\n\nclass Migration(migrations.Migration):\n    operations = [\n        migrations.CreateModel(name=\"Outlet\", fields=[(\"id\", models.AutoField(primary_key=True))]),\n    ]\n",
    );
    write(
        "0002_color.py",
        "from django.db import migrations, models\nimport utilities.fields\n\nclass Migration(migrations.Migration):\n    dependencies = [(\"dcim\", \"0001_initial\")]\n    operations = [\n        migrations.AddField(model_name=\"outlet\", name=\"color\", field=utilities.fields.ColorField(blank=True, max_length=6)),\n        migrations.AddField(model_name=\"outlet\", name=\"label\", field=models.CharField(blank=True, max_length=6)),\n        migrations.AddField(model_name=\"outlet\", name=\"rank\", field=models.IntegerField(blank=True)),\n    ]\n",
    );
    let path = tmp.path().to_string_lossy().to_string();
    let c = compact(&check(&[&path], &Settings::default()));
    let hits: Vec<&str> = c
        .lines()
        .filter(|l| l.contains("add-not-null-without-default"))
        .collect();
    assert_eq!(hits.len(), 1, "{c}");
    assert!(
        hits[0].contains("0002_color.py:9") && hits[0].contains("`rank`"),
        "{c}"
    );
}
