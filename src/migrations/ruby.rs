//! Rails migration sets: `db/migrate/<timestamp>_name.rb`, run in timestamp order (the file
//! name's leading digits); `db/schema.rb` or `db/structure.sql` beside `db/migrate/` seeds
//! the model.

use std::path::{Path, PathBuf};

/// Is `path` a Rails migration by where it sits: `…/db/migrate/<digits>_name.rb` (also a
/// second database's `db/<name>_migrate/`).
pub fn is_rails_migration(path: &Path) -> bool {
    // asked three times per file of a run (walk, run, set listing): the text of the path's
    // last three parts when they are plain names (what `Path` would find), else `Path`
    if let Some(text) = path.to_str() {
        let mut parts = text.rsplit('/');
        if let (Some(name), Some(dir), Some(db)) = (parts.next(), parts.next(), parts.next())
            && [name, dir, db]
                .iter()
                .all(|p| !matches!(*p, "" | "." | ".."))
        {
            return name.ends_with(".rb")
                && name.starts_with(|c: char| c.is_ascii_digit())
                && (dir == "migrate" || dir.ends_with("_migrate"))
                && db == "db";
        }
    }
    by_path(path)
}

/// [`is_rails_migration`] by `Path`'s components.
fn by_path(path: &Path) -> bool {
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or_default();
    if !name.ends_with(".rb") || !name.starts_with(|c: char| c.is_ascii_digit()) {
        return false;
    }
    let Some(dir) = path.parent() else {
        return false;
    };
    dir.file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|n| n == "migrate" || n.ends_with("_migrate"))
        && dir
            .parent()
            .and_then(Path::file_name)
            .is_some_and(|p| p == "db")
}

/// The migration files of the set directory `dir`, in the order they run.
pub fn set_files(dir: &Path) -> Vec<PathBuf> {
    super::listing::natural(dir, is_rails_migration)
}

/// What seeds a set's model: `db/schema.rb` (Ruby) or `db/structure.sql` (SQL) beside the
/// migrations directory (`db/<name>_schema.rb` for `db/<name>_migrate/`).
pub enum Seed {
    SchemaRb(PathBuf),
    StructureSql(PathBuf),
}

pub fn seed(dir: &Path) -> Option<Seed> {
    let db = dir.parent()?;
    let prefix = dir
        .file_name()
        .and_then(|n| n.to_str())
        .and_then(|n| n.strip_suffix("migrate"))
        .unwrap_or("");
    let rb = db.join(format!("{prefix}schema.rb"));
    if rb.is_file() {
        return Some(Seed::SchemaRb(rb));
    }
    let sql = db.join(format!("{prefix}structure.sql"));
    sql.is_file().then_some(Seed::StructureSql(sql))
}

/// The project's database from `config/database.yml` (the first `adapter:`), when it says.
pub fn adapter(dir: &Path) -> Option<String> {
    let yml = dir.parent()?.parent()?.join("config").join("database.yml");
    let text = std::fs::read_to_string(yml).ok()?;
    text.lines().find_map(|l| {
        let v = l.trim().strip_prefix("adapter:")?.trim();
        let v = v.trim_matches(|c| c == '"' || c == '\'');
        (!v.is_empty() && !v.contains("<%")).then(|| v.to_string())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn where_rails_migrations_sit() {
        assert!(is_rails_migration(Path::new(
            "app/db/migrate/20240101000000_add_x.rb"
        )));
        assert!(is_rails_migration(Path::new(
            "db/cache_migrate/20240101000000_add_x.rb"
        )));
        assert!(!is_rails_migration(Path::new("db/migrate/helper.rb")));
        assert!(!is_rails_migration(Path::new("lib/migrate/2024_x.rb")));
        assert!(!is_rails_migration(Path::new("db/seeds.rb")));
    }

    /// The text shortcut says what `Path`'s components say, odd paths included.
    #[test]
    fn the_text_shortcut_agrees_with_path() {
        let parts = [
            "",
            ".",
            "..",
            "db",
            "DB",
            "migrate",
            "x_migrate",
            "_migrate",
            "migrates",
            "1.rb",
            "2024_x.rb",
            "1.RB",
            "x1.rb",
            "1.rb.bak",
            "a b",
            "é",
        ];
        let mut n = 0;
        for lead in ["", "/", "./", "../", "app/", "/tmp//app/"] {
            for a in parts {
                for b in parts {
                    for c in parts {
                        for tail in ["", "/", "/.", "//"] {
                            let t = format!("{lead}{a}/{b}/{c}{tail}");
                            let p = Path::new(&t);
                            assert_eq!(is_rails_migration(p), by_path(p), "{t:?}");
                            n += 1;
                        }
                    }
                }
            }
        }
        assert!(n > 90_000);
        for t in [
            "1.rb",
            "migrate/1.rb",
            "db/migrate/1.rb",
            "/db/migrate/1.rb",
            "//1.rb",
        ] {
            assert_eq!(
                is_rails_migration(Path::new(t)),
                by_path(Path::new(t)),
                "{t}"
            );
        }
        assert!(is_rails_migration(Path::new("./db/migrate/1_x.rb")));
    }
}
