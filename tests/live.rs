//! `check --database-url` against a real PostgreSQL server: a throwaway cluster started by
//! `scripts/pg-cluster.sh` (initdb in a temp dir, free localhost port, fixture from
//! `tests/fixtures/live.sql`), stopped at the end even when an assertion fails.
//!
//! No server binaries → the test says so loudly; with `CI=true` it fails instead of passing.

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;

const PASSWORD: &str = "preflight-test-superuser";

struct Cluster {
    dir: String,
    port: u16,
    url: String,
}

impl Drop for Cluster {
    fn drop(&mut self) {
        let _ = Command::new(root().join("scripts/pg-cluster.sh"))
            .args(["stop", &self.dir])
            .status();
    }
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn start_cluster() -> Result<Cluster, String> {
    let out = Command::new(root().join("scripts/pg-cluster.sh"))
        .arg("start")
        .output()
        .map_err(|e| format!("cannot run scripts/pg-cluster.sh: {e}"))?;
    if !out.status.success() {
        return Err(String::from_utf8_lossy(&out.stderr).into_owned());
    }
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    let get = |k: &str| {
        text.lines()
            .find_map(|l| l.strip_prefix(&format!("{k}=")))
            .map(str::to_string)
            .ok_or(format!("pg-cluster.sh printed no {k}: {text}"))
    };
    Ok(Cluster {
        dir: get("DIR")?,
        port: get("PORT")?.parse().map_err(|e| format!("bad port: {e}"))?,
        url: get("URL")?,
    })
}

struct Run {
    code: i32,
    json: Value,
    stdout: String,
    stderr: String,
}

/// Write `sql` to a temp file named `name` and check it with the given extra arguments.
fn check_file(name: &str, sql: &str, args: &[&str]) -> Run {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join(name);
    std::fs::write(&path, sql).expect("write sql");
    check_paths(&[&path], args, &[])
}

fn check_paths(paths: &[&Path], args: &[&str], env: &[(&str, &str)]) -> Run {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_preflight"));
    cmd.arg("check").args(args).args(paths);
    cmd.env_remove("PREFLIGHT_DATABASE_URL");
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.output().expect("run preflight");
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let json = serde_json::from_str(&stdout).unwrap_or(Value::Null);
    Run {
        code: out.status.code().unwrap_or(-1),
        json,
        stdout,
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

fn diags<'a>(run: &'a Run, rule: &str) -> Vec<&'a Value> {
    run.json["diagnostics"]
        .as_array()
        .map(|a| a.iter().filter(|d| d["rule"] == rule).collect())
        .unwrap_or_default()
}

fn only<'a>(run: &'a Run, rule: &str) -> &'a Value {
    let v = diags(run, rule);
    assert_eq!(v.len(), 1, "expected one {rule}:\n{}", run.stdout);
    v[0]
}

/// Row count and content hash of each fixture table: proof that nothing was written.
fn checksums(c: &mut postgres::Client) -> Vec<(String, i64, String)> {
    ["users", "orders", "sessions", "empty_things", "\"Audit Log\""]
        .iter()
        .map(|t| {
            let row = c
                .query_one(
                    &format!(
                        "SELECT count(*), coalesce(md5(string_agg(x::text, ',' ORDER BY x::text)), '') FROM {t} x"
                    ),
                    &[],
                )
                .expect("checksum query");
            (t.to_string(), row.get(0), row.get(1))
        })
        .collect()
}

