//! `check --dry-run` against a real PostgreSQL: the throwaway server preflight starts itself,
//! and a declared target database (a cluster started by `scripts/pg-cluster.sh` with
//! `tests/fixtures/dryrun.sql`) whose data must be unchanged afterwards.
//!
//! No server binaries → the test says so loudly; with `CI=true` it fails instead of passing.

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn no_server(why: &str) {
    let msg = format!(
        "\n!! DRY-RUN TESTS DID NOT RUN: no PostgreSQL server binaries: {}\n",
        why.trim()
    );
    eprintln!("{msg}");
    if std::env::var("CI").is_ok_and(|v| v == "true" || v == "1") {
        panic!("{msg}");
    }
}

fn pg_bin() -> Result<String, String> {
    let out = Command::new(root().join("scripts/pg-cluster.sh"))
        .arg("find")
        .output()
        .map_err(|e| e.to_string())?;
    if !out.status.success() {
        return Err(String::from_utf8_lossy(&out.stderr).into_owned());
    }
    Ok(String::from_utf8_lossy(&out.stdout).trim().to_string())
}

struct Run {
    code: i32,
    json: Value,
    stdout: String,
    stderr: String,
}

fn preflight(dir: &Path, args: &[&str]) -> Run {
    let out = Command::new(env!("CARGO_BIN_EXE_preflight"))
        .current_dir(dir)
        .arg("check")
        .args(args)
        .env_remove("PREFLIGHT_DATABASE_URL")
        .output()
        .expect("run preflight");
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    Run {
        code: out.status.code().unwrap_or(-1),
        json: serde_json::from_str(&stdout).unwrap_or(Value::Null),
        stdout,
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

fn diags<'a>(run: &'a Run, file_suffix: &str) -> Vec<&'a Value> {
    run.json["diagnostics"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter(|d| d["file"].as_str().is_some_and(|f| f.ends_with(file_suffix)))
                .collect()
        })
        .unwrap_or_default()
}

fn write(dir: &Path, name: &str, text: &str) {
    let p = dir.join(name);
    std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
    std::fs::write(p, text).expect("write");
}

