//! The context of a discovered file, from its path: a test or vendored copy (not checked by
//! default when the directory walk finds it), and the down forms of migrations beyond the
//! basic `*.down.sql` / `rollback/` ones (`downgrades/`, extension scripts that go to a lower
//! version). Path components are matched whole, never as substrings: a migration named
//! `20240517_remove_test_alert_type.sql` is not a test.

use std::path::{Component, Path};

/// A context that the directory walk skips by default.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Skipped {
    /// Test suites and their fixtures: SQL and scripts that run against throwaway databases
    /// and scratch directories.
    Tests,
    /// Copies of other projects' code (`vendor/`, `third_party/`).
    Vendored,
}

impl Skipped {
    /// The key in JSON `summary.skipped` and in the human summary.
    pub fn key(self) -> &'static str {
        match self {
            Skipped::Tests => "tests",
            Skipped::Vendored => "vendored",
        }
    }
    /// How to include files of this context.
    pub fn how_to_include(self) -> &'static str {
        match self {
            Skipped::Tests => "--include-tests or `tests = \"check\"` in preflight.toml",
            Skipped::Vendored => "--include-vendored or `vendored = \"check\"` in preflight.toml",
        }
    }
}

/// Directory names that hold tests and test fixtures.
const TEST_DIRS: &[&str] = &[
    "test",
    "tests",
    "spec",
    "specs",
    "testdata",
    "test_data",
    "test-data",
    "testing",
    "regress",
    "regression",
    "__tests__",
    "__fixtures__",
    "__mocks__",
    "fixtures",
    "fixture",
    "stub",
    "stubs",
    "pgtap",
    "e2e",
    "integration-tests",
    "integration_tests",
];

/// Directory names that hold vendored copies of other projects.
const VENDOR_DIRS: &[&str] = &[
    "vendor",
    "vendored",
    "third_party",
    "third-party",
    "thirdparty",
];

/// The skipped context of `rel`, a path relative to the directory the walk started at (only
/// components below it count: `preflight check tests/` checks the tests).
pub fn skipped_context(rel: &Path) -> Option<Skipped> {
    let comps: Vec<&str> = match rel.to_str() {
        Some(text) => normal_parts(text).collect(),
        None => rel
            .components()
            .filter_map(|c| match c {
                Component::Normal(s) => s.to_str(),
                _ => None,
            })
            .collect(),
    };
    skipped_in(&comps)
}

/// The skipped context of a relative path's names (`Normal` components, in order).
fn skipped_in(comps: &[&str]) -> Option<Skipped> {
    let (file, dirs) = comps.split_last()?;
    let mut found = None;
    // the names are lower-case ASCII: the same as comparing the lower-cased component
    let named = |names: &[&str], d: &str| names.iter().any(|n| d.eq_ignore_ascii_case(n));
    for d in dirs {
        if named(VENDOR_DIRS, d) {
            return Some(Skipped::Vendored);
        }
        if found.is_none()
            && (named(TEST_DIRS, d) || (d.eq_ignore_ascii_case("t") && git_style_test(file)))
        {
            found = Some(Skipped::Tests);
        }
    }
    found
}

/// The context of `path`, found by walking `root`: the components below `root` decide, and
/// none when `root` is itself inside a test or vendored directory (`preflight check tests/`
/// checks the tests).
pub fn walked_context(root: &Path, path: &Path) -> Option<Skipped> {
    Walk::new(root).context(path)
}

/// [`walked_context`] for the files of one walk: whether `root` itself is in a skipped
/// context is found once.
pub struct Walk<'a> {
    root: &'a Path,
    root_skipped: bool,
}

impl<'a> Walk<'a> {
    pub fn new(root: &'a Path) -> Walk<'a> {
        Walk {
            root,
            root_skipped: skipped_context(&root.join("_")).is_some(),
        }
    }

    pub fn context(&self, path: &Path) -> Option<Skipped> {
        if self.root_skipped {
            return None;
        }
        // a walked path is the root joined with more: the rest as text, without the
        // component walk of `strip_prefix`
        if let (Some(r), Some(t)) = (self.root.to_str(), path.to_str())
            && !r.is_empty()
            && let Some(rest) = t.strip_prefix(r).and_then(|x| x.strip_prefix('/'))
        {
            return skipped_context(Path::new(rest));
        }
        skipped_context(path.strip_prefix(self.root).unwrap_or(path))
    }
}

/// The `Normal` components of a path given as text (Unix): its parts between `/` but the
/// empty ones, `.` and `..` (what `Path::components` keeps as names).
pub(crate) fn normal_parts(text: &str) -> impl Iterator<Item = &str> {
    text.split('/').filter(|p| !matches!(*p, "" | "." | ".."))
}

/// git's and perl's `t/` directories: `t0001-init.sh`, `test-lib.sh`, `lib-*.sh`, `*.t`.
fn git_style_test(file: &str) -> bool {
    let f = file.to_ascii_lowercase();
    let mut chars = f.chars();
    (chars.next() == Some('t') && chars.next().is_some_and(|c| c.is_ascii_digit()))
        || f.starts_with("test")
        || f.starts_with("lib-")
        || f.ends_with(".t")
        || f.ends_with(".bats")
}

/// Down forms recognised from the path beyond `*.down.sql` and `rollback/`: a `downgrades/`
/// or `down/` directory, and PostgreSQL extension update scripts `name--FROM--TO.sql` whose
/// target version is lower than the one they start from.
pub fn is_down_path(path: &Path) -> bool {
    if let Some((dirs, name)) = text_dirs_and_name(path) {
        return normal_parts(dirs).any(down_dir) || extension_downgrade(name);
    }
    down_path_by_components(path)
}

/// [`is_down_path`] by `Path`'s components.
fn down_path_by_components(path: &Path) -> bool {
    let dirs = path.parent().map(|p| p.components()).into_iter().flatten();
    for c in dirs {
        if let Component::Normal(s) = c
            && let Some(s) = s.to_str()
            && down_dir(s)
        {
            return true;
        }
    }
    let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
        return false;
    };
    extension_downgrade(name)
}

