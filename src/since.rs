//! `--since REF`: which files git says were added or changed since a ref (committed, staged,
//! unstaged, or untracked). Only those are reported; migration sets still replay every file.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::process::Command;

fn git(dir: &Path, args: &[&str]) -> Result<Vec<u8>, String> {
    let out = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        .output()
        .map_err(|e| format!("--since needs git, which could not be run: {e}"))?;
    if out.status.success() {
        Ok(out.stdout)
    } else {
        Err(String::from_utf8_lossy(&out.stderr).trim().to_string())
    }
}

/// Absolute, canonical paths of the files changed since `reference` in the repository that
/// holds `start` (a file or directory).
pub fn changed_since(reference: &str, start: &Path) -> Result<HashSet<PathBuf>, String> {
    let dir = if start.is_dir() {
        start.to_path_buf()
    } else {
        start
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .map_or_else(|| PathBuf::from("."), Path::to_path_buf)
    };
    let root = git(&dir, &["rev-parse", "--show-toplevel"]).map_err(|_| {
        format!(
            "--since needs a git repository, and {} is not inside one",
            dir.display()
        )
    })?;
    let root = PathBuf::from(String::from_utf8_lossy(&root).trim());
    if reference.starts_with('-') {
        return Err(format!("--since: '{reference}' is not a git revision"));
    }
    git(
        &root,
        &[
            "rev-parse",
            "--verify",
            "--quiet",
            &format!("{reference}^{{commit}}"),
        ],
    )
    .map_err(|_| format!("--since: unknown git revision '{reference}'"))?;
    let mut files = HashSet::new();
    for args in [
        vec!["diff", "--name-only", "-z", "--no-renames", reference, "--"],
        vec!["ls-files", "-z", "--others", "--exclude-standard"],
    ] {
        let out = git(&root, &args).map_err(|e| format!("--since: git {}: {e}", args[0]))?;
        for name in out.split(|&b| b == 0).filter(|n| !n.is_empty()) {
            let p = root.join(String::from_utf8_lossy(name).as_ref());
            files.insert(p.canonicalize().unwrap_or(p));
        }
    }
    Ok(files)
}

/// Is `path` among `changed`?
pub fn contains(changed: &HashSet<PathBuf>, path: &Path) -> bool {
    path.canonicalize()
        .map(|p| changed.contains(&p))
        .unwrap_or(false)
}