#[test]
fn live_database_check() {
    let cluster = match start_cluster() {
        Ok(c) => c,
        Err(why) => {
            let msg = format!(
                "\n\n!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!\n\
                 !! LIVE DATABASE TESTS DID NOT RUN: no PostgreSQL server could be started.\n\
                 !! {}\n\
                 !! scripts/test.sh installs the `postgresql` package when it is missing.\n\
                 !!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!\n",
                why.trim().replace('\n', "\n!! ")
            );
            eprintln!("{msg}");
            if std::env::var("CI").is_ok_and(|v| v == "true" || v == "1") {
                panic!("{msg}");
            }
            return;
        }
    };
    let url = cluster.url.clone();
    let mut client = postgres::Client::connect(&url, postgres::NoTls).expect("fixture connects");
    let before = checksums(&mut client);
    let live = ["--format", "json", "--database-url", url.as_str()];

    seed_delete(&live);
    thresholds(&live);
    estimates(&live);
    not_null(&live);
    drop_truncate_rename(&live);
    cannot_measure(&live);
    missing_and_rejected(&live);
    timeout_continues(&url);
    human_label(&url);
    suppressions(&live);
    python_migrations(&live);
    env_var_and_many_files(&url);
    connection_failures(&cluster);

    // a file full of destructive statements was checked many times: nothing changed
    let after = checksums(&mut client);
    assert_eq!(before, after, "the live check wrote to the database");
    assert_eq!(before[0].1, 50_000);
    no_user_statement_reached_the_server(&cluster);
}

fn seed_delete(live: &[&str]) {
    let r = check_file(
        "cleanup.sql",
        "DELETE FROM users WHERE last_login IS NULL;\n",
        live,
    );
    assert_eq!(r.code, 1, "{}{}", r.stdout, r.stderr);
    let d = only(&r, "live-blast-radius");
    assert_eq!(d["severity"], "error");
    assert_eq!(
        d["message"],
        "DELETE on `users` would delete 49,000 of 50,000 rows (98.0 %) in the target database"
    );
    assert_eq!(d["line"], 1);
    let impact = &d["impact"];
    assert_eq!(impact["rows_matched"], 49_000);
    assert_eq!(impact["rows_total"], 50_000);
    assert_eq!(impact["percent"], 98.0);
    assert_eq!(impact["estimate"], false);
    // the static finding on the same statement carries the same numbers
    let s = only(&r, "delete-null-predicate");
    assert_eq!(s["impact"], *impact);
}

fn suppressions(live: &[&str]) {
    // a reasoned suppression covers the live finding too, and is not "unused"
    let r = check_file(
        "cleanup.sql",
        "-- preflight: allow(live-blast-radius, delete-null-predicate) inactive users are archived by job #31 first\nDELETE FROM users WHERE last_login IS NULL;\n",
        live,
    );
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    assert!(
        r.json["diagnostics"]
            .as_array()
            .is_some_and(|a| a.is_empty()),
        "{}",
        r.stdout
    );
    assert_eq!(r.json["summary"]["suppressed"], 2, "{}", r.stdout);
    // without a reason it does not apply
    let r = check_file(
        "cleanup.sql",
        "-- preflight: allow(live-blast-radius)\nDELETE FROM users WHERE last_login IS NULL;\n",
        live,
    );
    assert_eq!(r.code, 1);
    only(&r, "live-blast-radius");
    only(&r, "suppression-without-reason");
}

