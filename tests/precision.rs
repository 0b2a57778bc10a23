//! Precision on real repositories (issue 12): file contexts (tests and vendored code skipped by
//! the walk, down forms), one finding per problem, bulk files — through the binary.

mod common;

use common::run_in;
use std::path::Path;
use std::process::Output;

fn out(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn write(dir: &Path, rel: &str, text: &str) {
    let p = dir.join(rel);
    if let Some(parent) = p.parent() {
        std::fs::create_dir_all(parent).expect("mkdir");
    }
    std::fs::write(p, text).expect("write");
}

fn json(o: &Output) -> serde_json::Value {
    serde_json::from_slice(&o.stdout).unwrap_or_else(|e| panic!("JSON: {e}\n{}", out(o)))
}

/// `file:rule` for every finding.
fn found(o: &Output) -> Vec<String> {
    json(o)["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .map(|d| {
            format!(
                "{}:{}",
                d["file"].as_str().unwrap_or(""),
                d["rule"].as_str().unwrap_or("")
            )
        })
        .collect()
}

fn check(dir: &Path, extra: &[&str]) -> Output {
    let mut args = vec!["check", "--no-config", "--format", "json"];
    args.extend_from_slice(extra);
    run_in(dir, &args, b"")
}

#[test]
fn test_directories_are_skipped_by_the_walk_and_counted() {
    let t = tempfile::tempdir().expect("tempdir");
    let d = t.path();
    write(
        d,
        "test/spec/fixtures/data.sql",
        "TRUNCATE items CASCADE;\n",
    );
    write(d, "pkg/__tests__/seed.sql", "DELETE FROM users;\n");
    // a migration whose name contains "test" is a migration, not a test
    write(
        d,
        "db/20240517_remove_test_alert_type.sql",
        "DROP TABLE alert_types;\n",
    );
    let o = check(d, &["."]);
    assert_eq!(
        found(&o),
        ["./db/20240517_remove_test_alert_type.sql:drop-table"]
    );
    assert_eq!(json(&o)["summary"]["skipped"]["tests"], 2);
    // the human summary names what was skipped and how to include it
    let h = run_in(d, &["check", "--no-config", "."], b"");
    assert!(
        out(&h).contains("skipped 2 files in test directories (include with --include-tests"),
        "{}",
        out(&h)
    );
    // --include-tests checks them
    let o = check(d, &["--include-tests", "."]);
    assert_eq!(found(&o).len(), 3, "{:?}", found(&o));
    // `tests = "check"` in the config too
    write(d, "preflight.toml", "tests = \"check\"\n");
    let o = run_in(d, &["check", "--format", "json", "."], b"");
    assert_eq!(found(&o).len(), 3, "{:?}", found(&o));
    std::fs::remove_file(d.join("preflight.toml")).expect("rm");
    // walking the test directory itself checks it: only components below the path count
    let o = check(d, &["test"]);
    assert_eq!(found(&o), ["test/spec/fixtures/data.sql:truncate"]);
}

#[test]
fn explicit_paths_are_checked_unless_a_tool_passes_every_changed_file() {
    let t = tempfile::tempdir().expect("tempdir");
    let d = t.path();
    write(d, "tests/fixtures/reset.sql", "DROP TABLE users;\n");
    write(d, "db/1_drop.sql", "DROP TABLE orders;\n");
    let o = check(d, &["tests/fixtures/reset.sql"]);
    assert_eq!(found(&o), ["tests/fixtures/reset.sql:drop-table"]);
    // pre-commit passes staged files with --force-exclude (.pre-commit-hooks.yaml)
    let o = check(
        d,
        &[
            "--force-exclude",
            "tests/fixtures/reset.sql",
            "db/1_drop.sql",
        ],
    );
    assert_eq!(found(&o), ["db/1_drop.sql:drop-table"]);
    assert_eq!(json(&o)["summary"]["skipped"]["tests"], 1);
    // --files-from behaves the same
    write(d, "list.txt", "tests/fixtures/reset.sql\ndb/1_drop.sql\n");
    let o = check(d, &["--files-from", "list.txt"]);
    assert_eq!(found(&o), ["db/1_drop.sql:drop-table"]);
    // … unless tests are included
    let o = check(d, &["--files-from", "list.txt", "--include-tests"]);
    assert_eq!(found(&o).len(), 2);
    let hooks = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join(".pre-commit-hooks.yaml"),
    )
    .expect("hook definition");
    assert!(hooks.contains("preflight check --force-exclude"), "{hooks}");
}

