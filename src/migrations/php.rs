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
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|rd| {
            rd.flatten()
                .map(|e| e.path())
                .filter(|p| p.is_file() && is_php_migration(p))
                .collect()
        })
        .unwrap_or_default();
    v.sort_by(|a, b| a.file_name().cmp(&b.file_name()));
    v
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
