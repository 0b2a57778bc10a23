//! [`crate::run::run`] without holding the outcome: each checked file is mapped (e.g.
//! rendered) on the worker that checked it, and handed to the caller in path order as soon
//! as every file before it is done. Files that could not be read are returned at the end.

use crate::discover::Discovered;
use crate::run::{FileError, FileOutcome, Settings, check_text};
use rayon::prelude::*;
use std::collections::{BTreeMap, HashMap};
use std::sync::mpsc;

type Message<T> = (String, Result<T, FileError>);

/// How many standalone files one message to the writer carries at most.
const BATCH: usize = 16;

/// Check `files` like [`crate::run::run`]; `map` turns each file's outcome (its findings
/// sorted as in [`crate::run::Outcome::sort`]) into what `emit` receives, in path order.
/// Returns the files that could not be checked, in path order.
pub fn run_ordered<T: Send>(
    files: &[Discovered],
    settings: &Settings,
    map: impl Fn(FileOutcome) -> T + Sync,
    mut emit: impl FnMut(T),
) -> Vec<FileError> {
    let (tx, rx) = mpsc::channel::<Vec<Message<T>>>();
    let map = &map;
    let settings = &crate::run::with_run_files(files, settings);
    let mut errors = Vec::new();
    std::thread::scope(|scope| {
        scope.spawn(move || {
            // Django and Alembic sets are read and ordered by run::python
            let (py, rest): (Vec<&Discovered>, Vec<&Discovered>) = files
                .iter()
                .partition(|f| f.lang == crate::source::Lang::Python);
            let (js, rest): (Vec<&Discovered>, Vec<&Discovered>) = rest
                .into_iter()
                .partition(|f| f.lang == crate::source::Lang::Js);
            // Laravel sets by run::php
            let (php, rest): (Vec<&Discovered>, Vec<&Discovered>) = rest
                .into_iter()
                .partition(|f| f.lang == crate::source::Lang::Php);
            // Rails sets by run::ruby
            let (rb, rest): (Vec<&Discovered>, Vec<&Discovered>) = rest
                .into_iter()
                .partition(|f| f.lang == crate::source::Lang::Ruby);
            let rest: Vec<Discovered> = rest.into_iter().cloned().collect();
            let (standalone, sets) = crate::migrations::plan(&rest, &settings.migrations);
            let finish = |r: Result<FileOutcome, FileError>| -> Message<T> {
                match r {
                    Ok(f) => (f.path.clone(), Ok(map(sorted(f)))),
                    Err(e) => (e.file.clone(), Err(e)),
                }
            };
            let tx_sets = tx.clone();
            let tx_py = tx.clone();
            rayon::join(
                || {
                    sets.par_iter().for_each_with(tx_sets, |tx, s| {
                        for r in crate::run::sets::check_set(s, settings) {
                            let _ = tx.send(vec![finish(r)]);
                        }
                    });
                    // the outcomes of a front end's sets are mapped (rendered) in parallel:
                    // mapped one by one here, the thousands of a big set would be a serial
                    // tail after its in-order check; sent in their order as before
                    let send_all = |outcomes: Vec<Result<FileOutcome, FileError>>| {
                        let mapped: Vec<Message<T>> =
                            outcomes.into_par_iter().map(finish).collect();
                        let _ = tx_py.send(mapped);
                    };
                    send_all(crate::run::python::check_sets(&py, settings));
                    // Knex/TypeORM/Sequelize and Rails outcomes are mapped and written while
                    // their sets are still checked: each is mapped by a task of the pool
                    // (the set's in-order check does not wait for it)
                    rayon::scope(|scope| {
                        let finish = &finish;
                        let sink = |r: Result<FileOutcome, FileError>| {
                            let tx = tx_py.clone();
                            scope.spawn(move |_| {
                                let _ = tx.send(vec![finish(r)]);
                            });
                        };
                        crate::run::js::stream_sets(&js, settings, &sink);
                        crate::run::ruby::stream_sets(&rb, settings, &sink);
                    });
                    send_all(crate::run::php::check_sets(&php, settings));
                },
                || {
                    // a few files per message: a message per file wakes the writer (a
                    // futex call and a thread switch) thousands of times in a big run
                    standalone.par_chunks(BATCH).for_each_with(tx, |tx, chunk| {
                        let batch = chunk.iter().map(|f| {
                            let r = crate::run::read_file(&f.path)
                                .map_err(|e| FileError {
                                    file: f.display.clone(),
                                    message: format!("cannot read: {e}"),
                                })
                                .and_then(|bytes| {
                                    let facts = crate::check::FileFacts {
                                        down: f.down && !settings.check_down,
                                    };
                                    check_text(&f.display, bytes, f.lang, facts, settings)
                                });
                            finish(r)
                        });
                        let _ = tx.send(batch.collect());
                    })
                },
            );
        });
        // slot of each display path in output order (a path given twice gets two slots);
        // worked out here while the files are already being checked
        let mut order: Vec<&str> = files.iter().map(|f| f.display.as_str()).collect();
        order.sort_unstable();
        let mut slots: HashMap<&str, Vec<usize>> = HashMap::with_capacity(order.len());
        for (i, p) in order.iter().enumerate().rev() {
            slots.entry(p).or_default().push(i);
        }
        // results wait here until every file before them is done
        let mut ready: BTreeMap<usize, Option<T>> = BTreeMap::new();
        let mut stray: Vec<(String, T)> = Vec::new();
        let mut next = 0usize;
        for (path, r) in rx.into_iter().flatten() {
            let slot = slots.get_mut(path.as_str()).and_then(Vec::pop);
            let item = match r {
                Ok(t) => Some(t),
                Err(e) => {
                    errors.push(e);
                    None
                }
            };
            match slot {
                Some(i) => {
                    ready.insert(i, item);
                }
                // not a discovered path (a set file that is only replayed and could not
                // be read): an error, or an outcome written with the last files
                None => stray.extend(item.map(|t| (path, t))),
            }
            while let Some(item) = ready.remove(&next) {
                next += 1;
                if let Some(t) = item {
                    emit(t);
                }
            }
        }
        for item in ready.into_values().flatten() {
            emit(item);
        }
        stray.sort_by(|a, b| a.0.cmp(&b.0));
        for (_, t) in stray {
            emit(t);
        }
    });
    errors.sort_by(|a, b| a.file.cmp(&b.file));
    errors
}

/// One file's findings in output order, as [`crate::run::Outcome::sort`] leaves them.
fn sorted(f: FileOutcome) -> FileOutcome {
    let mut one = crate::run::Outcome::default();
    one.files.push(f);
    one.sort();
    one.files.pop().expect("the file pushed above")
}