fn thresholds(live: &[&str]) {
    // 10.0 % is not above the default 10 %: no finding (a near miss)
    let r = check_file(
        "t.sql",
        "UPDATE users SET plan = 'pro' WHERE email IS NULL;\n",
        live,
    );
    assert_eq!(r.code, 0, "{}", r.stdout);
    assert!(diags(&r, "live-blast-radius").is_empty(), "{}", r.stdout);

    // 12 % is
    let r = check_file("t.sql", "DELETE FROM users u WHERE u.id <= 6000;\n", live);
    assert_eq!(
        only(&r, "live-blast-radius")["impact"]["rows_matched"],
        6_000
    );

    // --min-rows: 12 % of the table but fewer rows than the floor is not a blast radius
    let mut args = live.to_vec();
    args.extend(["--min-rows", "7000"]);
    let r = check_file("t.sql", "DELETE FROM users u WHERE u.id <= 6000;\n", &args);
    assert!(diags(&r, "live-blast-radius").is_empty(), "{}", r.stdout);

    // 8 %: fine by percentage, but above an absolute --max-rows
    let sql = "DELETE FROM users WHERE id <= 4000;\n";
    let r = check_file("t.sql", sql, live);
    assert!(diags(&r, "live-blast-radius").is_empty(), "{}", r.stdout);
    let mut args = live.to_vec();
    args.extend(["--max-rows", "1000"]);
    let r = check_file("t.sql", sql, &args);
    let d = only(&r, "live-blast-radius");
    assert!(
        d["help"]
            .as_str()
            .is_some_and(|h| h.contains("--max-rows 1,000")),
        "{d}"
    );
    // … and a stricter --max-affected
    let mut args = live.to_vec();
    args.extend(["--max-affected", "5%"]);
    let r = check_file("t.sql", sql, &args);
    assert_eq!(only(&r, "live-blast-radius")["impact"]["percent"], 8.0);

    // UPDATE … FROM: a row counts once however many joined rows match
    let r = check_file(
        "t.sql",
        "UPDATE users SET plan = 'x' FROM orders o WHERE o.user_id = users.id;\n",
        &[live, &["--max-rows", "100"][..]].concat(),
    );
    let d = only(&r, "live-blast-radius");
    // orders reference users 7, 14, …, 14000: 2,000 distinct users
    assert_eq!(d["impact"]["rows_matched"], 2_000);
    assert!(
        d["message"]
            .as_str()
            .is_some_and(|m| m.contains("would update"))
    );

    // DELETE without WHERE: everything, attached to the static finding too
    let r = check_file("t.sql", "DELETE FROM sessions;\n", live);
    assert_eq!(
        only(&r, "delete-without-where")["impact"]["rows_matched"],
        1_234
    );
    assert_eq!(only(&r, "live-blast-radius")["impact"]["percent"], 100.0);

    // quoted, mixed-case names reach the right table (with --max-affected 15, one of 7 rows
    // stays below it)
    let r = check_file(
        "t.sql",
        "DELETE FROM \"Audit Log\" WHERE \"Note\" IS NULL AND id = 1;\n",
        &[live, &["--max-affected", "15"][..]].concat(),
    );
    assert!(diags(&r, "live-blast-radius").is_empty(), "{}", r.stdout);
    // 2 of 7 rows: below the default --min-rows 100 floor, no blast radius (the numbers still
    // go on the static finding); with the floor lowered it fires
    let sql = "DELETE FROM \"Audit Log\" WHERE \"Note\" IS NULL;\n";
    let r = check_file("t.sql", sql, live);
    assert!(diags(&r, "live-blast-radius").is_empty(), "{}", r.stdout);
    assert_eq!(
        only(&r, "delete-null-predicate")["impact"]["rows_matched"],
        2
    );
    let r = check_file("t.sql", sql, &[live, &["--min-rows", "1"][..]].concat());
    let i = &only(&r, "live-blast-radius")["impact"];
    assert_eq!(
        (i["rows_matched"].clone(), i["rows_total"].clone()),
        (2.into(), 7.into())
    );
}

fn estimates(live: &[&str]) {
    let mut args = live.to_vec();
    args.extend(["--max-count-rows", "1000"]);
    let r = check_file(
        "t.sql",
        "DELETE FROM users WHERE last_login IS NULL;\n",
        &args,
    );
    let d = only(&r, "live-blast-radius");
    let i = &d["impact"];
    assert_eq!(i["estimate"], true);
    assert_eq!(i["rows_total"], 50_000, "ANALYZEd: reltuples is exact");
    let m = i["rows_matched"].as_u64().unwrap_or(0);
    assert!((45_000..=50_000).contains(&m), "estimate {m}");
    assert!(
        d["message"]
            .as_str()
            .is_some_and(|s| s.contains("~") && s.contains("(planner estimate)")),
        "{d}"
    );
}

