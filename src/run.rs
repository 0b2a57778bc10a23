//! A whole run: discovered files → read (in parallel) → check → filter → sorted outcome.

use crate::check::{FileFacts, check_source_in};
use crate::diagnostic::{Diagnostic, Severity};
use crate::discover::Discovered;
use crate::rules::{self, Group};
use crate::source::{Dialect, Lang, Source};
use rayon::prelude::*;
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

/// Rules ignored for the files a glob matches (`[[per-file]]` in preflight.toml).
#[derive(Debug, Clone)]
pub struct PerFile {
    pub glob: globset::GlobMatcher,
    /// Globs are relative to this directory (the config file's).
    pub root: std::path::PathBuf,
    pub ignore: Vec<String>,
    /// `dialect = "mysql"` for these files, with the glob as written (for messages).
    pub dialect: Option<(Dialect, String)>,
}

impl PerFile {
    pub fn matches(&self, path: &str) -> bool {
        crate::config::relative_to(std::path::Path::new(path), &self.root)
            .is_some_and(|rel| self.glob.is_match(rel))
    }
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

#[derive(Debug, Clone)]
pub struct FileOutcome {
    pub path: String,
    /// The text, kept for rendering snippets (empty when the file had no findings).
    pub text: String,
    pub lang: Lang,
    pub diagnostics: Vec<Diagnostic>,
    /// Findings silenced by a `preflight: allow(…)` comment (for `--show-suppressed`).
    pub suppressed: Vec<Diagnostic>,
    /// Statements read by tokens only that cannot destroy data (no finding).
    pub not_parsed: usize,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct FileError {
    pub file: String,
    pub message: String,
}

#[derive(Debug, Clone, Default)]
pub struct Outcome {
    pub files: Vec<FileOutcome>,
    pub errors: Vec<FileError>,
    pub files_checked: usize,
    pub suppressed: usize,
    /// Statements read by tokens only that cannot destroy data, over all files.
    pub not_parsed: usize,
}

impl Outcome {
    pub fn count(&self, sev: Severity) -> usize {
        self.files
            .iter()
            .flat_map(|f| &f.diagnostics)
            .filter(|d| d.severity == sev)
            .count()
    }
    /// Deterministic order: path, then position, then rule.
    pub fn sort(&mut self) {
        self.files.sort_by(|a, b| a.path.cmp(&b.path));
        for f in &mut self.files {
            f.diagnostics.sort_by(|a, b| {
                (a.span.start, &a.rule, a.span.end).cmp(&(b.span.start, &b.rule, b.span.end))
            });
            f.diagnostics
                .dedup_by(|a, b| a.rule == b.rule && a.span == b.span && a.message == b.message);
            f.suppressed
                .sort_by(|a, b| (a.span.start, &a.rule).cmp(&(b.span.start, &b.rule)));
        }
        self.errors.sort_by(|a, b| a.file.cmp(&b.file));
    }
}

/// "statement could not be parsed: …" → "statement could not be parsed (read as MySQL (file
/// name `*.mysql.*`)): …", so a wrong dialect choice is visible where it hurts.
fn annotate_parse_errors(choice: &crate::sql::dialect::Choice, diags: &mut [Diagnostic]) {
    const PREFIX: &str = "statement could not be parsed";
    for d in diags.iter_mut().filter(|d| d.rule == "parse-error") {
        if let Some(rest) = d.message.strip_prefix(PREFIX) {
            d.message = format!("{PREFIX}, {}{rest}", choice.describe());
        }
    }
}

/// Bytes → text: lossy decode, with a diagnostic naming the first invalid byte.
pub fn decode(bytes: Vec<u8>) -> (String, Option<Diagnostic>) {
    match String::from_utf8(bytes) {
        Ok(s) => (s, None),
        Err(e) => {
            let at = e.utf8_error().valid_up_to();
            let text = String::from_utf8_lossy(e.as_bytes()).into_owned();
            let line_end = text[at..].find('\n').map_or(text.len(), |i| at + i);
            let d = Diagnostic::new(
                "parse-error",
                crate::source::Span::new(at, line_end.max(at)),
                format!("file is not valid UTF-8 (first invalid byte at offset {at})"),
            )
            .label("invalid bytes were replaced with U+FFFD")
            .help("the rest of the file was still checked; save it as UTF-8 to silence this");
            (text, Some(d))
        }
    }
}

/// Is this binary data rather than text? (a NUL byte in the first 8 KiB)
pub fn looks_binary(bytes: &[u8]) -> bool {
    bytes[..bytes.len().min(8192)].contains(&0)
}

/// Check one in-memory source (stdin, hook content).
pub fn check_text(
    path: &str,
    bytes: Vec<u8>,
    lang: Lang,
    facts: FileFacts,
    settings: &Settings,
) -> Result<FileOutcome, FileError> {
    check_text_in(path, bytes, lang, facts, settings, None)
}

/// [`check_text`] as one file of a migration set: `replay` carries the schema built by the
/// earlier files of the set.
pub fn check_text_in(
    path: &str,
    bytes: Vec<u8>,
    lang: Lang,
    facts: FileFacts,
    settings: &Settings,
    replay: Option<&mut crate::migrations::Replay>,
) -> Result<FileOutcome, FileError> {
    let mut local = crate::migrations::Replay::new(settings.check_down);
    let replay = match replay {
        Some(r) => r,
        None => {
            local.next_file("", facts.down);
            &mut local
        }
    };
    if looks_binary(&bytes) {
        return Err(FileError {
            file: path.to_string(),
            message: "binary file (contains NUL bytes); not checked".to_string(),
        });
    }
    let (text, utf8_diag) = decode(bytes);
    let source = Source {
        path: path.to_string(),
        text,
        lang,
    };
    let not_parsed_before = replay.not_parsed;
    let choice = settings.dialect_for(path, &source.text);
    let dialect = match lang {
        Lang::Sql => choice.dialect,
        Lang::Shell => settings.dialect,
    };
    let mut diagnostics = check_source_in(&source, dialect, facts, Some(replay));
    if lang == Lang::Sql {
        annotate_parse_errors(&choice, &mut diagnostics);
    }
    diagnostics.extend(utf8_diag);
    let applied = crate::suppress::apply(&source.text, lang, settings.dialect, diagnostics);
    let mut diagnostics = applied.kept;
    let mut suppressed = applied.suppressed;
    settings.filter.apply_for(&source.path, &mut diagnostics);
    // only findings that would have been reported count as suppressed
    settings.filter.apply_for(&source.path, &mut suppressed);
    let text = if diagnostics.is_empty() && suppressed.is_empty() && !settings.keep_text {
        String::new()
    } else {
        source.text
    };
    Ok(FileOutcome {
        path: source.path,
        text,
        lang,
        diagnostics,
        suppressed,
        not_parsed: replay.not_parsed - not_parsed_before,
    })
}

/// Read and check discovered files in parallel; the files of one migration set are checked
/// in order against a shared schema (sets run in parallel with each other, and each set
/// parses its files ahead in parallel; other files follow).
pub fn run(files: &[Discovered], settings: &Settings) -> Outcome {
    let (files, sets) = crate::migrations::plan(files, &settings.migrations);
    let sets = crate::migrations::dialects::split(sets);
    let set_results: Vec<Result<FileOutcome, FileError>> = sets
        .par_iter()
        .flat_map_iter(|s| crate::migrations::check_set(s, settings))
        .collect();
    let results: Vec<Result<FileOutcome, FileError>> = files
        .par_iter()
        .map(|f| {
            let bytes = std::fs::read(&f.path).map_err(|e| FileError {
                file: f.display.clone(),
                message: format!("cannot read: {e}"),
            })?;
            let facts = FileFacts {
                down: f.down && !settings.check_down,
            };
            check_text(&f.display, bytes, f.lang, facts, settings)
        })
        .collect();
    let mut out = Outcome::default();
    for r in results.into_iter().chain(set_results) {
        match r {
            Ok(f) => {
                out.files_checked += 1;
                out.suppressed += f.suppressed.len();
                out.not_parsed += f.not_parsed;
                out.files.push(f);
            }
            Err(e) => out.errors.push(e),
        }
    }
    out.sort();
    out
}
