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
