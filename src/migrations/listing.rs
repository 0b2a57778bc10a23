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
    let mut v: Vec<_> = files(dir, keep)
        .into_iter()
        .map(|(n, p)| (lead(&n), n, p))
        .collect();
    v.sort_by(|a, b| by_lead(a.0, b.0, &a.1, &b.1));
    v.into_iter().map(|(_, _, p)| p).collect()
}

/// The value of the digit run a name starts with (leading zeros trimmed), when it has one
/// and the value fits in 38 digits.
fn lead(name: &str) -> Option<u128> {
    let run = name
        .as_bytes()
        .iter()
        .take_while(|b| b.is_ascii_digit())
        .count();
    let digits = name[..run].trim_start_matches('0');
    if run == 0 || digits.len() > 38 {
        return None;
    }
    Some(digits.bytes().fold(0, |v, d| v * 10 + u128::from(d - b'0')))
}

/// [`super::detect::natural_cmp`], decided by the leading values when both names have one
/// and they differ: its first step compares those runs trimmed, by length then digit by
/// digit, which is the order of their values.
fn by_lead(la: Option<u128>, lb: Option<u128>, a: &str, b: &str) -> std::cmp::Ordering {
    match (la, lb) {
        (Some(x), Some(y)) if x != y => x.cmp(&y),
        _ => super::detect::natural_cmp(a, b),
    }
}

#[cfg(test)]
mod tests {
    use super::super::detect::natural_cmp;
    use super::{by_lead, lead};

    #[test]
    fn the_leading_value_orders_as_natural_cmp() {
        let heads = [
            "",
            "0",
            "00",
            "1",
            "01",
            "001",
            "2",
            "9",
            "10",
            "010",
            "99",
            "100",
            "20240101",
            "020240101",
            "20240101120000",
            "340282366920938463463374607431768211455",
            "99999999999999999999999999999999999999",
            "0099999999999999999999999999999999999999",
            "100000000000000000000000000000000000000",
            "123456789012345678901234567890123456789012",
            "00000000000000000000000000000000000000000001",
        ];
        let tails = [
            "", "_a.rb", "_A.rb", "a", "_é.rb", "é", "1", "_2_x", "x10", "X9", ".rb",
        ];
        let mut names = Vec::new();
        for h in heads {
            for t in tails {
                names.push(format!("{h}{t}"));
            }
        }
        names.extend(["a1", "A01", "é1", "_1", " 1"].map(String::from));
        for a in &names {
            for b in &names {
                assert_eq!(
                    by_lead(lead(a), lead(b), a, b),
                    natural_cmp(a, b),
                    "{a:?} {b:?}"
                );
            }
        }
        let mut old = names.clone();
        old.sort_by(|a, b| natural_cmp(a, b));
        let mut new = names.clone();
        new.reverse();
        new.sort_by(|a, b| by_lead(lead(a), lead(b), a, b));
        assert_eq!(new, old);
    }

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
