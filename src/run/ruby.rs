//! Rails migration sets in the pipeline: `db/migrate/` files read and taken apart in
//! parallel, then checked in timestamp order against one replayed schema (seeded from
//! `db/schema.rb` or `db/structure.sql` when present); and their `--explain-order`.

use crate::check::replay::Replay;
use crate::diagnostic::Diagnostic;
use crate::discover::Discovered;
use crate::migrations::ruby::{self as sets, Seed};
use crate::outcome::{FileError, FileOutcome};
use crate::ruby::rails::{self, Migration};
use crate::settings::Settings;
use crate::source::{Dialect, Lang};
use rayon::prelude::*;
use std::path::Path;

/// A set's dialect: `config/database.yml`'s adapter when it names MySQL or SQLite, else
/// `--dialect` / config.
fn dialect_of(dir: &Path, settings: &Settings) -> Dialect {
    match sets::adapter(dir).as_deref() {
        Some("mysql2" | "mysql" | "trilogy") => Dialect::Mysql,
        Some("sqlite3" | "sqlite") => Dialect::Sqlite,
        _ => settings.dialect,
    }
}

/// (text, UTF-8 finding), the migration (`None`: not a migration class).
type Loaded = Result<((String, Option<Diagnostic>), Option<Migration>), FileError>;

fn load(f: &Path, display: &str) -> Loaded {
    let bytes = std::fs::read(f).map_err(|e| FileError {
        file: display.to_string(),
        message: format!("cannot read: {e}"),
    })?;
    let text = crate::run::sniff(display, bytes)?;
    let m = rails::read(&text.0);
    Ok((text, m))
}

/// A replay with the set's seed (schema.rb / structure.sql) applied; the seed's name.
fn seeded(dir: &Path, dialect: Dialect, check_down: bool) -> (Replay, Option<String>) {
    let mut replay = Replay::new(check_down);
    let Some(seed) = sets::seed(dir) else {
        return (replay, None);
    };
    let (path, is_rb) = match &seed {
        Seed::SchemaRb(p) => (p, true),
        Seed::StructureSql(p) => (p, false),
    };
    let Ok(text) = std::fs::read_to_string(path) else {
        return (replay, None);
    };
    let name = path
        .file_name()
        .map_or_else(String::new, |n| n.to_string_lossy().to_string());
    if is_rb {
        replay.next_file(&name, false);
        replay.schema.seed_file = Some(replay.cur);
        let facts = rails::schema(&text);
        crate::check::orm::replay_only(&text, dialect, &facts, &mut replay);
    } else {
        replay.seed(&name, &text, dialect);
    }
    (replay, Some(crate::migrations::normalize(path)))
}

/// Check the Rails migrations among `files`: each `db/migrate/` directory whole, in order;
/// only the given files are reported.
pub fn check_sets(
    files: &[&Discovered],
    settings: &Settings,
) -> Vec<Result<FileOutcome, FileError>> {
    let (migrations, alone): (Vec<&Discovered>, Vec<&Discovered>) = files
        .iter()
        .partition(|f| sets::is_rails_migration(&f.path));
    let by_dir = super::by_dir(migrations.into_iter());
    let mut out: Vec<Result<FileOutcome, FileError>> = alone
        .par_iter()
        .map(|f| check_alone(&f.path, &f.display, settings))
        .collect();
    out.par_extend(by_dir.par_iter().flat_map_iter(|(dir, reported)| {
        let display = |p: &Path| {
            reported
                .get(p)
                .cloned()
                .unwrap_or_else(|| p.to_string_lossy().to_string())
        };
        let files = sets::set_files(dir);
        let loaded: Vec<Loaded> = files.par_iter().map(|f| load(f, &display(f))).collect();
        let dialect = dialect_of(dir, settings);
        let (mut replay, _) = seeded(dir, dialect, settings.check_down);
        let mut out = Vec::new();
        for (f, l) in files.iter().zip(loaded) {
            replay.next_file(&super::file_name(dir, f), false);
            let ((text, utf8), m) = match l {
                Ok(x) => x,
                Err(e) => {
                    if reported.contains_key(f) {
                        out.push(Err(e));
                    }
                    continue;
                }
            };
            let diags = match &m {
                Some(m) => {
                    crate::check::ruby::check(&text, dialect, m, settings.check_down, &mut replay)
                }
                None => Vec::new(),
            };
            let Some(disp) = reported.get(f) else {
                continue;
            };
            let (mut kept, acked) = match &m {
                Some(m) => crate::check::ruby::acknowledge(&m.assured, diags),
                None => (diags, Vec::new()),
            };
            kept.extend(utf8);
            out.push(Ok(finish(disp, text, kept, acked, settings)));
        }
        out
    }));
    out
}

