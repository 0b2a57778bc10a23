//! The files of a run grouped by directory (an ORM migration set): what a `BTreeMap` of
//! paths gave, without comparing whole paths component by component for every file — the
//! files of one directory are told apart by their names.

use crate::discover::Discovered;
use std::cmp::Ordering;
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

/// The reported files of one directory: path → how it is shown, in path order, one entry
/// per path (the first path given, the last display: as `BTreeMap::insert` keeps them).
#[derive(Debug, Default)]
pub(crate) struct Reported {
    entries: Vec<(PathBuf, String)>,
    /// Every entry has a file name: the order is the names' (the parent is shared).
    by_name: bool,
}

impl Reported {
    fn cmp_paths(&self, a: &Path, b: &Path) -> Ordering {
        match (self.by_name, a.file_name(), b.file_name()) {
            (true, Some(x), Some(y)) => x.cmp(y),
            _ => a.cmp(b),
        }
    }

    fn new(mut entries: Vec<(PathBuf, String)>) -> Reported {
        let by_name = entries.iter().all(|(p, _)| p.file_name().is_some());
        let mut r = Reported {
            entries: Vec::new(),
            by_name,
        };
        // stable: of equal paths the first given comes first
        entries.sort_by(|a, b| r.cmp_paths(&a.0, &b.0));
        let mut out: Vec<(PathBuf, String)> = Vec::with_capacity(entries.len());
        for (p, d) in entries {
            match out.last_mut() {
                Some(last) if r.cmp_paths(&last.0, &p) == Ordering::Equal => last.1 = d,
                _ => out.push((p, d)),
            }
        }
        r.entries = out;
        r
    }

    fn find(&self, path: &Path) -> Option<usize> {
        if self.by_name {
            // an entry equal to `path` has its name; an entry with that name but another
            // parent is not `path`
            let name = path.file_name()?;
            let i = self
                .entries
                .binary_search_by(|(p, _)| p.file_name().map_or(Ordering::Less, |n| n.cmp(name)))
                .ok()?;
            (self.entries[i].0 == path).then_some(i)
        } else {
            self.entries
                .binary_search_by(|(p, _)| p.as_path().cmp(path))
                .ok()
        }
    }

    pub fn get(&self, path: &Path) -> Option<&String> {
        self.find(path).map(|i| &self.entries[i].1)
    }

    pub fn contains_key(&self, path: &Path) -> bool {
        self.find(path).is_some()
    }

    pub fn iter(&self) -> impl Iterator<Item = (&PathBuf, &String)> {
        self.entries.iter().map(|(p, d)| (p, d))
    }

    pub fn keys(&self) -> impl Iterator<Item = &PathBuf> {
        self.entries.iter().map(|(p, _)| p)
    }
}

/// `files` by directory (the path's parent), in path order.
pub(crate) fn by_dir<'a>(
    files: impl Iterator<Item = &'a Discovered>,
) -> BTreeMap<PathBuf, Reported> {
    let mut groups: Vec<(PathBuf, Vec<(PathBuf, String)>)> = Vec::new();
    let mut index: HashMap<PathBuf, usize> = HashMap::new();
    for f in files {
        let dir = f.path.parent().unwrap_or(Path::new(""));
        // files come sorted: most often the directory of the file before
        let i = match groups.last() {
            Some((d, _)) if d.as_path() == dir => groups.len() - 1,
            _ => *index.entry(dir.to_path_buf()).or_insert_with(|| {
                groups.push((dir.to_path_buf(), Vec::new()));
                groups.len() - 1
            }),
        };
        groups[i].1.push((f.path.clone(), f.display.clone()));
    }
    groups
        .into_iter()
        .map(|(d, v)| (d, Reported::new(v)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::Lang;

    fn file(p: &str) -> Discovered {
        Discovered {
            path: PathBuf::from(p),
            display: format!("shown {p}"),
            lang: Lang::Ruby,
            down: false,
            skipped: None,
            explicit: false,
        }
    }

    /// What the `BTreeMap`s gave.
    fn reference(files: &[Discovered]) -> BTreeMap<PathBuf, BTreeMap<PathBuf, String>> {
        let mut m: BTreeMap<PathBuf, BTreeMap<PathBuf, String>> = BTreeMap::new();
        for f in files {
            let dir = f.path.parent().map_or_else(PathBuf::new, Path::to_path_buf);
            m.entry(dir)
                .or_default()
                .insert(f.path.clone(), f.display.clone());
        }
        m
    }

    #[test]
    fn the_same_as_path_maps() {
        let paths = [
            "db/migrate/2_b.rb",
            "db/migrate/10_a.rb",
            "db//migrate/2_b.rb",
            "./db/migrate/3.rb",
            "db/migrate/./3.rb",
            "x.rb",
            "/abs/db/migrate/1.rb",
            "db/migrate/1.rb",
            "db/migrate/1.rb",
            "db/migrate/B.rb",
            "db/migrate/a.rb",
            "other/1.rb",
            "db/migrate/sub/1.rb",
            "db/migrate/..",
        ];
        let mut files: Vec<Discovered> = paths.iter().map(|p| file(p)).collect();
        files[8].display = "second display".into();
        for rot in 0..files.len() {
            files.rotate_left(1);
            let ours = by_dir(files.iter());
            let theirs = reference(&files);
            let ours_v: Vec<_> = ours
                .iter()
                .map(|(d, r)| {
                    (
                        d.clone(),
                        r.iter()
                            .map(|(p, s)| (p.clone(), s.clone()))
                            .collect::<Vec<_>>(),
                    )
                })
                .collect();
            let theirs_v: Vec<_> = theirs
                .iter()
                .map(|(d, r)| {
                    (
                        d.clone(),
                        r.iter()
                            .map(|(p, s)| (p.clone(), s.clone()))
                            .collect::<Vec<_>>(),
                    )
                })
                .collect();
            assert_eq!(ours_v, theirs_v, "rotation {rot}");
            for (d, r) in &theirs {
                let o = &ours[d];
                for q in paths
                    .iter()
                    .chain(["db/migrate/9.rb", "q/1.rb", "", "db/migrate"].iter())
                {
                    let q = Path::new(q);
                    assert_eq!(o.get(q), r.get(q), "{d:?} {q:?}");
                    assert_eq!(o.contains_key(q), r.contains_key(q));
                }
            }
        }
    }
}
