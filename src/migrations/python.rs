//! Migration sets written in Python: a Django app's `migrations/` directory
//! (`NNNN_name.py`, ordered by `dependencies`, falling back to the number) and an Alembic
//! `versions/` directory (next to `env.py`; ordered by the `revision` / `down_revision`
//! chain). Which files belong to a set, and in what order they run.

use crate::python::{alembic, django};
use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Framework {
    Django,
    Alembic,
}

impl Framework {
    pub fn name(self) -> &'static str {
        match self {
            Framework::Django => "Django (migrations/NNNN_name.py, ordered by dependencies)",
            Framework::Alembic => "Alembic (versions/*.py, ordered by the down_revision chain)",
        }
    }
}

/// Is `path` a Python migration by where it sits: `…/migrations/NNNN_name.py`, or a `.py`
/// file under a `versions/` directory whose parent holds Alembic's `env.py`.
pub fn is_python_migration(path: &Path) -> bool {
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or_default();
    if !name.ends_with(".py") || name == "__init__.py" {
        return false;
    }
    let parent = path.parent();
    if parent
        .and_then(Path::file_name)
        .is_some_and(|p| p == "migrations")
        && name.starts_with(|c: char| c.is_ascii_digit())
    {
        return true;
    }
    alembic_versions_dir(path).is_some()
        || parent.is_some_and(super::alembic_ini::names_versions_dir)
}

/// The `versions/` directory above `path` (at most two levels up) next to an `env.py`.
fn alembic_versions_dir(path: &Path) -> Option<PathBuf> {
    path.ancestors().skip(1).take(3).find_map(|a| {
        (a.file_name().is_some_and(|n| n == "versions")
            && a.parent().is_some_and(|p| p.join("env.py").is_file()))
        .then(|| a.to_path_buf())
    })
}

/// The app label of a Django migrations directory (its parent's name).
pub fn app_label(dir: &Path) -> String {
    dir.parent()
        .and_then(Path::file_name)
        .map_or_else(|| "app".to_string(), |n| n.to_string_lossy().to_string())
}

/// The Python migration files of the set directory `dir`, by name.
pub fn set_files(dir: &Path) -> Vec<PathBuf> {
    super::listing::natural(dir, is_python_migration)
}

/// A set file read by the front end.
pub enum Read {
    Django(django::Raw),
    Alembic(alembic::Revision),
    /// Not a migration (a helper module beside them): nothing to replay.
    Other,
}

/// Take a file apart as a Django migration or an Alembic revision.
/// Files that cannot be either (no `class Migration`, no `revision` and `def upgrade` in the
/// text) are not parsed; the others are parsed once.
pub fn read(text: &str) -> Read {
    let (dj, al) = (django::may_be(text), alembic::may_be(text));
    if !dj && !al {
        return Read::Other;
    }
    // the fast path answers for most migrations without a tree-sitter parse
    if let Some(f) = crate::python::fast::read(text) {
        if dj && let Some(raw) = f.django {
            return Read::Django(raw);
        }
        if al && let Some(rev) = alembic::walk(f.alembic, text) {
            return Read::Alembic(rev);
        }
        return Read::Other;
    }
    let Some(tree) = crate::python::value::parse(text) else {
        return Read::Other;
    };
    let root = tree.root_node();
    if let Some(raw) = dj.then(|| django::read_tree(root, text)).flatten() {
        Read::Django(raw)
    } else if let Some(rev) = al.then(|| alembic::read_tree(root, text)).flatten() {
        Read::Alembic(rev)
    } else {
        Read::Other
    }
}

fn stem(p: &Path) -> String {
    p.file_stem()
        .map_or_else(String::new, |s| s.to_string_lossy().to_string())
}

/// Kahn's algorithm, ties broken by file order; what is left (a cycle, a missing parent)
/// follows in file order.
fn topo(n: usize, parents: &[Vec<usize>]) -> Vec<usize> {
    let mut indeg: Vec<usize> = parents.iter().map(Vec::len).collect();
    let mut children: Vec<Vec<usize>> = vec![Vec::new(); n];
    for (i, ps) in parents.iter().enumerate() {
        for &p in ps {
            children[p].push(i);
        }
    }
    let mut ready: BTreeSet<usize> = (0..n).filter(|&i| indeg[i] == 0).collect();
    let mut out = Vec::with_capacity(n);
    let mut done = vec![false; n];
    while let Some(i) = ready.pop_first() {
        out.push(i);
        done[i] = true;
        for &c in &children[i] {
            indeg[c] -= 1;
            if indeg[c] == 0 {
                ready.insert(c);
            }
        }
    }
    out.extend((0..n).filter(|&i| !done[i]));
    out
}

/// The order the files of a set run in (indexes into `files`), and the files that are not
/// replayed with why (a squashed migration whose originals are present).
pub fn order(files: &[PathBuf], read: &[Read], app: &str) -> (Vec<usize>, Vec<(usize, String)>) {
    let n = files.len();
    let mut parents: Vec<Vec<usize>> = vec![Vec::new(); n];
    let mut skipped = Vec::new();
    let by_stem: HashMap<String, usize> = files
        .iter()
        .enumerate()
        .map(|(i, f)| (stem(f), i))
        .collect();
    let by_rev: HashMap<&str, usize> = read
        .iter()
        .enumerate()
        .filter_map(|(i, r)| match r {
            Read::Alembic(a) => Some((a.revision.as_str(), i)),
            _ => None,
        })
        .collect();
    for (i, r) in read.iter().enumerate() {
        match r {
            Read::Django(raw) => {
                for (a, m) in &raw.dependencies {
                    if a == app
                        && let Some(&p) = by_stem.get(m)
                        && p != i
                    {
                        parents[i].push(p);
                    }
                }
                let present: Vec<&String> = raw
                    .replaces
                    .iter()
                    .filter(|(a, m)| a == app && by_stem.contains_key(m))
                    .map(|(_, m)| m)
                    .collect();
                if !present.is_empty() {
                    skipped.push((
                        i,
                        format!(
                            "squashes {} migrations present here (replayed instead)",
                            present.len()
                        ),
                    ));
                }
            }
            Read::Alembic(rev) => {
                for d in &rev.down_revisions {
                    if let Some(&p) = by_rev.get(d.as_str())
                        && p != i
                    {
                        parents[i].push(p);
                    }
                }
            }
            Read::Other => {}
        }
    }
    (topo(n, &parents), skipped)
}
