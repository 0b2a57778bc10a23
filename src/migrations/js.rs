//! Migration sets written in JavaScript / TypeScript: Knex (`migrations/*.js|ts`), TypeORM
//! (`migrations/<timestamp>-Name.ts`, also one folder per database below `migrations/`) and
//! Sequelize (`migrations/*.js`). Which files belong to a set, and in what order they run:
//! all three order by file name, whose leading timestamp is the order.

use std::path::{Path, PathBuf};

/// File extensions read as JavaScript / TypeScript.
pub const EXTENSIONS: &[&str] = &["js", "ts", "mjs", "cjs", "mts", "cts"];

/// Is `path` a JS/TS migration by where it sits: a `.js|.ts` file (not `.d.ts`, not an
/// `index`) in a `migrations` directory or one level below it. Other JS/TS files are never
/// read as migrations.
pub fn is_js_migration(path: &Path) -> bool {
    let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
        return false;
    };
    let Some((stem, ext)) = name.rsplit_once('.') else {
        return false;
    };
    if !EXTENSIONS.contains(&ext.to_ascii_lowercase().as_str())
        || stem.ends_with(".d")
        || stem == "index"
        || stem.ends_with(".test")
        || stem.ends_with(".spec")
    {
        return false;
    }
    path.ancestors()
        .skip(1)
        .take(2)
        .any(|a| a.file_name().is_some_and(|n| n == "migrations"))
}

/// The JS/TS migration files of the set directory `dir`, by name.
pub fn set_files(dir: &Path) -> Vec<PathBuf> {
    super::listing::natural(dir, is_js_migration)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_files_in_migrations_folders() {
        for yes in [
            "db/migrations/20211005_create_users.js",
            "src/database/migrations/postgres/1693891895163-Init.ts",
            "server/migrations/20160619080644-initial.js",
        ] {
            assert!(is_js_migration(Path::new(yes)), "{yes}");
        }
        for no in [
            "src/app.js",
            "src/migrations.ts",
            "db/migrations/index.ts",
            "db/migrations/types.d.ts",
            "db/migrations/helper.test.ts",
            "a/migrations/b/c/d.js",
            "db/migrations/readme.md",
        ] {
            assert!(!is_js_migration(Path::new(no)), "{no}");
        }
    }
}