fn leftover_clusters() -> Vec<String> {
    std::fs::read_dir(std::env::temp_dir())
        .map(|r| {
            r.flatten()
                .map(|e| e.file_name().to_string_lossy().to_string())
                .filter(|n| n.starts_with("preflight-dryrun."))
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn throwaway_dry_run() {
    let bin = match pg_bin() {
        Ok(b) => b,
        Err(why) => return no_server(&why),
    };
    let tmp = tempfile::tempdir().expect("tmp");
    let d = tmp.path();
    write(
        d,
        "migrations/0001_users.sql",
        "CREATE TABLE users (id int PRIMARY KEY, email text);\n\
         CREATE VIEW user_emails AS SELECT email FROM users;\n",
    );
    write(
        d,
        "migrations/0002_drop_email.sql",
        "ALTER TABLE users DROP COLUMN email;\n",
    );
    write(
        d,
        "migrations/0003_bigint.sql",
        "ALTER TABLE users ALTER COLUMN id TYPE bigint;\n",
    );
    // near misses: a table created in the same file is not "existing"; a CONCURRENTLY index
    // is skipped (info), not run
    write(
        d,
        "migrations/0004_new_table.sql",
        "CREATE TABLE things (id int);\nALTER TABLE things ALTER COLUMN id TYPE bigint;\n\
         CREATE INDEX CONCURRENTLY users_id_idx ON users (id);\n",
    );
    // objects made outside the replayed files: an info, not an error; the file goes on
    write(
        d,
        "migrations/0005_elsewhere.sql",
        "ALTER TABLE accounts ADD COLUMN x int;\nALTER TABLE accounts DROP COLUMN y;\n\
         ALTER TABLE users ADD COLUMN z int;\n",
    );
    write(
        d,
        "migrations/0006_placeholder.sql",
        "CREATE USER app WITH PASSWORD ${app_password};\n",
    );
    // another database's files are not replayed
    write(
        d,
        "db/mysql/0001_x.sql",
        "CREATE TABLE t (id int AUTO_INCREMENT PRIMARY KEY);\n",
    );
    let before = leftover_clusters();
    let r = preflight(
        d,
        &[
            "--dry-run",
            "--no-config",
            "--pg-bin",
            &bin,
            "--format",
            "json",
            "migrations",
        ],
    );
    assert_eq!(r.code, 1, "{}{}", r.stdout, r.stderr);

    let f2 = diags(&r, "0002_drop_email.sql");
    assert_eq!(f2.len(), 1, "one finding per problem: {}", r.stdout);
    assert_eq!(f2[0]["rule"], "dry-run-error");
    assert_eq!(f2[0]["line"], 1);
    let msg = f2[0]["message"].as_str().unwrap_or_default();
    assert!(msg.contains("because other objects depend on it"), "{msg}");
    assert_eq!(
        f2[0]["postgres"]["detail"],
        "view user_emails depends on column email of table users"
    );
    assert!(msg.contains("SQLSTATE 2BP01"), "{msg}");
    assert_eq!(f2[0]["postgres"]["sqlstate"], "2BP01");
    assert_eq!(f2[0]["static"][0]["rule"], "drop-column");

    // 0003 replays from the state before 0002 (email still there): the type change succeeds
    let f3 = diags(&r, "0003_bigint.sql");
    assert_eq!(f3.len(), 1, "{}", r.stdout);
    assert_eq!(f3[0]["rule"], "dry-run-rewrite");
    assert_eq!(f3[0]["line"], 1);
    assert!(
        f3[0]["message"]
            .as_str()
            .is_some_and(|m| m.contains("`users`") && m.contains("ACCESS EXCLUSIVE")),
        "{}",
        r.stdout
    );

    let f4 = diags(&r, "0004_new_table.sql");
    let rules: Vec<&str> = f4.iter().filter_map(|d| d["rule"].as_str()).collect();
    assert!(
        !rules.contains(&"dry-run-rewrite") && !rules.contains(&"dry-run-lock"),
        "{}",
        r.stdout
    );
    assert!(
        f4.iter()
            .any(|d| d["rule"] == "dry-run-skipped" && d["line"] == 3),
        "{}",
        r.stdout
    );
    let f5: Vec<&Value> = diags(&r, "0005_elsewhere.sql")
        .into_iter()
        .filter(|x| x["line"] == 1)
        .collect();
    assert_eq!(f5.len(), 1, "{}", r.stdout);
    assert_eq!(f5[0]["rule"], "dry-run-skipped");
    assert_eq!(f5[0]["severity"], "info");
    assert_eq!(f5[0]["line"], 1);
    assert!(
        f5[0]["message"]
            .as_str()
            .is_some_and(|m| m.contains("\"accounts\" does not exist")
                && m.contains("and 1 later statements")),
        "{}",
        r.stdout
    );
    assert!(
        diags(&r, "0001_x.sql")
            .iter()
            .all(|x| !x["rule"].as_str().unwrap_or("").starts_with("dry-run")),
        "{}",
        r.stdout
    );
    let f6 = diags(&r, "0006_placeholder.sql");
    assert!(
        f6.iter().all(|x| x["rule"] != "dry-run-error")
            && f6.iter().any(|x| x["rule"] == "dry-run-skipped"),
        "{}",
        r.stdout
    );
    // the cluster is gone
    let after = leftover_clusters();
    assert!(
        after.iter().all(|a| before.contains(a)),
        "dry-run cluster left behind: {after:?}"
    );
}

struct Cluster {
    dir: String,
    url: String,
}

impl Drop for Cluster {
    fn drop(&mut self) {
        let _ = Command::new(root().join("scripts/pg-cluster.sh"))
            .args(["stop", &self.dir])
            .status();
    }
}

#[test]
fn dry_run_on_a_declared_target() {
    if let Err(why) = pg_bin() {
        return no_server(&why);
    }
    let out = Command::new(root().join("scripts/pg-cluster.sh"))
        .args(["start", "tests/fixtures/dryrun.sql"])
        .current_dir(root())
        .output()
        .expect("pg-cluster.sh");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    let get = |k: &str| {
        text.lines()
            .find_map(|l| l.strip_prefix(&format!("{k}=")))
            .map(str::to_string)
            .expect("pg-cluster.sh output")
    };
    let cluster = Cluster {
        dir: get("DIR"),
        url: get("URL"),
    };
    let tmp = tempfile::tempdir().expect("tmp");
    let d = tmp.path();
    write(
        d,
        "cleanup.sql",
        "DELETE FROM users WHERE last_login IS NULL;\n",
    );
    write(
        d,
        "notnull.sql",
        "ALTER TABLE users ALTER COLUMN notes SET NOT NULL;\n",
    );

    // not declared: refused (exit 2) after identity queries only
    write(
        d,
        "preflight.toml",
        "[dry-run]\ntargets = [\"staging-db.internal\"]\n",
    );
    let r = preflight(
        d,
        &[
            "--dry-run",
            "--database-url",
            &cluster.url,
            "--format",
            "json",
            ".",
        ],
    );
    assert_eq!(r.code, 2, "{}{}", r.stdout, r.stderr);
    assert!(r.stderr.contains("refusing to dry-run"), "{}", r.stderr);
    assert!(r.stderr.contains("database fixture"), "{}", r.stderr);
    assert!(
        !r.stderr.contains("preflight-test-superuser"),
        "{}",
        r.stderr
    );
    let log = std::fs::read_to_string(format!("{}/server.log", cluster.dir)).unwrap_or_default();
    assert!(
        !log.contains("app=preflight-dry-run:"),
        "a refused dry run sent statements"
    );

    // declared
    write(
        d,
        "preflight.toml",
        "[dry-run]\ntargets = [\"127.0.0.1\"]\n",
    );
    let r = preflight(
        d,
        &[
            "--dry-run",
            "--database-url",
            &cluster.url,
            "--format",
            "json",
            ".",
        ],
    );
    assert_eq!(r.code, 1, "{}{}", r.stdout, r.stderr);
    let del = diags(&r, "cleanup.sql");
    assert_eq!(del.len(), 1, "{}", r.stdout);
    assert_eq!(
        del[0]["dry_run_rows"]["rows_affected"], 4500,
        "{}",
        r.stdout
    );
    assert_eq!(del[0]["dry_run_rows"]["rows_total"], 5000, "{}", r.stdout);
    let human = preflight(
        d,
        &["--dry-run", "--database-url", &cluster.url, "cleanup.sql"],
    );
    assert!(
        human
            .stdout
            .contains("would delete 4,500 of 5,000 rows of `users`"),
        "{}",
        human.stdout
    );
    let nn = diags(&r, "notnull.sql");
    assert_eq!(nn.len(), 1, "{}", r.stdout);
    assert_eq!(nn[0]["rule"], "dry-run-error");
    let msg = nn[0]["message"].as_str().unwrap_or_default();
    assert!(msg.contains("contains null values"), "{msg}");
    assert!(msg.contains("3,750 of 5,000 rows are NULL"), "{msg}");

    // another session holds a lock: the dry run gives up after --lock-timeout and says so
    let mut holder = postgres::Client::connect(&cluster.url, postgres::NoTls).expect("connect");
    holder
        .batch_execute("BEGIN; LOCK TABLE users IN ACCESS SHARE MODE")
        .expect("hold a lock");
    write(d, "addcol.sql", "ALTER TABLE users ADD COLUMN x int;\n");
    let r = preflight(
        d,
        &[
            "--dry-run",
            "--database-url",
            &cluster.url,
            "--lock-timeout",
            "300ms",
            "--format",
            "json",
            "addcol.sql",
        ],
    );
    let w = diags(&r, "addcol.sql");
    assert_eq!(w.len(), 1, "{}{}", r.stdout, r.stderr);
    assert_eq!(w[0]["rule"], "dry-run-lock");
    assert!(
        w[0]["message"]
            .as_str()
            .is_some_and(|m| m.contains("lock_timeout")),
        "{}",
        r.stdout
    );
    holder.batch_execute("ROLLBACK").expect("release");

    // nothing changed
    let mut c = postgres::Client::connect(&cluster.url, postgres::NoTls).expect("connect");
    let n: i64 = c
        .query_one("SELECT count(*) FROM users", &[])
        .expect("count")
        .get(0);
    assert_eq!(n, 5000);
    let nullable: String = c
        .query_one(
            "SELECT is_nullable FROM information_schema.columns \
             WHERE table_name = 'users' AND column_name = 'notes'",
            &[],
        )
        .expect("nullable")
        .get(0);
    assert_eq!(nullable, "YES");
    let x: i64 = c
        .query_one(
            "SELECT count(*) FROM information_schema.columns \
             WHERE table_name = 'users' AND column_name = 'x'",
            &[],
        )
        .expect("columns")
        .get(0);
    assert_eq!(x, 0);
    let log = std::fs::read_to_string(format!("{}/server.log", cluster.dir)).unwrap_or_default();
    let ours: Vec<&str> = log
        .lines()
        .filter(|l| l.starts_with("app=preflight-dry-run:"))
        .collect();
    assert!(
        ours.iter().any(|l| l.contains("statement: ROLLBACK")),
        "{log}"
    );
    assert!(
        !ours
            .iter()
            .any(|l| l.to_ascii_uppercase().contains("COMMIT")),
        "{log}"
    );
    assert!(
        ours.iter().any(|l| l.contains("DELETE FROM users")),
        "{log}"
    );
}

/// A CA and a server certificate for 127.0.0.1/localhost, made with the openssl CLI.
fn make_certs(dir: &Path) -> Result<(), String> {
    let run = |args: &[&str]| -> Result<(), String> {
        let out = Command::new("openssl")
            .args(args)
            .current_dir(dir)
            .output()
            .map_err(|e| format!("openssl: {e}"))?;
        if out.status.success() {
            Ok(())
        } else {
            Err(String::from_utf8_lossy(&out.stderr).into_owned())
        }
    };
    std::fs::write(
        dir.join("san.ext"),
        "subjectAltName=IP:127.0.0.1,DNS:localhost\n",
    )
    .map_err(|e| e.to_string())?;
    for (ca, cn) in [("ca", "preflight test CA"), ("other-ca", "another CA")] {
        run(&[
            "req",
            "-x509",
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:prime256v1",
            "-nodes",
            "-keyout",
            &format!("{ca}.key"),
            "-out",
            &format!("{ca}.pem"),
            "-days",
            "2",
            "-subj",
            &format!("/CN={cn}"),
        ])?;
    }
    run(&[
        "req",
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:prime256v1",
        "-nodes",
        "-keyout",
        "server.key",
        "-out",
        "server.csr",
        "-subj",
        "/CN=localhost",
    ])?;
    run(&[
        "x509",
        "-req",
        "-in",
        "server.csr",
        "-CA",
        "ca.pem",
        "-CAkey",
        "ca.key",
        "-CAcreateserial",
        "-out",
        "server.pem",
        "-days",
        "2",
        "-extfile",
        "san.ext",
    ])
}

#[test]
fn tls_connections() {
    if let Err(why) = pg_bin() {
        return no_server(&why);
    }
    let out = Command::new(root().join("scripts/pg-cluster.sh"))
        .args(["start", "tests/fixtures/dryrun.sql"])
        .current_dir(root())
        .output()
        .expect("pg-cluster.sh");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    let get = |k: &str| {
        text.lines()
            .find_map(|l| l.strip_prefix(&format!("{k}=")))
            .map(str::to_string)
            .expect("pg-cluster.sh output")
    };
    let cluster = Cluster {
        dir: get("DIR"),
        url: get("URL"),
    };
    let tmp = tempfile::tempdir().expect("tmp");
    let d = tmp.path();
    write(
        d,
        "cleanup.sql",
        "DELETE FROM users WHERE last_login IS NULL;\n",
    );

    // no TLS on the server yet: sslmode=require fails clearly
    let r = preflight(
        d,
        &[
            "--database-url",
            &format!("{}?sslmode=require", cluster.url),
            "--format",
            "json",
            "cleanup.sql",
        ],
    );
    assert_eq!(r.code, 2, "{}{}", r.stdout, r.stderr);
    assert!(
        format!("{}{}", r.stdout, r.stderr).contains("does not accept TLS connections"),
        "{}{}",
        r.stdout,
        r.stderr
    );

    // turn TLS on with a certificate made here
    let certs = Path::new(&cluster.dir).join("certs");
    std::fs::create_dir_all(&certs).expect("mkdir");
    if let Err(why) = make_certs(&certs) {
        let msg = format!("!! TLS test did not run: cannot make certificates: {why}");
        eprintln!("{msg}");
        if std::env::var("CI").is_ok_and(|v| v == "true" || v == "1") {
            panic!("{msg}");
        }
        return;
    }
    let data = Path::new(&cluster.dir).join("data");
    let owner = {
        use std::os::unix::fs::MetadataExt;
        std::fs::metadata(&data).expect("data dir").uid()
    };
    for f in ["server.pem", "server.key"] {
        let src = certs.join(f);
        let dst = data.join(f);
        std::fs::copy(&src, &dst).expect("copy cert");
        std::os::unix::fs::chown(&dst, Some(owner), None).expect("chown");
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&dst, std::fs::Permissions::from_mode(0o600)).expect("chmod");
    }
    let mut c = postgres::Client::connect(&cluster.url, postgres::NoTls).expect("connect");
    for s in [
        "ALTER SYSTEM SET ssl_cert_file = 'server.pem'",
        "ALTER SYSTEM SET ssl_key_file = 'server.key'",
        "ALTER SYSTEM SET ssl = on",
    ] {
        c.batch_execute(s).expect("ssl settings");
    }
    c.query_one("SELECT pg_reload_conf()", &[]).expect("reload");
    std::thread::sleep(std::time::Duration::from_millis(500));

    let ca = certs.join("ca.pem");
    let url = format!(
        "{}?sslmode=verify-full&sslrootcert={}",
        cluster.url,
        ca.display()
    );
    let r = preflight(
        d,
        &["--database-url", &url, "--format", "json", "cleanup.sql"],
    );
    assert_eq!(r.code, 1, "{}{}", r.stdout, r.stderr);
    let del = diags(&r, "cleanup.sql");
    assert!(
        del.iter().any(|x| x["rule"] == "live-blast-radius"),
        "{}",
        r.stdout
    );
    // (the refusal below can only come from a TLS handshake: TLS was in use)
    // a certificate from another CA is refused
    let wrong = format!(
        "{}?sslmode=verify-full&sslrootcert={}",
        cluster.url,
        certs.join("other-ca.pem").display()
    );
    let r = preflight(
        d,
        &["--database-url", &wrong, "--format", "json", "cleanup.sql"],
    );
    assert_eq!(r.code, 2, "{}{}", r.stdout, r.stderr);
    assert!(
        format!("{}{}", r.stdout, r.stderr).contains("cannot connect"),
        "{}{}",
        r.stdout,
        r.stderr
    );
    // verify-full without a root certificate says what is missing
    let r = preflight(
        d,
        &[
            "--database-url",
            &format!("{}?sslmode=verify-full", cluster.url),
            "--format",
            "json",
            "cleanup.sql",
        ],
    );
    assert_eq!(r.code, 2, "{}{}", r.stdout, r.stderr);
    assert!(
        format!("{}{}", r.stdout, r.stderr).contains("sslrootcert"),
        "{}{}",
        r.stdout,
        r.stderr
    );
}