fn check_alone(path: &Path, display: &str, settings: &Settings) -> Result<FileOutcome, FileError> {
    let ((text, utf8), m) = load(path, display)?;
    let mut replay = Replay::new(settings.check_down);
    replay.next_file("", false);
    let (mut kept, acked) = match &m {
        Some(m) => {
            let d = crate::check::ruby::check(
                &text,
                settings.dialect,
                m,
                settings.check_down,
                &mut replay,
            );
            crate::check::ruby::acknowledge(&m.assured, d)
        }
        None => (Vec::new(), Vec::new()),
    };
    kept.extend(utf8);
    Ok(finish(display, text, kept, acked, settings))
}

/// Suppressions, `safety_assured` acknowledgements and rule filters, as for every other file.
fn finish(
    path: &str,
    text: String,
    diagnostics: Vec<Diagnostic>,
    acknowledged: Vec<Diagnostic>,
    settings: &Settings,
) -> FileOutcome {
    let applied = crate::suppress::apply(&text, Lang::Ruby, settings.dialect, diagnostics);
    let mut diagnostics = applied.kept;
    let mut suppressed = applied.suppressed;
    suppressed.extend(acknowledged);
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
        lang: Lang::Ruby,
        diagnostics,
        suppressed,
        statements: Vec::new(),
        not_parsed: 0,
    }
}

/// `--explain-order` for a Rails `db/migrate/` directory; `None` when it holds no Rails
/// migrations.
pub fn explain(dir: &Path, settings: &Settings) -> Option<String> {
    let files = sets::set_files(dir);
    if files.is_empty() {
        return None;
    }
    let dialect = dialect_of(dir, settings);
    let (mut replay, seed) = seeded(dir, dialect, settings.check_down);
    let mut s = format!(
        "{}: Rails (db/migrate/<timestamp>_name.rb, ordered by timestamp)\n",
        crate::migrations::normalize(dir)
    );
    if let Some(seed) = seed {
        s.push_str(&format!("  seeded from schema dump {seed}\n"));
    }
    let mut not_understood = Vec::new();
    let mut n = 0;
    for f in &files {
        let name = super::file_name(dir, f);
        replay.next_file(&name, false);
        match load(f, &name) {
            Err(e) => s.push_str(&format!("  error: {}\n", e.message)),
            Ok((_, None)) => s.push_str(&format!("        {name}  (not a migration: skipped)\n")),
            Ok(((text, _), Some(m))) => {
                n += 1;
                let ups = m.facts.facts.iter().filter(|f| !f.down).count();
                let downs = m.facts.facts.len() - ups;
                let detail = if downs > 0 {
                    format!("  [{ups} up, {downs} down]")
                } else {
                    String::new()
                };
                s.push_str(&format!("  {n:>4}  {name}{detail}\n"));
                let index = crate::source::LineIndex::new(&text);
                for (span, what) in &m.facts.not_understood {
                    not_understood.push(format!(
                        "{name}:{} {what}",
                        index.position(&text, span.start).line
                    ));
                }
                crate::check::ruby::check(&text, dialect, &m, settings.check_down, &mut replay);
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
