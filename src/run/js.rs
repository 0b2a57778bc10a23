//! Knex, TypeORM and Sequelize migration sets in the pipeline: each directory's files read
//! and taken apart in parallel, then checked in file-name order (their timestamps) against
//! one replayed schema; and their `--explain-order`.

use super::orm_set::{self, Listing, Output};
use crate::check::replay::Replay;
use crate::discover::Discovered;
use crate::js::Migration;
use crate::migrations::js as sets;
use crate::outcome::{FileError, FileOutcome};
use crate::settings::Settings;
use crate::source::{Dialect, Lang};
use std::path::Path;

type Loaded = orm_set::Loaded<Option<Migration>>;

const OUT: Output = Output {
    lang: Lang::Js,
    fold: true,
};

/// A set's dialect: `--dialect` / config, unless the directory says `sqlite`, `mysql` or
/// `mariadb` (TypeORM projects keep one migrations folder per database).
fn dialect_of(dir: &Path, settings: &Settings) -> Dialect {
    orm_set::dialect_in_path(dir, &["mysql", "mariadb"], settings)
}

/// Check the JS/TS migrations among `files`: each set (directory) whole, in order; only the
/// given files are reported.
pub fn check_sets(
    files: &[&Discovered],
    settings: &Settings,
) -> Vec<Result<FileOutcome, FileError>> {
    orm_set::each_set_emit(files.iter().copied(), set(settings), None)
}

/// [`check_sets`], each outcome handed to `sink` as soon as its set's check gives it.
pub fn stream_sets(files: &[&Discovered], settings: &Settings, sink: super::Sink) {
    orm_set::each_set_emit(files.iter().copied(), set(settings), Some(sink));
}

/// One set (directory) checked in order; the reported files' outcomes go to `emit`.
fn set(
    settings: &Settings,
) -> impl Fn(&Path, &super::reported::Reported, orm_set::Display, orm_set::Emit) + Sync + '_ {
    move |dir, reported, display, emit| {
        let mut set = sets::set_files(dir);
        // a reported file the set listing missed (an unusual name) joins its set
        let listed: std::collections::HashSet<std::path::PathBuf> = set.iter().cloned().collect();
        for path in reported.keys() {
            if !listed.contains(path) {
                set.push(path.clone());
            }
        }
        let dialect = dialect_of(dir, settings);
        let mut replay = Replay::new(settings.check_down);
        orm_set::load_each(&set, display, crate::js::read, |i, loaded: Loaded| {
            let f = &set[i];
            replay.next_file(&super::file_name(dir, f), false);
            match &loaded {
                Err(e) => {
                    if reported.contains_key(f) {
                        emit(Err(e.clone()));
                    }
                }
                Ok(((text, utf8), m)) => {
                    let mut diags = match m {
                        Some(m) => orm_set::check(text, dialect, &m.facts, settings, &mut replay),
                        None => Vec::new(),
                    };
                    crate::check::orm::every_table(&mut diags);
                    if let Some(disp) = reported.get(f) {
                        diags.extend(utf8.clone());
                        emit(Ok(OUT.finish(
                            disp,
                            text.clone(),
                            diags,
                            Vec::new(),
                            settings,
                        )));
                    }
                }
            }
        });
    }
}

/// `--explain-order` for a directory of Knex, TypeORM or Sequelize migrations; `None` when
/// `dir` holds none.
pub fn explain(dir: &Path, settings: &Settings) -> Option<String> {
    let files = sets::set_files(dir);
    let display = |p: &Path| p.to_string_lossy().to_string();
    let loaded: Vec<Loaded> = orm_set::load_all(&files, &display, crate::js::read);
    let framework = loaded.iter().find_map(|l| {
        l.as_ref()
            .ok()
            .and_then(|(_, m)| m.as_ref())
            .map(|m| m.framework)
    })?;
    let mut listing = Listing::new(format!(
        "{}: {} (migrations/*.js|ts, ordered by file name)",
        crate::migrations::normalize(dir),
        framework.name()
    ));
    let mut replay = Replay::new(settings.check_down);
    let dialect = dialect_of(dir, settings);
    for (i, f) in files.iter().enumerate() {
        let name = super::file_name(dir, f);
        replay.next_file(&name, false);
        match &loaded[i] {
            Err(e) => listing.error(e),
            Ok((_, None)) => listing.not_a_migration(&name),
            Ok(((text, _), Some(m))) => {
                let (ups, downs) = orm_set::up_down(&m.facts);
                listing.migration(&name, &format!("  [{ups} up, {downs} down]"));
                listing.not_understood(&name, text, &m.facts);
                orm_set::check(text, dialect, &m.facts, settings, &mut replay);
            }
        }
    }
    Some(listing.render(&replay.schema))
}
