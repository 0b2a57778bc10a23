//! Alembic's `alembic.ini`: the versions directories it names (`version_locations`, or
//! `<script_location>/versions`), so revisions outside a `versions/` directory beside
//! `env.py` are found too. Every `[section]` counts (multi-database setups keep one section
//! per database); `%(here)s` is the ini file's directory, relative paths are taken from it,
//! and `package:path` script locations are looked up as directories from it and its parents.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};

/// How far above a file an `alembic.ini` is looked for.
const UP: usize = 6;

/// The versions directories an `alembic.ini` in `dir` names (none without one).
pub fn version_dirs(ini_dir: &Path) -> Vec<PathBuf> {
    let Ok(text) = std::fs::read_to_string(ini_dir.join("alembic.ini")) else {
        return Vec::new();
    };
    // `%(here)s` is absolute: relative locations are not joined twice
    let ini_dir = &ini_dir
        .canonicalize()
        .unwrap_or_else(|_| ini_dir.to_path_buf());
    let mut out = Vec::new();
    for line in text.lines() {
        let line = line.trim();
        let Some((key, value)) = line.split_once('=') else {
            continue;
        };
        let value = value.trim().replace("%(here)s", &ini_dir.to_string_lossy());
        match key.trim() {
            "version_locations" => {
                for loc in value
                    .split(|c: char| c.is_whitespace() || c == ',' || c == ';')
                    .filter(|s| !s.is_empty())
                {
                    out.extend(resolve(ini_dir, loc));
                }
            }
            "script_location" => {
                out.extend(resolve(ini_dir, &value).map(|d| d.join("versions")));
            }
            _ => {}
        }
    }
    out.retain(|d| d.is_dir());
    out.sort();
    out.dedup();
    out
}

/// A location as a directory: a path (absolute, or from the ini's directory), or
/// `package:path` looked up from the ini's directory and its parents.
fn resolve(ini_dir: &Path, loc: &str) -> Option<PathBuf> {
    let p = Path::new(loc);
    if p.is_absolute() {
        return Some(p.to_path_buf());
    }
    if !loc.contains(':') {
        return Some(ini_dir.join(p));
    }
    // `pkg:sub/dir` (also `pkg:sub:dir`): the package directory is the ini's directory or a
    // parent of it named `pkg`, or a `pkg` directory in one of them
    let (pkg, rest) = loc.split_once(':').unwrap_or((loc, ""));
    let rest = rest.replace(':', "/");
    let pkg_path = pkg.replace('.', "/");
    ini_dir.ancestors().take(UP).find_map(|a| {
        let named = a.ends_with(&pkg_path).then(|| a.join(&rest));
        named
            .into_iter()
            .chain(std::iter::once(a.join(&pkg_path).join(&rest)))
            .find(|c| c.is_dir())
    })
}

/// Is `dir` (or its parent, for `recursive_version_locations`) a versions directory named
/// by an `alembic.ini` at most a few levels above it? Cached per directory.
pub fn names_versions_dir(dir: &Path) -> bool {
    static CACHE: OnceLock<Mutex<HashMap<PathBuf, bool>>> = OnceLock::new();
    let cache = CACHE.get_or_init(|| Mutex::new(HashMap::new()));
    if let Ok(c) = cache.lock()
        && let Some(&known) = c.get(dir)
    {
        return known;
    }
    let found = dir.ancestors().take(UP).any(|a| {
        a.join("alembic.ini").is_file() && {
            let dirs = version_dirs(a);
            let canon = |p: &Path| p.canonicalize().unwrap_or_else(|_| p.to_path_buf());
            let me = canon(dir);
            let parent = dir.parent().map(canon);
            dirs.iter()
                .map(|d| canon(d))
                .any(|d| d == me || parent.as_ref() == Some(&d))
        }
    });
    if let Ok(mut c) = cache.lock() {
        c.insert(dir.to_path_buf(), found);
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn version_locations_and_script_location() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/migrations/alembic-ini");
        let dirs = version_dirs(&root);
        assert!(dirs.iter().any(|d| d.ends_with("db/revisions")), "{dirs:?}");
        assert!(dirs.iter().any(|d| d.ends_with("db/reports")), "{dirs:?}");
        assert!(names_versions_dir(&root.join("db/revisions")));
        assert!(names_versions_dir(&root.join("db/reports")));
        assert!(!names_versions_dir(&root.join("db")));
        assert!(!names_versions_dir(&root.join("db/scripts")));
        assert!(version_dirs(&root.join("db")).is_empty());
    }
}
