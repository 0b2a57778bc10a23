//! What every ORM migration set runner (Python, JS, PHP, Ruby) shares: the sets of a run
//! checked in parallel, a set's files read and taken apart ahead, one file's outcome
//! finished (suppressions, rule filters, folding) and the `--explain-order` listing.

use super::reported::Reported;
use crate::diagnostic::Diagnostic;
use crate::discover::Discovered;
use crate::model::schema::Schema;
use crate::orm::Facts;
use crate::outcome::{FileError, FileOutcome};
use crate::settings::Settings;
use crate::source::{Dialect, Lang};
use rayon::prelude::*;
use std::path::{Path, PathBuf};

/// A file's text and its UTF-8 finding.
pub(crate) type Text = (String, Option<Diagnostic>);

/// A set file read and taken apart by the front end (`R`), or why it cannot be checked.
pub(crate) type Loaded<R> = Result<(Text, R), FileError>;

/// How a set file is shown: its reported name, or its path.
pub(crate) type Display<'a> = &'a (dyn Fn(&Path) -> String + Sync);

/// Read, sniff and take apart one file.
pub(crate) fn load<R>(path: &Path, display: &str, read: impl FnOnce(&str) -> R) -> Loaded<R> {
    let bytes = std::fs::read(path).map_err(|e| FileError {
        file: display.to_string(),
        message: format!("cannot read: {e}"),
    })?;
    let text = crate::run::sniff(display, bytes)?;
    let r = read(&text.0);
    Ok((text, r))
}

/// [`load`] for every file of a set, in parallel.
pub(crate) fn load_all<R: Send>(
    files: &[PathBuf],
    display: Display,
    read: impl Fn(&str) -> R + Sync,
) -> Vec<Loaded<R>> {
    files
        .par_iter()
        .map(|f| load(f, &display(f), &read))
        .collect()
}

/// [`load`] for every file of a set, handed to `each` in order on the calling thread while
/// later files are still read: the other threads read files ahead, and the calling thread
/// reads the next unread file itself whenever the one it needs is not there yet (so the
/// in-order checking of a big set overlaps its reading instead of following it). A file
/// is claimed by exactly one reader, and a reader never waits, so the caller only waits for
/// a file being read.
pub(crate) fn load_each<R: Send>(
    files: &[PathBuf],
    display: Display,
    read: impl Fn(&str) -> R + Sync,
    mut each: impl FnMut(usize, Loaded<R>),
) {
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::{Condvar, Mutex};
    let n = files.len();
    let next = AtomicUsize::new(0);
    let slots: Vec<Mutex<Option<Loaded<R>>>> = (0..n).map(|_| Mutex::new(None)).collect();
    // `true` in the mutex while the caller waits: a reader wakes it only then (a wake per
    // file would be a futex call per file)
    let done = (Mutex::new(false), Condvar::new());
    let lock = |i: usize| slots[i].lock().unwrap_or_else(|e| e.into_inner());
    // read the next unclaimed file; false when every file is claimed
    let read_one = || {
        let i = next.fetch_add(1, Ordering::Relaxed);
        if i >= n {
            return false;
        }
        let l = load(&files[i], &display(&files[i]), &read);
        *lock(i) = Some(l);
        // the caller sets the flag and looks at the slot under this mutex, so either it saw
        // the file or it is waiting (flag set) by the time this lock is taken
        let waiting = done.0.lock().unwrap_or_else(|e| e.into_inner());
        if *waiting {
            done.1.notify_all();
        }
        true
    };
    rayon::in_place_scope(|s| {
        for _ in 1..rayon::current_num_threads().min(n) {
            s.spawn(|_| while read_one() {});
        }
        for i in 0..n {
            let l = loop {
                if let Some(l) = lock(i).take() {
                    break l;
                }
                if read_one() {
                    continue;
                }
                // every file is claimed: file `i` is being read
                let mut g = done.0.lock().unwrap_or_else(|e| e.into_inner());
                if lock(i).is_none() {
                    *g = true;
                    g = done.1.wait(g).unwrap_or_else(|e| e.into_inner());
                }
                *g = false;
            };
            each(i, l);
        }
    });
}

