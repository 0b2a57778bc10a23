//! Migration sets: which files form a set (by convention or `migrations` in config) and in
//! what order ([`detect`]), and `--references`: old names of renamed columns still used in
//! application code ([`references`]). The replay itself runs in the pipeline
//! (`check::replay`, `run::sets`) against the schema model ([`crate::model::schema`]).

pub mod alembic_ini;
pub mod detect;
pub mod dialects;
pub mod js;
mod listing;
pub mod php;
pub mod prisma;
pub mod python;
pub mod references;
pub mod ruby;

use crate::discover::Discovered;
pub use crate::model::schema::{self, Ctx};
use crate::source::Lang;
pub use detect::{Convention, MigrationSet, SetFile, natural_cmp};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// One migration set to check: its files in order, and which of them are reported (the
/// others are replayed only, e.g. unchanged files under `--since`).
#[derive(Debug, Clone)]
pub struct PlannedSet {
    pub set: MigrationSet,
    /// Per file of `set.files`: the display path when reported.
    pub reported: Vec<Option<String>>,
}

/// Split discovered files into migration sets and standalone files.
pub fn plan<'a>(
    files: &'a [Discovered],
    globs: &[String],
) -> (Vec<&'a Discovered>, Vec<PlannedSet>) {
    let matcher = glob_matcher(globs);
    let mut cache: HashMap<PathBuf, Option<usize>> = HashMap::new();
    let mut sets: Vec<PlannedSet> = Vec::new();
    // per set: file path → position (a set can hold thousands of files)
    let mut positions: Vec<HashMap<PathBuf, usize>> = Vec::new();
    let mut standalone = Vec::new();
    for f in files {
        if f.lang != Lang::Sql {
            standalone.push(f);
            continue;
        }
        let mut found = None;
        let configured_dir = matcher.as_ref().and_then(|m| {
            f.path
                .ancestors()
                .skip(1)
                .find(|a| !a.as_os_str().is_empty() && m.is_match(normalize(a)))
                .map(Path::to_path_buf)
        });
        let dirs = match configured_dir {
            Some(d) => vec![(d, true)],
            None => detect::candidate_dirs(&f.path)
                .into_iter()
                .map(|d| (d, false))
                .collect(),
        };
        for (dir, is_configured) in dirs {
            let idx = *cache.entry(dir.clone()).or_insert_with(|| {
                let set = if is_configured {
                    Some(detect::configured(&dir))
                } else {
                    detect::detect(&dir)
                };
                set.map(|set| {
                    positions.push(
                        set.files
                            .iter()
                            .enumerate()
                            .map(|(i, f)| (f.path.clone(), i))
                            .collect(),
                    );
                    sets.push(PlannedSet {
                        reported: vec![None; set.files.len()],
                        set,
                    });
                    sets.len() - 1
                })
            });
            if let Some(i) = idx
                && let Some(&pos) = positions[i].get(&f.path)
            {
                sets[i].reported[pos] = Some(f.display.clone());
                // discovery knows down forms the set's naming convention does not
                // (`downgrades/`, extension scripts that go to a lower version)
                if f.down {
                    sets[i].set.files[pos].down = true;
                }
                found = Some(i);
                break;
            }
        }
        if found.is_none() {
            standalone.push(f);
        }
    }
    sets.retain(|s| s.reported.iter().any(Option::is_some));
    (standalone, sets)
}

pub(crate) fn normalize(p: &Path) -> String {
    let s = p.to_string_lossy().replace('\\', "/");
    s.strip_prefix("./")
        .unwrap_or(&s)
        .trim_end_matches('/')
        .to_string()
}

pub(crate) fn glob_matcher(globs: &[String]) -> Option<globset::GlobSet> {
    if globs.is_empty() {
        return None;
    }
    let mut b = globset::GlobSetBuilder::new();
    for g in globs {
        let g = g.trim_end_matches('/');
        for pat in [g.to_string(), format!("**/{g}")] {
            if let Ok(glob) = globset::GlobBuilder::new(&pat)
                .literal_separator(true)
                .build()
            {
                b.add(glob);
            }
        }
    }
    b.build().ok()
}
