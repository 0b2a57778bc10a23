//! A whole run: discovered files → read (in parallel) → check → filter → sorted outcome.

use crate::check::{FileFacts, check_source_keep};
pub use crate::config::PerFile;
use crate::diagnostic::Diagnostic;
use crate::discover::Discovered;
pub use crate::outcome::{FileError, FileOutcome, Outcome};
pub use crate::settings::{RuleFilter, Settings};
use crate::source::{Lang, Source};
pub use sets::explain_order;

mod files;
pub use files::{RunFiles, read_file};
pub mod js;
mod orm_set;
pub mod php;
pub mod python;
mod reported;
pub mod ruby;
pub(crate) mod sets;
use rayon::prelude::*;

/// Where the outcomes of a streaming run go, each as soon as its set's check gives it.
pub type Sink<'s> = &'s (dyn Fn(Result<FileOutcome, FileError>) + Sync);

/// "statement could not be parsed: …" → "statement could not be parsed, read as MySQL (file
/// name `*.mysql.*`): …", so a wrong dialect choice is visible where it hurts.
fn annotate_parse_errors(choice: &crate::sql::dialect::Choice, diags: &mut [Diagnostic]) {
    const PREFIX: &str = "statement could not be parsed";
    for d in diags.iter_mut().filter(|d| d.rule == "parse-error") {
        if let Some(rest) = d.message.strip_prefix(PREFIX) {
            d.message = format!("{PREFIX}, {}{rest}", choice.describe());
        }
    }
}

/// Bytes → text: lossy decode, with a diagnostic naming the first invalid byte.
pub fn decode(bytes: Vec<u8>) -> (String, Option<Diagnostic>) {
    match String::from_utf8(bytes) {
        Ok(s) => (s, None),
        Err(e) => {
            let at = e.utf8_error().valid_up_to();
            let text = String::from_utf8_lossy(e.as_bytes()).into_owned();
            let line_end = text[at..].find('\n').map_or(text.len(), |i| at + i);
            let d = Diagnostic::new(
                "parse-error",
                crate::source::Span::new(at, line_end.max(at)),
                format!("file is not valid UTF-8 (first invalid byte at offset {at})"),
            )
            .label("invalid bytes were replaced with U+FFFD")
            .help("the rest of the file was still checked; save it as UTF-8 to silence this");
            (text, Some(d))
        }
    }
}

/// Is this binary data rather than text? (a NUL byte in the first 8 KiB)
pub fn looks_binary(bytes: &[u8]) -> bool {
    bytes[..bytes.len().min(8192)].contains(&0)
}

/// Check one in-memory source (stdin, hook content).
pub fn check_text(
    path: &str,
    bytes: Vec<u8>,
    lang: Lang,
    facts: FileFacts,
    settings: &Settings,
) -> Result<FileOutcome, FileError> {
    check_text_in(path, bytes, lang, facts, settings, None)
}

/// A file's bytes read as text, once: binary data is refused; invalid UTF-8 is replaced and
/// reported by the diagnostic.
pub fn sniff(path: &str, bytes: Vec<u8>) -> Result<(String, Option<Diagnostic>), FileError> {
    if looks_binary(&bytes) {
        return Err(FileError {
            file: path.to_string(),
            message: "binary file (contains NUL bytes); not checked".to_string(),
        });
    }
    Ok(decode(bytes))
}

/// [`check_text`] as one file of a migration set: `replay` carries the schema built by the
/// earlier files of the set.
pub fn check_text_in(
    path: &str,
    bytes: Vec<u8>,
    lang: Lang,
    facts: FileFacts,
    settings: &Settings,
    replay: Option<&mut crate::check::replay::Replay>,
) -> Result<FileOutcome, FileError> {
    let text = sniff(path, bytes)?;
    Ok(check_sniffed_in(path, text, lang, facts, settings, replay))
}

