//! Dialect-specific syntax reaches the same rules.

use preflight::check::{SqlOptions, check_sql};
use preflight::source::Dialect;

fn rules(src: &str, d: Dialect) -> Vec<String> {
    check_sql(src, d, &SqlOptions::default())
        .into_iter()
        .map(|d| d.rule)
        .collect()
}

#[test]
fn mysql() {
    let r = rules(
        "DELETE FROM `users` LIMIT 10;\n# DROP TABLE x;\nDROP TABLE `orders`;",
        Dialect::Mysql,
    );
    assert_eq!(r, vec!["delete-without-where", "drop-table"]);
    // MySQL strings may use double quotes and backslash escapes
    let r = rules(
        "SELECT \"DROP TABLE a; \\\" still\";\nUPDATE t SET a = 1;",
        Dialect::Mysql,
    );
    assert_eq!(r, vec!["update-without-where"]);
    let r = rules(
        "DELIMITER $$\nCREATE PROCEDURE purge() BEGIN DELETE FROM sessions; END $$\nDELIMITER ;\nSELECT 1;",
        Dialect::Mysql,
    );
    assert_eq!(
        r,
        vec!["delete-without-where"],
        "the procedure body is read, the wrapper is not a parse error"
    );
    let r = rules("DROP TEMPORARY TABLE IF EXISTS tmp_x;", Dialect::Mysql);
    assert!(r.is_empty(), "{r:?}");
}

#[test]
fn sqlite() {
    let r = rules(
        "CREATE TRIGGER t AFTER INSERT ON a BEGIN DELETE FROM b WHERE id = new.id; END;\nDROP TABLE [old table];",
        Dialect::Sqlite,
    );
    assert_eq!(r, vec!["drop-table"]);
    let r = rules(
        "CREATE TRIGGER t AFTER INSERT ON a BEGIN\n  UPDATE b SET n = 0;\nEND;",
        Dialect::Sqlite,
    );
    assert_eq!(r, vec!["update-without-where"]);
}

#[test]
fn postgres_specifics() {
    // E'' strings with backslash-escaped quotes, dollar quotes with tags, nested comments
    let src = "SELECT E'it\\'s; DROP TABLE a';\nSELECT $body$ DROP TABLE b; $body$;\n/* outer /* inner; */ DROP TABLE c; */\nDROP TABLE d;";
    assert_eq!(rules(src, Dialect::Postgres), vec!["drop-table"]);
}

#[test]
fn postfix_isnull_is_is_null() {
    // `x ISNULL` / `x NOTNULL` are PostgreSQL and SQLite syntax, not parse errors
    for d in [Dialect::Postgres, Dialect::Sqlite] {
        let r = rules(
            "UPDATE participant SET activity = 1 WHERE activity isnull;
UPDATE t SET a = 1 WHERE b NOTNULL;",
            d,
        );
        assert!(r.is_empty(), "{d:?}: {r:?}");
    }
    // read as IS NULL: the null-predicate rule sees it, at the statement
    let r = lines(
        "DELETE FROM users\nWHERE last_login ISNULL;",
        Dialect::Postgres,
    );
    assert_eq!(r, vec![(1, "delete-null-predicate".to_string())]);
    // a function named isnull stays a call; a quoted "isnull" is a column
    let r = rules(
        "UPDATE t SET a = 1 WHERE isnull(b);\nUPDATE t SET a = 1 WHERE \"isnull\";",
        Dialect::Postgres,
    );
    assert!(r.is_empty(), "{r:?}");
    // still broken input is still a parse error
    let r = rules("UPDATE t SET a = 1 WHERE b ISNULL 5;", Dialect::Postgres);
    assert_eq!(r, vec!["parse-error"]);
}

mod per_file {
    //! The dialect of each file, chosen from the file, and chains per dialect.
    use preflight::discover::discover;
    use preflight::run::{Outcome, Settings, run};
    use preflight::source::LineIndex;
    use std::path::PathBuf;

    fn check_dir(dir: &std::path::Path, settings: &Settings) -> String {
        let (files, errors) = discover(&[dir.to_path_buf()], &|_| None, &|_| false);
        assert!(errors.is_empty(), "{errors:?}");
        compact(&run(&files, settings), dir)
    }