fn not_null(live: &[&str]) {
    let r = check_file(
        "m.sql",
        "ALTER TABLE users ALTER COLUMN email SET NOT NULL;\n\
         ALTER TABLE users ALTER COLUMN plan SET NOT NULL;\n\
         ALTER TABLE users ADD COLUMN tier text NOT NULL;\n\
         ALTER TABLE users ADD COLUMN tier2 text NOT NULL DEFAULT 'a';\n\
         ALTER TABLE empty_things ADD COLUMN tier text NOT NULL;\n\
         ALTER TABLE empty_things ALTER COLUMN label SET NOT NULL;\n",
        live,
    );
    let v = diags(&r, "live-not-null-violation");
    assert_eq!(v.len(), 2, "{}", r.stdout);
    assert_eq!(v[0]["line"], 1);
    assert_eq!(v[0]["impact"]["null_rows"], 5_000);
    assert_eq!(v[0]["impact"]["rows_total"], 50_000);
    assert_eq!(
        v[0]["message"],
        "SET NOT NULL on `users`.`email` fails: 5,000 rows hold NULL in the target database"
    );
    assert_eq!(v[1]["line"], 3);
    assert_eq!(v[1]["impact"]["null_rows"], 50_000);

    // a backfill earlier in the file: reported as info with the count, not an error
    let r = check_file(
        "m.sql",
        "UPDATE users SET nickname = 'x' WHERE nickname IS NULL;\n\
         ALTER TABLE users ALTER COLUMN nickname SET NOT NULL;\n",
        &[live, &["--max-affected", "100"][..]].concat(),
    );
    let d = only(&r, "live-not-null-violation");
    assert_eq!(d["severity"], "info");
    assert_eq!(d["impact"]["null_rows"], 37_500);
    assert_eq!(r.code, 0, "{}", r.stdout);
}

/// An Alembic revision: its operations are measured like the SQL they stand for, on the
/// line of the call; the downgrade is not measured.
fn python_migrations(live: &[&str]) {
    let dir = tempfile::tempdir().expect("temp dir");
    let versions = dir.path().join("versions");
    std::fs::create_dir_all(&versions).expect("versions dir");
    std::fs::write(dir.path().join("env.py"), "# alembic env\n").expect("env.py");
    let rev = versions.join("a1_cleanup.py");
    std::fs::write(
        &rev,
        "from alembic import op\n\nrevision = \"a1\"\ndown_revision = None\n\n\n\
         def upgrade():\n    op.drop_column(\"users\", \"email\")\n    \
         op.execute(\"DELETE FROM sessions\")\n\n\n\
         def downgrade():\n    op.drop_table(\"orders\")\n",
    )
    .expect("revision");
    let r = check_paths(&[&versions], live, &[]);
    let c = only(&r, "drop-column");
    assert_eq!(c["line"], 8, "{}", r.stdout);
    assert_eq!(c["impact"]["non_null_values"], 45_000, "{}", r.stdout);
    let d = only(&r, "delete-without-where");
    assert_eq!(d["line"], 9);
    assert_eq!(d["impact"]["rows_matched"], 1_234, "{}", r.stdout);
    // the downgrade's drop of `orders` is not measured (and the source is never read as SQL)
    assert!(
        r.json["diagnostics"]
            .as_array()
            .is_some_and(|a| a.iter().all(|d| d["line"] != 13)),
        "{}",
        r.stdout
    );
    assert!(
        r.json["errors"].as_array().is_some_and(Vec::is_empty),
        "{}",
        r.stdout
    );
}

