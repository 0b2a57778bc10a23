//! What a run knows of its files once, rather than per file: the canonical paths of the files
//! it checks (asked only when a shell command runs a file, then worked out once), the working
//! directory, and a file read without the size lookup `std::fs::read` makes.

use crate::discover::Discovered;
use crate::source::Lang;
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

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

    fn canonical(&self) -> &HashSet<PathBuf> {
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

/// Bytes read for one file per reused buffer of a thread (most scripts and SQL files fit).
const HEAD: usize = 64 * 1024;

thread_local! {
    static BUF: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// `std::fs::read` without its `statx` for the size: a file that fits [`HEAD`] is read into
/// a buffer the thread keeps and copied out at its length; a larger one goes on as
/// `read_to_end` does. Same bytes, same errors.
pub fn read_file(path: &Path) -> std::io::Result<Vec<u8>> {
    use std::io::Read;
    let mut file = std::fs::File::open(path)?;
    BUF.with_borrow_mut(|buf| {
        if buf.len() < HEAD {
            buf.resize(HEAD, 0);
        }
        let mut n = 0;
        while n < HEAD {
            match file.read(&mut buf[n..HEAD]) {
                Ok(0) => return Ok(buf[..n].to_vec()),
                Ok(k) => n += k,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        }
        let mut bytes = buf[..HEAD].to_vec();
        file.read_to_end(&mut bytes)?;
        Ok(bytes)
    })
}

#[cfg(test)]
#[path = "files_tests.rs"]
mod tests;
