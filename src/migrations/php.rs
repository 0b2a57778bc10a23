//! Migration sets written in PHP: a Laravel `database/migrations/` directory
//! (`YYYY_MM_DD_HHMMSS_name.php`, run in file-name order), seeded from Laravel's schema dump
//! (`database/schema/*-schema.sql`) when there is one.

use std::path::{Path, PathBuf};

/// Is `path` a Laravel migration by where it sits and how it is named:
/// `…/migrations/YYYY_…_name.php`.
pub fn is_php_migration(path: &Path) -> bool {
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or_default();
    let b = name.as_bytes();
    name.ends_with(".php")
        && b.len() > 5
        && b[..4].iter().all(u8::is_ascii_digit)
        && b[4] == b'_'
        && path
            .parent()
            .and_then(Path::file_name)
            .is_some_and(|p| p == "migrations")
}

/// The migration files of the set directory `dir`, in the order Laravel runs them (by name).
pub fn set_files(dir: &Path) -> Vec<PathBuf> {
    let mut v = super::listing::files(dir, is_php_migration);
    // by the name's bytes (`OsStr` order), not its text
    v.sort_by(|a, b| a.1.file_name().cmp(&b.1.file_name()));
    v.into_iter().map(|(_, p)| p).collect()
}

/// Laravel's schema dumps beside the migrations (`../schema/<connection>-schema.sql`), by
/// name.
pub fn schema_dumps(dir: &Path) -> Vec<PathBuf> {
    let Some(schema) = dir.parent().map(|p| p.join("schema")) else {
        return Vec::new();
    };
    let mut v: Vec<PathBuf> = std::fs::read_dir(schema)
        .map(|rd| {
            rd.flatten()
                .map(|e| e.path())
                .filter(|p| {
                    p.is_file()
                        && p.file_name()
                            .and_then(|n| n.to_str())
                            .is_some_and(|n| n.ends_with("-schema.sql"))
                })
                .collect()
        })
        .unwrap_or_default();
    v.sort();
    v
}

/// The major version of Laravel the project of the set `dir` runs: `laravel/framework` in
/// the nearest `composer.lock` (the installed version) or else `composer.json` (the lowest
/// major its constraint allows) in `dir` or up to four directories above. `None`: not found.
pub fn laravel_major(dir: &Path) -> Option<u32> {
    for d in dir.ancestors().take(5) {
        if let Some(v) = read_json(&d.join("composer.lock")).and_then(|j| {
            j.get("packages")?
                .as_array()?
                .iter()
                .find(|p| p.get("name").and_then(|n| n.as_str()) == Some("laravel/framework"))?
                .get("version")?
                .as_str()
                .and_then(lowest_major)
        }) {
            return Some(v);
        }
        if let Some(j) = read_json(&d.join("composer.json")) {
            return j
                .get("require")?
                .get("laravel/framework")?
                .as_str()
                .and_then(lowest_major);
        }
    }
    None
}

fn read_json(p: &Path) -> Option<serde_json::Value> {
    let text = std::fs::read_to_string(p).ok()?;
    serde_json::from_str(&text).ok()
}

/// `v11.9.2` → 11; `^10.0|^11.0` → 10 (the lowest the constraint allows); `dev-master`,
/// `*` → `None`.
fn lowest_major(v: &str) -> Option<u32> {
    v.split(['|', ','])
        .map(|alt| {
            let digits: String = alt
                .trim_start_matches(|c: char| !c.is_ascii_digit())
                .chars()
                .take_while(char::is_ascii_digit)
                .collect();
            digits.parse::<u32>().ok()
        })
        .collect::<Option<Vec<u32>>>()?
        .into_iter()
        .min()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn laravel_version_from_composer_files() {
        assert_eq!(lowest_major("v11.9.2"), Some(11));
        assert_eq!(lowest_major("^10.0|^11.0"), Some(10));
        assert_eq!(lowest_major(">=11.0 <13"), Some(11));
        assert_eq!(lowest_major("dev-master"), None);
        let tmp = tempfile::tempdir().expect("tempdir");
        let mig = tmp.path().join("database/migrations");
        std::fs::create_dir_all(&mig).expect("dirs");
        assert_eq!(laravel_major(&mig), None);
        std::fs::write(
            tmp.path().join("composer.json"),
            r#"{"require": {"php": "^8.2", "laravel/framework": "^11.0"}}"#,
        )
        .expect("write");
        assert_eq!(laravel_major(&mig), Some(11));
        // the lock file says what is installed
        std::fs::write(
            tmp.path().join("composer.lock"),
            r#"{"packages": [{"name": "laravel/framework", "version": "v10.48.1"}]}"#,
        )
        .expect("write");
        assert_eq!(laravel_major(&mig), Some(10));
    }
}
