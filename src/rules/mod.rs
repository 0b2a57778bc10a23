//! The one registry: every rule id, its documentation (which carries its metadata in front
//! matter) and the check that implements it. Adding a rule is one line in [`RULES`].

pub mod catalog;
pub mod migrations;
pub mod shell;
pub mod sql;
#[cfg(test)]
pub mod testing;

use crate::diagnostic::Diagnostic;
use crate::sql::Statement;
pub use catalog::{
    Group, RuleMeta, all, default_severity, doc_body, group_of, meta, parse_front_matter, url,
};

/// A check run on one SQL statement.
pub type SqlCheck = fn(&Statement, &sql::Context, &mut Vec<Diagnostic>);

/// A check run on every SQL statement of an up-migration, with the schema the earlier
/// migrations built (see [`crate::migrations`]).
pub type MigrationCheck =
    fn(&Statement, &sql::Context, &crate::migrations::Ctx, &mut Vec<Diagnostic>);

#[derive(Clone, Copy)]
pub enum Check {
    /// Runs on every statement of an up-migration, with the replayed schema.
    Migration(MigrationCheck),
    /// Runs on every SQL statement.
    Sql(SqlCheck),
    /// Runs on every resolved shell command that has one of its gates (the kinds of command
    /// it can report on: [`shell::cmd::Gates`]; `Gates::ALL` for every command).
    Shell(shell::ShellCheck, shell::cmd::Gates),
    /// A shell command rule defined as data in `rules/commands.toml`.
    Command,
    /// Produced by the front end or pipeline itself (parse errors, suppressions, migrations,
    /// shell analysis); listed here for its metadata and docs.
    Builtin,
    /// Produced by the live database check (`check --database-url`, `src/live/`); needs a
    /// database, so it is tested by `tests/live.rs` instead of `tests/cases/`.
    Live,
}

pub struct Rule {
    pub id: &'static str,
    pub doc: &'static str,
    pub check: Check,
}

// the shell checks' gates in the rule table (`Gates::RM`, …)
use shell::cmd::Gates;

macro_rules! registry {
    ($($id:literal => $check:expr),* $(,)?) => {
        pub static RULES: &[Rule] = &[
            $(Rule { id: $id, doc: include_str!(concat!("../../rules/", $id, ".md")), check: $check }),*
        ];
    };
}

catalog::rule_table!(registry);

/// The per-statement SQL checks of [`RULES`] ([`Check::Sql`]), in registry order, picked out
/// once: a statement runs them without walking the whole table (most of it is other kinds).
pub fn sql_checks() -> &'static [SqlCheck] {
    static CHECKS: std::sync::OnceLock<Vec<SqlCheck>> = std::sync::OnceLock::new();
    CHECKS.get_or_init(|| {
        RULES
            .iter()
            .filter_map(|rule| match rule.check {
                Check::Sql(f) => Some(f),
                _ => None,
            })
            .collect()
    })
}

/// The migration checks of [`RULES`] ([`Check::Migration`]), in registry order, picked out
/// once (as [`sql_checks`]).
pub fn migration_checks() -> &'static [MigrationCheck] {
    static CHECKS: std::sync::OnceLock<Vec<MigrationCheck>> = std::sync::OnceLock::new();
    CHECKS.get_or_init(|| {
        RULES
            .iter()
            .filter_map(|rule| match rule.check {
                Check::Migration(f) => Some(f),
                _ => None,
            })
            .collect()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_registered_rule_has_a_well_formed_doc() {
        for r in RULES {
            let m = parse_front_matter(r.doc).unwrap_or_else(|e| panic!("rules/{}.md: {e}", r.id));
            assert_eq!(m.id, r.id, "front matter id of rules/{}.md", r.id);
            let body = doc_body(r.doc);
            for section in [
                "## What it catches",
                "## Why it is dangerous",
                "## Instead",
                "## Suppress",
            ] {
                assert!(
                    body.contains(section),
                    "rules/{}.md lacks '{section}'",
                    r.id
                );
            }
            assert!(
                !m.summary.ends_with('.'),
                "summary of {} ends with a period",
                r.id
            );
        }
    }

    #[test]
    fn every_doc_has_a_registered_rule() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/rules");
        for entry in std::fs::read_dir(dir).expect("rules/ exists") {
            let path = entry.expect("readable").path();
            if path.extension().is_some_and(|e| e == "md") {
                let id = path
                    .file_stem()
                    .and_then(|s| s.to_str())
                    .unwrap_or_default();
                assert!(
                    RULES.iter().any(|r| r.id == id),
                    "rules/{id}.md has no registered rule"
                );
            }
        }
    }

    /// ARCHITECTURE.md, "Adding a rule": a rule with a code check lives in
    /// `src/rules/<kind>/<id with _>.rs`, the folder named after the kind of check (`sql`: every
    /// statement, `migrations`: with the replayed schema, `shell`: every command), and has a
    /// line in the rule table (`catalog.rs`), which is where `RULES` comes from.
    #[test]
    fn code_rules_live_in_their_group_folder() {
        let root = concat!(env!("CARGO_MANIFEST_DIR"), "/src/rules");
        for r in RULES {
            let dir = match r.check {
                Check::Sql(_) => "sql",
                Check::Migration(_) => "migrations",
                Check::Shell(..) => "shell",
                Check::Command | Check::Builtin | Check::Live => continue,
            };
            let file = format!("{root}/{dir}/{}.rs", r.id.replace('-', "_"));
            assert!(
                std::path::Path::new(&file).is_file(),
                "{}: expected its check in src/rules/{dir}/{}.rs",
                r.id,
                r.id.replace('-', "_")
            );
        }
        assert_eq!(
            RULES.iter().map(|r| r.id).collect::<Vec<_>>(),
            catalog::DOCS.iter().map(|d| d.0).collect::<Vec<_>>(),
            "RULES and the catalog come from the one rule table"
        );
    }

    #[test]
    fn ids_are_unique_kebab_case() {
        let mut seen = std::collections::HashSet::new();
        for r in RULES {
            assert!(seen.insert(r.id), "duplicate id {}", r.id);
            assert!(
                r.id.chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'),
                "{}",
                r.id
            );
        }
    }
}
