//! PHP migration sets in the pipeline (Laravel `database/migrations/`): files read and taken
//! apart in parallel, then checked in file-name order against one replayed schema (seeded
//! from Laravel's schema dump when there is one); and their `--explain-order`.

use super::orm_set::{self, Listing, Output};
use crate::check::replay::Replay;
use crate::diagnostic::Diagnostic;
use crate::discover::Discovered;
use crate::migrations::php as sets;
use crate::orm::{Effect, Fact, Facts, Template};
use crate::outcome::{FileError, FileOutcome};
use crate::php::laravel;
use crate::settings::Settings;
use crate::source::{Dialect, Lang, Span};
use std::path::{Path, PathBuf};

type Loaded = orm_set::Loaded<Option<Facts>>;

/// Findings folded: one per problem (`Schema::dropIfExists` then `Schema::create`: one).
const OUT: Output = Output {
    lang: Lang::Php,
    fold: true,
};

struct Planned {
    files: Vec<PathBuf>,
    loaded: Vec<Loaded>,
    /// Schema dumps: (name shown, text, dialect by name).
    dumps: Vec<(String, String, Option<Dialect>)>,
}

fn plan_set(dir: &Path, display: orm_set::Display) -> Planned {
    let files = sets::set_files(dir);
    let loaded: Vec<Loaded> = orm_set::load_all(&files, display, laravel::read);
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
        let mut diags = orm_set::check(text, dialect, facts, settings, &mut replay);
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
    orm_set::each_set(files.iter().copied(), |dir, reported, display| {
        let planned = plan_set(dir, display);
        // a reported file the set listing missed (an unusual name): checked alone
        let mut out = OUT.missed(&planned.files, reported, settings, |_, text| {
            check_alone(text, settings.dialect, settings.check_down)
        });
        let mut found: Vec<Option<Vec<Diagnostic>>> = vec![None; planned.files.len()];
        replay_set(dir, &planned, settings, |i, d| found[i] = Some(d));
        for (i, f) in planned.files.iter().enumerate() {
            let Some(disp) = reported.get(f) else {
                continue;
            };
            let diags = found[i].take().unwrap_or_default();
            out.push(OUT.reported(disp, &planned.loaded[i], diags, settings));
        }
        out
    })
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

/// `--explain-order` for a Laravel `database/migrations` directory; `None` when `dir` holds
/// no Laravel migrations.
pub fn explain(dir: &Path, settings: &Settings) -> Option<String> {
    let display = |p: &Path| p.to_string_lossy().to_string();
    let planned = plan_set(dir, &display);
    if !planned.loaded.iter().any(|l| matches!(l, Ok((_, Some(_))))) {
        return None;
    }
    let mut listing = Listing::new(format!(
        "{}: Laravel (database/migrations/YYYY_MM_DD_HHMMSS_name.php, ordered by file name)",
        crate::migrations::normalize(dir)
    ));
    for (name, _, _) in &planned.dumps {
        listing.lines.push(format!("  seed  {name}  (schema dump)"));
    }
    for (i, f) in planned.files.iter().enumerate() {
        let name = super::file_name(dir, f);
        match &planned.loaded[i] {
            Ok((_, None)) => listing.not_a_migration(&name),
            Ok(((text, _), Some(facts))) => {
                let (ups, downs) = orm_set::up_down(facts);
                listing.migration(&name, &format!("  [{ups} up, {downs} down]"));
                listing.not_understood(&name, text, facts);
            }
            Err(e) => listing.error(e),
        }
    }
    let replay = replay_set(dir, &planned, settings, |_, _| {});
    Some(listing.render(&replay.schema))
}
