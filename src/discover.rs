//! Which files to check: walk directories (.gitignore-aware), take explicit files as given,
//! classify by extension or shebang.

use crate::source::Lang;
use rayon::prelude::*;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone)]
pub struct Discovered {
    pub path: PathBuf,
    /// As given on the command line, joined with the walked part; relative stays relative.
    pub display: String,
    pub lang: Lang,
    /// A down/rollback migration (by path convention).
    pub down: bool,
    /// A context not checked by default (tests, vendored code), by the path components below
    /// the path given.
    pub skipped: Option<crate::context::Skipped>,
    /// Given as a file path (not found by the directory walk).
    pub explicit: bool,
    /// Walked and not a symbolic link: the file is its directory's entry of that name, so its
    /// canonical path is the directory's joined with the name (one `realpath` per directory).
    pub plain: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DiscoverError {
    pub file: String,
    pub message: String,
}

const SQL_EXTENSIONS: &[&str] = &["sql", "psql", "pgsql", "ddl"];
const SHELL_EXTENSIONS: &[&str] = &["sh", "bash"];
const SKIP_DIRS: &[&str] = &[".git", "target", "node_modules"];

/// Language by extension, or `None`.
pub fn lang_by_name(path: &Path) -> Option<Lang> {
    let ext = path.extension()?.to_str()?.to_ascii_lowercase();
    if SQL_EXTENSIONS.contains(&ext.as_str()) {
        Some(Lang::Sql)
    } else if SHELL_EXTENSIONS.contains(&ext.as_str()) {
        Some(Lang::Shell)
    } else if ext == "py" {
        Some(Lang::Python)
    } else if crate::migrations::js::EXTENSIONS.contains(&ext.as_str()) {
        Some(Lang::Js)
    } else if ext == "php" {
        Some(Lang::Php)
    } else if ext == "rb" {
        Some(Lang::Ruby)
    } else {
        None
    }
}

/// Language by `#!` line (sh, bash, dash, also through `env`).
pub fn lang_by_shebang(head: &[u8]) -> Option<Lang> {
    let line = head.split(|&b| b == b'\n').next()?;
    let line = std::str::from_utf8(line).ok()?.strip_prefix("#!")?;
    let mut words = line.split_whitespace();
    let mut prog = words.next()?.rsplit('/').next()?;
    if prog == "env" {
        prog = words.find(|w| !w.starts_with('-'))?;
    }
    matches!(prog, "sh" | "bash" | "dash" | "ksh" | "zsh").then_some(Lang::Shell)
}

fn read_head(path: &Path) -> Option<Vec<u8>> {
    use std::io::Read;
    let mut f = std::fs::File::open(path).ok()?;
    let mut buf = vec![0; 256];
    let n = f.read(&mut buf).ok()?;
    buf.truncate(n);
    Some(buf)
}

/// Down/rollback migrations by path: `*.down.sql`, `down.sql`, `*_down.sql`, `U1__x.sql`
/// (Flyway undo) or anything under a `rollback/` directory.
pub fn is_down_migration(path: &Path) -> bool {
    may_be_down(path) && down_by_path(path)
}

/// Every down path has `down` or `rollback` (any case), `--` (an extension downgrade) or
/// `__` (a Flyway undo) in its text: most paths are told by one look at their bytes.
fn may_be_down(path: &Path) -> bool {
    let b = path.as_os_str().as_encoded_bytes();
    let has = |n: &[u8]| b.windows(n.len()).any(|w| w.eq_ignore_ascii_case(n));
    b.windows(2).any(|w| w == b"--" || w == b"__") || has(b"down") || has(b"rollback")
}

/// [`is_down_migration`] by every rule.
fn down_by_path(path: &Path) -> bool {
    // asked once per file of a walk: the path as text when its name is a plain one
    if let Some((dirs, name)) = crate::context::text_dirs_and_name(path) {
        return down_name(&name.to_ascii_lowercase())
            || dirs
                .split('/')
                .chain([name])
                .any(|c| c.eq_ignore_ascii_case("rollback"))
            || crate::context::is_down_path(path);
    }
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or_default()
        .to_ascii_lowercase();
    down_name(&name)
        || path
            .components()
            .any(|c| c.as_os_str().eq_ignore_ascii_case("rollback"))
        || crate::context::is_down_path(path)
}

/// A down migration by its lower-cased file name.
fn down_name(name: &str) -> bool {
    let stem = name.rsplit_once('.').map_or(name, |(s, _)| s);
    stem == "down" || stem.ends_with(".down") || stem.ends_with("_down") || is_flyway_undo(name)
}

pub(crate) fn is_flyway_undo(name: &str) -> bool {
    let Some(rest) = name.strip_prefix('u') else {
        return false;
    };
    let version: String = rest
        .chars()
        .take_while(|c| c.is_ascii_digit() || *c == '.' || *c == '_')
        .collect();
    !version.is_empty()
        && version.chars().next().is_some_and(|c| c.is_ascii_digit())
        && rest.contains("__")
}

/// The config's `include`: a language for a path it names.
pub type Extra<'a> = dyn Fn(&Path) -> Option<Lang> + Sync + 'a;
/// The config's `exclude`.
pub type Excluded<'a> = dyn Fn(&Path) -> bool + Sync + 'a;

/// Walk the inputs. Explicit files are taken even when ignored; explicit files of unknown
/// type are errors, walked ones are skipped.
pub fn discover(
    inputs: &[PathBuf],
    extra: &Extra<'_>,
    excluded: &Excluded<'_>,
) -> (Vec<Discovered>, Vec<DiscoverError>) {
    let mut files = Vec::new();
    let mut errors = Vec::new();
    for input in inputs {
        let display_root = input.to_string_lossy().to_string();
        let meta = match std::fs::metadata(input) {
            Ok(m) => m,
            Err(e) => {
                errors.push(DiscoverError {
                    file: display_root,
                    message: format!("cannot read: {}", io_reason(&e)),
                });
                continue;
            }
        };
        if meta.is_file() {
            let lang = extra(input)
                .or_else(|| lang_by_name(input))
                .or_else(|| read_head(input).and_then(|h| lang_by_shebang(&h)));
            match lang {
                Some(lang) => files.push(Discovered {
                    down: is_down_migration(input),
                    skipped: crate::context::skipped_context(input),
                    explicit: true,
                    plain: false,
                    path: input.clone(),
                    display: display_root,
                    lang,
                }),
                None => errors.push(DiscoverError {
                    file: display_root,
                    message: "not a SQL or shell file (by extension or #! line); add it to \
                              `include` in preflight.toml, or pipe it in: \
                              `preflight check - --lang sql|shell < FILE`"
                        .to_string(),
                }),
            }
            continue;
        }
        let walk = crate::context::Walk::new(input);
        let walker = ignore::WalkBuilder::new(input)
            .hidden(false)
            .git_global(false)
            .require_git(false)
            .follow_links(false)
            .filter_entry(|e| {
                !(e.file_type().is_some_and(|t| t.is_dir())
                    && e.file_name()
                        .to_str()
                        .is_some_and(|n| SKIP_DIRS.contains(&n)))
            })
            .build();
        // the walk (directory reads, .gitignore) stays serial; what each entry is (a stat for
        // links, a `#!` read for extension-less files, the path checks) is worked out in
        // parallel, a batch of entries at a time (memory bounded on huge trees), and the
        // results are taken in walk order
        let mut walker = walker.into_iter();
        loop {
            let batch: Vec<Result<ignore::DirEntry, ignore::Error>> =
                walker.by_ref().take(WALK_BATCH).collect();
            if batch.is_empty() {
                break;
            }
            let walked: Vec<Option<Result<Discovered, DiscoverError>>> = batch
                .into_par_iter()
                .map(|entry| match entry {
                    Ok(e) => walked_file(&e, &walk, extra, excluded),
                    Err(e) => Some(Err(DiscoverError {
                        file: walk_error_path(&e).unwrap_or_else(|| display_root.clone()),
                        message: format!("cannot read: {}", walk_reason(&e)),
                    })),
                })
                .collect();
            for w in walked.into_iter().flatten() {
                match w {
                    Ok(f) => files.push(f),
                    Err(e) => errors.push(e),
                }
            }
        }
    }
    files.par_sort_by(|a, b| a.display.cmp(&b.display));
    files.dedup_by(|a, b| a.path == b.path);
    (files, errors)
}

/// Walked entries classified together: enough to keep both cores busy, few enough that a huge
/// tree's entries are not all held at once.
const WALK_BATCH: usize = 8192;

/// One walked entry: the file to check, a dangling link that looks like SQL or shell (an
/// error), or nothing.
fn walked_file(
    entry: &ignore::DirEntry,
    walk: &crate::context::Walk,
    extra: &Extra<'_>,
    excluded: &Excluded<'_>,
) -> Option<Result<Discovered, DiscoverError>> {
    let path = entry.path();
    if entry.path_is_symlink() {
        // Linked files are checked; linked directories are not walked (no loops);
        // a dangling link that looks like SQL or shell is reported, not skipped.
        match std::fs::metadata(path) {
            Ok(m) if m.is_file() => {}
            Ok(_) => return None,
            Err(e) => {
                return lang_by_name(path).map(|_| {
                    Err(DiscoverError {
                        file: path.to_string_lossy().to_string(),
                        message: format!("cannot read: {} (dangling symlink?)", io_reason(&e)),
                    })
                });
            }
        }
    } else if !entry.file_type().is_some_and(|t| t.is_file()) {
        return None;
    }
    if excluded(path) {
        return None;
    }
    let lang = extra(path).or_else(|| lang_by_name(path)).or_else(|| {
        // only extension-less files are sniffed for a shebang
        if path.extension().is_none() {
            read_head(path).and_then(|h| lang_by_shebang(&h))
        } else {
            None
        }
    });
    // walked Python files are checked only where migrations live
    let lang =
        lang.filter(|l| *l != Lang::Python || crate::migrations::python::is_python_migration(path));
    let lang = lang.filter(|l| *l != Lang::Js || crate::migrations::js::is_js_migration(path));
    // walked PHP files are checked only where Laravel migrations live
    let lang = lang.filter(|l| *l != Lang::Php || crate::migrations::php::is_php_migration(path));
    // walked Ruby files: Rails migrations only
    let lang =
        lang.filter(|l| *l != Lang::Ruby || crate::migrations::ruby::is_rails_migration(path));
    let lang = lang?;
    Some(Ok(Discovered {
        down: is_down_migration(path),
        skipped: walk.context(path),
        explicit: false,
        plain: !entry.path_is_symlink(),
        display: path.to_string_lossy().to_string(),
        path: path.to_path_buf(),
        lang,
    }))
}

fn io_reason(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file or directory".to_string(),
        std::io::ErrorKind::PermissionDenied => "permission denied".to_string(),
        _ => e.to_string(),
    }
}

