//! `preflight.toml`: found by walking up from the first path (or `--config FILE`).
//!
//! ```toml
//! dialect = "postgres"
//! include = ["db/**/*.sql", "scripts/**/*.sh"]   # added to the defaults
//! exclude = ["vendor/**"]
//! migrations = ["db/migrate", "migrations/*"]
//! down-migrations = "exempt"                     # or "check"
//! [rules]
//! drop-index = "warning"                         # error | warning | off
//! [[per-file]]
//! glob = "scripts/dev/**"
//! ignore = ["rm-root-path"]
//! ```
//!
//! Every mistake (unknown key, bad value, unknown rule id, bad glob) is a [`ConfigError`] that
//! points at the offending key or value in the file.

mod dirs;
mod hook;

use crate::diagnostic::Severity;
use crate::rules::{self, Group};
use crate::source::{Dialect, Lang};
use globset::{Glob, GlobBuilder, GlobMatcher, GlobSet, GlobSetBuilder};
use std::collections::HashMap;
use std::ops::Range;
use std::path::{Path, PathBuf};
use toml::Spanned;
use toml::de::{DeTable, DeValue};

pub const FILE_NAME: &str = "preflight.toml";

/// A loaded configuration. Globs are relative to `root` (the config file's directory).
#[derive(Debug, Clone, Default)]
pub struct Config {
    pub path: PathBuf,
    pub root: PathBuf,
    pub dialect: Option<Dialect>,
    pub include: Vec<String>,
    pub exclude: Vec<String>,
    include_set: GlobSet,
    exclude_set: GlobSet,
    pub migrations: Vec<String>,
    /// `down-migrations = "check"` → `Some(true)`.
    pub check_down: Option<bool>,
    /// `tests` / `vendored = "check"` → `Some(true)`: such directories found by the walk are checked.
    pub check_tests: Option<bool>,
    pub check_vendored: Option<bool>,
    /// `[rules]`: `None` = off.
    pub severity: HashMap<String, Option<Severity>>,
    pub per_file: Vec<PerFile>,
    /// `[dry-run] targets`: host or URL globs of databases a dry run may execute on.
    pub dry_run_targets: Vec<String>,
    /// `[hook] log`: the audit log `preflight hook` appends its decisions to (relative
    /// paths are relative to the config file's directory).
    pub hook_log: Option<PathBuf>,
}

/// A config mistake, with the file's text so miette can point at the key.
#[derive(Debug, Clone)]
pub struct ConfigError {
    pub path: String,
    pub text: String,
    pub span: Option<Range<usize>>,
    pub message: String,
    pub help: Option<String>,
}

impl std::fmt::Display for ConfigError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.path, self.message)
    }
}
impl std::error::Error for ConfigError {}

impl miette::Diagnostic for ConfigError {
    fn code<'a>(&'a self) -> Option<Box<dyn std::fmt::Display + 'a>> {
        Some(Box::new("preflight::config"))
    }
    fn help<'a>(&'a self) -> Option<Box<dyn std::fmt::Display + 'a>> {
        self.help
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn std::fmt::Display>)
    }
    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        self.span
            .as_ref()
            .map(|_| &self.text as &dyn miette::SourceCode)
    }
    fn labels(&self) -> Option<Box<dyn Iterator<Item = miette::LabeledSpan> + '_>> {
        let span = self.span.clone()?;
        let len = self.text.len();
        let start = span.start.min(len);
        let end = span.end.min(len).max(start);
        Some(Box::new(std::iter::once(
            miette::LabeledSpan::new_primary_with_span(
                Some("here".to_string()),
                (start, end - start),
            ),
        )))
    }
}

impl ConfigError {
    /// The error rendered by miette (with the TOML snippet), for stderr.
    pub fn render(&self, color: bool) -> String {
        let theme = if color {
            miette::GraphicalTheme::unicode()
        } else {
            miette::GraphicalTheme::unicode_nocolor()
        };
        let handler = miette::GraphicalReportHandler::new_themed(theme)
            .with_links(false)
            .with_width(100);
        let mut out = String::new();
        let named = NamedConfig(
            self,
            miette::NamedSource::new(&self.path, self.text.clone()),
        );
        if handler.render_report(&mut out, &named).is_err() {
            out = format!("error: {self}\n");
        }
        out
    }
}

