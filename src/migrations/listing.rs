//! A set directory's files, listed once per run: the directory read without a `stat` per
//! entry where the kernel already says what it is, and names compared instead of whole
//! paths (every file of a set sits in the same directory).

use std::path::{Path, PathBuf};

/// Is the entry a regular file, following a symlink (what `Path::is_file` says), without a
/// `stat` when the directory listing already tells.
fn is_file(e: &std::fs::DirEntry) -> bool {
    match e.file_type() {
        Ok(t) if t.is_file() => true,
        Ok(t) if t.is_dir() => false,
        // a symlink (to a file?) or a type the listing does not give: ask
        _ => e.path().is_file(),
    }
}

/// The regular files of `dir` that `keep` accepts, each with its name as text (invalid UTF-8
/// replaced), in directory order.
pub(crate) fn files(dir: &Path, keep: impl Fn(&Path) -> bool) -> Vec<(String, PathBuf)> {
    std::fs::read_dir(dir)
        .map(|rd| {
            rd.flatten()
                .filter_map(|e| {
                    let p = e.path();
                    (keep(&p) && is_file(&e))
                        .then(|| (e.file_name().to_string_lossy().into_owned(), p))
                })
                .collect()
        })
        .unwrap_or_default()
}

/// [`files`] in numeric-aware name order ([`super::detect::natural_cmp`]). The same order
/// as comparing the whole paths: they share the directory, which ends in a separator, and a
/// shared prefix that ends in a non-digit leaves `natural_cmp` as it finds it.
pub(crate) fn natural(dir: &Path, keep: impl Fn(&Path) -> bool) -> Vec<PathBuf> {
    let mut v = files(dir, keep);
    v.sort_by(|a, b| super::detect::natural_cmp(&a.0, &b.0));
    v.into_iter().map(|(_, p)| p).collect()
}

#[cfg(test)]
mod tests {
    use super::super::detect::natural_cmp;

    #[test]
    fn a_shared_directory_does_not_change_the_order() {
        let names = [
            "1_a.rb",
            "10_a.rb",
            "2_a.rb",
            "02_a.rb",
            "2_A.rb",
            "a1.rb",
            "a01.rb",
            "A1.rb",
            "0001_x.py",
            "1_x.py",
            "20240101_x.rb",
            "2024_01_01_x.php",
            "x",
            "",
        ];
        for dir in ["db/migrate/", "/tmp/app3/db/migrate/", "v2/", "0/", ""] {
            for a in names {
                for b in names {
                    assert_eq!(
                        natural_cmp(&format!("{dir}{a}"), &format!("{dir}{b}")),
                        natural_cmp(a, b),
                        "{dir} {a} {b}"
                    );
                }
            }
        }
    }
}