fn walk_error_path(e: &ignore::Error) -> Option<String> {
    match e {
        ignore::Error::WithPath { path, .. } => Some(path.to_string_lossy().to_string()),
        ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => {
            walk_error_path(err)
        }
        ignore::Error::Loop { child, .. } => Some(child.to_string_lossy().to_string()),
        _ => None,
    }
}

fn walk_reason(e: &ignore::Error) -> String {
    match e {
        ignore::Error::WithPath { err, .. }
        | ignore::Error::WithDepth { err, .. }
        | ignore::Error::WithLineNumber { err, .. } => walk_reason(err),
        ignore::Error::Io(io) => io_reason(io),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classification() {
        assert_eq!(lang_by_name(Path::new("a/b.SQL")), Some(Lang::Sql));
        assert_eq!(lang_by_name(Path::new("deploy.sh")), Some(Lang::Shell));
        assert_eq!(lang_by_name(Path::new("README")), None);
        assert_eq!(lang_by_shebang(b"#!/usr/bin/env bash\n"), Some(Lang::Shell));
        assert_eq!(lang_by_shebang(b"#!/bin/dash -e\n"), Some(Lang::Shell));
        assert_eq!(lang_by_shebang(b"#!/usr/bin/python3\n"), None);
    }

    #[test]
    fn down_migrations() {
        for p in [
            "m/0001_x.down.sql",
            "m/20240101_x/down.sql",
            "m/3_x_down.sql",
            "db/rollback/1.sql",
            "sql/U2__undo.sql",
        ] {
            assert!(is_down_migration(Path::new(p)), "{p}");
        }
        for p in [
            "m/0001_x.up.sql",
            "m/downtime_report.sql",
            "sql/V2__x.sql",
            "sql/users.sql",
        ] {
            assert!(!is_down_migration(Path::new(p)), "{p}");
        }
    }

    /// The look at the bytes lets through every path the rules call down (paths built from
    /// names around each rule, in any case, with odd separators).
    #[test]
    fn quick_look_misses_no_down_path() {
        let names = [
            "down",
            "DOWN",
            "Down.sql",
            "x.down.sql",
            "x_DOWN.sql",
            "x-down.sql",
            "rollback",
            "RollBack",
            "rollbacks",
            "downgrade",
            "Downgrades",
            "u1__x.sql",
            "U2.1__undo.sql",
            "u__",
            "ext--1.0--0.9.sql",
            "ext--2--1",
            "V1__x.sql",
            "1_x.sql",
            "a",
            ".",
            "..",
            "",
            "t",
            "u1_x.sql",
            "dow",
            "roll_back",
        ];
        let mut n = 0;
        for a in names {
            for b in names {
                for sep in ["/", "//", "/./"] {
                    for tail in ["", "/", "/."] {
                        let p = format!("{a}{sep}{b}{tail}");
                        let p = Path::new(&p);
                        assert_eq!(is_down_migration(p), down_by_path(p), "{p:?}");
                        n += usize::from(down_by_path(p));
                    }
                }
            }
        }
        assert!(n > 1000, "{n}");
    }

    /// More entries than one batch: every file found once, in name order, and a dangling link
    /// (walked late) still reported.
    #[test]
    fn a_tree_larger_than_one_batch() -> std::io::Result<()> {
        let dir = tempfile::tempdir()?;
        let mut want = Vec::new();
        for d in ["a", "b", "c"] {
            std::fs::create_dir(dir.path().join(d))?;
            for i in 0..(WALK_BATCH / 3 + 700) {
                let p = dir.path().join(d).join(format!("{i}.sql"));
                std::fs::write(&p, "SELECT 1;\n")?;
                want.push(p.to_string_lossy().to_string());
            }
            // not checked, but walked: fills the batches
            std::fs::write(dir.path().join(d).join("notes.txt"), "x")?;
        }
        #[cfg(unix)]
        std::os::unix::fs::symlink(dir.path().join("gone.sql"), dir.path().join("c/zz.sql"))?;
        want.sort();
        let (files, errors) = discover(&[dir.path().to_path_buf()], &|_| None, &|_| false);
        let got: Vec<String> = files.iter().map(|f| f.display.clone()).collect();
        assert!(want.len() > WALK_BATCH);
        assert_eq!(got, want);
        #[cfg(unix)]
        assert!(
            errors.len() == 1 && errors[0].file.ends_with("zz.sql"),
            "{errors:?}"
        );
        Ok(())
    }
}