/// Wraps the error so the snippet is titled with the config's path.
struct NamedConfig<'a>(&'a ConfigError, miette::NamedSource<String>);
impl std::fmt::Debug for NamedConfig<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Display::fmt(self, f)
    }
}
impl std::fmt::Display for NamedConfig<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "invalid {}: {}", self.0.path, self.0.message)
    }
}
impl std::error::Error for NamedConfig<'_> {}
impl miette::Diagnostic for NamedConfig<'_> {
    fn code<'a>(&'a self) -> Option<Box<dyn std::fmt::Display + 'a>> {
        self.0.code()
    }
    fn help<'a>(&'a self) -> Option<Box<dyn std::fmt::Display + 'a>> {
        self.0.help()
    }
    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        self.0
            .span
            .as_ref()
            .map(|_| &self.1 as &dyn miette::SourceCode)
    }
    fn labels(&self) -> Option<Box<dyn Iterator<Item = miette::LabeledSpan> + '_>> {
        self.0.labels()
    }
}

/// Values of `[[per-file]] shell-options` (`set -o NAME` names).
pub const SHELL_OPTIONS: &[&str] = &["errexit", "nounset", "pipefail"];

/// Rules ignored for the files a glob matches (`[[per-file]]` in preflight.toml).
#[derive(Debug, Clone)]
pub struct PerFile {
    pub glob: globset::GlobMatcher,
    /// Globs are relative to this directory (the config file's).
    pub root: std::path::PathBuf,
    pub ignore: Vec<String>,
    /// `dialect = "mysql"` for these files, with the glob as written (for messages).
    pub dialect: Option<(Dialect, String)>,
    /// `shell-options = ["errexit", "nounset"]`: options a caller sets for these scripts
    /// (a build system that sources them under `set -eu`).
    pub shell_options: Vec<String>,
}

impl PerFile {
    pub fn matches(&self, path: &str) -> bool {
        relative_to(std::path::Path::new(path), &self.root)
            .is_some_and(|rel| self.glob.is_match(rel))
    }
}

/// `path` made relative to `root` (both made absolute against the current directory, `.`
/// components dropped). `None` when `path` is outside `root`.
pub fn relative_to(path: &Path, root: &Path) -> Option<PathBuf> {
    let abs = |p: &Path| -> PathBuf {
        crate::source::lexical(&std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf()))
    };
    abs(path)
        .strip_prefix(abs(root))
        .ok()
        .map(Path::to_path_buf)
}

/// The nearest `preflight.toml` at or above `start` (a file's directory, or a directory).
pub fn find(start: &Path) -> Option<PathBuf> {
    let start = std::path::absolute(start).ok()?;
    let mut dir = if start.is_dir() {
        start
    } else {
        start.parent()?.to_path_buf()
    };
    loop {
        let candidate = dir.join(FILE_NAME);
        if candidate.is_file() {
            // shown relative to the current directory when it is below it
            let cwd = std::env::current_dir().ok();
            return Some(
                cwd.and_then(|c| candidate.strip_prefix(&c).ok().map(Path::to_path_buf))
                    .unwrap_or(candidate),
            );
        }
        if !dir.pop() {
            return None;
        }
    }
}

/// Read and validate a config file.
pub fn load(path: &Path) -> Result<Config, ConfigError> {
    let display = path.to_string_lossy().to_string();
    let text = std::fs::read_to_string(path).map_err(|e| ConfigError {
        path: display.clone(),
        text: String::new(),
        span: None,
        message: format!("cannot read: {e}"),
        help: None,
    })?;
    let root = path
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."));
    let root = if root.as_os_str().is_empty() {
        PathBuf::from(".")
    } else {
        root
    };
    let cfg = parse(&display, &text, &root)?;
    dirs::check_migrations(&cfg, &display, &text, &root)?;
    Ok(cfg)
}

struct Ctx<'a> {
    path: &'a str,
    text: &'a str,
}

