//! Migration sets in the pipeline: every file of a set checked in version order against the
//! replayed schema (files read and parsed ahead in parallel), and `--explain-order`.

use crate::check::replay::Replay;
use crate::diagnostic::Diagnostic;
use crate::migrations::detect;
use crate::migrations::{PlannedSet, SetFile, glob_matcher, normalize};
use crate::outcome::{FileError, FileOutcome};
use crate::settings::Settings;
use crate::source::Lang;
use crate::sql::Statement;
use rayon::prelude::*;
use std::path::Path;

fn display_of(f: &SetFile) -> String {
    f.path.to_string_lossy().to_string()
}

/// Bytes as text, invalid UTF-8 replaced (the same text as `String::from_utf8_lossy`, but
/// valid files, the usual case, take the fast ASCII-skipping validator).
fn lossy(bytes: &[u8]) -> std::borrow::Cow<'_, str> {
    match std::str::from_utf8(bytes) {
        Ok(s) => std::borrow::Cow::Borrowed(s),
        Err(_) => String::from_utf8_lossy(bytes),
    }
}

/// A file read, sniffed and parsed ahead: its text (or why it cannot be checked) and its
/// statements.
type Loaded = Result<((String, Option<Diagnostic>), Vec<Statement>), FileError>;

/// Check one set: every file in order against the shared schema; only reported files'
/// outcomes are returned.
pub fn check_set(planned: &PlannedSet, settings: &Settings) -> Vec<Result<FileOutcome, FileError>> {
    let set = &planned.set;
    let mut replay = Replay::new(settings.check_down);
    if let Some(seed) = &set.seed
        && let Ok(bytes) = std::fs::read(seed)
        && !crate::run::looks_binary(&bytes)
    {
        let text = lossy(&bytes);
        let name = seed
            .file_name()
            .map_or_else(String::new, |n| n.to_string_lossy().to_string());
        let dialect = settings.dialect_for(&seed.to_string_lossy(), &text).dialect;
        replay.seed(&name, &text, dialect);
    }
    // Files are read and parsed ahead in parallel, a window at a time (memory stays bounded
    // by the window, not the set); rules and replay then run in order.
    const WINDOW: usize = 64;
    let mut out = Vec::new();
    let mut index_of: Vec<Option<usize>> = Vec::new();
    let items: Vec<(&SetFile, &Option<String>)> = set.files.iter().zip(&planned.reported).collect();
    for window in items.chunks(WINDOW) {
        let loaded: Vec<Loaded> = window
            .par_iter()
            .map(|(f, reported)| {
                let display = || (*reported).clone().unwrap_or_else(|| display_of(f));
                let bytes = std::fs::read(&f.path).map_err(|e| FileError {
                    file: display(),
                    message: format!("cannot read: {e}"),
                })?;
                let text = crate::run::sniff(&display(), bytes)?;
                let dialect = settings.dialect_for(&display(), &text.0).dialect;
                let stmts = crate::sql::analyze(&text.0, dialect, crate::sql::Options::default());
                Ok((text, stmts))
            })
            .collect();
        for ((f, reported), item) in window.iter().zip(loaded) {
            let display = (*reported).clone().unwrap_or_else(|| display_of(f));
            replay.next_file(&f.name, f.down);
            index_of.resize(replay.cur as usize + 1, None);
            let (text, stmts) = match item {
                Ok(t) => t,
                Err(e) => {
                    out.push(Err(e));
                    continue;
                }
            };
            let facts = crate::check::FileFacts {
                down: f.down && !settings.check_down,
            };
            replay.analyzed = Some(stmts);
            let r = crate::run::check_sniffed_in(
                &display,
                text,
                Lang::Sql,
                facts,
                settings,
                Some(&mut replay),
            );
            replay.analyzed = None;
            if reported.is_some() {
                index_of[replay.cur as usize] = Some(out.len());
                out.push(Ok(r));
            }
        }
    }
    // file index → its outcome, for findings that later files change
    let mut by_file: Vec<Option<&mut FileOutcome>> = Vec::new();
    let mut slots: Vec<Option<&mut FileOutcome>> =
        out.iter_mut().map(|r| r.as_mut().ok()).collect();
    for i in &index_of {
        by_file.push(i.and_then(|i| slots.get_mut(i).and_then(Option::take)));
    }
    replay.escalate_renames(&mut by_file, settings);
    out
}