fn drop_truncate_rename(live: &[&str]) {
    let r = check_file(
        "d.sql",
        "DROP TABLE users;\nTRUNCATE sessions;\nALTER TABLE users DROP COLUMN email;\n",
        live,
    );
    let d = only(&r, "drop-table");
    let i = &d["impact"];
    assert_eq!(i["rows"], 50_000);
    assert!(
        i["size_bytes"].as_i64().is_some_and(|s| s > 1_000_000),
        "{i}"
    );
    assert_eq!(i["dependent_views"], serde_json::json!(["active_users"]));
    assert_eq!(
        i["foreign_keys"],
        serde_json::json!(["orders.orders_user_id_fkey"])
    );
    let t = &only(&r, "truncate")["impact"];
    assert_eq!(t["rows"], 1_234);
    assert_eq!(t["dependent_views"], serde_json::json!([]));
    let c = &only(&r, "drop-column")["impact"];
    assert_eq!(c["non_null_values"], 45_000);
    assert_eq!(c["dependent_views"], serde_json::json!(["active_users"]));
    // attached, not duplicated
    assert!(diags(&r, "live-impact").is_empty(), "{}", r.stdout);

    // a down migration is exempt from drop-table: the measurement still shows, as info
    let r = check_file("0042_x.down.sql", "DROP TABLE sessions;\n", live);
    if diags(&r, "drop-table").is_empty() {
        let d = only(&r, "live-impact");
        assert_eq!(d["severity"], "info");
        assert_eq!(d["impact"]["rows"], 1_234);
    }
    // DROP … IF EXISTS of a missing table: nothing to say
    let r = check_file("d.sql", "DROP TABLE IF EXISTS ghosts;\n", live);
    assert!(diags(&r, "live-missing-object").is_empty(), "{}", r.stdout);

    let r = check_file(
        "r.sql",
        "ALTER TABLE users RENAME TO people;\n\
         ALTER TABLE users RENAME COLUMN last_login TO seen_at;\n\
         ALTER TABLE users RENAME COLUMN nickname TO nick;\n\
         ALTER TABLE sessions RENAME TO s2;\n",
        live,
    );
    let v = diags(&r, "live-impact");
    assert_eq!(v.len(), 2, "{}", r.stdout);
    assert_eq!(v[0]["line"], 1);
    assert_eq!(
        v[0]["impact"]["dependent_views"],
        serde_json::json!(["active_users"])
    );
    assert_eq!(
        v[0]["impact"]["dependents"],
        serde_json::json!(["function user_count()"])
    );
    assert_eq!(v[1]["line"], 2);
    assert_eq!(v[1]["impact"]["dependents"], serde_json::json!([]));
}

fn cannot_measure(live: &[&str]) {
    let r = check_file(
        "c.sql",
        "DELETE FROM users WHERE id = $1;\n\
         DELETE FROM users WHERE pg_terminate_backend(pg_backend_pid());\n\
         UPDATE users SET plan = 'x' WHERE id = nextval('s');\n",
        live,
    );
    let v = diags(&r, "live-cannot-measure");
    assert_eq!(v.len(), 3, "{}", r.stdout);
    assert_eq!(v[0]["severity"], "info");
    assert!(v[0]["message"].as_str().is_some_and(|m| m.contains("`$1`")));
    assert_eq!(v[1]["severity"], "warning");
    assert!(
        v[1]["message"]
            .as_str()
            .is_some_and(|m| m.contains("refuses"))
    );
    assert!(
        v[2]["message"]
            .as_str()
            .is_some_and(|m| m.contains("nextval"))
    );
    assert!(diags(&r, "live-blast-radius").is_empty());
}