/// A directory name that holds down migrations.
fn down_dir(s: &str) -> bool {
    ["downgrades", "downgrade", "down", "rollbacks"]
        .iter()
        .any(|d| s.eq_ignore_ascii_case(d))
}

/// A path as text split at its last `/` into the directories and the file name, when the
/// name is a plain one (so `Path::file_name` is that name and `Path::parent` the rest).
pub(crate) fn text_dirs_and_name(path: &Path) -> Option<(&str, &str)> {
    let text = path.to_str()?;
    let (dirs, name) = text.rsplit_once('/').unwrap_or(("", text));
    (!matches!(name, "" | "." | "..")).then_some((dirs, name))
}

/// `name--2.9.0--2.8.1.sql`: an extension script from 2.9.0 to 2.8.1, which goes down.
fn extension_downgrade(name: &str) -> bool {
    let stem = name.rsplit_once('.').map_or(name, |(s, _)| s);
    if !stem.contains("--") {
        return false;
    }
    let parts: Vec<&str> = stem.split("--").collect();
    let [_, from, to] = parts.as_slice() else {
        return false;
    };
    match (version(from), version(to)) {
        (Some(a), Some(b)) => b < a,
        _ => false,
    }
}

/// `2.9.0` → `[2, 9, 0]`; `None` unless every part is a number.
fn version(s: &str) -> Option<Vec<u64>> {
    let v: Option<Vec<u64>> = s.split('.').map(|p| p.parse().ok()).collect();
    v.filter(|v| !v.is_empty())
}

/// Which skipped contexts a run checks anyway.
#[derive(Debug, Clone, Copy, Default)]
pub struct Include {
    pub tests: bool,
    pub vendored: bool,
}

impl Include {
    fn covers(self, s: Skipped) -> bool {
        match s {
            Skipped::Tests => self.tests,
            Skipped::Vendored => self.vendored,
        }
    }
}

/// Drop the files of skipped contexts from `files` and count them by context. Files given
/// explicitly are kept, unless `force` (the changed-files modes: pre-commit with
/// `--force-exclude`, `--since`, `--files-from`, where a tool passes every changed file).
pub fn filter(
    files: &mut Vec<crate::discover::Discovered>,
    include: Include,
    force: bool,
) -> std::collections::BTreeMap<String, usize> {
    let mut skipped = std::collections::BTreeMap::new();
    files.retain(|f| match f.skipped {
        Some(s) if !include.covers(s) && (force || !f.explicit) => {
            *skipped.entry(s.key().to_string()).or_insert(0) += 1;
            false
        }
        _ => true,
    });
    skipped
}