    fn compact(out: &Outcome, dir: &std::path::Path) -> String {
        let mut s = String::new();
        for f in &out.files {
            let idx = LineIndex::new(&f.text);
            let name = PathBuf::from(&f.path);
            let name = name
                .strip_prefix(dir)
                .unwrap_or(&name)
                .display()
                .to_string();
            for d in &f.diagnostics {
                let line = idx.position(&f.text, d.span.start).line;
                s.push_str(&format!("{name}:{line} [{}] {}\n", d.rule, d.message));
            }
        }
        s
    }

    fn write(dir: &std::path::Path, name: &str, text: &str) {
        let p = dir.join(name);
        std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
        std::fs::write(p, text).expect("write");
    }

    #[test]
    fn variant_sets_are_one_chain_per_dialect() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let m = tmp.path().join("migrations");
        write(
            &m,
            "20200101000000_users.postgres.up.sql",
            "CREATE TABLE users (id serial PRIMARY KEY, email text);\n",
        );
        write(
            &m,
            "20200101000000_users.mysql.up.sql",
            "CREATE TABLE `users` (id int AUTO_INCREMENT PRIMARY KEY, email varchar(255)) ENGINE=InnoDB;\n",
        );
        write(
            &m,
            "20200101000000_users.sqlite3.up.sql",
            "CREATE TABLE users (id INTEGER PRIMARY KEY AUTOINCREMENT, email TEXT);\n",
        );
        for d in ["postgres", "mysql", "sqlite3"] {
            write(
                &m,
                &format!("20200102000000_idx.{d}.up.sql"),
                "CREATE INDEX users_email ON users (email);\n",
            );
        }
        write(
            &m,
            "20200103000000_drop.mysql.up.sql",
            "ALTER TABLE users MODIFY email varchar(255) NOT NULL;\nALTER TABLE `users` DROP COLUMN `email`;\n",
        );
        let out = check_dir(&m, &Settings::default());
        // only the PostgreSQL variant builds its index with a lock
        assert!(
            out.contains("20200102000000_idx.postgres.up.sql:1 [create-index-blocking]"),
            "{out}"
        );
        assert_eq!(out.matches("create-index-blocking").count(), 1, "{out}");
        // the MySQL chain cites the MySQL file as the column's creator
        assert!(
            out.contains("20200103000000_drop.mysql.up.sql:2 [drop-column]"),
            "{out}"
        );
        assert!(!out.contains("sqlite3.up.sql:1 ("), "{out}");
        assert!(!out.contains("parse-error"), "{out}");
    }

    #[test]
    fn per_file_dialect_and_parse_error_reason() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let d = tmp.path();
        write(
            d,
            "tools/mysql/purge.sql",
            "DELETE FROM `t` LIMIT 10 garbage garbage;\n",
        );
        let out = check_dir(d, &Settings::default());
        assert!(out.contains("read as MySQL (directory `mysql/`)"), "{out}");
        let settings = Settings {
            dialect_forced: Some(preflight::source::Dialect::Sqlite),
            ..Settings::default()
        };
        let out = check_dir(d, &settings);
        assert!(out.contains("read as SQLite (`--dialect`)"), "{out}");
    }
}

/// `(line, rule)` of every finding.
fn lines(src: &str, d: Dialect) -> Vec<(usize, String)> {
    check_sql(src, d, &SqlOptions::default())
        .into_iter()
        .map(|diag| (src[..diag.span.start].matches('\n').count() + 1, diag.rule))
        .collect()
}