fn missing_and_rejected(live: &[&str]) {
    let r = check_file(
        "x.sql",
        "DELETE FROM ghosts WHERE id = 1;\n\
         ALTER TABLE users ALTER COLUMN nope SET NOT NULL;\n\
         DELETE FROM users WHERE nosuchcol = 1;\n\
         CREATE TABLE scratch (id int);\n\
         DELETE FROM scratch;\n",
        live,
    );
    // a missing table is a finding, not a run error
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    assert_eq!(r.json["errors"], serde_json::json!([]));
    let v = diags(&r, "live-missing-object");
    assert_eq!(v.len(), 2, "{}", r.stdout);
    assert_eq!(
        v[0]["message"],
        "table `ghosts` does not exist in the target database"
    );
    assert_eq!(v[1]["line"], 2);
    let rej = only(&r, "live-cannot-measure");
    assert_eq!(rej["line"], 3);
    assert!(
        rej["message"]
            .as_str()
            .is_some_and(|m| m.contains("nosuchcol")),
        "{rej}"
    );
}

fn timeout_continues(url: &str) {
    let r = check_file(
        "slow.sql",
        "DELETE FROM users WHERE pg_sleep(0.01) IS NOT NULL;\n\
         DELETE FROM users WHERE id <= 6000;\n",
        &[
            "--format",
            "json",
            "--database-url",
            url,
            "--db-timeout",
            "300ms",
        ],
    );
    let t = only(&r, "live-cannot-measure");
    assert_eq!(t["line"], 1);
    assert!(
        t["message"].as_str().is_some_and(|m| m.contains("300 ms")),
        "{t}"
    );
    let d = only(&r, "live-blast-radius");
    assert_eq!(d["line"], 2);
    assert_eq!(d["impact"]["rows_matched"], 6_000);
}

fn human_label(url: &str) {
    let r = check_file(
        "h.sql",
        "DELETE FROM users WHERE last_login IS NULL;\n",
        &["--color", "never", "--database-url", url],
    );
    assert!(
        r.stdout
            .contains("would delete 49,000 of 50,000 rows (98.0 %)"),
        "{}",
        r.stdout
    );
    assert!(r.stdout.contains("live-blast-radius"), "{}", r.stdout);
    assert!(!r.stdout.contains(PASSWORD) && !r.stderr.contains(PASSWORD));
}

fn env_var_and_many_files(url: &str) {
    let dir = tempfile::tempdir().expect("temp dir");
    let a = dir.path().join("a.sql");
    let b = dir.path().join("b.sql");
    std::fs::write(&a, "DELETE FROM users WHERE id <= 6000;\n").expect("write");
    std::fs::write(&b, "SELECT 1;\nDELETE FROM sessions WHERE id > 0;\n").expect("write");
    let r = check_paths(
        &[&a, &b],
        &["--format", "json"],
        &[("PREFLIGHT_DATABASE_URL", url)],
    );
    let v = diags(&r, "live-blast-radius");
    assert_eq!(v.len(), 2, "{}", r.stdout);
    assert_eq!(v[1]["impact"]["rows_matched"], 1_234);
    assert_eq!(v[1]["line"], 2);

    // stdin: a statement with no static finding is still measured
    let mut child = Command::new(env!("CARGO_BIN_EXE_preflight"))
        .args(["check", "-", "--lang", "sql", "--format", "json"])
        .args(["--database-url", url])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("spawn");
    if let Some(mut stdin) = child.stdin.take() {
        use std::io::Write;
        stdin
            .write_all(b"UPDATE users SET plan = 'x' WHERE last_login IS NULL;\n")
            .expect("write stdin");
    }
    let out = child.wait_with_output().expect("wait");
    let v: Value = serde_json::from_slice(&out.stdout).expect("json");
    let d = &v["diagnostics"][0];
    assert_eq!(d["rule"], "live-blast-radius", "{v}");
    assert_eq!(d["impact"]["rows_matched"], 49_000);
    assert_eq!(out.status.code(), Some(1));
}

