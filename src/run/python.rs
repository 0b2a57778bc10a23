//! Python migration sets in the pipeline (Django apps, Alembic version directories): files
//! read and taken apart in parallel, ordered by their dependencies, then checked in order
//! against one replayed schema; and their `--explain-order`.

use crate::check::replay::Replay;
use crate::diagnostic::Diagnostic;
use crate::discover::Discovered;
use crate::migrations::python::{self as sets, Framework, Read};
use crate::outcome::{FileError, FileOutcome};
use crate::python::{Facts, alembic, django};
use crate::settings::Settings;
use crate::source::{Dialect, Lang};
use rayon::prelude::*;
use std::path::{Path, PathBuf};

/// A set's dialect: `--dialect` / config, unless the directory says `sqlite` or `mysql`
/// (Alembic projects keep one versions directory per database).
fn dialect_of(dir: &Path, settings: &Settings) -> Dialect {
    for c in dir.components() {
        match c.as_os_str().to_str() {
            Some("sqlite") => return Dialect::Sqlite,
            Some("mysql") => return Dialect::Mysql,
            _ => {}
        }
    }
    settings.dialect
}

type Loaded = Result<((String, Option<Diagnostic>), Read), FileError>;

/// One set, read and ordered: files, what each is, the order, files not replayed.
struct Planned {
    dir: PathBuf,
    files: Vec<PathBuf>,
    loaded: Vec<Loaded>,
    order: Vec<usize>,
    skipped: Vec<(usize, String)>,
    framework: Option<Framework>,
}

fn plan_set(dir: &Path, display: &(dyn Fn(&Path) -> String + Sync)) -> Planned {
    let files = sets::set_files(dir);
    let loaded: Vec<Loaded> = files
        .par_iter()
        .map(|f| {
            let bytes = std::fs::read(f).map_err(|e| FileError {
                file: display(f),
                message: format!("cannot read: {e}"),
            })?;
            let text = crate::run::sniff(&display(f), bytes)?;
            let read = sets::read(&text.0);
            Ok((text, read))
        })
        .collect();
    let reads: Vec<&Read> = loaded
        .iter()
        .map(|l| l.as_ref().map_or(&Read::Other, |(_, r)| r))
        .collect();
    let framework = reads.iter().find_map(|r| match r {
        Read::Django(_) => Some(Framework::Django),
        Read::Alembic(_) => Some(Framework::Alembic),
        Read::Other => None,
    });
    let app = sets::app_label(dir);
    let (order, skipped) = {
        // order() reads the files' headers only
        let reads_owned: Vec<Read> = reads
            .iter()
            .map(|r| match r {
                Read::Django(raw) => Read::Django(django::Raw {
                    dependencies: raw.dependencies.clone(),
                    replaces: raw.replaces.clone(),
                    ..django::Raw::default()
                }),
                Read::Alembic(a) => Read::Alembic(alembic::Revision {
                    revision: a.revision.clone(),
                    down_revisions: a.down_revisions.clone(),
                    facts: Facts::default(),
                }),
                Read::Other => Read::Other,
            })
            .collect();
        sets::order(&files, &reads_owned, &app)
    };
    Planned {
        dir: dir.to_path_buf(),
        files,
        loaded,
        order,
        skipped,
        framework,
    }
}

/// Replay a planned set; `each` gets every replayed file's index and findings.
fn replay_set(
    p: &mut Planned,
    settings: &Settings,
    mut each: impl FnMut(usize, &str, Vec<Diagnostic>, Vec<crate::sql::Statement>),
) {
    let dialect = dialect_of(&p.dir, settings);
    let mut replay = Replay::new(settings.check_down);
    let mut state = django::State::new(&sets::app_label(&p.dir));
    for &i in &p.order.clone() {
        let name = super::file_name(&p.dir, &p.files[i]);
        replay.next_file(&name, false);
        let Ok(((text, _), read)) = &p.loaded[i] else {
            continue;
        };
        let facts = match read {
            Read::Django(raw) => django::translate(raw, text, &mut state),
            Read::Alembic(rev) => rev.facts.clone(),
            Read::Other => Facts::default(),
        };
        let skip = p.skipped.iter().any(|(s, _)| *s == i);
        let squashed = matches!(read, Read::Django(raw) if !raw.replaces.is_empty());
        let diags = if skip {
            Vec::new()
        } else if squashed {
            crate::check::orm::replay_only(text, dialect, &facts, &mut replay);
            Vec::new()
        } else {
            crate::check::orm::check(
                text,
                dialect,
                &facts,
                false,
                settings.check_down,
                &mut replay,
            )
        };
        // the live check measures the up side's statements (not a squashed migration's)
        let stmts = if settings.keep_text && !skip && !squashed {
            crate::check::orm::up_statements(dialect, &facts)
        } else {
            Vec::new()
        };
        each(i, text, diags, stmts);
    }
}