#[test]
fn templates_are_sql_with_holes() {
    let src = "drop table if exists {{ index .Options \"Namespace\" }}.sso_sessions;\n\
               ALTER TABLE {{ns}}.users DROP COLUMN email;\n\
               DELETE FROM t WHERE id = :id;\n\
               DELETE FROM :tbl;\n\
               select * from {{ ref('orders') }} where id = %s;\n\
               CREATE TABLE @extschema@.t (a int);\n\
               {% if target.name == 'dev' %}\n\
               UPDATE ${schema}.users SET a = 1 WHERE id = %(id)s;\n\
               {% endif %}\n\
               #include \"udfs/x.sql\"\n";
    let diags = check_sql(src, Dialect::Postgres, &SqlOptions::default());
    let got: Vec<(usize, &str)> = diags
        .iter()
        .map(|d| {
            (
                src[..d.span.start].matches('\n').count() + 1,
                d.rule.as_str(),
            )
        })
        .collect();
    assert_eq!(
        got,
        vec![
            (1, "drop-table"),
            (1, "drop-if-exists"),
            (2, "drop-column"),
            (4, "delete-without-where"),
        ]
    );
    // messages show the template text
    assert!(
        diags[0]
            .message
            .contains("`{{ index .Options \"Namespace\" }}.sso_sessions`"),
        "{}",
        diags[0].message
    );
    assert!(diags[3].message.contains("`:tbl`"), "{}", diags[3].message);
}

#[test]
fn psql_scripts_and_tsql_batches() {
    let src = "\\set ON_ERROR_STOP on\n\
               SELECT count(*) AS n FROM users \\gset\n\
               COPY users (id, name) FROM stdin;\n\
               1\tDROP TABLE x; it's data\n\
               \\.\n\
               \\if :dry_run\n\
               DELETE FROM sessions\n\
               \\endif\n";
    assert_eq!(
        lines(src, Dialect::Postgres),
        vec![(7, "delete-without-where".to_string())]
    );
    let src = "CREATE TABLE [dbo].[t] (id int IDENTITY(1,1))\nGO\nDROP TABLE dbo.old\nTRUNCATE TABLE dbo.other\nGO\n";
    assert_eq!(
        lines(src, Dialect::Mssql),
        vec![(3, "drop-table".to_string()), (4, "truncate".to_string())]
    );
}

#[test]
fn what_unparsed_statements_create_reaches_the_model() {
    for src in [
        "CREATE DATABASE b OWNER x;\nDROP DATABASE b;",
        "CREATE TABLE t USING columnar;\nDROP TABLE t;",
        "CREATE MATERIALIZED VIEW mv WITH (fillfactor = 70) AS SELECT 1 WITH NO DATA;\nTRUNCATE mv;",
        "CREATE SCHEMA AUTHORIZATION s;\nDROP SCHEMA s CASCADE;",
        "CREATE TABLE t3 (id int);\nALTER TABLE t3 RENAME TO t4;\nDROP TABLE t4;",
        "CREATE TABLE t (id int);\nCREATE INDEX i ON t (id);\nALTER INDEX i RENAME TO j;\nDROP INDEX j;",
        "CREATE STATISTICS st ON a, b FROM t;\nCREATE TRIGGER tr AFTER INSERT ON t FOR EACH ROW EXECUTE PROCEDURE f('lit');",
    ] {
        assert_eq!(lines(src, Dialect::Postgres), vec![], "{src}");
    }
}

#[test]
fn destructive_shapes_are_recovered_from_unparsed_statements() {
    let src = "DO $$ BEGIN ALTER TABLE users DROP COLUMN legacy_id; END $$;\n\
               DROP INDEX CONCURRENTLY IF EXISTS idx_a;\n\
               ALTER TABLE users ALTER CONSTRAINT fk DEFERRABLE, DROP COLUMN x;\n\
               CREATE TABLE a (id int)\n\
               DROP TABLE b;\n\
               ALTER TABLE \"Acct\".\"Users\" ALTER COLUMN n SET NOT NULL, ALTER CONSTRAINT c NOT DEFERRABLE;\n\
               DROP TABLE users WITH SOME GIBBERISH;\n";
    assert_eq!(
        lines(src, Dialect::Postgres),
        vec![
            (1, "drop-column".to_string()),
            (2, "drop-index".to_string()),
            (3, "drop-column".to_string()),
            (4, "parse-error".to_string()),
            (5, "drop-table".to_string()),
            (6, "set-not-null".to_string()),
            (7, "parse-error".to_string()),
            (7, "drop-table".to_string()),
        ]
    );
}