/// [`check_text_in`] for text already [`sniff`]ed.
pub fn check_sniffed_in(
    path: &str,
    (text, utf8_diag): (String, Option<Diagnostic>),
    lang: Lang,
    facts: FileFacts,
    settings: &Settings,
    replay: Option<&mut crate::check::replay::Replay>,
) -> FileOutcome {
    // a file on its own gets a schema of its own; a shell script reads none (it is built
    // only for the other languages)
    let mut local = None;
    let mut replay = match replay {
        Some(r) => Some(r),
        None if lang == Lang::Shell => None,
        None => {
            let r = local.insert(crate::check::replay::Replay::new(settings.check_down));
            r.next_file("", facts.down);
            Some(r)
        }
    };
    let source = Source {
        path: path.to_string(),
        text,
        lang,
    };
    let not_parsed_before = replay.as_ref().map_or(0, |r| r.not_parsed);
    // the dialect by path and content is an SQL file's alone (its scan is skipped otherwise)
    let choice = (lang == Lang::Sql).then(|| settings.dialect_for(path, &source.text));
    let dialect = match (&choice, lang) {
        (Some(c), _) => c.dialect,
        (None, _) => settings.dialect,
    };
    let (mut diagnostics, statements) = if lang == Lang::Shell {
        let mut env = match &settings.shell_env {
            Some(e) => e.clone(),
            None => {
                let path = std::path::Path::new(path);
                crate::shell::env::Env {
                    in_run: settings.in_run.clone(),
                    // the working directory read once for the run
                    ..match &settings.in_run {
                        Some(run) => crate::shell::env::Env::script_from(path, run.cwd()),
                        None => crate::shell::env::Env::script(path),
                    }
                }
            }
        };
        // `[[per-file]] shell-options`: what the caller sets for this script
        for pf in settings
            .filter
            .per_file
            .iter()
            .filter(|pf| pf.matches(path))
        {
            env.errexit |= pf.shell_options.iter().any(|o| o == "errexit");
            env.nounset |= pf.shell_options.iter().any(|o| o == "nounset");
        }
        (
            crate::check::shell::check_in(&source.text, dialect, &env),
            Vec::new(),
        )
    } else {
        check_source_keep(&source, dialect, facts, replay.as_deref_mut())
    };
    if let Some(choice) = &choice {
        annotate_parse_errors(choice, &mut diagnostics);
        if crate::migrations::prisma::is_prisma_migration(std::path::Path::new(path)) {
            crate::migrations::prisma::cite(&source.text, &mut diagnostics);
        }
    }
    diagnostics.extend(utf8_diag);
    if !settings.hook {
        crate::rules::shell::opaque_execution::outside_hook(&mut diagnostics);
    }
    let applied = crate::suppress::apply(&source.text, lang, settings.dialect, diagnostics);
    let mut diagnostics = applied.kept;
    let mut suppressed = applied.suppressed;
    settings.filter.apply_for(&source.path, &mut diagnostics);
    // only findings that would have been reported count as suppressed
    settings.filter.apply_for(&source.path, &mut suppressed);
    // one finding per problem, after suppressions and --select/--ignore
    crate::fold::fold(&mut diagnostics);
    let text = if diagnostics.is_empty() && suppressed.is_empty() && !settings.keep_text {
        String::new()
    } else {
        source.text
    };
    FileOutcome {
        path: source.path,
        text,
        lang,
        diagnostics,
        suppressed,
        not_parsed: replay.map_or(0, |r| r.not_parsed - not_parsed_before),
        // the live check measures these statements (instead of analysing the text again)
        statements: if settings.keep_text {
            statements
        } else {
            Vec::new()
        },
    }
}

/// `settings` knowing the files of this run: a shell command that runs one of them does not
/// repeat its findings (they are reported in that file).
pub fn with_run_files(files: &[Discovered], settings: &Settings) -> Settings {
    let mut own = settings.clone();
    // their canonical paths are worked out only when a command runs a file
    own.in_run = Some(std::sync::Arc::new(RunFiles::new(files)));
    own
}