#[test]
fn vendored_copies_are_skipped() {
    let t = tempfile::tempdir().expect("tempdir");
    let d = t.path();
    write(
        d,
        "hack/third_party/gimme/gimme.sh",
        "#!/bin/sh\ngit clean -dfx -q\n",
    );
    write(d, "hack/release.sh", "#!/bin/sh\ngit clean -dfx -q\n");
    let o = check(d, &["."]);
    assert_eq!(found(&o), ["./hack/release.sh:git-discard"]);
    assert_eq!(json(&o)["summary"]["skipped"]["vendored"], 1);
    let o = check(d, &["--include-vendored", "."]);
    assert_eq!(found(&o).len(), 2);
}

#[test]
fn every_down_form_is_exempt_from_the_data_loss_rules() {
    let t = tempfile::tempdir().expect("tempdir");
    let d = t.path();
    let loss = "UPDATE users SET active = false;\nDELETE FROM users WHERE email IS NULL;\n\
                UPDATE flags SET on = true WHERE 1 = 1;\nDROP INDEX users_email;\n\
                DROP TABLE users;\n";
    write(d, "m/0002_x.down.sql", loss);
    write(d, "sql/downgrades/2.8.sql", loss);
    write(d, "ext/pg_x--2.9.0--2.8.1.sql", loss);
    write(
        d,
        "goose/20240101_x.sql",
        &format!("-- +goose Up\nCREATE TABLE users (id int);\n-- +goose Down\n{loss}"),
    );
    let o = check(d, &["."]);
    assert!(found(&o).is_empty(), "{:?}", found(&o));
    // near misses: an extension script going up, and a goose Up section
    write(d, "ext/pg_x--2.8.1--2.9.0.sql", "DROP TABLE users;\n");
    write(
        d,
        "goose2/20240101_y.sql",
        "-- +goose Up\nDROP TABLE accounts;\n-- +goose Down\nCREATE TABLE accounts (id int);\n",
    );
    let o = check(d, &["."]);
    assert_eq!(
        found(&o),
        [
            "./ext/pg_x--2.8.1--2.9.0.sql:drop-table",
            "./goose2/20240101_y.sql:drop-table"
        ]
    );
    // down-migrations = "check" checks them
    write(d, "preflight.toml", "down-migrations = \"check\"\n");
    let o = run_in(d, &["check", "--format", "json", "sql"], b"");
    assert!(
        found(&o).contains(&"sql/downgrades/2.8.sql:drop-table".to_string()),
        "{:?}",
        found(&o)
    );
}

#[test]
fn one_finding_per_problem_and_suppressing_the_lead_shows_the_next() {
    let t = tempfile::tempdir().expect("tempdir");
    let d = t.path();
    write(
        d,
        "a.sql",
        "DROP TABLE IF EXISTS sessions CASCADE;\nCREATE TABLE sessions (id int);\n",
    );
    let o = check(d, &["a.sql"]);
    let v = json(&o);
    let diags = v["diagnostics"].as_array().expect("diagnostics");
    assert_eq!(diags.len(), 1, "{diags:?}");
    assert_eq!(diags[0]["rule"], "drop-recreate");
    let related: Vec<&str> = diags[0]["related"]
        .as_array()
        .expect("related")
        .iter()
        .filter_map(|r| r["rule"].as_str())
        .collect();
    assert_eq!(related, ["drop-table", "cascade", "drop-if-exists"]);
    // --ignore the lead: the next one reports
    let o = check(d, &["--ignore", "drop-recreate", "a.sql"]);
    assert_eq!(found(&o), ["a.sql:drop-table"]);
    // --select one of the folded rules: it reports on its own
    let o = check(d, &["--select", "cascade", "a.sql"]);
    assert_eq!(found(&o), ["a.sql:cascade"]);
    // a suppression of the lead rule shows the next
    write(
        d,
        "b.sql",
        "-- preflight: allow(drop-recreate, drop-table) sessions are rebuilt nightly\n\
         DROP TABLE IF EXISTS sessions CASCADE;\nCREATE TABLE sessions (id int);\n",
    );
    let o = check(d, &["b.sql"]);
    assert_eq!(found(&o), ["b.sql:cascade"]);
}