impl Ctx<'_> {
    fn err(
        &self,
        span: Range<usize>,
        message: impl Into<String>,
        help: Option<String>,
    ) -> ConfigError {
        ConfigError {
            path: self.path.to_string(),
            text: self.text.to_string(),
            span: Some(span),
            message: message.into(),
            help,
        }
    }
    fn string(&self, key: &str, v: &Spanned<DeValue<'_>>) -> Result<String, ConfigError> {
        match v.get_ref() {
            DeValue::String(s) => Ok(s.to_string()),
            _ => Err(self.err(v.span(), format!("`{key}` must be a string"), None)),
        }
    }
    fn strings(
        &self,
        key: &str,
        v: &Spanned<DeValue<'_>>,
    ) -> Result<Vec<Spanned<String>>, ConfigError> {
        match v.get_ref() {
            DeValue::Array(a) => a
                .iter()
                .map(|e| match e.get_ref() {
                    DeValue::String(s) => Ok(Spanned::new(e.span(), s.to_string())),
                    _ => {
                        Err(self.err(e.span(), format!("`{key}` must be a list of strings"), None))
                    }
                })
                .collect(),
            _ => Err(self.err(
                v.span(),
                format!("`{key}` must be a list of strings"),
                Some(format!("{key} = [\"…\"]")),
            )),
        }
    }
    fn glob(&self, g: &Spanned<String>) -> Result<Glob, ConfigError> {
        GlobBuilder::new(g.get_ref())
            .literal_separator(true)
            .build()
            .map_err(|e| self.err(g.span(), format!("bad glob: {}", e.kind()), None))
    }
    fn globset(&self, globs: &[Spanned<String>]) -> Result<GlobSet, ConfigError> {
        let mut b = GlobSetBuilder::new();
        for g in globs {
            b.add(self.glob(g)?);
            // `vendor` also means everything under it
            if !g.get_ref().ends_with("/**") {
                let under = Spanned::new(
                    g.span(),
                    format!("{}/**", g.get_ref().trim_end_matches('/')),
                );
                b.add(self.glob(&under)?);
            }
        }
        b.build()
            .map_err(|e| self.err(0..0, format!("bad glob set: {e}"), None))
    }
    /// A rule id or group name, as `[rules]` keys and `ignore` entries allow.
    fn rule_id(&self, id: &str, span: Range<usize>, groups: bool) -> Result<(), ConfigError> {
        if rules::meta(id).is_some() || (groups && (Group::parse(id).is_some() || id == "all")) {
            return Ok(());
        }
        let close = closest(id);
        Err(self.err(
            span,
            format!("unknown rule id `{id}`"),
            Some(match close {
                Some(c) => format!("did you mean `{c}`? (`preflight rules` lists every rule)"),
                None => "`preflight rules` lists every rule".to_string(),
            }),
        ))
    }
}

/// The registered rule id most like `id` (small edit distance), for "did you mean".
pub fn closest(id: &str) -> Option<&'static str> {
    rules::all()
        .iter()
        .map(|m| (edit_distance(id, &m.id), m.id.as_str()))
        .filter(|(d, _)| *d <= 3)
        .min()
        .map(|(_, s)| s)
}

/// [`closest`] among rule ids, group names and `all` (what `--select`/`--ignore` take).
pub fn closest_selector(id: &str) -> Option<&'static str> {
    let best_group = rules::all()
        .iter()
        .map(|m| m.group.as_str())
        .chain(["all"])
        .map(|g| (edit_distance(id, g), g))
        .filter(|(d, g)| *d <= 3.min(g.len() / 2))
        .min();
    let best_rule = closest(id).map(|r| (edit_distance(id, r), r));
    match (best_group, best_rule) {
        (Some(g), Some(r)) => Some(if g.0 <= r.0 { g.1 } else { r.1 }),
        (g, r) => g.or(r).map(|(_, s)| s),
    }
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let sub = prev[j] + usize::from(ca != *cb);
            cur.push(sub.min(prev[j + 1] + 1).min(cur[j] + 1));
        }
        prev = cur;
    }
    prev[b.len()]
}

const TOP_KEYS: &[&str] = &[
    "dialect",
    "include",
    "exclude",
    "migrations",
    "down-migrations",
    "tests",
    "vendored",
    "rules",
    "per-file",
    "dry-run",
];

