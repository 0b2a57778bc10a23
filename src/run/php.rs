//! PHP migration sets in the pipeline (Laravel `database/migrations/`): files read and taken
//! apart in parallel, then checked in file-name order against one replayed schema (seeded
//! from Laravel's schema dump when there is one); and their `--explain-order`.

use crate::check::replay::Replay;
use crate::diagnostic::Diagnostic;
use crate::discover::Discovered;
use crate::migrations::php as sets;
use crate::orm::{Effect, Fact, Facts, Template};
use crate::outcome::{FileError, FileOutcome};
use crate::php::laravel;
use crate::settings::Settings;
use crate::source::{Dialect, Lang, Span};
use rayon::prelude::*;
use std::path::{Path, PathBuf};

type Loaded = Result<((String, Option<Diagnostic>), Option<Facts>), FileError>;

struct Planned {
    files: Vec<PathBuf>,
    loaded: Vec<Loaded>,
    /// Schema dumps: (name shown, text, dialect by name).
    dumps: Vec<(String, String, Option<Dialect>)>,
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
            let facts = laravel::read(&text.0);
            Ok((text, facts))
        })
        .collect();
    let dumps = sets::schema_dumps(dir)
        .into_iter()
        .filter_map(|p| {
            let text = std::fs::read_to_string(&p).ok()?;
            let name = p.file_name()?.to_string_lossy().to_string();
            let dialect = match name.split('-').next() {
                Some("mysql" | "mariadb") => Some(Dialect::Mysql),
                Some("pgsql") => Some(Dialect::Postgres),
                Some("sqlite") => Some(Dialect::Sqlite),
                _ => None,
            };
            Some((format!("../schema/{name}"), text, dialect))
        })
        .collect();
    Planned {
        files,
        loaded,
        dumps,
    }
}

/// The set's dialect: `--dialect`, else the schema dump's database, else the configured one.
fn dialect_of(p: &Planned, settings: &Settings) -> Dialect {
    settings
        .dialect_forced
        .or_else(|| p.dumps.iter().find_map(|d| d.2))
        .unwrap_or(settings.dialect)
}

/// Replay a planned set; `each` gets every file's index and findings.
fn replay_set(
    dir: &Path,
    p: &Planned,
    settings: &Settings,
    mut each: impl FnMut(usize, Vec<Diagnostic>),
) -> Replay {
    let dialect = dialect_of(p, settings);
    let mut replay = Replay::new(settings.check_down);
    for (name, text, _) in &p.dumps {
        replay.next_file(name, false);
        let facts = Facts {
            facts: vec![Fact {
                effect: Effect::Sql(Template {
                    text: text.clone(),
                    map: (0..text.len()).collect(),
                    holes: Vec::new(),
                    span: Span::new(0, text.len()),
                }),
                verb: "schema dump".into(),
                down: false,
            }],
            ..Facts::default()
        };
        crate::check::orm::replay_only(text, dialect, &facts, &mut replay);
    }
    for (i, f) in p.files.iter().enumerate() {
        replay.next_file(&super::file_name(dir, f), false);
        let Ok(((text, _), facts)) = &p.loaded[i] else {
            continue;
        };
        let Some(facts) = facts else {
            each(i, Vec::new());
            continue;
        };
        let mut diags = crate::check::orm::check(
            text,
            dialect,
            facts,
            false,
            settings.check_down,
            &mut replay,
        );
        unknown_type_changes(&mut diags);
        each(i, diags);
    }
    replay
}

/// `->change()` restates the column's whole definition, type included: when the column's
/// current type is not known from the set, the type may well be unchanged (a change of
/// nullability or default), so no type change is claimed.
fn unknown_type_changes(diags: &mut Vec<Diagnostic>) {
    diags.retain(|d| {
        !(d.rule == "alter-column-type" && d.message.contains("its current type is unknown"))
    });
}

