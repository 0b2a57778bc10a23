//! Migration sets shipped in dialect variants (`1_init.mysql.up.sql`, `1_init.postgres.up.sql`,
//! `1_init.sqlite3.up.sql`, as ory's projects ship them) are replayed as one chain per
//! dialect: the files marked for that dialect plus the unmarked files every dialect runs.

use super::PlannedSet;
use crate::source::Dialect;
use crate::sql::dialect::{Reason, by_path};

/// The dialect a file's name marks it for (`*.mysql.*`), if any.
pub fn marked(path: &std::path::Path) -> Option<Dialect> {
    // synapse: `54/foo.sql.postgres`, `54/foo.sql.sqlite`
    let lower = path.to_string_lossy().to_ascii_lowercase();
    if lower.ends_with(".sql.postgres") {
        return Some(Dialect::Postgres);
    }
    if lower.ends_with(".sql.sqlite") {
        return Some(Dialect::Sqlite);
    }
    let c = by_path(&path.to_string_lossy())?;
    matches!(c.reason, Reason::FileName(_)).then_some(c.dialect)
}

/// One planned set per dialect when its files come in variants; other sets unchanged.
/// Unmarked files are replayed in every chain but reported in the first only.
pub fn split(sets: Vec<PlannedSet>) -> Vec<PlannedSet> {
    let mut out = Vec::with_capacity(sets.len());
    for planned in sets {
        let marks: Vec<Option<Dialect>> =
            planned.set.files.iter().map(|f| marked(&f.path)).collect();
        let mut dialects: Vec<Dialect> = Vec::new();
        for d in marks.iter().flatten() {
            if !dialects.contains(d) {
                dialects.push(*d);
            }
        }
        if dialects.len() < 2 {
            out.push(planned);
            continue;
        }
        for (n, d) in dialects.iter().enumerate() {
            let mut set = planned.set.clone();
            set.files.clear();
            let mut reported = Vec::new();
            for ((f, m), r) in planned.set.files.iter().zip(&marks).zip(&planned.reported) {
                match m {
                    Some(m) if m == d => reported.push(r.clone()),
                    Some(_) => continue,
                    None => reported.push(if n == 0 { r.clone() } else { None }),
                }
                set.files.push(f.clone());
            }
            if reported.iter().any(Option::is_some) {
                out.push(PlannedSet { set, reported });
            }
        }
    }
    out
}

/// The dialect-variant chains of a set's files (for `--explain-order`): `(dialect, files)`,
/// or one chain with `None` when the set has no variants.
pub fn chains(files: &[super::SetFile]) -> Vec<(Option<Dialect>, Vec<&super::SetFile>)> {
    let marks: Vec<Option<Dialect>> = files.iter().map(|f| marked(&f.path)).collect();
    let mut dialects: Vec<Dialect> = Vec::new();
    for d in marks.iter().flatten() {
        if !dialects.contains(d) {
            dialects.push(*d);
        }
    }
    if dialects.len() < 2 {
        return vec![(None, files.iter().collect())];
    }
    dialects
        .into_iter()
        .map(|d| {
            let chain = files
                .iter()
                .zip(&marks)
                .filter(|(_, m)| m.is_none_or(|m| m == d))
                .map(|(f, _)| f)
                .collect();
            (Some(d), chain)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::migrations::{Convention, MigrationSet, SetFile};
    use std::path::PathBuf;

    fn file(name: &str) -> SetFile {
        SetFile {
            path: PathBuf::from(format!("m/{name}")),
            name: name.to_string(),
            down: false,
        }
    }

    #[test]
    fn variants_become_one_chain_per_dialect() {
        let files = vec![
            file("1_a.up.sql"),
            file("2_b.mysql.up.sql"),
            file("2_b.postgres.up.sql"),
            file("2_b.sqlite3.up.sql"),
        ];
        let planned = PlannedSet {
            reported: files.iter().map(|f| Some(f.name.clone())).collect(),
            set: MigrationSet {
                dir: PathBuf::from("m"),
                convention: Convention::GolangMigrate,
                files,
                seed: None,
            },
        };
        let out = split(vec![planned]);
        assert_eq!(out.len(), 3);
        let names: Vec<Vec<&str>> = out
            .iter()
            .map(|p| p.set.files.iter().map(|f| f.name.as_str()).collect())
            .collect();
        assert_eq!(names[0], vec!["1_a.up.sql", "2_b.mysql.up.sql"]);
        assert_eq!(names[1], vec!["1_a.up.sql", "2_b.postgres.up.sql"]);
        // the shared file is reported once
        assert!(out[0].reported[0].is_some() && out[1].reported[0].is_none());
    }
}
