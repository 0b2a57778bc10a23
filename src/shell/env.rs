//! Where a script runs: what the shell rules may know about the file system around it.
//! Empty (the default) for text checked on its own; `check` fills in the script's directory,
//! the hook the payload's working directory.

use crate::discover::Discovered;
use crate::source::Lang;
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

#[derive(Debug, Clone, Default)]
pub struct Env {
    /// Directories a relative path is looked up in, first match wins (the script's own
    /// directory, then the working directory). Empty: files a command runs are not read.
    pub dirs: Vec<PathBuf>,
    /// Hook mode: the call is about to run in `cwd`; a file it runs that cannot be read is a
    /// finding (fail closed).
    pub hook: bool,
    /// The working directory the commands start in, when known (hook mode).
    pub cwd: Option<PathBuf>,
    /// The top level of the git work tree `cwd` is in.
    pub repo_root: Option<PathBuf>,
    /// The files this run checks on their own (their findings are not repeated at a
    /// command that runs them; their canonical paths are worked out when first asked).
    pub in_run: Option<std::sync::Arc<RunFiles>>,
    /// How deep we are in files run by files (a limit stops loops).
    pub depth: usize,
    /// Options a caller sets before the script runs (`[[per-file]] shell-options`).
    pub errexit: bool,
    pub nounset: bool,
}

impl Env {
    /// Hook mode in `cwd`.
    pub fn hook(cwd: Option<&Path>) -> Env {
        let cwd = cwd.map(Path::to_path_buf);
        Env {
            dirs: cwd.iter().cloned().collect(),
            hook: true,
            repo_root: cwd.as_deref().and_then(git_top_level),
            cwd,
            in_run: None,
            depth: 0,
            errexit: false,
            nounset: false,
        }
    }

    /// `check` of the script at `path`: relative files are looked up next to it, then in
    /// the process's working directory.
    pub fn script(path: &Path) -> Env {
        Env::script_from(path, std::env::current_dir().ok().as_deref())
    }

    /// [`Env::script`] with the working directory already read (`None`: it cannot be).
    pub fn script_from(path: &Path, cwd: Option<&Path>) -> Env {
        let mut dirs = Vec::new();
        if let Some(p) = path.parent() {
            dirs.push(if p.as_os_str().is_empty() {
                PathBuf::from(".")
            } else {
                p.to_path_buf()
            });
        }
        if let Some(c) = cwd
            && !dirs.iter().any(|d| d == Path::new(".") || d == c)
        {
            dirs.push(c.to_path_buf());
        }
        Env {
            dirs,
            ..Env::default()
        }
    }

    /// The first existing `dir/rel` (an absolute `rel` as is; `~/…` is never read).
    pub fn locate(&self, rel: &str) -> Option<PathBuf> {
        if rel.starts_with('~') {
            return None;
        }
        let p = Path::new(rel);
        if p.is_absolute() {
            return p.exists().then(|| p.to_path_buf());
        }
        self.dirs.iter().map(|d| d.join(p)).find(|c| c.exists())
    }
}

/// The files of one run, for a shell command that runs one of them (its findings are
/// reported in that file, not again at the command), and the directory the run started in.
#[derive(Debug, Default)]
pub struct RunFiles {
    /// (path, known not to be a link: see [`Discovered::plain`]); empty when no shell
    /// script is checked (nothing asks then)
    files: Vec<(PathBuf, bool)>,
    /// their canonical paths, worked out on the first question
    canonical: OnceLock<HashSet<PathBuf>>,
    /// `std::env::current_dir()` when the run started (`None`: it failed)
    cwd: Option<PathBuf>,
}

impl RunFiles {
    pub fn new(files: &[Discovered]) -> RunFiles {
        // only a shell script of this run asks
        let files = if files.iter().any(|f| f.lang == Lang::Shell) {
            files.iter().map(|f| (f.path.clone(), f.plain)).collect()
        } else {
            Vec::new()
        };
        RunFiles {
            files,
            canonical: OnceLock::new(),
            cwd: std::env::current_dir().ok(),
        }
    }

    /// Is `canonical` (a canonical path) one of the files of this run?
    pub fn contains(&self, canonical: &Path) -> bool {
        self.canonical().contains(canonical)
    }

    /// The working directory the run started in.
    pub fn cwd(&self) -> Option<&Path> {
        self.cwd.as_deref()
    }

    /// The canonical paths (worked out on the first call).
    pub(crate) fn canonical(&self) -> &HashSet<PathBuf> {
        // serial on purpose: the first asker is a pool task, and a parallel loop here could
        // take up another task that asks again while the cell is being filled
        self.canonical.get_or_init(|| canonical_paths(&self.files))
    }
}

/// `std::fs::canonicalize` of every file that has one, each directory resolved once: the
/// canonical path of a file that is not a link is its directory's joined with its name (a
/// walked entry is known not to be one; a file given on the command line is asked with one
/// `lstat`). A link, or a path that does not end in its name, is resolved whole.
fn canonical_paths(files: &[(PathBuf, bool)]) -> HashSet<PathBuf> {
    let mut dirs: HashMap<&Path, Option<PathBuf>> = HashMap::new();
    let mut set = HashSet::with_capacity(files.len());
    for (path, plain) in files {
        let by_dir = match (path.parent(), path.file_name()) {
            (Some(dir), Some(name))
                if !dir.as_os_str().is_empty()
                    && path
                        .as_os_str()
                        .as_encoded_bytes()
                        .ends_with(name.as_encoded_bytes())
                    && (*plain
                        || std::fs::symlink_metadata(path)
                            .is_ok_and(|m| !m.file_type().is_symlink())) =>
            {
                Some((dir, name))
            }
            _ => None,
        };
        let canonical = match by_dir {
            Some((dir, name)) => dirs
                .entry(dir)
                .or_insert_with(|| std::fs::canonicalize(dir).ok())
                .as_ref()
                .map(|d| d.join(name)),
            None => std::fs::canonicalize(path).ok(),
        };
        set.extend(canonical);
    }
    set
}

/// The top level of the git work tree `dir` is in: the nearest ancestor with `.git`.
pub fn git_top_level(dir: &Path) -> Option<PathBuf> {
    dir.ancestors()
        .find(|a| a.join(".git").exists())
        .map(Path::to_path_buf)
}
