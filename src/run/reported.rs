//! The files of a run grouped by directory (an ORM migration set): what a `BTreeMap` of
//! paths gave, without comparing whole paths component by component for every file — the
//! files of one directory are told apart by their names.

use crate::discover::Discovered;
use std::collections::{BTreeMap, HashMap};
use std::ffi::OsString;
use std::path::{Path, PathBuf};

/// The reported files of one directory: path → how it is shown, in path order, one entry
/// per path (the first path given, the last display: as `BTreeMap::insert` keeps them).
#[derive(Debug, Default)]
pub(crate) struct Reported {
    entries: Vec<(PathBuf, String)>,
    /// Each entry's file name, when every entry has one: the order is the names' (the
    /// parent is shared).
    names: Option<Vec<OsString>>,
}

impl Reported {
    fn new(entries: Vec<(PathBuf, String)>) -> Reported {
        let named: Option<Vec<(OsString, PathBuf, String)>> = entries
            .iter()
            .map(|(p, d)| Some((p.file_name()?.to_os_string(), p.clone(), d.clone())))
            .collect();
        let Some(mut named) = named else {
            let mut entries = entries;
            // stable: of equal paths the first given comes first
            entries.sort_by(|a, b| a.0.cmp(&b.0));
            return Reported {
                entries: dedup(entries, |a, b| a.0 == b.0),
                names: None,
            };
        };
        named.sort_by(|a, b| a.0.cmp(&b.0));
        let named = dedup(named, |a, b| a.0 == b.0);
        let mut names = Vec::with_capacity(named.len());
        let mut entries = Vec::with_capacity(named.len());
        for (n, p, d) in named {
            names.push(n);
            entries.push((p, d));
        }
        Reported {
            entries,
            names: Some(names),
        }
    }

    fn find(&self, path: &Path) -> Option<usize> {
        if let Some(names) = &self.names {
            // an entry equal to `path` has its name; an entry with that name but another
            // parent is not `path`
            let name = path.file_name()?;
            let i = names.binary_search_by(|n| n.as_os_str().cmp(name)).ok()?;
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

/// Equal neighbours (`same`) merged as `BTreeMap::insert` merges equal keys: the first
/// key, the last value (the display, the last field).
fn dedup<T>(v: Vec<T>, same: impl Fn(&T, &T) -> bool) -> Vec<T>
where
    T: LastValue,
{
    let mut out: Vec<T> = Vec::with_capacity(v.len());
    for x in v {
        match out.last_mut() {
            Some(last) if same(last, &x) => last.take_value(x),
            _ => out.push(x),
        }
    }
    out
}

trait LastValue {
    fn take_value(&mut self, other: Self);
}

impl LastValue for (PathBuf, String) {
    fn take_value(&mut self, other: Self) {
        self.1 = other.1;
    }
}

impl LastValue for (OsString, PathBuf, String) {
    fn take_value(&mut self, other: Self) {
        self.2 = other.2;
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
            plain: true,
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
            let theirs_v: Vec<(PathBuf, Vec<(PathBuf, String)>)> = theirs
                .clone()
                .into_iter()
                .map(|(d, r)| (d, r.into_iter().collect()))
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
