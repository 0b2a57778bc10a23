//! `--references PATH…`: how often the old name of a renamed column or table still appears
//! in application code (word-boundary match; migration files and binary files are skipped).

use crate::run::Outcome;
use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;

/// Files larger than this are not searched (generated bundles, dumps).
const MAX_FILE: u64 = 4 * 1024 * 1024;

/// Occurrences of one word: (file, 1-based line) in walk order.
type Places = Vec<(String, usize)>;

fn is_ident(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_'
}

/// 1-based lines on which `word` occurs as a whole identifier (case-sensitive: code).
fn lines_with(text: &[u8], word: &str) -> Vec<usize> {
    let w = word.as_bytes();
    let mut out = Vec::new();
    if w.is_empty() || text.len() < w.len() {
        return out;
    }
    let mut line = 1;
    let mut last_line = 0;
    let mut i = 0;
    while i + w.len() <= text.len() {
        if text[i] == b'\n' {
            line += 1;
        } else if text[i..i + w.len()] == *w
            && (i == 0 || !is_ident(text[i - 1]))
            && text.get(i + w.len()).is_none_or(|&c| !is_ident(c))
        {
            if line != last_line {
                out.push(line);
                last_line = line;
            }
            i += w.len();
            continue;
        }
        i += 1;
    }
    out
}

/// Search `roots` for every word, skipping migrations (files of a migration set, or under a
/// `migrations`/`migrate` directory), binary and very large files.
pub fn search(words: &[String], roots: &[PathBuf]) -> BTreeMap<String, Places> {
    let mut found: BTreeMap<String, Places> =
        words.iter().map(|w| (w.clone(), Vec::new())).collect();
    let mut sets: HashMap<PathBuf, Option<super::MigrationSet>> = HashMap::new();
    for root in roots {
        for entry in ignore::WalkBuilder::new(root)
            .hidden(true)
            .build()
            .flatten()
        {
            if !entry.file_type().is_some_and(|t| t.is_file())
                || entry.metadata().map_or(true, |m| m.len() > MAX_FILE)
            {
                continue;
            }
            let path = entry.path();
            let under_migrations = path.components().any(|c| {
                let s = c.as_os_str().to_string_lossy().to_ascii_lowercase();
                s == "migrations" || s == "migrate"
            });
            let in_set = super::detect::candidate_dirs(path).into_iter().any(|d| {
                sets.entry(d.clone())
                    .or_insert_with(|| super::detect::detect(&d))
                    .as_ref()
                    .is_some_and(|s| s.position(path).is_some())
            });
            if under_migrations || in_set {
                continue;
            }
            let Ok(bytes) = std::fs::read(path) else {
                continue;
            };
            if bytes.iter().take(8192).any(|&b| b == 0) {
                continue;
            }
            for (w, places) in found.iter_mut() {
                for line in lines_with(&bytes, w) {
                    places.push((path.to_string_lossy().to_string(), line));
                }
            }
        }
    }
    found
}

/// Add the count of application-code uses of each renamed object's old name to its finding.
pub fn annotate(outcome: &mut Outcome, roots: &[PathBuf]) {
    let old_name = |d: &crate::diagnostic::Diagnostic| {
        d.extra
            .as_ref()
            .and_then(|e| e.get("renamed"))
            .and_then(|r| r.get("from"))
            .and_then(|f| f.as_str())
            .map(str::to_string)
    };
    let mut words: Vec<String> = outcome
        .files
        .iter()
        .flat_map(|f| f.diagnostics.iter().filter_map(old_name))
        .collect();
    words.sort();
    words.dedup();
    if words.is_empty() {
        return;
    }
    let found = search(&words, roots);
    for f in &mut outcome.files {
        for d in &mut f.diagnostics {
            let Some(w) = old_name(d) else { continue };
            let Some(places) = found.get(&w) else {
                continue;
            };
            let mut files: Vec<&str> = places.iter().map(|(f, _)| f.as_str()).collect();
            files.dedup();
            if places.is_empty() {
                d.message
                    .push_str(&format!("; `{w}` does not appear in the code searched"));
            } else {
                let shown: Vec<String> = places
                    .iter()
                    .take(5)
                    .map(|(f, l)| format!("{f}:{l}"))
                    .collect();
                d.message.push_str(&format!(
                    "; `{w}` appears in {} {} in {} {} ({}{})",
                    places.len(),
                    if places.len() == 1 { "place" } else { "places" },
                    files.len(),
                    if files.len() == 1 { "file" } else { "files" },
                    shown.join(", "),
                    if places.len() > 5 { ", …" } else { "" }
                ));
            }
            if let Some(extra) = d.extra.as_mut() {
                extra.insert(
                    "references".to_string(),
                    serde_json::json!(
                        places
                            .iter()
                            .map(|(f, l)| serde_json::json!({"file": f, "line": l}))
                            .collect::<Vec<_>>()
                    ),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn word_boundaries() {
        let t = b"a.customer_id = 1\ncustomer_ids\nx_customer_id\n\"customer_id\" customer_id\n";
        assert_eq!(lines_with(t, "customer_id"), vec![1, 4]);
        assert!(lines_with(b"", "x").is_empty());
    }
}