/// Read and check discovered files in parallel; the files of one migration set are checked
/// in order against a shared schema (sets run in parallel with each other, and each set
/// parses its files ahead in parallel; other files follow).
pub fn run(files: &[Discovered], settings: &Settings) -> Outcome {
    let settings = &with_run_files(files, settings);
    let (py, files): (Vec<&Discovered>, Vec<&Discovered>) =
        files.iter().partition(|f| f.lang == Lang::Python);
    let (js, files): (Vec<&Discovered>, Vec<&Discovered>) =
        files.into_iter().partition(|f| f.lang == Lang::Js);
    let (php, files): (Vec<&Discovered>, Vec<&Discovered>) =
        files.into_iter().partition(|f| f.lang == Lang::Php);
    let (rb, files): (Vec<&Discovered>, Vec<&Discovered>) =
        files.into_iter().partition(|f| f.lang == Lang::Ruby);
    let files: Vec<Discovered> = files.into_iter().cloned().collect();
    let (files, sets) = crate::migrations::plan(&files, &settings.migrations);
    let sets = crate::migrations::dialects::split(sets);
    let mut set_results: Vec<Result<FileOutcome, FileError>> = sets
        .par_iter()
        .flat_map_iter(|s| sets::check_set(s, settings))
        .collect();
    set_results.extend(python::check_sets(&py, settings));
    set_results.extend(js::check_sets(&js, settings));
    set_results.extend(php::check_sets(&php, settings));
    set_results.extend(ruby::check_sets(&rb, settings));
    let results: Vec<Result<FileOutcome, FileError>> = files
        .par_iter()
        .map(|f| {
            let bytes = read_file(&f.path).map_err(|e| FileError {
                file: f.display.clone(),
                message: format!("cannot read: {e}"),
            })?;
            let facts = FileFacts {
                down: f.down && !settings.check_down,
            };
            check_text(&f.display, bytes, f.lang, facts, settings)
        })
        .collect();
    let mut out = Outcome::default();
    for r in results.into_iter().chain(set_results) {
        match r {
            Ok(f) => {
                out.files_checked += 1;
                out.suppressed += f.suppressed.len();
                out.not_parsed += f.not_parsed;
                out.files.push(f);
            }
            Err(e) => out.errors.push(e),
        }
    }
    out.sort();
    out
}

/// A set member's name relative to its set's directory, with `/` separators.
pub(crate) fn file_name(dir: &std::path::Path, f: &std::path::Path) -> String {
    // a listed member is `dir` joined with a plain name: that name, without the component
    // walk `strip_prefix` does
    if let (Some(d), Some(t)) = (dir.to_str(), f.to_str())
        && !d.is_empty()
        && let Some(rest) = t.strip_prefix(d).and_then(|r| r.strip_prefix('/'))
        && !matches!(rest, "" | "." | "..")
        && !rest.contains('/')
    {
        return rest.replace('\\', "/");
    }
    f.strip_prefix(dir)
        .unwrap_or(f)
        .to_string_lossy()
        .replace('\\', "/")
}

#[cfg(test)]
mod file_name_tests {
    use std::path::Path;

    /// The text shortcut of `file_name` gives what `strip_prefix` gives.
    #[test]
    fn member_names_as_strip_prefix_gives_them() {
        let slow = |d: &Path, f: &Path| {
            f.strip_prefix(d)
                .unwrap_or(f)
                .to_string_lossy()
                .replace('\\', "/")
        };
        let dirs = [
            "",
            ".",
            "/",
            "db/migrate",
            "db/migrate/",
            "./db//migrate",
            "a/.",
            "a/..",
            "/x",
        ];
        let names = [
            "1_x.rb", ".", "..", "", "a\\b.rb", "a/b.rb", "é.rb", "/abs.rb",
        ];
        for d in dirs {
            for n in names {
                let dir = Path::new(d);
                for f in [dir.join(n), Path::new(&format!("{d}/{n}")).to_path_buf()] {
                    assert_eq!(super::file_name(dir, &f), slow(dir, &f), "{d:?} {f:?}");
                }
            }
        }
    }
}