/// Parse and validate config text. `path` names the file in errors; globs are relative to
/// `root`.
pub fn parse(path: &str, text: &str, root: &Path) -> Result<Config, ConfigError> {
    let cx = Ctx { path, text };
    let doc = DeTable::parse(text).map_err(|e| ConfigError {
        path: path.to_string(),
        text: text.to_string(),
        span: e.span(),
        message: format!("not valid TOML: {}", e.message().trim()),
        help: None,
    })?;
    let mut cfg = Config {
        path: PathBuf::from(path),
        root: root.to_path_buf(),
        ..Default::default()
    };
    let mut include = Vec::new();
    let mut exclude = Vec::new();
    for (k, v) in doc.get_ref().iter() {
        let key: &str = k.get_ref();
        match key {
            "dialect" => {
                let s = cx.string(key, v)?;
                cfg.dialect = Some(Dialect::parse(&s).ok_or_else(|| {
                    cx.err(
                        v.span(),
                        format!("unknown dialect `{s}`"),
                        Some(format!("expected {}", Dialect::ALL)),
                    )
                })?);
            }
            "include" => {
                include = cx.strings(key, v)?;
                cfg.include = include.iter().map(|g| g.get_ref().clone()).collect();
            }
            "exclude" => {
                exclude = cx.strings(key, v)?;
                cfg.exclude = exclude.iter().map(|g| g.get_ref().clone()).collect();
            }
            "migrations" => {
                cfg.migrations = cx
                    .strings(key, v)?
                    .into_iter()
                    .map(Spanned::into_inner)
                    .collect();
            }
            "down-migrations" | "tests" | "vendored" => {
                let s = cx.string(key, v)?;
                let off = ["skip", "exempt"][usize::from(key == "down-migrations")];
                let check = match s.as_str() {
                    "check" => true,
                    x if x == off => false,
                    _ => {
                        let msg = format!("`{key}` must be \"{off}\" or \"check\", not `{s}`");
                        return Err(cx.err(v.span(), msg, None));
                    }
                };
                let field = match key {
                    "tests" => &mut cfg.check_tests,
                    "vendored" => &mut cfg.check_vendored,
                    _ => &mut cfg.check_down,
                };
                *field = Some(check);
            }
            "dry-run" => cfg.dry_run_targets = dirs::dry_run_targets(&cx, v)?,
            "hook" => cfg.hook_log = hook::log_path(&cx, v)?.map(|p| root.join(p)),
            "rules" => {
                let DeValue::Table(t) = v.get_ref() else {
                    return Err(cx.err(v.span(), "`rules` must be a table: [rules]", None));
                };
                for (rk, rv) in t.iter() {
                    let id: &str = rk.get_ref();
                    cx.rule_id(id, rk.span(), false)?;
                    let s = cx.string(id, rv)?;
                    let sev = match s.as_str() {
                        "off" => None,
                        "error" => Some(Severity::Error),
                        "warning" => Some(Severity::Warning),
                        _ => {
                            return Err(cx.err(
                                rv.span(),
                                format!("severity of `{id}` must be \"error\", \"warning\" or \"off\", not `{s}`"),
                                None,
                            ));
                        }
                    };
                    cfg.severity.insert(id.to_string(), sev);
                }
            }
            "per-file" => {
                let DeValue::Array(entries) = v.get_ref() else {
                    return Err(cx.err(
                        v.span(),
                        "`per-file` must be a list of tables: [[per-file]]",
                        None,
                    ));
                };
                for e in entries.iter() {
                    let DeValue::Table(t) = e.get_ref() else {
                        return Err(cx.err(
                            e.span(),
                            "each [[per-file]] entry must be a table",
                            None,
                        ));
                    };
                    let mut glob: Option<GlobMatcher> = None;
                    let mut ignore = Vec::new();
                    let mut glob_text = String::new();
                    let mut dialect = None;
                    let mut shell_options = Vec::new();
                    for (pk, pv) in t.iter() {
                        match &**pk.get_ref() {
                            "glob" => {
                                let s = cx.string("glob", pv)?;
                                glob_text = s.clone();
                                glob =
                                    Some(cx.glob(&Spanned::new(pv.span(), s))?.compile_matcher());
                            }
                            "ignore" => {
                                for id in cx.strings("ignore", pv)? {
                                    cx.rule_id(id.get_ref(), id.span(), true)?;
                                    ignore.push(id.into_inner());
                                }
                            }
                            "dialect" => {
                                let s = cx.string("dialect", pv)?;
                                dialect = Some(Dialect::parse(&s).ok_or_else(|| {
                                    cx.err(
                                        pv.span(),
                                        format!("unknown dialect `{s}`"),
                                        Some(format!("expected {}", Dialect::ALL)),
                                    )
                                })?);
                            }
                            "shell-options" => {
                                for o in cx.strings("shell-options", pv)? {
                                    if !SHELL_OPTIONS.contains(&o.get_ref().as_str()) {
                                        return Err(cx.err(
                                            o.span(),
                                            format!("unknown shell option `{}`", o.get_ref()),
                                            Some(format!(
                                                "expected one of {}",
                                                SHELL_OPTIONS.join(", ")
                                            )),
                                        ));
                                    }
                                    shell_options.push(o.into_inner());
                                }
                            }
                            other => {
                                return Err(cx.err(
                                    pk.span(),
                                    format!("unknown key `{other}` in [[per-file]]"),
                                    Some(
                                        "a [[per-file]] entry has `glob`, `ignore`, `dialect` \
                                         and `shell-options`"
                                            .into(),
                                    ),
                                ));
                            }
                        }
                    }
                    let Some(glob) = glob else {
                        return Err(cx.err(e.span(), "[[per-file]] entry without `glob`", None));
                    };
                    cfg.per_file.push(PerFile {
                        glob,
                        root: root.to_path_buf(),
                        ignore,
                        dialect: dialect.map(|d| (d, glob_text)),
                        shell_options,
                    });
                }
            }
            other => {
                let close = TOP_KEYS
                    .iter()
                    .map(|k| (edit_distance(other, k), *k))
                    .filter(|(d, _)| *d <= 3)
                    .min()
                    .map(|(_, k)| k);
                return Err(cx.err(
                    k.span(),
                    format!("unknown key `{other}`"),
                    Some(match close {
                        Some(c) => {
                            format!("did you mean `{c}`? known keys: {}", TOP_KEYS.join(", "))
                        }
                        None => format!("known keys: {}", TOP_KEYS.join(", ")),
                    }),
                ));
            }
        }
    }
    cfg.include_set = cx.globset(&include)?;
    cfg.exclude_set = cx.globset(&exclude)?;
    Ok(cfg)
}

