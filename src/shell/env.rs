//! Where a script runs: what the shell rules may know about the file system around it.
//! Empty (the default) for text checked on its own; `check` fills in the script's directory,
//! the hook the payload's working directory.

use std::path::{Path, PathBuf};

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
    /// Canonical paths of the files this run checks on their own (their findings are not
    /// repeated at a command that runs them).
    pub in_run: Option<std::sync::Arc<crate::run::RunFiles>>,
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

/// The top level of the git work tree `dir` is in: the nearest ancestor with `.git`.
pub fn git_top_level(dir: &Path) -> Option<PathBuf> {
    dir.ancestors()
        .find(|a| a.join(".git").exists())
        .map(Path::to_path_buf)
}
