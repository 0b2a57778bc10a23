//! The rule catalog: every rule id with its documentation and the metadata in the doc's
//! front matter (group, default severity, summary). Pure data: no checks, so a diagnostic
//! can look up its default severity without depending on the rules that produce it.

use serde::Serialize;
use std::collections::HashMap;
use std::sync::OnceLock;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Almost surely irreversible data loss.
    Error,
    /// A risk: downtime, surprising scope, or a finding we cannot be sure of.
    Warning,
    /// Context only; never fails a run.
    Info,
}

impl Severity {
    pub fn parse(name: &str) -> Option<Severity> {
        match name {
            "error" => Some(Severity::Error),
            "warning" | "warn" => Some(Severity::Warning),
            "info" => Some(Severity::Info),
            _ => None,
        }
    }
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }
}

/// The one rule table: `id => check`, one line per rule. [`super::RULES`] binds the checks;
/// [`DOCS`] takes the ids and their docs (`rules/<id>.md`) from the same lines. A shell
/// check states with it the [`Gates`](super::shell::cmd::Gates) of the commands it can fire
/// on (it is called on no other; `Gates::ALL`: every command).
macro_rules! rule_table {
    ($then:ident) => {
        $then! {
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
            "dry-run-error" => Check::Live,
            "dry-run-lock" => Check::Live,
            "dry-run-rewrite" => Check::Live,
            "dry-run-skipped" => Check::Live,
            "dry-run-impact" => Check::Live,
            "set-not-null" => Check::Migration(migrations::set_not_null::check),
            "add-not-null-without-default" => Check::Migration(migrations::add_not_null_without_default::check),
            "rename-column" => Check::Migration(migrations::rename_column::check),
            "rename-table" => Check::Migration(migrations::rename_table::check),
            "alter-column-type" => Check::Migration(migrations::alter_column_type::check),
            "create-index-blocking" => Check::Migration(migrations::create_index_blocking::check),
            "rm-parent-path" => Check::Shell(shell::rm_parent_path::check, Gates::RM),
            "rm-root-path" => Check::Shell(shell::rm_root_path::check, Gates::RM),
            "rm-unguarded-variable" => Check::Shell(shell::rm_unguarded_variable::check, Gates::RM),
            "rm-after-unchecked-cd" => Check::Shell(shell::rm_after_unchecked_cd::check, Gates::RM),
            "rm-unknown-operands" => Check::Shell(shell::rm_unknown_operands::check, Gates::RM),
            "find-delete" => Check::Shell(shell::find_delete::check, Gates::FIND),
            "opaque-execution" => Check::Shell(shell::opaque_execution::check, Gates::OPAQUE),
            "terraform-destroy" => Check::Command,
            "kubectl-delete" => Check::Command,
            "dropdb" => Check::Command,
            "redis-flush" => Check::Command,
            "mongo-drop" => Check::Command,
            "cloud-db-delete" => Check::Command,
            "helm-uninstall" => Check::Command,
            "crontab-remove" => Check::Command,
            "etcd-delete" => Check::Command,
            "kafka-topic-delete" => Check::Command,
            "elasticsearch-delete" => Check::Command,
            "db-file-truncate" => Check::Shell(shell::db_file_truncate::check, Gates::TRUNCATE_CP.union(Gates::REDIRECTS)),
            "data-dir-move" => Check::Shell(shell::data_dir_move::check, Gates::MV),
            "unchecked-file" => Check::Builtin,
            "s3-delete" => Check::Command,
            "git-force-push" => Check::Command,
            "git-discard" => Check::Command,
            "disk-wipe" => Check::Command,
            "chmod-world" => Check::Command,
            "docker-prune" => Check::Command,
            "orm-reset" => Check::Command,
            "suppression-without-reason" => Check::Builtin,
            "unused-suppression" => Check::Builtin,
        }
    };
}
pub(crate) use rule_table;

macro_rules! docs {
    ($($id:literal => $check:expr),* $(,)?) => {
        /// Every rule id with its doc, in registry order.
        pub static DOCS: &[(&str, &str)] = &[
            $(($id, include_str!(concat!("../../rules/", $id, ".md")))),*
        ];
    };
}

rule_table!(docs);

/// Group a rule belongs to (for `--select sql` and the rules table).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Group {
    Sql,
    Migrations,
    Shell,
    Meta,
    Live,
    #[serde(rename = "dry-run")]
    DryRun,
}

impl Group {
    pub fn parse(s: &str) -> Option<Group> {
        match s {
            "sql" => Some(Group::Sql),
            "migrations" => Some(Group::Migrations),
            "shell" => Some(Group::Shell),
            "meta" => Some(Group::Meta),
            "live" => Some(Group::Live),
            "dry-run" => Some(Group::DryRun),
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
            Group::DryRun => "dry-run",
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
        DOCS.iter()
            .map(|&(id, doc)| {
                parse_front_matter(doc).unwrap_or(RuleMeta {
                    id: id.to_string(),
                    group: Group::Meta,
                    severity: Severity::Warning,
                    summary: String::new(),
                    doc,
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
