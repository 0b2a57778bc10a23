//! Python migration sets in the pipeline (Django apps, Alembic version directories): files
//! read and taken apart in parallel, ordered by their dependencies, then checked in order
//! against one replayed schema; and their `--explain-order`.

use super::orm_set::{self, Listing, Output};
use crate::check::replay::Replay;
use crate::diagnostic::Diagnostic;
use crate::discover::Discovered;
use crate::migrations::python::{self as sets, Framework, Read};
use crate::outcome::{FileError, FileOutcome};
use crate::python::{Facts, alembic, django};
use crate::settings::Settings;
use crate::source::{Dialect, Lang};
use std::path::{Path, PathBuf};

/// A set's dialect: `--dialect` / config, unless the directory says `sqlite` or `mysql`
/// (Alembic projects keep one versions directory per database).
fn dialect_of(dir: &Path, settings: &Settings) -> Dialect {
    orm_set::dialect_in_path(dir, &["mysql"], settings)
}

const OUT: Output = Output {
    lang: Lang::Python,
    fold: true,
};

type Loaded = orm_set::Loaded<Read>;

/// One set, read and ordered: files, what each is, the order, files not replayed.
struct Planned {
    dir: PathBuf,
    files: Vec<PathBuf>,
    loaded: Vec<Loaded>,
    order: Vec<usize>,
    skipped: Vec<(usize, String)>,
    framework: Option<Framework>,
}

fn plan_set(dir: &Path, display: orm_set::Display) -> Planned {
    let files = sets::set_files(dir);
    let loaded: Vec<Loaded> = orm_set::load_all(&files, display, sets::read);
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

/// A migration's facts (a Django migration's translated against the app's state so far).
fn facts_of(read: &Read, text: &str, state: &mut django::State) -> Facts {
    match read {
        Read::Django(raw) => django::translate(raw, text, state),
        Read::Alembic(rev) => rev.facts.clone(),
        Read::Other => Facts::default(),
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
        let facts = facts_of(read, text, &mut state);
        let skip = p.skipped.iter().any(|(s, _)| *s == i);
        let squashed = matches!(read, Read::Django(raw) if !raw.replaces.is_empty());
        let diags = if skip {
            Vec::new()
        } else if squashed {
            crate::check::orm::replay_only(text, dialect, &facts, &mut replay);
            Vec::new()
        } else {
            orm_set::check(text, dialect, &facts, settings, &mut replay)
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
    orm_set::each_set(files.iter().copied(), |dir, reported, display| {
        let mut planned = plan_set(dir, display);
        // a reported file the set listing missed (an unusual name): checked alone
        let mut out = OUT.missed(&planned.files, reported, settings, |disp, text| {
            crate::check::orm::check_alone(disp, text, settings.dialect, settings.check_down)
        });
        let mut found: Vec<Option<(Vec<Diagnostic>, Vec<crate::sql::Statement>)>> =
            vec![None; planned.files.len()];
        replay_set(&mut planned, settings, |i, _, d, s| found[i] = Some((d, s)));
        for (i, f) in planned.files.iter().enumerate() {
            let Some(disp) = reported.get(f) else {
                continue;
            };
            let (diags, stmts) = found[i].take().unwrap_or_default();
            out.push(
                OUT.reported(disp, &planned.loaded[i], diags, settings)
                    .map(|o| FileOutcome {
                        statements: stmts,
                        ..o
                    }),
            );
        }
        out
    })
}

/// `--explain-order` for a Django `migrations/` or Alembic `versions/` directory; `None`
/// when `dir` holds no Python migrations.
pub fn explain(dir: &Path, settings: &Settings) -> Option<String> {
    let display = |p: &Path| p.to_string_lossy().to_string();
    let mut planned = plan_set(dir, &display);
    let framework = planned.framework?;
    let mut listing = Listing::new(format!(
        "{}: {}",
        crate::migrations::normalize(dir),
        framework.name()
    ));
    if framework == Framework::Django {
        listing
            .lines
            .push(format!("  app label: {}", sets::app_label(dir)));
    }
    let first = listing.lines.len();
    for &i in &planned.order {
        let name = super::file_name(dir, &planned.files[i]);
        match &planned.loaded[i] {
            Ok((_, Read::Other)) => listing.not_a_migration(&name),
            Ok((_, read)) => {
                if let Some((_, why)) = planned.skipped.iter().find(|(s, _)| *s == i) {
                    listing
                        .lines
                        .push(format!("        {name}  ({why}: not replayed)"));
                    continue;
                }
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
                listing.migration(&name, &detail);
            }
            Err(e) => listing.error(e),
        }
    }
    let names: Vec<String> = planned
        .files
        .iter()
        .map(|f| super::file_name(dir, f))
        .collect();
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
        let facts = facts_of(read, text, &mut state);
        listing.not_understood(&names[i], text, &facts);
        let (ups, downs) = orm_set::up_down(&facts);
        if downs > 0
            && let Some(l) = listing.lines[first..]
                .iter_mut()
                .find(|l| l.ends_with(&names[i]) || l.contains(&format!("{} ", names[i])))
        {
            l.push_str(&format!("  [{ups} up, {downs} down]"));
        }
        orm_set::check(text, dialect, &facts, settings, &mut replay);
    }
    planned.loaded.clear();
    Some(listing.render(&replay.schema))
}
