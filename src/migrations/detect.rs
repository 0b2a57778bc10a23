//! Finding migration sets: a directory of migrations by convention (Flyway, golang-migrate,
//! dbmate, Prisma, diesel, Supabase, Django `sqlmigrate` output, plain numbered files) or by
//! configuration, and the order their files run in.

use crate::discover::is_down_migration;
use std::cmp::Ordering;
use std::path::{Path, PathBuf};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Convention {
    Flyway,
    GolangMigrate,
    Dbmate,
    Prisma,
    Diesel,
    Supabase,
    Django,
    Numbered,
    Synapse,
    Configured,
}

impl Convention {
    pub fn name(self) -> &'static str {
        match self {
            Convention::Flyway => "Flyway (V<version>__name.sql, R__ repeatable, U undo)",
            Convention::GolangMigrate => {
                "golang-migrate / sqlx (<version>_name.up.sql + .down.sql)"
            }
            Convention::Dbmate => "dbmate (-- migrate:up / -- migrate:down sections)",
            Convention::Prisma => "Prisma (<timestamp>_name/migration.sql)",
            Convention::Diesel => "diesel (<timestamp>_name/up.sql + down.sql)",
            Convention::Supabase => "Supabase (supabase/migrations/<timestamp>_name.sql)",
            Convention::Django => "Django sqlmigrate output (0001_initial.sql, …)",
            Convention::Numbered => "numbered files (001_name.sql, …)",
            Convention::Synapse => {
                "synapse delta folders (delta/<NN>/*.sql, *.sql.postgres, *.sql.sqlite)"
            }
            Convention::Configured => "configured directory (natural file-name order)",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SetFile {
    pub path: PathBuf,
    /// Path relative to the set directory, `/`-separated (as messages show it).
    pub name: String,
    /// A down/undo migration: not replayed, exempt from the drop rules by default.
    pub down: bool,
}

#[derive(Clone, Debug)]
pub struct MigrationSet {
    pub dir: PathBuf,
    pub convention: Convention,
    /// In the order they run (down files right after their up file).
    pub files: Vec<SetFile>,
    /// A schema dump found beside the set, replayed first.
    pub seed: Option<PathBuf>,
}

impl MigrationSet {
    pub fn position(&self, path: &Path) -> Option<usize> {
        self.files.iter().position(|f| f.path == path)
    }
}

/// Numeric-aware comparison: `2_x` < `10_x`, `V1.9` < `V1.10`.
pub fn natural_cmp(a: &str, b: &str) -> Ordering {
    let (ab, bb) = (a.as_bytes(), b.as_bytes());
    let (mut i, mut j) = (0, 0);
    while i < ab.len() && j < bb.len() {
        if ab[i].is_ascii_digit() && bb[j].is_ascii_digit() {
            let si = i;
            while i < ab.len() && ab[i].is_ascii_digit() {
                i += 1;
            }
            let sj = j;
            while j < bb.len() && bb[j].is_ascii_digit() {
                j += 1;
            }
            let na = a[si..i].trim_start_matches('0');
            let nb = b[sj..j].trim_start_matches('0');
            let o = na.len().cmp(&nb.len()).then_with(|| na.cmp(nb));
            if o != Ordering::Equal {
                return o;
            }
        } else {
            let o = ab[i].to_ascii_lowercase().cmp(&bb[j].to_ascii_lowercase());
            if o != Ordering::Equal {
                return o;
            }
            i += 1;
            j += 1;
        }
    }
    (ab.len() - i).cmp(&(bb.len() - j)).then_with(|| a.cmp(b))
}

fn is_sql(name: &str) -> bool {
    name.to_ascii_lowercase().ends_with(".sql")
}

/// A file of a synapse delta folder: `*.sql`, or one dialect's `*.sql.postgres` /
/// `*.sql.sqlite`.
fn synapse_file(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    is_sql(name) || lower.ends_with(".sql.postgres") || lower.ends_with(".sql.sqlite")
}

fn all_digits(name: &str) -> bool {
    !name.is_empty() && name.bytes().all(|b| b.is_ascii_digit())
}

fn starts_with_digit(name: &str) -> bool {
    name.chars().next().is_some_and(|c| c.is_ascii_digit())
}

/// Flyway file: (class 0 versioned/undo, 1 repeatable; sort key; undo).
fn flyway(name: &str) -> Option<(u8, String, bool)> {
    if !is_sql(name) {
        return None;
    }
    let (prefix, rest) = name.split_at_checked(1)?;
    let (version, desc) = rest.split_once("__")?;
    match prefix {
        "V" | "v" | "U" | "u" if starts_with_digit(version) => {
            let v = version.replace('_', ".");
            Some((0, v, prefix.eq_ignore_ascii_case("u")))
        }
        "R" | "r" if version.is_empty() => Some((1, desc.to_string(), false)),
        _ => None,
    }
}

fn golang(name: &str) -> Option<(String, bool)> {
    let lower = name.to_ascii_lowercase();
    let (base, down) = if let Some(b) = lower.strip_suffix(".up.sql") {
        (b, false)
    } else {
        (lower.strip_suffix(".down.sql")?, true)
    };
    (starts_with_digit(base) && base.contains('_')).then(|| (base.to_string(), down))
}

fn numbered(name: &str) -> bool {
    let digits = name.chars().take_while(|c| c.is_ascii_digit()).count();
    digits > 0 && is_sql(name) && name[digits..].starts_with(['_', '-', '.'])
}

fn list(dir: &Path) -> (Vec<String>, Vec<String>) {
    let mut files = Vec::new();
    let mut dirs = Vec::new();
    if let Ok(rd) = std::fs::read_dir(dir) {
        for e in rd.flatten() {
            let Some(name) = e.file_name().to_str().map(str::to_string) else {
                continue;
            };
            match e.file_type() {
                Ok(t) if t.is_dir() => dirs.push(name),
                Ok(t) if t.is_file() => files.push(name),
                _ => {}
            }
        }
    }
    files.sort();
    dirs.sort();
    (files, dirs)
}

fn head_contains(path: &Path, needle: &str) -> bool {
    use std::io::Read;
    let mut buf = vec![0; 4096];
    let n = std::fs::File::open(path)
        .and_then(|mut f| f.read(&mut buf))
        .unwrap_or(0);
    String::from_utf8_lossy(&buf[..n])
        .to_ascii_lowercase()
        .contains(needle)
}

fn seed_for(dir: &Path) -> Option<PathBuf> {
    let mut candidates = vec![dir.join("schema.sql"), dir.join("structure.sql")];
    if let Some(parent) = dir.parent() {
        candidates.push(parent.join("schema.sql"));
        candidates.push(parent.join("structure.sql"));
    }
    candidates.into_iter().find(|p| p.is_file())
}

/// Sort by a natural key, then down after up, then name.
fn ordered(dir: &Path, mut v: Vec<(u8, String, bool, String)>) -> Vec<SetFile> {
    v.sort_by(|a, b| {
        a.0.cmp(&b.0)
            .then_with(|| natural_cmp(&a.1, &b.1))
            .then_with(|| a.2.cmp(&b.2))
            .then_with(|| natural_cmp(&a.3, &b.3))
    });
    v.into_iter()
        .map(|(_, _, down, name)| SetFile {
            path: name
                .split('/')
                .fold(dir.to_path_buf(), |p, part| p.join(part)),
            name,
            down,
        })
        .collect()
}

/// `dir` as the root of a migration set, by convention.
pub fn detect(dir: &Path) -> Option<MigrationSet> {
    let (files, dirs) = list(dir);
    let make = |convention, v: Vec<(u8, String, bool, String)>| {
        (!v.is_empty()).then(|| MigrationSet {
            dir: dir.to_path_buf(),
            convention,
            files: ordered(dir, v),
            seed: seed_for(dir),
        })
    };
    // synapse: `schema/<db>/delta/<NN>/*.sql`, by delta number then file name
    if dir.file_name().is_some_and(|n| n == "delta") {
        let mut v = Vec::new();
        for d in dirs.iter().filter(|d| all_digits(d)) {
            for f in list(&dir.join(d)).0.iter().filter(|f| synapse_file(f)) {
                v.push((0, d.clone(), false, format!("{d}/{f}")));
            }
        }
        if !v.is_empty() {
            return make(Convention::Synapse, v);
        }
    }
    // directory per migration
    let versioned_dirs: Vec<&String> = dirs.iter().filter(|d| starts_with_digit(d)).collect();
    let prisma: Vec<_> = versioned_dirs
        .iter()
        .filter(|d| dir.join(d).join("migration.sql").is_file())
        .map(|d| (0, d.to_string(), false, format!("{d}/migration.sql")))
        .collect();
    if !prisma.is_empty() {
        return make(Convention::Prisma, prisma);
    }
    let mut diesel = Vec::new();
    for d in &versioned_dirs {
        for (f, down) in [("up.sql", false), ("down.sql", true)] {
            if dir.join(d).join(f).is_file() {
                diesel.push((0, d.to_string(), down, format!("{d}/{f}")));
            }
        }
    }
    if !diesel.is_empty() {
        return make(Convention::Diesel, diesel);
    }
    let fly: Vec<_> = files
        .iter()
        .filter_map(|n| flyway(n).map(|(c, k, undo)| (c, k, undo, n.clone())))
        .collect();
    if fly.iter().any(|f| !f.2) {
        return make(Convention::Flyway, fly);
    }
    let go: Vec<_> = files
        .iter()
        .filter_map(|n| golang(n).map(|(k, down)| (0, k, down, n.clone())))
        .collect();
    if !go.is_empty() {
        return make(Convention::GolangMigrate, go);
    }
    let num: Vec<_> = files
        .iter()
        .filter(|n| numbered(n))
        .map(|n| {
            let down = is_down_migration(Path::new(n));
            let base = n
                .to_ascii_lowercase()
                .trim_end_matches(".sql")
                .trim_end_matches("_down")
                .trim_end_matches("_up")
                .to_string();
            (0, base, down, n.clone())
        })
        .collect();
    let first = num.first()?;
    let convention = if head_contains(&dir.join(&first.3), "-- migrate:up") {
        Convention::Dbmate
    } else if dir.ends_with("supabase/migrations") {
        Convention::Supabase
    } else if files.iter().any(|f| f == "0001_initial.sql") {
        Convention::Django
    } else {
        Convention::Numbered
    };
    make(convention, num)
}

/// A configured directory: its convention when one is recognised, otherwise every SQL file
/// in it and its direct subdirectories, in natural order of the relative path.
pub fn configured(dir: &Path) -> MigrationSet {
    if let Some(mut s) = detect(dir) {
        if s.convention == Convention::Numbered {
            s.convention = Convention::Configured;
        }
        return s;
    }
    let (files, dirs) = list(dir);
    let mut v = Vec::new();
    for f in files.iter().filter(|f| is_sql(f)) {
        if f == "schema.sql" || f == "structure.sql" {
            continue;
        }
        v.push((0, f.clone(), is_down_migration(Path::new(f)), f.clone()));
    }
    for d in &dirs {
        for f in list(&dir.join(d)).0.iter().filter(|f| is_sql(f)) {
            let rel = format!("{d}/{f}");
            v.push((0, d.clone(), is_down_migration(Path::new(&rel)), rel));
        }
    }
    MigrationSet {
        dir: dir.to_path_buf(),
        convention: Convention::Configured,
        files: ordered(dir, v),
        seed: seed_for(dir),
    }
}

/// Directories that could be the root of the set holding `file`, most specific first.
pub fn candidate_dirs(file: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let Some(parent) = file.parent() else {
        return out;
    };
    let name = file
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or_default();
    let parent_versioned = parent
        .file_name()
        .and_then(|n| n.to_str())
        .is_some_and(starts_with_digit);
    if parent_versioned
        && matches!(name, "migration.sql" | "up.sql" | "down.sql")
        && let Some(gp) = parent.parent()
    {
        out.push(gp.to_path_buf());
    }
    // synapse: `delta/<NN>/<file>`
    if let Some(gp) = parent.parent()
        && gp.file_name().is_some_and(|n| n == "delta")
        && parent
            .file_name()
            .and_then(|n| n.to_str())
            .is_some_and(all_digits)
    {
        out.push(gp.to_path_buf());
    }
    out.push(parent.to_path_buf());
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn natural_order() {
        let mut v = vec![
            "10_c.sql",
            "2_b.sql",
            "1_a.sql",
            "001_z.sql",
            "V1.10__x",
            "V1.9__y",
        ];
        v.sort_by(|a, b| natural_cmp(a, b));
        assert_eq!(
            v,
            vec![
                "1_a.sql",
                "001_z.sql",
                "2_b.sql",
                "10_c.sql",
                "V1.9__y",
                "V1.10__x"
            ]
        );
    }

    #[test]
    fn names() {
        assert_eq!(flyway("V1_1__x.sql"), Some((0, "1.1".to_string(), false)));
        assert_eq!(flyway("U2__x.sql"), Some((0, "2".to_string(), true)));
        assert_eq!(
            flyway("R__views.sql"),
            Some((1, "views.sql".to_string(), false))
        );
        assert_eq!(flyway("Vacuum__x.sql"), None);
        assert_eq!(
            golang("0001_init.up.sql"),
            Some(("0001_init".to_string(), false))
        );
        assert_eq!(
            golang("0001_init.down.sql"),
            Some(("0001_init".to_string(), true))
        );
        assert_eq!(golang("init.up.sql"), None);
        assert!(numbered("001_init.sql"));
        assert!(numbered("20240101120000_x.sql"));
        assert!(!numbered("init.sql"));
        assert!(!numbered("2fa.sql"));
    }
}