/// Run `set` on each set (directory) of `files` in parallel: the directory, the reported
/// files in it (path → how it is shown) and how any of its files is shown.
pub(crate) fn each_set<'a>(
    files: impl Iterator<Item = &'a Discovered>,
    set: impl Fn(&Path, &Reported, Display) -> Vec<Result<FileOutcome, FileError>> + Sync,
) -> Vec<Result<FileOutcome, FileError>> {
    let by_dir = super::reported::by_dir(files);
    by_dir
        .par_iter()
        .flat_map_iter(|(dir, reported)| {
            let display = |p: &Path| {
                reported
                    .get(p)
                    .cloned()
                    .unwrap_or_else(|| p.to_string_lossy().to_string())
            };
            set(dir, reported, &display)
        })
        .collect()
}

/// Where a set's check hands each reported file's outcome, as soon as it is known.
pub(crate) type Emit<'e> = &'e mut dyn FnMut(Result<FileOutcome, FileError>);

/// [`each_set`] for a set check that emits its outcomes: collected per set in emitted order
/// (`sink` `None`), or handed to `sink` as they come (then the result is empty).
pub(crate) fn each_set_emit<'a>(
    files: impl Iterator<Item = &'a Discovered>,
    set: impl Fn(&Path, &Reported, Display, Emit) + Sync,
    sink: Option<super::Sink>,
) -> Vec<Result<FileOutcome, FileError>> {
    match sink {
        None => each_set(files, |dir, reported, display| {
            let mut out = Vec::new();
            set(dir, reported, display, &mut |r| out.push(r));
            out
        }),
        Some(sink) => {
            let by_dir = super::reported::by_dir(files);
            by_dir.par_iter().for_each(|(dir, reported)| {
                let display = |p: &Path| {
                    reported
                        .get(p)
                        .cloned()
                        .unwrap_or_else(|| p.to_string_lossy().to_string())
                };
                set(dir, reported, &display, &mut |r| sink(r));
            });
            Vec::new()
        }
    }
}

/// A set's dialect: `--dialect` / config, unless a directory on its path says `sqlite` or
/// one of `mysql` (projects keep one migrations folder per database).
pub(crate) fn dialect_in_path(dir: &Path, mysql: &[&str], settings: &Settings) -> Dialect {
    for c in dir.components() {
        match c.as_os_str().to_str() {
            Some("sqlite") => return Dialect::Sqlite,
            Some(d) if mysql.contains(&d) => return Dialect::Mysql,
            _ => {}
        }
    }
    settings.dialect
}

/// How a framework's files come out: their language, and whether findings are folded
/// (one finding per problem).
pub(crate) struct Output {
    pub lang: Lang,
    pub fold: bool,
}

impl Output {
    /// Suppressions (`acknowledged`: findings the code itself acknowledges) and rule
    /// filters, as for every other file.
    pub fn finish(
        &self,
        path: &str,
        text: String,
        diagnostics: Vec<Diagnostic>,
        acknowledged: Vec<Diagnostic>,
        settings: &Settings,
    ) -> FileOutcome {
        let applied = crate::suppress::apply(&text, self.lang, settings.dialect, diagnostics);
        let mut diagnostics = applied.kept;
        let mut suppressed = applied.suppressed;
        suppressed.extend(acknowledged);
        settings.filter.apply_for(path, &mut diagnostics);
        settings.filter.apply_for(path, &mut suppressed);
        if self.fold {
            crate::fold::fold(&mut diagnostics);
        }
        let text = if diagnostics.is_empty() && suppressed.is_empty() && !settings.keep_text {
            String::new()
        } else {
            text
        };
        FileOutcome {
            path: path.to_string(),
            text,
            lang: self.lang,
            diagnostics,
            suppressed,
            statements: Vec::new(),
            not_parsed: 0,
        }
    }

