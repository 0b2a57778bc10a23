//! Knex, TypeORM and Sequelize migration sets in the pipeline: each directory's files read
//! and taken apart in parallel, then checked in file-name order (their timestamps) against
//! one replayed schema; and their `--explain-order`.

use crate::check::replay::Replay;
use crate::diagnostic::Diagnostic;
use crate::discover::Discovered;
use crate::js::Migration;
use crate::migrations::js as sets;
use crate::outcome::{FileError, FileOutcome};
use crate::settings::Settings;
use crate::source::{Dialect, Lang};
use rayon::prelude::*;
use std::path::{Path, PathBuf};

type Loaded = Result<((String, Option<Diagnostic>), Option<Migration>), FileError>;

fn load(files: &[PathBuf], display: &(dyn Fn(&Path) -> String + Sync)) -> Vec<Loaded> {
    files
        .par_iter()
        .map(|f| {
            let bytes = std::fs::read(f).map_err(|e| FileError {
                file: display(f),
                message: format!("cannot read: {e}"),
            })?;
            let text = crate::run::sniff(&display(f), bytes)?;
            let m = crate::js::read(&text.0);
            Ok((text, m))
        })
        .collect()
}

/// A set's dialect: `--dialect` / config, unless the directory says `sqlite`, `mysql` or
/// `mariadb` (TypeORM projects keep one migrations folder per database).
fn dialect_of(dir: &Path, settings: &Settings) -> Dialect {
    for c in dir.components() {
        match c.as_os_str().to_str() {
            Some("sqlite") => return Dialect::Sqlite,
            Some("mysql" | "mariadb") => return Dialect::Mysql,
            _ => {}
        }
    }
    settings.dialect
}

/// Check the JS/TS migrations among `files`: each set (directory) whole, in order; only the
/// given files are reported.
pub fn check_sets(
    files: &[&Discovered],
    settings: &Settings,
) -> Vec<Result<FileOutcome, FileError>> {
    let by_dir = super::by_dir(files.iter().copied());
    by_dir
        .par_iter()
        .flat_map_iter(|(dir, reported)| {
            let display = |p: &Path| {
                reported
                    .get(p)
                    .cloned()
                    .unwrap_or_else(|| p.to_string_lossy().to_string())
            };
            let mut set = sets::set_files(dir);
            // a reported file the set listing missed (an unusual name) joins its set
            let listed: std::collections::HashSet<std::path::PathBuf> =
                set.iter().cloned().collect();
            for path in reported.keys() {
                if !listed.contains(path) {
                    set.push(path.clone());
                }
            }
            let loaded = load(&set, &display);
            let dialect = dialect_of(dir, settings);
            let mut replay = Replay::new(settings.check_down);
            let mut out: Vec<Result<FileOutcome, FileError>> = Vec::new();
            for (i, f) in set.iter().enumerate() {
                replay.next_file(&super::file_name(dir, f), false);
                match &loaded[i] {
                    Err(e) => {
                        if reported.contains_key(f) {
                            out.push(Err(e.clone()));
                        }
                    }
                    Ok(((text, utf8), m)) => {
                        let mut diags = match m {
                            Some(m) => crate::check::orm::check(
                                text,
                                dialect,
                                &m.facts,
                                false,
                                settings.check_down,
                                &mut replay,
                            ),
                            None => Vec::new(),
                        };
                        crate::check::orm::every_table(&mut diags);
                        if let Some(disp) = reported.get(f) {
                            diags.extend(utf8.clone());
                            out.push(Ok(finish(disp, text.clone(), diags, settings)));
                        }
                    }
                }
            }
            out
        })
        .collect()
}

/// Suppressions and rule filters, as for every other file.
fn finish(
    path: &str,
    text: String,
    diagnostics: Vec<Diagnostic>,
    settings: &Settings,
) -> FileOutcome {
    let applied = crate::suppress::apply(&text, Lang::Js, settings.dialect, diagnostics);
    let mut diagnostics = applied.kept;
    let mut suppressed = applied.suppressed;
    settings.filter.apply_for(path, &mut diagnostics);
    settings.filter.apply_for(path, &mut suppressed);
    crate::fold::fold(&mut diagnostics);
    let text = if diagnostics.is_empty() && suppressed.is_empty() && !settings.keep_text {
        String::new()
    } else {
        text
    };
    FileOutcome {
        path: path.to_string(),
        text,
        lang: Lang::Js,
        diagnostics,
        suppressed,
        statements: Vec::new(),
        not_parsed: 0,
    }
}

/// `--explain-order` for a directory of Knex, TypeORM or Sequelize migrations; `None` when
/// `dir` holds none.
pub fn explain(dir: &Path, settings: &Settings) -> Option<String> {
    let files = sets::set_files(dir);
    let display = |p: &Path| p.to_string_lossy().to_string();
    let loaded = load(&files, &display);
    let framework = loaded.iter().find_map(|l| {
        l.as_ref()
            .ok()
            .and_then(|(_, m)| m.as_ref())
            .map(|m| m.framework)
    })?;
    let mut s = format!(
        "{}: {} (migrations/*.js|ts, ordered by file name)\n",
        crate::migrations::normalize(dir),
        framework.name()
    );
    let mut replay = Replay::new(settings.check_down);
    let dialect = dialect_of(dir, settings);
    let mut n = 0;
    let mut not_understood = Vec::new();
    for (i, f) in files.iter().enumerate() {
        let name = super::file_name(dir, f);
        replay.next_file(&name, false);
        match &loaded[i] {
            Err(e) => s.push_str(&format!("  error: {}\n", e.message)),
            Ok((_, None)) => s.push_str(&format!("        {name}  (not a migration: skipped)\n")),
            Ok(((text, _), Some(m))) => {
                n += 1;
                let ups = m.facts.facts.iter().filter(|f| !f.down).count();
                let downs = m.facts.facts.len() - ups;
                s.push_str(&format!("  {n:>4}  {name}  [{ups} up, {downs} down]\n"));
                let index = crate::source::LineIndex::new(text);
                for (span, what) in &m.facts.not_understood {
                    not_understood.push(format!(
                        "{name}:{} {what}",
                        index.position(text, span.start).line
                    ));
                }
                crate::check::orm::check(
                    text,
                    dialect,
                    &m.facts,
                    false,
                    settings.check_down,
                    &mut replay,
                );
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
    for w in not_understood {
        s.push_str(&format!("  not understood (model unchanged): {w}\n"));
    }
    Some(s)
}
