//! Rails migration sets in the pipeline: `db/migrate/` files read and taken apart in
//! parallel, then checked in timestamp order against one replayed schema (seeded from
//! `db/schema.rb` or `db/structure.sql` when present); and their `--explain-order`.

use super::orm_set::{self, Listing, Output};
use crate::check::replay::Replay;
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
type Loaded = orm_set::Loaded<Option<Migration>>;

const OUT: Output = Output {
    lang: Lang::Ruby,
    fold: true,
};

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
    let (migrations, alone) = split(files);
    let mut out: Vec<Result<FileOutcome, FileError>> = alone
        .par_iter()
        .map(|f| check_alone(&f.path, &f.display, settings))
        .collect();
    out.extend(orm_set::each_set_emit(
        migrations.into_iter(),
        set(settings),
        None,
    ));
    out
}

/// [`check_sets`], each outcome handed to `sink` as soon as it is known.
pub fn stream_sets(files: &[&Discovered], settings: &Settings, sink: super::Sink) {
    let (migrations, alone) = split(files);
    rayon::join(
        || {
            alone
                .par_iter()
                .for_each(|f| sink(check_alone(&f.path, &f.display, settings)))
        },
        || orm_set::each_set_emit(migrations.into_iter(), set(settings), Some(sink)),
    );
}

/// Rails migrations (checked in their sets) and other Ruby files (checked alone).
fn split<'a>(files: &[&'a Discovered]) -> (Vec<&'a Discovered>, Vec<&'a Discovered>) {
    files
        .iter()
        .partition(|f| sets::is_rails_migration(&f.path))
}

/// One `db/migrate/` directory checked in order; the reported files' outcomes go to `emit`.
fn set(
    settings: &Settings,
) -> impl Fn(&Path, &super::reported::Reported, orm_set::Display, orm_set::Emit) + Sync + '_ {
    move |dir, reported, display, emit| {
        let files = sets::set_files(dir);
        let dialect = dialect_of(dir, settings);
        // the schema dump is read (at the first file) while other threads read ahead
        let mut seed: Option<Replay> = None;
        orm_set::load_each(&files, display, rails::read, |i, l: Loaded| {
            let f = &files[i];
            let replay = seed.get_or_insert_with(|| seeded(dir, dialect, settings.check_down).0);
            replay.next_file(&super::file_name(dir, f), false);
            let ((text, utf8), m) = match l {
                Ok(x) => x,
                Err(e) => {
                    if reported.contains_key(f) {
                        emit(Err(e));
                    }
                    return;
                }
            };
            let diags = match &m {
                Some(m) => {
                    crate::check::ruby::check(&text, dialect, m, settings.check_down, replay)
                }
                None => Vec::new(),
            };
            let Some(disp) = reported.get(f) else {
                return;
            };
            let (mut kept, acked) = match &m {
                Some(m) => crate::check::ruby::acknowledge(&m.assured, diags),
                None => (diags, Vec::new()),
            };
            kept.extend(utf8);
            emit(Ok(OUT.finish(disp, text, kept, acked, settings)));
        });
    }
}

fn check_alone(path: &Path, display: &str, settings: &Settings) -> Result<FileOutcome, FileError> {
    OUT.alone(path, display, settings, |text| {
        let Some(m) = rails::read(text) else {
            return (Vec::new(), Vec::new());
        };
        let mut replay = Replay::new(settings.check_down);
        replay.next_file("", false);
        let d =
            crate::check::ruby::check(text, settings.dialect, &m, settings.check_down, &mut replay);
        crate::check::ruby::acknowledge(&m.assured, d)
    })
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
    let mut listing = Listing::new(format!(
        "{}: Rails (db/migrate/<timestamp>_name.rb, ordered by timestamp)",
        crate::migrations::normalize(dir)
    ));
    if let Some(seed) = seed {
        listing
            .lines
            .push(format!("  seeded from schema dump {seed}"));
    }
    for f in &files {
        let name = super::file_name(dir, f);
        replay.next_file(&name, false);
        match orm_set::load(f, &name, rails::read) {
            Err(e) => listing.error(&e),
            Ok((_, None)) => listing.not_a_migration(&name),
            Ok(((text, _), Some(m))) => {
                let (ups, downs) = orm_set::up_down(&m.facts);
                let detail = if downs > 0 {
                    format!("  [{ups} up, {downs} down]")
                } else {
                    String::new()
                };
                listing.migration(&name, &detail);
                listing.not_understood(&name, &text, &m.facts);
                crate::check::ruby::check(&text, dialect, &m, settings.check_down, &mut replay);
            }
        }
    }
    Some(listing.render(&replay.schema))
}