impl Config {
    fn rel(&self, path: &Path) -> Option<PathBuf> {
        relative_to(path, &self.root)
    }
    /// `exclude` matches this path.
    pub fn excluded(&self, path: &Path) -> bool {
        !self.exclude.is_empty() && self.rel(path).is_some_and(|r| self.exclude_set.is_match(r))
    }
    /// `include` matches this path: its language (by extension, then `#!`, else SQL for
    /// files with an extension and shell for those without).
    pub fn included(&self, path: &Path) -> Option<Lang> {
        if self.include.is_empty() || !self.rel(path).is_some_and(|r| self.include_set.is_match(r))
        {
            return None;
        }
        crate::discover::lang_by_name(path)
            .or_else(|| {
                std::fs::read(path)
                    .ok()
                    .and_then(|b| crate::discover::lang_by_shebang(&b[..b.len().min(256)]))
            })
            .or(Some(if path.extension().is_some() {
                Lang::Sql
            } else {
                Lang::Shell
            }))
    }
}

/// What `preflight init` writes.
pub const STARTER: &str = r#"# preflight.toml — configuration for preflight (https://github.com/…/preflight)
# Every key is optional. Unknown keys and rule ids are errors, so typos cannot hide.

# SQL dialect used to parse statements: "postgres", "mysql", "sqlite" or "generic".
dialect = "postgres"

# Extra files to check, besides *.sql, *.sh, *.bash and scripts with a sh/bash #! line.
# Globs are relative to this file.
# include = ["db/**/*.ddl", "bin/deploy-*"]

# Files and directories never to check when walking directories.
# exclude = ["vendor/**", "tmp/**"]

# Migration directories, replayed in version order for the schema-aware rules.
# Empty = detect by convention (migrations/, db/migrate/, …).
# migrations = ["db/migrate"]

# Down/rollback migrations (*.down.sql, down.sql, rollback/…) are exempt from the drop
# rules by default; "check" checks them too.
# down-migrations = "exempt"
# tests = "skip"   # and vendored = "skip": "check" checks test/vendored dirs the walk skips

# Audit trail of `preflight hook` decisions, one JSON line each (relative to this file).
# [hook]
# log = "logs/preflight-hook.jsonl"

# Per-rule severity: "error", "warning" or "off". `preflight rules` lists every rule.
[rules]
# drop-index = "warning"
# delete-null-predicate = "off"

# Rules ignored for some files. Prefer a `-- preflight: allow(rule) reason` comment next to
# the statement: it says why, and it is reported when it no longer matches anything.
# [[per-file]]
# glob = "scripts/dev/**"
# ignore = ["rm-root-path"]
# shell-options = ["errexit", "nounset"]   # options the caller sets for these scripts
"#;

#[cfg(test)]
mod tests;
