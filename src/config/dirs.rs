//! `migrations = [...]` entries must name a directory (a path or a glob that matches one).

use super::{Config, ConfigError};
use std::path::Path;

/// A config error for the first `migrations` entry that matches no directory under `root`.
pub(super) fn check_migrations(
    cfg: &Config,
    display: &str,
    text: &str,
    root: &Path,
) -> Result<(), ConfigError> {
    for entry in &cfg.migrations {
        if !names_a_directory(root, entry) {
            let span = text
                .find(&format!("\"{entry}\""))
                .or_else(|| text.find(&format!("'{entry}'")))
                .map(|i| i..i + entry.len() + 2);
            return Err(ConfigError {
                path: display.to_string(),
                text: text.to_string(),
                span,
                message: format!("`migrations` entry `{entry}` matches no directory"),
                help: Some(format!(
                    "entries are directories (or globs such as `services/*/migrations`) \
                     relative to {}; remove it, or fix the path",
                    if root == Path::new(".") {
                        "the current directory".to_string()
                    } else {
                        root.display().to_string()
                    }
                )),
            });
        }
    }
    Ok(())
}

/// Does a `migrations` entry name an existing directory under `root`: the path itself, or,
/// as a glob (also matched at any depth, like the migration planner does), some directory
/// of the tree (walked with .gitignore rules, only when the plain path does not exist)?
fn names_a_directory(root: &Path, entry: &str) -> bool {
    let entry = entry.trim_end_matches('/');
    if root.join(entry).is_dir() {
        return true;
    }
    let mut b = globset::GlobSetBuilder::new();
    for pat in [entry.to_string(), format!("**/{entry}")] {
        match globset::GlobBuilder::new(&pat)
            .literal_separator(true)
            .build()
        {
            Ok(g) => {
                b.add(g);
            }
            // not a valid glob: the planner cannot match it either
            Err(_) => return false,
        }
    }
    let Ok(set) = b.build() else { return false };
    ignore::WalkBuilder::new(root)
        .hidden(false)
        .filter_entry(|e| {
            !matches!(
                e.file_name().to_str(),
                Some(".git" | "target" | "node_modules")
            )
        })
        .build()
        .flatten()
        .filter(|e| e.file_type().is_some_and(|t| t.is_dir()))
        .any(|e| {
            e.path()
                .strip_prefix(root)
                .is_ok_and(|rel| !rel.as_os_str().is_empty() && set.is_match(rel))
        })
}

/// `[dry-run] targets = [globs]`.
pub(super) fn dry_run_targets(
    cx: &super::Ctx,
    v: &toml::Spanned<toml::de::DeValue>,
) -> Result<Vec<String>, ConfigError> {
    let toml::de::DeValue::Table(t) = v.get_ref() else {
        return Err(cx.err(v.span(), "`dry-run` must be a table: [dry-run]", None));
    };
    let mut out = Vec::new();
    for (dk, dv) in t.iter() {
        if &**dk.get_ref() != "targets" {
            return Err(cx.err(
                dk.span(),
                "unknown key in [dry-run]",
                Some("expected `targets`".into()),
            ));
        }
        out = cx
            .strings("targets", dv)?
            .into_iter()
            .map(toml::Spanned::into_inner)
            .collect();
    }
    Ok(out)
}