/// `preflight check --explain-order DIR`: the convention, the order, and what the schema
/// model could not apply.
pub fn explain_order(dir: &Path, settings: &Settings) -> Result<String, String> {
    if !dir.is_dir() {
        return Err(format!("{}: not a directory", dir.display()));
    }
    if let Some(s) = crate::run::python::explain(dir, settings) {
        return Ok(s);
    }
    if let Some(s) = crate::run::js::explain(dir, settings) {
        return Ok(s);
    }
    if let Some(s) = crate::run::php::explain(dir, settings) {
        return Ok(s);
    }
    if let Some(s) = crate::run::ruby::explain(dir, settings) {
        return Ok(s);
    }
    let matcher = glob_matcher(&settings.migrations);
    let set = if matcher.as_ref().is_some_and(|m| m.is_match(normalize(dir))) {
        Some(detect::configured(dir))
    } else {
        detect::detect(dir)
    };
    let Some(set) = set else {
        return Err(format!(
            "{}: no migration convention detected (Flyway, golang-migrate, dbmate, Prisma, diesel, \
             Supabase, Django, numbered files); list it under `migrations` in preflight.toml",
            dir.display()
        ));
    };
    let mut s = format!("{}: {}\n", normalize(dir), set.convention.name());
    for (chain_dialect, files) in crate::migrations::dialects::chains(&set.files) {
        if let Some(d) = chain_dialect {
            s.push_str(&format!("chain for {} (file-name variants):\n", d.name()));
        }
        explain_chain(&set, &files, settings, &mut s);
    }
    Ok(s)
}

/// One replay chain of `--explain-order`: its files in order, each file's dialect where it
/// changes, and what the schema model could not apply.
fn explain_chain(
    set: &crate::migrations::MigrationSet,
    files: &[&SetFile],
    settings: &Settings,
    s: &mut String,
) {
    let mut replay = Replay::new(settings.check_down);
    if let Some(seed) = &set.seed {
        s.push_str(&format!("  seeded from schema dump {}\n", normalize(seed)));
        if let Ok(bytes) = std::fs::read(seed) {
            let text = lossy(&bytes);
            let d = settings.dialect_for(&normalize(seed), &text).dialect;
            replay.seed(&normalize(seed), &text, d);
        }
    }
    let mut n = 0;
    // the dialect note is shown on the first file and wherever it changes
    let mut shown_dialect: Option<String> = None;
    let mut errors = Vec::new();
    for f in files {
        replay.next_file(&f.name, f.down);
        if f.down {
            s.push_str(&format!("       {}  (down: not replayed)\n", f.name));
            continue;
        }
        n += 1;
        match std::fs::read(&f.path) {
            Ok(bytes) => {
                let text = lossy(&bytes);
                let choice = settings.dialect_for(&display_of(f), &text);
                let note = choice.describe();
                if shown_dialect.as_ref() != Some(&note) {
                    s.push_str(&format!("  {n:>4}  {}  ({note})\n", f.name));
                    shown_dialect = Some(note);
                } else {
                    s.push_str(&format!("  {n:>4}  {}\n", f.name));
                }
                replay.begin_text(&text);
                for stmt in
                    crate::sql::analyze(&text, choice.dialect, crate::sql::Options::default())
                {
                    if !replay.in_down_section(stmt.span.start) {
                        replay.apply_only(&stmt);
                    }
                }
            }
            Err(e) => {
                s.push_str(&format!("  {n:>4}  {}\n", f.name));
                errors.push(format!("{}: cannot read: {e}", f.name))
            }
        }
    }
    let sch = &replay.schema;
    s.push_str(&format!(
        "schema after replay: {} tables, {} views, {} indexes\n",
        sch.tables.len(),
        sch.views.len(),
        sch.indexes.len()
    ));
    for (o, kw) in &sch.not_understood {
        s.push_str(&format!(
            "  not understood (model unchanged): {}:{} {kw} …\n",
            sch.file_name(o.file),
            o.line
        ));
    }
    for e in errors {
        s.push_str(&format!("  error: {e}\n"));
    }
}