#[test]
fn bulk_teardown_is_one_finding_and_the_seed_incident_still_reports() {
    let t = tempfile::tempdir().expect("tempdir");
    let d = t.path();
    let mut teardown = String::new();
    for i in 0..20 {
        teardown.push_str(&format!("DROP TABLE IF EXISTS t{i} CASCADE;\n"));
    }
    write(d, "DropTables.sql", &teardown);
    let o = check(d, &["DropTables.sql"]);
    let v = json(&o);
    let diags = v["diagnostics"].as_array().expect("diagnostics");
    assert_eq!(diags.len(), 1, "{diags:?}");
    assert!(
        diags[0]["message"]
            .as_str()
            .unwrap_or("")
            .contains("20 tables"),
        "{diags:?}"
    );
    assert_eq!(diags[0]["bulk"]["tables"], 20);
    let incident = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/incidents");
    let o = check(&incident, &["cleanup_sessions.sql"]);
    assert_eq!(found(&o), ["cleanup_sessions.sql:drop-table"]);
}

#[test]
fn migration_idioms_are_not_reported_as_loss() {
    let t = tempfile::tempdir().expect("tempdir");
    let d = t.path();
    write(
        d,
        "migrations/0001_init.sql",
        "CREATE TABLE orders (id int PRIMARY KEY, customer_id int, region text, note text, \
         qty int, created_at timestamptz);\n\
         CREATE TABLE customers (id int PRIMARY KEY, region text);\n\
         CREATE INDEX orders_customer ON orders (customer_id);\n\
         CREATE INDEX orders_created ON orders (created_at);\n\
         CREATE TABLE sessions (id int);\n",
    );
    write(
        d,
        "migrations/0002_changes.sql",
        // replaced by a covering index; rebuilt under its name
        "DROP INDEX orders_customer;\n\
         CREATE INDEX orders_customer_created ON orders (customer_id, created_at);\n\
         DROP INDEX orders_created;\nCREATE INDEX orders_created ON orders (created_at DESC);\n\
         -- joined backfill, NULL cleanup, coalescing retype\n\
         UPDATE orders o SET region = c.region FROM customers c WHERE o.customer_id = c.id;\n\
         ALTER TABLE orders ALTER COLUMN region SET NOT NULL;\n\
         DELETE FROM orders WHERE note IS NULL;\n\
         ALTER TABLE orders ALTER COLUMN note SET NOT NULL;\n\
         ALTER TABLE orders ALTER COLUMN qty TYPE bigint USING coalesce(qty, 0);\n\
         ALTER TABLE orders ALTER COLUMN qty SET NOT NULL;\n\
         -- emptied, then a NOT NULL column\n\
         DELETE FROM sessions;\n\
         ALTER TABLE sessions ADD COLUMN token text NOT NULL;\n",
    );
    let o = check(d, &["migrations"]);
    // the deletes themselves still report; the locking rules are another problem
    let loss: Vec<String> = found(&o)
        .into_iter()
        .filter(|f| !f.ends_with("create-index-blocking") && !f.ends_with("alter-column-type"))
        .collect();
    assert_eq!(
        loss,
        [
            "migrations/0002_changes.sql:delete-null-predicate",
            "migrations/0002_changes.sql:delete-without-where"
        ]
    );
    // near misses: an index on other columns, a backfill of one row, no cleanup
    write(
        d,
        "migrations/0003_more.sql",
        "DROP INDEX orders_customer_created;\nCREATE INDEX orders_created_only ON orders (created_at);\n\
         ALTER TABLE customers ADD COLUMN tier text;\n\
         UPDATE customers SET tier = 'gold' WHERE id = 5;\n\
         ALTER TABLE customers ALTER COLUMN tier SET NOT NULL;\n\
         ALTER TABLE sessions ADD COLUMN owner int NOT NULL;\n",
    );
    let o = check(d, &["migrations"]);
    let f = found(&o);
    for want in [
        "migrations/0003_more.sql:drop-index",
        "migrations/0003_more.sql:set-not-null",
        "migrations/0003_more.sql:add-not-null-without-default",
    ] {
        assert!(f.contains(&want.to_string()), "{want} missing: {f:?}");
    }
}

