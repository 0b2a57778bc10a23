//! `fires` / `silent` vectors shared by the SQL and shell rules' own tests.
use crate::check::{SqlOptions, check_sql};
use crate::source::{Dialect, Lang};

/// Rule ids reported on `src`, read as `lang` (Postgres dialect).
pub fn rules_for(lang: Lang, src: &str) -> Vec<String> {
    let diags = match lang {
        Lang::Sql => check_sql(src, Dialect::Postgres, &SqlOptions::default()),
        Lang::Shell => crate::check::shell::check(src, Dialect::Postgres),
        Lang::Python => crate::check::orm::check_alone("", src, Dialect::Postgres, false),
        Lang::Js => crate::check::orm::check_alone_js(src, Dialect::Postgres, false),
        Lang::Php => crate::run::php::check_alone(src, Dialect::Postgres, false),
        Lang::Ruby => crate::check::ruby::check_alone(src, Dialect::Postgres, false),
    };
    diags.into_iter().map(|d| d.rule).collect()
}

pub fn fires_in(lang: Lang, rule: &str, src: &str) {
    let got = rules_for(lang, src);
    assert!(
        got.iter().any(|r| r == rule),
        "expected {rule} on {src:?}, got {got:?}"
    );
}

pub fn silent_in(lang: Lang, rule: &str, src: &str) {
    let got = rules_for(lang, src);
    assert!(
        !got.iter().any(|r| r == rule),
        "expected no {rule} on {src:?}, got {got:?}"
    );
}
