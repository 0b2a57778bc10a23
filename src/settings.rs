//! What a run checks and how: the dialect, which rules run at what severity, how migration
//! sets are found and treated.

use crate::config::PerFile;
use crate::diagnostic::{Diagnostic, Severity};
use crate::rules::{self, Group};
use crate::source::Dialect;
use std::collections::HashMap;

/// Which rules run and at what severity.
#[derive(Debug, Clone, Default)]
pub struct RuleFilter {
    /// Rule ids or group names; empty = all.
    pub select: Vec<String>,
    pub ignore: Vec<String>,
    /// `None` turns a rule off.
    pub severity: HashMap<String, Option<Severity>>,
    /// `[[per-file]]` ignores from preflight.toml.
    pub per_file: Vec<PerFile>,
}

impl RuleFilter {
    fn matches(sel: &str, rule: &str) -> bool {
        sel == rule
            || Group::parse(sel).is_some_and(|g| rules::group_of(rule) == Some(g))
            || sel == "all"
    }
    pub fn enabled(&self, rule: &str) -> bool {
        (self.select.is_empty() || self.select.iter().any(|s| Self::matches(s, rule)))
            && !self.ignore.iter().any(|s| Self::matches(s, rule))
            && !matches!(self.severity.get(rule), Some(None))
    }
    /// Apply severity overrides and drop disabled rules.
    pub fn apply(&self, diags: &mut Vec<Diagnostic>) {
        diags.retain(|d| self.enabled(&d.rule));
        for d in diags.iter_mut() {
            if let Some(Some(sev)) = self.severity.get(&d.rule) {
                d.severity = *sev;
            }
        }
    }
    /// [`RuleFilter::apply`] plus the `[[per-file]]` ignores that match `path`.
    pub fn apply_for(&self, path: &str, diags: &mut Vec<Diagnostic>) {
        self.apply(diags);
        for pf in &self.per_file {
            if !pf.ignore.is_empty() && pf.matches(path) {
                diags.retain(|d| !pf.ignore.iter().any(|s| Self::matches(s, &d.rule)));
            }
        }
    }
    /// Unknown ids in select/ignore/severity, for a usage error.
    pub fn unknown_ids(&self) -> Vec<String> {
        self.select
            .iter()
            .chain(&self.ignore)
            .chain(self.severity.keys())
            .filter(|s| {
                s.as_str() != "all" && Group::parse(s).is_none() && rules::meta(s).is_none()
            })
            .cloned()
            .collect()
    }
}

#[derive(Debug, Clone, Default)]
pub struct Settings {
    pub dialect: Dialect,
    pub filter: RuleFilter,
    /// Check down migrations with the drop rules too (`down-migrations = "check"`).
    pub check_down: bool,
    /// Migration directories (globs) from config `migrations = [...]`, replayed in version
    /// order; empty = detect by convention.
    pub migrations: Vec<String>,
    /// `--dialect`: forces the dialect of every file.
    pub dialect_forced: Option<Dialect>,
    /// `dialect` in preflight.toml: used when neither settings nor the file say otherwise.
    pub dialect_config: Option<Dialect>,
    /// Keep every file's text in the outcome, even without findings (the live database check
    /// reads the statements again after the static check).
    pub keep_text: bool,
    /// Where shell commands run, when the caller knows (the hook's working directory); `None`:
    /// each script runs from its own directory (`check`).
    pub shell_env: Option<crate::shell::env::Env>,
    /// The files this run checks (their canonical paths, asked for when a command runs a
    /// file): a command that runs one of them does not repeat its findings.
    pub in_run: Option<std::sync::Arc<crate::shell::env::RunFiles>>,
    /// Deciding for the agent hook: rules whose severity depends on the mode use their hook
    /// severity (`opaque-execution`: a decoded or generated program is an error there, a
    /// warning in `check`).
    pub hook: bool,
}

impl Settings {
    /// The dialect of one SQL file and why (see [`crate::sql::dialect`]).
    pub fn dialect_for(&self, path: &str, text: &str) -> crate::sql::dialect::Choice {
        let per_file = self
            .filter
            .per_file
            .iter()
            .find(|pf| pf.dialect.is_some() && pf.matches(path))
            .and_then(|pf| pf.dialect.as_ref())
            .map(|(d, g)| (*d, g.as_str()));
        // `dialect` set directly on Settings (library users, tests) acts as the config value
        let config = self
            .dialect_config
            .or((self.dialect != Dialect::Postgres).then_some(self.dialect));
        crate::sql::dialect::choose(path, text, self.dialect_forced, per_file, config)
    }
}
