//! Tests of config parsing: keys, globs, errors with their spans.

use super::*;

fn p(text: &str) -> Result<Config, ConfigError> {
    parse("preflight.toml", text, Path::new("/repo"))
}

fn err_at(text: &str) -> (String, String) {
    let e = p(text).expect_err("config should be rejected");
    let span = e.span.clone().expect("error has a span");
    (e.message, text[span].to_string())
}

#[test]
fn full_config() {
    let c = p(r#"
dialect = "mysql"
include = ["db/**/*.ddl"]
exclude = ["vendor"]
migrations = ["db/migrate"]
down-migrations = "check"
tests = "check"
[rules]
drop-index = "warning"
truncate = "off"
[[per-file]]
glob = "scripts/dev/**"
ignore = ["drop-table", "shell"]
"#)
    .expect("valid");
    assert_eq!(c.dialect, Some(Dialect::Mysql));
    assert_eq!(c.check_down, Some(true));
    assert_eq!((c.check_tests, c.check_vendored), (Some(true), None));
    assert_eq!(c.migrations, ["db/migrate"]);
    assert_eq!(c.severity.get("drop-index"), Some(&Some(Severity::Warning)));
    assert_eq!(c.severity.get("truncate"), Some(&None));
    assert!(c.excluded(Path::new("/repo/vendor/x/y.sql")));
    assert!(!c.excluded(Path::new("/repo/db/vendor.sql")));
    assert_eq!(c.included(Path::new("/repo/db/a/b.ddl")), Some(Lang::Sql));
    assert_eq!(c.included(Path::new("/repo/other/b.ddl")), None);
    assert!(c.per_file[0].matches("/repo/scripts/dev/reset.sh"));
    assert!(!c.per_file[0].matches("/repo/scripts/deploy.sh"));
}

#[test]
fn errors_point_at_the_key_or_value() {
    assert_eq!(
        err_at("dialect = \"postgres\"\ndialcet = \"x\"\n"),
        ("unknown key `dialcet`".to_string(), "dialcet".to_string())
    );
    let (m, at) = err_at("dialect = \"oracle\"\n");
    assert!(m.contains("oracle"), "{m}");
    assert_eq!(at, "\"oracle\"");
    let (m, at) = err_at("[rules]\ndrop-tabel = \"off\"\n");
    assert_eq!(
        (m.as_str(), at.as_str()),
        ("unknown rule id `drop-tabel`", "drop-tabel")
    );
    let (m, at) = err_at("[rules]\ndrop-table = \"fatal\"\n");
    assert!(m.contains("fatal"), "{m}");
    assert_eq!(at, "\"fatal\"");
    let (_, at) = err_at("down-migrations = \"skip\"\n");
    assert_eq!(at, "\"skip\"");
    let (_, at) = err_at("[[per-file]]\nglob = \"a/**\"\nignore = [\"nope\"]\n");
    assert_eq!(at, "\"nope\"");
    let (_, at) = err_at("[[per-file]]\nglob = \"a/**\"\nignroe = []\n");
    assert_eq!(at, "ignroe");
    let (_, at) = err_at("include = \"db\"\n");
    assert_eq!(at, "\"db\"");
    let (_, at) = err_at("exclude = [\"a[\"]\n");
    assert_eq!(at, "\"a[\"");
}

#[test]
fn did_you_mean() {
    let e = p("[rules]\ndrop-tabel = \"off\"\n").expect_err("rejected");
    assert!(e.help.unwrap_or_default().contains("drop-table"));
    let rendered = p("dialcet = \"x\"\n").expect_err("rejected").render(false);
    assert!(rendered.contains("preflight.toml"), "{rendered}");
    assert!(rendered.contains("dialcet"), "{rendered}");
}

#[test]
fn invalid_toml_is_an_error_with_a_position() {
    let e = p("dialect = \n").expect_err("rejected");
    assert!(e.message.starts_with("not valid TOML"), "{}", e.message);
    assert!(e.span.is_some());
}

#[test]
fn starter_config_is_valid() {
    let c = p(STARTER).expect("starter parses");
    assert_eq!(c.dialect, Some(Dialect::Postgres));
}

#[test]
fn per_file_shell_options() {
    let c = p("[[per-file]]\nglob = \"pkgs/**\"\nshell-options = [\"errexit\", \"nounset\"]\n")
        .expect("valid");
    assert_eq!(c.per_file[0].shell_options, ["errexit", "nounset"]);
    let (_, at) = err_at("[[per-file]]\nglob = \"a/**\"\nshell-options = [\"errexitt\"]\n");
    assert_eq!(at, "\"errexitt\"");
}