fn connection_failures(c: &Cluster) {
    let sql = "DELETE FROM users;\n";
    // wrong password: exit 2, static findings still printed, password never shown
    let bad = format!(
        "postgres://postgres:wrong-s3cret@127.0.0.1:{}/fixture",
        c.port
    );
    let r = check_file("f.sql", sql, &["--format", "json", "--database-url", &bad]);
    assert_eq!(r.code, 2, "{}{}", r.stdout, r.stderr);
    assert_eq!(only(&r, "delete-without-where")["line"], 1);
    let err = &r.json["errors"][0];
    assert_eq!(
        err["file"],
        format!("postgres://postgres:***@127.0.0.1:{}/fixture", c.port)
    );
    assert!(
        err["message"]
            .as_str()
            .is_some_and(|m| m.contains("password authentication failed")),
        "{err}"
    );
    assert!(!r.stdout.contains("wrong-s3cret") && !r.stderr.contains("wrong-s3cret"));

    // nothing listening
    let closed = format!(
        "postgres://postgres:{PASSWORD}@127.0.0.1:{}/fixture",
        free_port()
    );
    let r = check_file(
        "f.sql",
        sql,
        &["--format", "json", "--database-url", &closed],
    );
    assert_eq!(r.code, 2, "{}", r.stdout);
    assert_eq!(only(&r, "delete-without-where")["line"], 1);
    assert!(
        r.json["errors"][0]["message"]
            .as_str()
            .is_some_and(|m| m.starts_with("cannot connect"))
    );
    assert!(!r.stdout.contains(PASSWORD) && !r.stderr.contains(PASSWORD));

    // a database that does not exist: also a connection failure
    let nodb = format!("postgres://postgres:{PASSWORD}@127.0.0.1:{}/nope", c.port);
    let r = check_file("f.sql", sql, &["--format", "json", "--database-url", &nodb]);
    assert_eq!(r.code, 2, "{}", r.stdout);

    // not PostgreSQL: usage error, password not echoed
    let r = check_file("f.sql", sql, &["--database-url", "mysql://u:pw-xyz@h/d"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("mysql://u:***@h/d"), "{}", r.stderr);
    assert!(!r.stderr.contains("pw-xyz"));
    let r = check_file(
        "f.sql",
        sql,
        &["--database-url", &c.url, "--dialect", "mysql"],
    );
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("--dialect mysql"), "{}", r.stderr);
    assert!(!r.stderr.contains(PASSWORD));
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .unwrap_or(1)
}

/// The server logs every statement it receives (log_statement=all): none of preflight's
/// statements may be a write or the user's statement.
fn no_user_statement_reached_the_server(c: &Cluster) {
    let log = std::fs::read_to_string(Path::new(&c.dir).join("server.log")).expect("server log");
    let ours: Vec<&str> = log
        .lines()
        .filter(|l| l.starts_with("app=preflight:"))
        .filter_map(|l| {
            // `LOG:  statement: …` (simple protocol) or `LOG:  execute s3: …` (extended)
            let rest = l.split_once("LOG:  ")?.1;
            match rest.strip_prefix("statement: ") {
                Some(s) => Some(s),
                None => rest
                    .strip_prefix("execute ")?
                    .split_once(": ")
                    .map(|(_, s)| s),
            }
        })
        .map(str::trim)
        .collect();
    let counts = ours.iter().filter(|s| s.contains("count(*)")).count();
    let explains = ours.iter().filter(|s| s.starts_with("EXPLAIN")).count();
    assert!(
        counts > 20 && explains > 20,
        "the server log shows too few of preflight's queries ({counts} counts, {explains} EXPLAINs)"
    );
    for s in &ours {
        let first = s
            .split_whitespace()
            .next()
            .unwrap_or("")
            .to_ascii_uppercase();
        assert!(
            matches!(
                first.as_str(),
                "SELECT" | "EXPLAIN" | "BEGIN" | "SET" | "SAVEPOINT" | "RELEASE" | "ROLLBACK"
            ),
            "preflight sent: {s}"
        );
        let upper = s.to_ascii_uppercase();
        assert!(
            !upper.contains("DELETE FROM") && !upper.contains("ALTER TABLE"),
            "{s}"
        );
    }
}