    /// A reported set file's outcome: its findings (`diagnostics`) with the UTF-8 one, or
    /// why it could not be read.
    pub fn reported<R>(
        &self,
        display: &str,
        loaded: &Loaded<R>,
        mut diagnostics: Vec<Diagnostic>,
        settings: &Settings,
    ) -> Result<FileOutcome, FileError> {
        let ((text, utf8), _) = loaded.as_ref().map_err(Clone::clone)?;
        diagnostics.extend(utf8.clone());
        Ok(self.finish(display, text.clone(), diagnostics, Vec::new(), settings))
    }

    /// The reported files the set listing missed (an unusual name), each checked alone by
    /// `check(display, text)`.
    pub fn missed(
        &self,
        listed: &[PathBuf],
        reported: &Reported,
        settings: &Settings,
        check: impl Fn(&str, &str) -> Vec<Diagnostic>,
    ) -> Vec<Result<FileOutcome, FileError>> {
        // by hash: a set can hold thousands of files
        let listed: std::collections::HashSet<&PathBuf> = listed.iter().collect();
        reported
            .iter()
            .filter(|(path, _)| !listed.contains(path))
            .map(|(path, disp)| {
                self.alone(path, disp, settings, |text| (check(disp, text), Vec::new()))
            })
            .collect()
    }

    /// One file checked on its own (outside a set): `check` gives its findings and those
    /// the code acknowledges.
    pub fn alone(
        &self,
        path: &Path,
        display: &str,
        settings: &Settings,
        check: impl FnOnce(&str) -> (Vec<Diagnostic>, Vec<Diagnostic>),
    ) -> Result<FileOutcome, FileError> {
        let ((text, utf8), (mut kept, acked)) = load(path, display, check)?;
        kept.extend(utf8);
        Ok(self.finish(display, text, kept, acked, settings))
    }
}

/// One migration's facts checked against the set's replay (the SQL and migration rules).
pub(crate) fn check(
    text: &str,
    dialect: Dialect,
    facts: &Facts,
    settings: &Settings,
    replay: &mut crate::check::replay::Replay,
) -> Vec<Diagnostic> {
    crate::check::orm::check(text, dialect, facts, false, settings.check_down, replay)
}

/// A migration's operations: (up, down).
pub(crate) fn up_down(facts: &Facts) -> (usize, usize) {
    let ups = facts.facts.iter().filter(|f| !f.down).count();
    (ups, facts.facts.len() - ups)
}

/// The `--explain-order` listing of one set: a line per file, then the replayed schema and
/// what the model could not follow.
pub(crate) struct Listing {
    pub lines: Vec<String>,
    n: usize,
    not_understood: Vec<String>,
}

impl Listing {
    pub fn new(header: String) -> Listing {
        Listing {
            lines: vec![header],
            n: 0,
            not_understood: Vec::new(),
        }
    }

    pub fn error(&mut self, e: &FileError) {
        self.lines.push(format!("  error: {}", e.message));
    }

    pub fn not_a_migration(&mut self, name: &str) {
        self.lines
            .push(format!("        {name}  (not a migration: skipped)"));
    }

    /// The next migration in order, numbered.
    pub fn migration(&mut self, name: &str, detail: &str) {
        self.n += 1;
        let n = self.n;
        self.lines.push(format!("  {n:>4}  {name}{detail}"));
    }

    /// What `facts` could not follow, at its line in `text`.
    pub fn not_understood(&mut self, name: &str, text: &str, facts: &Facts) {
        if facts.not_understood.is_empty() {
            return;
        }
        let index = crate::source::LineIndex::new(text);
        for (span, what) in &facts.not_understood {
            self.not_understood.push(format!(
                "{name}:{} {what}",
                index.position(text, span.start).line
            ));
        }
    }

    pub fn render(self, schema: &Schema) -> String {
        let mut s = String::new();
        for l in self.lines {
            s.push_str(&l);
            s.push('\n');
        }
        s.push_str(&format!(
            "schema after replay: {} tables, {} views, {} indexes\n",
            schema.tables.len(),
            schema.views.len(),
            schema.indexes.len()
        ));
        for w in self.not_understood {
            s.push_str(&format!("  not understood (model unchanged): {w}\n"));
        }
        s
    }
}