/// Check the Laravel migrations among `files`: each set (directory) whole, in order; only
/// the given files are reported.
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
            let planned = plan_set(dir, &display);
            let mut out: Vec<Result<FileOutcome, FileError>> = Vec::new();
            // a reported file the set listing missed (an unusual name): checked alone
            let listed: std::collections::HashSet<&Path> =
                planned.files.iter().map(|f| f.as_path()).collect();
            for (path, disp) in reported {
                if !listed.contains(path.as_path()) {
                    out.push(check_alone_file(path, disp, settings));
                }
            }
            let mut found: Vec<Option<Vec<Diagnostic>>> = vec![None; planned.files.len()];
            replay_set(dir, &planned, settings, |i, d| found[i] = Some(d));
            for (i, f) in planned.files.iter().enumerate() {
                let Some(disp) = reported.get(f) else {
                    continue;
                };
                match &planned.loaded[i] {
                    Err(e) => out.push(Err(e.clone())),
                    Ok(((text, utf8), _)) => {
                        let mut diags = found[i].take().unwrap_or_default();
                        diags.extend(utf8.clone());
                        out.push(Ok(finish(disp, text.clone(), diags, settings)));
                    }
                }
            }
            out
        })
        .collect()
}

/// One Laravel migration on its own (stdin, a file outside a set).
pub fn check_alone(text: &str, dialect: Dialect, check_down: bool) -> Vec<Diagnostic> {
    let mut replay = Replay::new(check_down);
    replay.next_file("", false);
    let Some(facts) = laravel::read(text) else {
        return Vec::new();
    };
    let mut diags = crate::check::orm::check(text, dialect, &facts, false, check_down, &mut replay);
    unknown_type_changes(&mut diags);
    diags
}

fn check_alone_file(
    path: &Path,
    display: &str,
    settings: &Settings,
) -> Result<FileOutcome, FileError> {
    let bytes = std::fs::read(path).map_err(|e| FileError {
        file: display.to_string(),
        message: format!("cannot read: {e}"),
    })?;
    let (text, utf8) = crate::run::sniff(display, bytes)?;
    let mut diags = check_alone(&text, settings.dialect, settings.check_down);
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
    let applied = crate::suppress::apply(&text, Lang::Php, settings.dialect, diagnostics);
    let mut diagnostics = applied.kept;
    let mut suppressed = applied.suppressed;
    settings.filter.apply_for(path, &mut diagnostics);
    settings.filter.apply_for(path, &mut suppressed);
    // one finding per problem (`Schema::dropIfExists` then `Schema::create`: one finding)
    crate::fold::fold(&mut diagnostics);
    let text = if diagnostics.is_empty() && suppressed.is_empty() && !settings.keep_text {
        String::new()
    } else {
        text
    };
    FileOutcome {
        path: path.to_string(),
        text,
        lang: Lang::Php,
        diagnostics,
        suppressed,
        statements: Vec::new(),
        not_parsed: 0,
    }
}

/// `--explain-order` for a Laravel `database/migrations` directory; `None` when `dir` holds
/// no Laravel migrations.
pub fn explain(dir: &Path, settings: &Settings) -> Option<String> {
    let display = |p: &Path| p.to_string_lossy().to_string();
    let planned = plan_set(dir, &display);
    if !planned.loaded.iter().any(|l| matches!(l, Ok((_, Some(_))))) {
        return None;
    }
    let mut s = format!(
        "{}: Laravel (database/migrations/YYYY_MM_DD_HHMMSS_name.php, ordered by file name)\n",
        crate::migrations::normalize(dir)
    );
    for (name, _, _) in &planned.dumps {
        s.push_str(&format!("  seed  {name}  (schema dump)\n"));
    }
    let mut n = 0;
    let mut not_understood = Vec::new();
    for (i, f) in planned.files.iter().enumerate() {
        let name = super::file_name(dir, f);
        match &planned.loaded[i] {
            Ok((_, None)) => s.push_str(&format!("        {name}  (not a migration: skipped)\n")),
            Ok(((text, _), Some(facts))) => {
                n += 1;
                let ups = facts.facts.iter().filter(|f| !f.down).count();
                let downs = facts.facts.len() - ups;
                s.push_str(&format!("  {n:>4}  {name}  [{ups} up, {downs} down]\n"));
                let index = crate::source::LineIndex::new(text);
                for (span, what) in &facts.not_understood {
                    not_understood.push(format!(
                        "{name}:{} {what}",
                        index.position(text, span.start).line
                    ));
                }
            }
            Err(e) => s.push_str(&format!("  error: {}\n", e.message)),
        }
    }
    let replay = replay_set(dir, &planned, settings, |_, _| {});
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