#[test]
fn a_renamed_column_whose_name_is_taken_again_is_not_a_later_use() {
    let t = tempfile::tempdir().expect("tempdir");
    let d = t.path();
    write(
        d,
        "migrations/0001_init.sql",
        "CREATE TABLE invite (id int, role text);\nCREATE TABLE community (id int, role text);\n\
         CREATE TABLE sessions (id int, role text);\n",
    );
    // the retype pattern: rename, add the name again with the new type
    write(
        d,
        "migrations/0002_retype.sql",
        "ALTER TABLE invite RENAME COLUMN role TO deprecated_role;\n\
         ALTER TABLE invite ADD COLUMN role text NOT NULL DEFAULT 'member';\n\
         UPDATE invite SET role = deprecated_role WHERE role IS NULL;\n\
         UPDATE community SET role = 'x' WHERE role IS NULL;\n",
    );
    let o = check(d, &["migrations"]);
    let v = json(&o);
    let rename = v["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .find(|d| d["rule"] == "rename-column")
        .cloned()
        .expect("rename-column reported");
    assert!(
        !rename["message"]
            .as_str()
            .unwrap_or("")
            .contains("later migration"),
        "{rename}"
    );
    assert_eq!(rename["severity"], "warning");
    // near miss: a later use of the old name on the same table still escalates
    write(
        d,
        "migrations/0003_use.sql",
        "ALTER TABLE sessions RENAME COLUMN role TO kind;\n",
    );
    write(
        d,
        "migrations/0004_later.sql",
        "UPDATE sessions SET id = 1 WHERE role = 'admin';\n",
    );
    let o = check(d, &["migrations"]);
    let msgs: Vec<String> = json(&o)["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .filter(|d| d["rule"] == "rename-column")
        .map(|d| d["message"].as_str().unwrap_or("").to_string())
        .collect();
    assert!(
        msgs.iter()
            .any(|m| m.contains("a later migration still uses `role`")),
        "{msgs:?}"
    );
}

#[test]
fn a_long_human_report_ends_with_counts_per_rule() {
    let t = tempfile::tempdir().expect("tempdir");
    let d = t.path();
    let mut sql = String::new();
    for i in 0..6 {
        sql.push_str(&format!("DROP TABLE t{i};\nUPDATE u{i} SET a = 1;\n"));
    }
    write(d, "a.sql", &sql);
    let o = run_in(d, &["check", "--no-config", "a.sql"], b"");
    let text = out(&o);
    let tail: Vec<&str> = text.lines().rev().take(6).collect();
    assert!(
        tail.iter()
            .any(|l| l.contains("drop-table") && l.trim_start().starts_with('6')),
        "{text}"
    );
    // a short one does not
    write(d, "b.sql", "DROP TABLE x;\n");
    let o = run_in(d, &["check", "--no-config", "b.sql"], b"");
    assert!(!out(&o).contains("      1  drop-table"), "{}", out(&o));
}

#[test]
fn facts_from_earlier_migrations_keep_what_they_guarantee() {
    let t = tempfile::tempdir().expect("tempdir");
    let d = t.path();
    write(
        d,
        "db/mysql/V1__init.sql",
        "CREATE TABLE idp (id varchar(36) PRIMARY KEY, `lastModified` TIMESTAMP NULL, \
         `created` TIMESTAMP NULL);\n\
         CREATE TABLE members (id int PRIMARY KEY, idp_id varchar(36), other_id varchar(36));\n\
         ALTER TABLE members ADD KEY `idp_id` (`idp_id`);\n\
         ALTER TABLE members ADD UNIQUE KEY `other_key` (`other_id`);\n\
         ALTER TABLE idp ADD COLUMN zone_id varchar(36) DEFAULT 'uaa';\n\
         ALTER TABLE idp ADD COLUMN origin varchar(36) DEFAULT NULL;\n\
         ALTER TABLE idp ADD COLUMN kind varchar(36);\n\
         ALTER TABLE idp ADD COLUMN tier varchar(36) DEFAULT 'a';\n",
    );
    write(
        d,
        "db/mysql/V2__later.sql",
        "ALTER TABLE idp ALTER COLUMN kind SET DEFAULT 'x';\n\
         ALTER TABLE idp ALTER COLUMN tier DROP DEFAULT;\n",
    );
    write(
        d,
        "db/mysql/V3__changes.sql",
        // a case-only CHANGE keeping the type; a MySQL key whose column goes next; a column
        // every row of which got its DEFAULT when it was added
        "ALTER TABLE idp CHANGE lastModified lastmodified TIMESTAMP NULL;\n\
         DROP INDEX idp_id ON members;\n\
         ALTER TABLE members DROP COLUMN idp_id;\n\
         ALTER TABLE idp MODIFY COLUMN `zone_id` varchar(36) NOT NULL;\n",
    );
    let o = check(d, &["db"]);
    let f = found(&o);
    assert!(
        !f.iter()
            .any(|x| x.starts_with("db/mysql/V3__changes.sql:") && !x.ends_with(":drop-column")),
        "{f:?}"
    );
    // near misses: the type changes, the key's column stays, the default came later, was
    // dropped, or was NULL
    write(
        d,
        "db/mysql/V4__more.sql",
        "ALTER TABLE idp CHANGE created created DATE NULL;\n\
         DROP INDEX other_key ON members;\n\
         ALTER TABLE idp MODIFY COLUMN origin varchar(36) NOT NULL;\n\
         ALTER TABLE idp MODIFY COLUMN kind varchar(36) NOT NULL;\n\
         ALTER TABLE idp MODIFY COLUMN tier varchar(36) NOT NULL;\n",
    );
    let o = check(d, &["db"]);
    let v4: Vec<String> = found(&o)
        .into_iter()
        .filter_map(|x| x.strip_prefix("db/mysql/V4__more.sql:").map(str::to_string))
        .collect();
    assert_eq!(
        v4,
        [
            "alter-column-type",
            "drop-index",
            "set-not-null",
            "set-not-null",
            "set-not-null"
        ],
        "{}",
        out(&o)
    );
    let j = json(&o);
    let drop = j["diagnostics"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|x| x["rule"] == "drop-index")
        .map(|x| x["message"].as_str().unwrap_or("").to_string())
        .unwrap_or_default();
    assert!(drop.contains("(other_id)"), "{drop}");
}

#[test]
fn django_findings_are_one_per_problem_too() {
    let t = tempfile::tempdir().expect("tempdir");
    let d = t.path();
    write(
        d,
        "shop/migrations/0001_initial.py",
        "from django.db import migrations, models\n\n\
         class Migration(migrations.Migration):\n    initial = True\n    dependencies = []\n\
         \x20   operations = [\n        migrations.CreateModel(\n            name=\"Legacy\",\n\
         \x20           fields=[(\"id\", models.BigAutoField(primary_key=True))],\n        ),\n    ]\n",
    );
    write(
        d,
        "shop/migrations/0002_drop_legacy.py",
        "from django.db import migrations\n\n\
         class Migration(migrations.Migration):\n    dependencies = [(\"shop\", \"0001_initial\")]\n\
         \x20   operations = [\n        migrations.RunSQL(\"DROP TABLE IF EXISTS shop_legacy\"),\n    ]\n",
    );
    let o = check(d, &["shop/migrations"]);
    let v = json(&o);
    let diags = v["diagnostics"].as_array().expect("diagnostics");
    // one finding for the one dropped table; IF EXISTS is a note of it, not a second finding
    assert_eq!(diags.len(), 1, "{diags:?}");
    assert_eq!(diags[0]["rule"], "drop-table");
    assert_eq!(
        diags[0]["related"][0]["rule"], "drop-if-exists",
        "{diags:?}"
    );
    // --ignore the lead: the folded rule reports on its own
    let o = check(d, &["--ignore", "drop-table", "shop/migrations"]);
    assert_eq!(
        found(&o),
        ["shop/migrations/0002_drop_legacy.py:drop-if-exists"]
    );
}
