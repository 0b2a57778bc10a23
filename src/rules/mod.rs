//! The one registry: every rule id, its documentation (which carries its metadata in front
//! matter) and the check that implements it. Adding a rule is one line in [`RULES`].

pub mod migrations;
pub mod shell;
pub mod sql;
#[cfg(test)]
pub mod testing;

use crate::diagnostic::{Diagnostic, Severity};
use crate::sql::Statement;
use std::collections::HashMap;
use std::sync::OnceLock;

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
    /// Runs on every resolved shell command.
    Shell(shell::ShellCheck),
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

macro_rules! registry {
    ($($id:literal => $check:expr),* $(,)?) => {
        pub static RULES: &[Rule] = &[
            $(Rule { id: $id, doc: include_str!(concat!("../../rules/", $id, ".md")), check: $check }),*
        ];
    };
}

registry! {
    "drop-table" => Check::Sql(sql::drop_table::check),
    "drop-if-exists" => Check::Sql(sql::drop_if_exists::check),
    "drop-database" => Check::Sql(sql::drop_database::check),
    "drop-schema" => Check::Sql(sql::drop_schema::check),
    "drop-column" => Check::Sql(sql::drop_column::check),
    "drop-index" => Check::Sql(sql::drop_index::check),
    "cascade" => Check::Sql(sql::cascade::check),
    "truncate" => Check::Sql(sql::truncate::check),
    "delete-without-where" => Check::Sql(sql::delete_without_where::check),
    "update-without-where" => Check::Sql(sql::update_without_where::check),
    "tautological-where" => Check::Sql(sql::tautological_where::check),
    "delete-null-predicate" => Check::Sql(sql::delete_null_predicate::check),
    "drop-recreate" => Check::Sql(sql::drop_recreate::check),
    "parse-error" => Check::Builtin,
    "live-blast-radius" => Check::Live,
    "live-not-null-violation" => Check::Live,
    "live-missing-object" => Check::Live,
    "live-cannot-measure" => Check::Live,
    "live-impact" => Check::Live,
    "set-not-null" => Check::Migration(migrations::set_not_null::check),
    "add-not-null-without-default" => Check::Migration(migrations::add_not_null_without_default::check),
    "rename-column" => Check::Migration(migrations::rename_column::check),
    "rename-table" => Check::Migration(migrations::rename_table::check),
    "alter-column-type" => Check::Migration(migrations::alter_column_type::check),
    "create-index-blocking" => Check::Migration(migrations::create_index_blocking::check),
    "rm-parent-path" => Check::Shell(shell::rm_parent_path::check),
    "rm-root-path" => Check::Shell(shell::rm_root_path::check),
    "rm-unguarded-variable" => Check::Shell(shell::rm_unguarded_variable::check),
    "rm-after-unchecked-cd" => Check::Shell(shell::rm_after_unchecked_cd::check),
    "find-delete" => Check::Shell(shell::find_delete::check),
    "terraform-destroy" => Check::Command,
    "kubectl-delete" => Check::Command,
    "dropdb" => Check::Command,
    "redis-flush" => Check::Command,
    "s3-delete" => Check::Command,
    "git-force-push" => Check::Command,
    "git-discard" => Check::Command,
    "disk-wipe" => Check::Command,
    "chmod-world" => Check::Command,
    "docker-prune" => Check::Command,
    "suppression-without-reason" => Check::Builtin,
    "unused-suppression" => Check::Builtin,
}

/// Group a rule belongs to (for `--select sql` and the rules table).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Group {
    Sql,
    Migrations,
    Shell,
    Meta,
    Live,
}

impl Group {
    pub fn parse(s: &str) -> Option<Group> {
        match s {
            "sql" => Some(Group::Sql),
            "migrations" => Some(Group::Migrations),
            "shell" => Some(Group::Shell),
            "meta" => Some(Group::Meta),
            "live" => Some(Group::Live),
            _ => None,
        }
    }
    pub fn as_str(self) -> &'static str {
        match self {
            Group::Sql => "sql",
            Group::Migrations => "migrations",
            Group::Shell => "shell",
            Group::Meta => "meta",
            Group::Live => "live",
        }
    }
}

/// Metadata read from a rule doc's front matter.
#[derive(Clone, Debug, serde::Serialize)]
pub struct RuleMeta {
    pub id: String,
    pub group: Group,
    pub severity: Severity,
    pub summary: String,
    #[serde(skip)]
    pub doc: &'static str,
}

/// Parse `---\nkey: value\n…\n---` front matter. Errors name the missing or bad key.
pub fn parse_front_matter(doc: &'static str) -> Result<RuleMeta, String> {
    let body = doc
        .strip_prefix("---\n")
        .ok_or("doc does not start with front matter ('---')")?;
    let end = body.find("\n---").ok_or("front matter is not closed")?;
    let mut fields = HashMap::new();
    for line in body[..end].lines() {
        if let Some((k, v)) = line.split_once(':') {
            fields.insert(k.trim(), v.trim());
        }
    }
    let get = |k: &str| {
        fields
            .get(k)
            .copied()
            .ok_or(format!("front matter lacks '{k}'"))
    };
    Ok(RuleMeta {
        id: get("id")?.to_string(),
        group: Group::parse(get("group")?).ok_or("bad group")?,
        severity: Severity::parse(get("severity")?).ok_or("bad severity")?,
        summary: get("summary")?.to_string(),
        doc,
    })
}

/// The doc without its front matter.
pub fn doc_body(doc: &str) -> &str {
    doc.strip_prefix("---\n")
        .and_then(|b| b.find("\n---").map(|e| b[e + 4..].trim_start_matches('\n')))
        .unwrap_or(doc)
}

static META: OnceLock<Vec<RuleMeta>> = OnceLock::new();

/// Metadata of every registered rule, in registry order. A doc whose front matter does not
/// parse is a build-time mistake caught by the registry tests; here it falls back safely.
pub fn all() -> &'static [RuleMeta] {
    META.get_or_init(|| {
        RULES
            .iter()
            .map(|r| {
                parse_front_matter(r.doc).unwrap_or(RuleMeta {
                    id: r.id.to_string(),
                    group: Group::Meta,
                    severity: Severity::Warning,
                    summary: String::new(),
                    doc: r.doc,
                })
            })
            .collect()
    })
}

pub fn meta(id: &str) -> Option<&'static RuleMeta> {
    all().iter().find(|m| m.id == id)
}

pub fn default_severity(id: &str) -> Severity {
    meta(id).map_or(Severity::Warning, |m| m.severity)
}

pub fn group_of(id: &str) -> Option<Group> {
    meta(id).map(|m| m.group)
}

/// Where the rule's doc lives, relative to the preflight repository (also printed by
/// `preflight explain <id>`).
pub fn url(id: &str) -> String {
    format!("rules/{id}.md")
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
