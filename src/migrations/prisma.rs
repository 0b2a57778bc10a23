//! Prisma migrations (`<migrations>/<timestamp>_name/migration.sql` beside a Prisma schema):
//! `prisma migrate dev` writes a `/* Warnings: … */` header listing what the migration may
//! lose or break ("You are about to drop the column `x` on the `T` table…"). A finding on a
//! statement the header warns about cites that warning (a label on the header's line).

use crate::diagnostic::{Diagnostic, Label};
use crate::source::Span;
use std::path::Path;

/// One `- …` bullet of the header: its text (lines joined) and where it is.
#[derive(Debug, Clone, PartialEq)]
pub struct Warning {
    pub text: String,
    pub span: Span,
    /// The names Prisma quotes in backticks (column, table, enum).
    pub names: Vec<String>,
}

/// Is `path` a `migration.sql` in a Prisma migrations folder: its directory is
/// `<digits>_name`, and the folder above holds `migration_lock.toml`, or a `*.prisma`
/// schema sits beside that folder (or in a `schema/` directory beside it).
pub fn is_prisma_migration(path: &Path) -> bool {
    if path.file_name().is_none_or(|n| n != "migration.sql") {
        return false;
    }
    let Some(dir) = path.parent() else {
        return false;
    };
    let timestamped = dir.file_name().and_then(|n| n.to_str()).is_some_and(|n| {
        n.split_once('_')
            .is_some_and(|(ts, _)| ts.len() >= 8 && ts.bytes().all(|b| b.is_ascii_digit()))
    });
    let Some(folder) = dir.parent().filter(|_| timestamped) else {
        return false;
    };
    if folder.join("migration_lock.toml").is_file() {
        return true;
    }
    let Some(root) = folder.parent() else {
        return false;
    };
    [root.to_path_buf(), root.join("schema"), root.join("prisma")]
        .iter()
        .any(|d| has_prisma_file(d))
}

fn has_prisma_file(dir: &Path) -> bool {
    std::fs::read_dir(dir).is_ok_and(|rd| {
        rd.flatten().any(|e| {
            e.path()
                .extension()
                .is_some_and(|x| x.eq_ignore_ascii_case("prisma"))
        })
    })
}

/// The bullets of a leading `/* Warnings: … */` comment (none without one).
pub fn warnings(text: &str) -> Vec<Warning> {
    let lead = text.len() - text.trim_start().len();
    let body_start = lead + 2;
    if !text[lead..].starts_with("/*") {
        return Vec::new();
    }
    let Some(end) = text[body_start..].find("*/").map(|i| body_start + i) else {
        return Vec::new();
    };
    let body = &text[body_start..end];
    if !body.trim_start().starts_with("Warnings:") {
        return Vec::new();
    }
    let mut out: Vec<Warning> = Vec::new();
    let mut pos = body_start;
    for line in body.split_inclusive('\n') {
        let trimmed = line.trim();
        let indent = line.len() - line.trim_start().len();
        let content_start = pos + indent;
        if let Some(rest) = trimmed.strip_prefix("- ") {
            out.push(Warning {
                text: rest.to_string(),
                span: Span::new(content_start + 2, content_start + trimmed.len()),
                names: Vec::new(),
            });
        } else if !trimmed.is_empty()
            && indent > 2
            && let Some(w) = out.last_mut()
        {
            // a bullet continued on the next line
            w.text.push(' ');
            w.text.push_str(trimmed);
            w.span.end = content_start + trimmed.len();
        }
        pos += line.len();
    }
    for w in &mut out {
        w.names = w
            .text
            .split('`')
            .skip(1)
            .step_by(2)
            .map(str::to_string)
            .collect();
    }
    out
}

/// The identifiers of the statement starting at `at` (up to its `;`), unquoted.
fn identifiers(text: &str, at: usize) -> Vec<&str> {
    let rest = text.get(at..).unwrap_or("");
    let stmt = &rest[..rest.find(';').unwrap_or(rest.len())];
    stmt.split(|c: char| !(c.is_alphanumeric() || c == '_' || c == '$'))
        .filter(|w| !w.is_empty())
        .collect()
}

/// Cite the header's warnings on the findings they describe: a finding whose statement and
/// message name everything the warning quotes (table and column) gets a label on it.
pub fn cite(text: &str, diagnostics: &mut [Diagnostic]) {
    let warns = warnings(text);
    if warns.is_empty() {
        return;
    }
    for d in diagnostics.iter_mut() {
        if d.span.start < warns[0].span.start {
            continue;
        }
        let ids = identifiers(text, d.span.start);
        for w in &warns {
            // the statement and the finding both name what the warning names (one ALTER
            // TABLE can drop one column and add another: each finding gets its own warning)
            if w.names.is_empty()
                || !w
                    .names
                    .iter()
                    .all(|n| ids.contains(&n.as_str()) && d.message.contains(n.as_str()))
            {
                continue;
            }
            if d.labels.iter().any(|l| l.span == w.span) {
                continue;
            }
            d.labels.push(Label {
                span: w.span,
                message: format!("Prisma's migration header warns: {}", short(&w.text)),
            });
        }
    }
}

fn short(s: &str) -> String {
    if s.chars().count() <= 160 {
        return s.to_string();
    }
    let cut: String = s.chars().take(157).collect();
    format!("{cut}…")
}

#[cfg(test)]
mod tests {
    use super::*;

    const SQL: &str = "/*\n  Warnings:\n\n  - You are about to drop the column `note` on the `Order` table. All the data in the column will be lost.\n  - The column `billing` on the `Org` table is being dropped, but its data IS being\n    preserved elsewhere.\n\n*/\n-- AlterTable\nALTER TABLE \"Order\" DROP COLUMN \"note\";\nALTER TABLE \"Order\" DROP COLUMN \"total\";\n";

    #[test]
    fn reads_the_header_bullets() {
        let w = warnings(SQL);
        assert_eq!(w.len(), 2);
        assert_eq!(w[0].names, ["note", "Order"]);
        assert_eq!(w[1].names, ["billing", "Org"]);
        assert!(w[1].text.ends_with("IS being preserved elsewhere."));
        assert!(SQL[w[0].span.start..w[0].span.end].starts_with("You are about"));
        assert!(warnings("-- no header\nDROP TABLE t;").is_empty());
        assert!(warnings("/* just a comment\n - x */\nDROP TABLE t;").is_empty());
    }

    #[test]
    fn cites_only_the_statement_the_warning_names() {
        let at = |s: &str| SQL.find(s).unwrap_or(0);
        let mut d = vec![
            Diagnostic::new(
                "drop-column",
                Span::new(at("ALTER TABLE \"Order\" DROP COLUMN \"note\""), 0),
                "DROP COLUMN deletes `\"Order\".note`",
            ),
            Diagnostic::new(
                "drop-column",
                Span::new(at("ALTER TABLE \"Order\" DROP COLUMN \"total\""), 0),
                "DROP COLUMN deletes `\"Order\".total`",
            ),
        ];
        cite(SQL, &mut d);
        assert_eq!(d[0].labels.len(), 1);
        assert!(d[0].labels[0].message.contains("drop the column `note`"));
        assert!(d[1].labels.is_empty());
    }
}