/// Check the Python migrations among `files`: each set (directory) whole, in order; only the
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
            let mut planned = plan_set(dir, &display);
            let mut out: Vec<Result<FileOutcome, FileError>> = Vec::new();
            // a reported file the set listing missed (an unusual name): checked alone
            let listed: std::collections::HashSet<&Path> =
                planned.files.iter().map(PathBuf::as_path).collect();
            for (path, disp) in reported {
                if !listed.contains(path.as_path()) {
                    out.push(check_alone(path, disp, settings));
                }
            }
            let mut found: Vec<Option<(Vec<Diagnostic>, Vec<crate::sql::Statement>)>> =
                vec![None; planned.files.len()];
            replay_set(&mut planned, settings, |i, _, d, s| found[i] = Some((d, s)));
            for (i, f) in planned.files.iter().enumerate() {
                let Some(disp) = reported.get(f) else {
                    continue;
                };
                match &planned.loaded[i] {
                    Err(e) => out.push(Err(e.clone())),
                    Ok(((text, utf8), _)) => {
                        let (mut diags, stmts) = found[i].take().unwrap_or_default();
                        diags.extend(utf8.clone());
                        let mut outcome = finish(disp, text.clone(), diags, settings);
                        outcome.statements = stmts;
                        out.push(Ok(outcome));
                    }
                }
            }
            out
        })
        .collect()
}

fn check_alone(path: &Path, display: &str, settings: &Settings) -> Result<FileOutcome, FileError> {
    let bytes = std::fs::read(path).map_err(|e| FileError {
        file: display.to_string(),
        message: format!("cannot read: {e}"),
    })?;
    let (text, utf8) = crate::run::sniff(display, bytes)?;
    let mut diags =
        crate::check::orm::check_alone(display, &text, settings.dialect, settings.check_down);
    diags.extend(utf8);
    Ok(finish(display, text, diags, settings))
}

/// Suppressions and rule filters, as for every other file.
fn finish(
    path: &str,
    text: String,
    diagnostics: Vec<Diagnostic>,
    settings: &Settings,
) -> FileOutcome {
    let applied = crate::suppress::apply(&text, Lang::Python, settings.dialect, diagnostics);
    let mut diagnostics = applied.kept;
    let mut suppressed = applied.suppressed;
    settings.filter.apply_for(path, &mut diagnostics);
    settings.filter.apply_for(path, &mut suppressed);
    let text = if diagnostics.is_empty() && suppressed.is_empty() && !settings.keep_text {
        String::new()
    } else {
        text
    };
    FileOutcome {
        path: path.to_string(),
        text,
        lang: Lang::Python,
        diagnostics,
        suppressed,
        statements: Vec::new(),
        not_parsed: 0,
    }
}

/// `--explain-order` for a Django `migrations/` or Alembic `versions/` directory; `None`
/// when `dir` holds no Python migrations.
pub fn explain(dir: &Path, settings: &Settings) -> Option<String> {
    let display = |p: &Path| p.to_string_lossy().to_string();
    let mut planned = plan_set(dir, &display);
    let framework = planned.framework?;
    let mut s = format!(
        "{}: {}\n",
        crate::migrations::normalize(dir),
        framework.name()
    );
    if framework == Framework::Django {
        s.push_str(&format!("  app label: {}\n", sets::app_label(dir)));
    }
    let mut n = 0;
    let mut lines = Vec::new();
    let mut not_understood = Vec::new();
    for &i in &planned.order {
        let name = super::file_name(dir, &planned.files[i]);
        match &planned.loaded[i] {
            Ok((_, Read::Other)) => {
                lines.push(format!("        {name}  (not a migration: skipped)"))
            }
            Ok((_, read)) => {
                if let Some((_, why)) = planned.skipped.iter().find(|(s, _)| *s == i) {
                    lines.push(format!("        {name}  ({why}: not replayed)"));
                    continue;
                }
                n += 1;
                let detail = match read {
                    Read::Alembic(r) if r.down_revisions.is_empty() => {
                        format!("  (revision {}, first)", r.revision)
                    }
                    Read::Alembic(r) => format!(
                        "  (revision {} after {})",
                        r.revision,
                        r.down_revisions.join(", ")
                    ),
                    _ => String::new(),
                };
                lines.push(format!("  {n:>4}  {name}{detail}"));
            }
            Err(e) => lines.push(format!("  error: {}", e.message)),
        }
    }
    let names: Vec<String> = planned
        .files
        .iter()
        .map(|f| super::file_name(dir, f))
        .collect();
    let mut replayed = Replay::default();
    {
        let dialect = dialect_of(dir, settings);
        let mut state = django::State::new(&sets::app_label(dir));
        let mut replay = Replay::new(settings.check_down);
        for &i in &planned.order.clone() {
            replay.next_file(&names[i], false);
            let Ok(((text, _), read)) = &planned.loaded[i] else {
                continue;
            };
            if planned.skipped.iter().any(|(s, _)| *s == i) {
                continue;
            }
            let facts = match read {
                Read::Django(raw) => django::translate(raw, text, &mut state),
                Read::Alembic(rev) => rev.facts.clone(),
                Read::Other => Facts::default(),
            };
            let index = crate::source::LineIndex::new(text);
            for (span, what) in &facts.not_understood {
                not_understood.push(format!(
                    "{}:{} {what}",
                    names[i],
                    index.position(text, span.start).line
                ));
            }
            let ups = facts.facts.iter().filter(|f| !f.down).count();
            let downs = facts.facts.len() - ups;
            if downs > 0
                && let Some(l) = lines
                    .iter_mut()
                    .find(|l| l.ends_with(&names[i]) || l.contains(&format!("{} ", names[i])))
            {
                l.push_str(&format!("  [{ups} up, {downs} down]"));
            }
            crate::check::orm::check(
                text,
                dialect,
                &facts,
                false,
                settings.check_down,
                &mut replay,
            );
        }
        std::mem::swap(&mut replayed, &mut replay);
    }
    planned.loaded.clear();
    for l in lines {
        s.push_str(&l);
        s.push('\n');
    }
    let sch = &replayed.schema;
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