/// The human summary's note on skipped files: "skipped 12 files in tests (--include-tests …)".
pub fn skipped_note(skipped: &std::collections::BTreeMap<String, usize>) -> Option<String> {
    let parts: Vec<String> = [Skipped::Tests, Skipped::Vendored]
        .iter()
        .filter_map(|s| {
            let n = *skipped.get(s.key())?;
            (n > 0).then(|| {
                format!(
                    "{n} {} in {} directories (include with {})",
                    if n == 1 { "file" } else { "files" },
                    match s {
                        Skipped::Tests => "test",
                        Skipped::Vendored => "vendored",
                    },
                    s.how_to_include()
                )
            })
        })
        .collect();
    (!parts.is_empty()).then(|| format!("skipped {}", parts.join("; ")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_dirs_by_component() {
        for p in [
            "test/spec/fixtures/data.sql",
            "postgraphile/__tests__/kitchen-sink-data.sql",
            "src/test/resources/schema.sql",
            "regress/sql/x.sql",
            "t/t0001-init.sh",
            "x/spec/setup.sh",
        ] {
            assert_eq!(skipped_context(Path::new(p)), Some(Skipped::Tests), "{p}");
        }
        for p in [
            "migrations/20240517_remove_test_alert_type.sql",
            "contest/x.sql",
            "t/install.sh",
            "latest/x.sql",
            "test.sql",
            "scripts/test.sh",
        ] {
            assert_eq!(skipped_context(Path::new(p)), None, "{p}");
        }
    }

    #[test]
    fn only_components_below_the_walked_root_count() {
        let walked = |root: &str, p: &str| walked_context(Path::new(root), Path::new(p));
        assert_eq!(walked(".", "./tests/x.sql"), Some(Skipped::Tests));
        assert_eq!(walked("tests", "tests/fixtures/x.sql"), None);
        assert_eq!(walked("repo/test/sql", "repo/test/sql/a/x.sql"), None);
        assert_eq!(walked("repo", "repo/db/x.sql"), None);
    }

    #[test]
    fn vendored_dirs() {
        assert_eq!(
            skipped_context(Path::new("hack/third_party/gimme/gimme")),
            Some(Skipped::Vendored)
        );
        assert_eq!(
            skipped_context(Path::new("vendor/test/x.sh")),
            Some(Skipped::Vendored)
        );
        assert_eq!(skipped_context(Path::new("vendors.sh")), None);
    }

    #[test]
    fn down_paths() {
        for p in [
            "sql/downgrades/2.8.sql",
            "ext/pg_x--2.9.0--2.8.1.sql",
            "ext/pg_x--1.10--1.9.sql",
            "db/down/0001.sql",
        ] {
            assert!(is_down_path(Path::new(p)), "{p}");
        }
        for p in [
            "ext/pg_x--2.8.1--2.9.0.sql",
            "ext/pg_x--1.9--1.10.sql",
            "ext/pg_x--1.0.sql",
            "migrations/0001_downgrade_plan.sql",
            "migrations/down_payment.sql",
        ] {
            assert!(!is_down_path(Path::new(p)), "{p}");
        }
    }
}

#[cfg(test)]
mod text_tests {
    use super::*;

    /// The former component-walking forms, the reference for the text shortcuts.
    fn skipped_by_components(rel: &Path) -> Option<Skipped> {
        let comps: Vec<&str> = rel
            .components()
            .filter_map(|c| match c {
                Component::Normal(s) => s.to_str(),
                _ => None,
            })
            .collect();
        skipped_in(&comps)
    }

    fn down_migration_by_components(path: &Path) -> bool {
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default()
            .to_ascii_lowercase();
        let stem = name.rsplit_once('.').map_or(name.as_str(), |(s, _)| s);
        stem == "down"
            || stem.ends_with(".down")
            || stem.ends_with("_down")
            || crate::discover::is_flyway_undo(&name)
            || path
                .components()
                .any(|c| c.as_os_str().eq_ignore_ascii_case("rollback"))
            || down_path_by_components(path)
    }

    /// Skipped context, down directories and down migrations read from the path as text say
    /// what `Path`'s components say, odd paths included.
    #[test]
    fn text_shortcuts_agree_with_components() {
        let parts = [
            "",
            ".",
            "..",
            "t",
            "tests",
            "Vendor",
            "down",
            "Rollback",
            "db",
            "t0001-x.sh",
            "x--2.0--1.0.sql",
            "U1__x.sql",
            "a_down.sql",
            "1.rb",
            "é",
        ];
        let roots = ["", ".", "/", "db/", "./db", "/tmp//tests"];
        let mut n = 0;
        for lead in ["", "/", "./", "../", "w/"] {
            for a in parts {
                for b in parts {
                    for c in parts {
                        for tail in ["", "/", "/."] {
                            let t = format!("{lead}{a}/{b}/{c}{tail}");
                            let p = Path::new(&t);
                            assert_eq!(skipped_context(p), skipped_by_components(p), "{t:?}");
                            assert_eq!(is_down_path(p), down_path_by_components(p), "{t:?}");
                            assert_eq!(
                                crate::discover::is_down_migration(p),
                                down_migration_by_components(p),
                                "{t:?}"
                            );
                            for r in roots {
                                let root = Path::new(r);
                                let w = Walk::new(root);
                                let slow = if w.root_skipped {
                                    None
                                } else {
                                    skipped_by_components(p.strip_prefix(root).unwrap_or(p))
                                };
                                assert_eq!(w.context(p), slow, "{r:?} {t:?}");
                                let joined = root.join(&t);
                                let slow = if w.root_skipped {
                                    None
                                } else {
                                    skipped_by_components(
                                        joined.strip_prefix(root).unwrap_or(&joined),
                                    )
                                };
                                assert_eq!(w.context(&joined), slow, "{r:?} {joined:?}");
                            }
                            n += 1;
                        }
                    }
                }
            }
        }
        assert_eq!(n, 5 * 15 * 15 * 15 * 3);
    }
}
