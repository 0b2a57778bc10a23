//! Streaming machine output: each file's findings are rendered as soon as the file is
//! checked (on the worker that checked it) and written in path order, so memory does not grow
//! with the number of findings. The bytes are exactly those of the `render` functions of
//! each format (a test holds them equal).
//!
//! JSON and SARIF put totals before the findings (`summary`, `invocations`): their findings
//! are spooled to an unlinked temporary file until the end (kept in memory only when no
//! temporary file can be created), then the document is written around them.

use super::located;
use crate::diagnostic::Severity;
use crate::run::{FileError, FileOutcome};
use std::io::{self, Read, Seek, Write};

/// Counts for summaries, known when the last file is done.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Totals {
    pub files_checked: usize,
    pub errors: usize,
    pub warnings: usize,
    pub suppressed: usize,
    /// Statements read by tokens only that cannot destroy data (`summary.not_parsed`).
    pub not_parsed: usize,
    /// Files the walk skipped by context ([`crate::context::Skipped`]): tests, vendored.
    pub skipped_tests: usize,
    pub skipped_vendored: usize,
}

impl Totals {
    /// The totals of a whole outcome (the buffered renderers).
    pub fn of(outcome: &crate::run::Outcome) -> Self {
        let mut totals = Totals {
            files_checked: outcome.files_checked,
            errors: outcome.count(Severity::Error),
            warnings: outcome.count(Severity::Warning),
            suppressed: outcome.suppressed,
            not_parsed: outcome.not_parsed,
            ..Default::default()
        };
        totals.set_skipped(&outcome.skipped);
        totals
    }

    /// `summary.skipped` / the human note: counts by context key, only those above zero.
    pub fn skipped(&self) -> std::collections::BTreeMap<String, usize> {
        [
            ("tests", self.skipped_tests),
            ("vendored", self.skipped_vendored),
        ]
        .into_iter()
        .filter(|(_, n)| *n > 0)
        .map(|(k, n)| (k.to_string(), n))
        .collect()
    }

    /// Set the skipped counts from a run's map.
    pub fn set_skipped(&mut self, skipped: &std::collections::BTreeMap<String, usize>) {
        self.skipped_tests = skipped.get("tests").copied().unwrap_or(0);
        self.skipped_vendored = skipped.get("vendored").copied().unwrap_or(0);
    }
}

/// The machine formats that stream.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Json,
    Sarif,
    Gitlab,
    Github,
    Concise,
}

/// One file, rendered: its items (array elements or lines) and its counts.
#[derive(Debug, Default)]
pub struct Chunk {
    items: Vec<String>,
    errors: usize,
    warnings: usize,
    suppressed: usize,
    not_parsed: usize,
}

impl Kind {
    /// Render one checked file (pure; runs on worker threads).
    pub fn chunk(self, f: &FileOutcome) -> Chunk {
        let files = std::slice::from_ref(f);
        let located = located(files);
        let count = |s| f.diagnostics.iter().filter(|d| d.severity == s).count();
        let items = match self {
            Kind::Json => located
                .iter()
                .map(|l| indented(&super::json::diagnostic(l), "    "))
                .collect(),
            Kind::Sarif => {
                let prints = super::fingerprints(&located);
                located
                    .iter()
                    .zip(&prints)
                    .map(|(l, fp)| indented(&super::sarif::result(l, fp), "        "))
                    .collect()
            }
            Kind::Gitlab => {
                let prints = super::fingerprints(&located);
                located
                    .iter()
                    .zip(&prints)
                    .map(|(l, fp)| indented(&super::gitlab::issue(l, fp), "  "))
                    .collect()
            }
            Kind::Github => located.iter().map(super::github::line).collect(),
            Kind::Concise => located.iter().map(super::concise::line).collect(),
        };
        Chunk {
            items,
            errors: count(Severity::Error),
            warnings: count(Severity::Warning),
            suppressed: f.suppressed.len(),
            not_parsed: f.not_parsed,
        }
    }
}

/// A value pretty-printed as serde_json would print it nested at `indent`.
fn indented(v: &serde_json::Value, indent: &str) -> String {
    // JSON strings never hold a raw newline, so every line break is structure: the printer
    // puts `indent` after each one itself (no second pass over the text)
    let mut out = Vec::with_capacity(1024);
    out.extend_from_slice(indent.as_bytes());
    let fmt = Nested {
        base: indent.as_bytes(),
        level: 0,
        has_value: false,
    };
    let mut ser = serde_json::Serializer::with_formatter(&mut out, fmt);
    if serde::Serialize::serialize(v, &mut ser).is_err() {
        return format!("{indent}null");
    }
    // serde_json writes UTF-8 only
    String::from_utf8(out).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

/// serde_json's `PrettyFormatter` (two spaces a level) with every line after the first
/// starting with `base`.
struct Nested<'a> {
    base: &'a [u8],
    level: usize,
    has_value: bool,
}

impl Nested<'_> {
    fn line<W: ?Sized + Write>(&self, w: &mut W, sep: &[u8]) -> io::Result<()> {
        w.write_all(sep)?;
        w.write_all(self.base)?;
        for _ in 0..self.level {
            w.write_all(b"  ")?;
        }
        Ok(())
    }
    fn open<W: ?Sized + Write>(&mut self, w: &mut W, b: &[u8]) -> io::Result<()> {
        self.level += 1;
        self.has_value = false;
        w.write_all(b)
    }
    fn close<W: ?Sized + Write>(&mut self, w: &mut W, b: &[u8]) -> io::Result<()> {
        self.level = self.level.saturating_sub(1);
        if self.has_value {
            self.line(w, b"\n")?;
        }
        w.write_all(b)
    }
}

impl serde_json::ser::Formatter for Nested<'_> {
    fn begin_array<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.open(w, b"[")
    }
    fn end_array<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.close(w, b"]")
    }
    fn begin_array_value<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        self.line(w, if first { b"\n" } else { b",\n" })
    }
    fn end_array_value<W: ?Sized + Write>(&mut self, _w: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }
    fn begin_object<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.open(w, b"{")
    }
    fn end_object<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.close(w, b"}")
    }
    fn begin_object_key<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        self.line(w, if first { b"\n" } else { b",\n" })
    }
    fn begin_object_value<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        w.write_all(b": ")
    }
    fn end_object_value<W: ?Sized + Write>(&mut self, _w: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }
}

/// Where JSON/SARIF items wait for the totals: memory up to a limit, then an unlinked file.
struct Spool {
    mem: Vec<u8>,
    file: Option<std::fs::File>,
}

const SPOOL_IN_MEMORY: usize = 1 << 20;

impl Spool {
    fn new() -> Spool {
        Spool {
            mem: Vec::new(),
            file: None,
        }
    }
    fn write(&mut self, bytes: &[u8]) -> io::Result<()> {
        if let Some(f) = &mut self.file {
            return f.write_all(bytes);
        }
        self.mem.extend_from_slice(bytes);
        if self.mem.len() > SPOOL_IN_MEMORY
            && let Some(mut f) = temp_file()
            && f.write_all(&self.mem).is_ok()
        {
            self.mem = Vec::new();
            self.file = Some(f);
        }
        Ok(())
    }
    fn copy_to(&mut self, out: &mut dyn Write) -> io::Result<()> {
        match &mut self.file {
            None => out.write_all(&self.mem),
            Some(f) => {
                f.flush()?;
                f.seek(io::SeekFrom::Start(0))?;
                let mut r = io::BufReader::with_capacity(1 << 16, f);
                let mut buf = vec![0u8; 1 << 16];
                loop {
                    let n = r.read(&mut buf)?;
                    if n == 0 {
                        return Ok(());
                    }
                    out.write_all(&buf[..n])?;
                }
            }
        }
    }
}

/// A new temporary file, already removed from its directory (on Unix; elsewhere it is
/// removed when dropped... by the OS temp cleaner at worst).
fn temp_file() -> Option<std::fs::File> {
    let dir = std::env::temp_dir();
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    for i in 0..16u32 {
        let path = dir.join(format!(
            "preflight-{}-{nanos}-{i}.spool",
            std::process::id()
        ));
        if let Ok(f) = std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .create_new(true)
            .open(&path)
        {
            if std::fs::remove_file(&path).is_err() {
                // cannot unlink an open file here (Windows): stay in memory
                drop(f);
                let _ = std::fs::remove_file(&path);
                return None;
            }
            return Some(f);
        }
    }
    None
}

/// Writes one format's output file by file.
pub struct Writer<'w> {
    kind: Kind,
    out: &'w mut dyn Write,
    spool: Spool,
    items: usize,
    totals: Totals,
}

impl<'w> Writer<'w> {
    pub fn new(kind: Kind, out: &'w mut dyn Write) -> Writer<'w> {
        Writer {
            kind,
            out,
            spool: Spool::new(),
            items: 0,
            totals: Totals::default(),
        }
    }

    /// Files the walk skipped by context, for the summary.
    pub fn set_skipped(&mut self, skipped: &std::collections::BTreeMap<String, usize>) {
        self.totals.set_skipped(skipped);
    }

    /// The next file in path order (a checked file without findings still counts).
    pub fn push(&mut self, chunk: Chunk) -> io::Result<()> {
        self.totals.files_checked += 1;
        self.totals.errors += chunk.errors;
        self.totals.warnings += chunk.warnings;
        self.totals.suppressed += chunk.suppressed;
        self.totals.not_parsed += chunk.not_parsed;
        for item in chunk.items {
            self.item(&item)?;
        }
        Ok(())
    }

    fn item(&mut self, item: &str) -> io::Result<()> {
        let first = self.items == 0;
        self.items += 1;
        match self.kind {
            Kind::Json | Kind::Sarif => {
                if !first {
                    self.spool.write(b",\n")?;
                }
                self.spool.write(item.as_bytes())
            }
            Kind::Gitlab => {
                self.out.write_all(if first { b"[\n" } else { b",\n" })?;
                self.out.write_all(item.as_bytes())
            }
            Kind::Github | Kind::Concise => self.out.write_all(item.as_bytes()),
        }
    }

    /// The rest of the output: files that could not be checked, totals, summary. `errors`
    /// in path order.
    pub fn finish(mut self, errors: &[FileError]) -> io::Result<Totals> {
        let totals = self.totals;
        match self.kind {
            Kind::Json | Kind::Sarif => {
                const HOLE: &str = "\u{1}preflight-stream-items\u{1}";
                let hole = serde_json::Value::String(HOLE.to_string());
                let doc = if self.kind == Kind::Json {
                    super::json::envelope(&totals, hole, errors)
                } else {
                    super::sarif::envelope(&totals, hole, errors)
                };
                let text = serde_json::to_string_pretty(&doc).unwrap_or_default();
                let marker = serde_json::to_string(HOLE).unwrap_or_default();
                // the totals and tool fields before the hole hold no user text, so the first
                // occurrence is the hole
                let (head, tail) = text.split_once(&marker).unwrap_or((text.as_str(), ""));
                self.out.write_all(head.as_bytes())?;
                if self.items == 0 {
                    self.out.write_all(b"[]")?;
                } else {
                    let indent = if self.kind == Kind::Json {
                        "  "
                    } else {
                        "      "
                    };
                    self.out.write_all(b"[\n")?;
                    self.spool.copy_to(self.out)?;
                    write!(self.out, "\n{indent}]")?;
                }
                self.out.write_all(tail.as_bytes())?;
                self.out.write_all(b"\n")?;
            }
            Kind::Gitlab => {
                for e in errors {
                    let item = indented(&super::gitlab::error_issue(e), "  ");
                    self.item(&item)?;
                }
                self.out
                    .write_all(if self.items == 0 { b"[]\n" } else { b"\n]\n" })?;
            }
            Kind::Github | Kind::Concise => {
                for e in errors {
                    let line = if self.kind == Kind::Github {
                        super::github::error_line(e)
                    } else {
                        super::concise::error_line(e)
                    };
                    self.out.write_all(line.as_bytes())?;
                }
                self.out
                    .write_all(super::human::summary_of(&totals, errors.len()).as_bytes())?;
            }
        }
        self.out.flush()?;
        Ok(totals)
    }
}

/// A whole outcome through the streaming writer (files already in order).
pub fn write_outcome(
    kind: Kind,
    outcome: &crate::run::Outcome,
    out: &mut dyn Write,
) -> io::Result<Totals> {
    let mut w = Writer::new(kind, out);
    for f in &outcome.files {
        w.push(kind.chunk(f))?;
    }
    // files checked but not in `files` (none today) still count
    w.totals.files_checked = outcome.files_checked;
    w.totals.set_skipped(&outcome.skipped);
    w.finish(&outcome.errors)
}

#[cfg(test)]
mod tests {
    /// The former two-pass form: pretty-printed, then every line indented.
    fn two_pass(v: &serde_json::Value, indent: &str) -> String {
        let s = serde_json::to_string_pretty(v).unwrap_or_else(|_| "null".to_string());
        s.split('\n')
            .map(|line| format!("{indent}{line}"))
            .collect::<Vec<_>>()
            .join("\n")
    }

    #[test]
    fn indented_as_pretty_printed_then_indented() {
        let values = [
            serde_json::json!(null),
            serde_json::json!("a\nb \"q\" \\ \t é 🙂 \u{1}"),
            serde_json::json!([]),
            serde_json::json!({}),
            serde_json::json!({"rule": "x", "line": 3, "ratio": 1.5, "ok": true, "none": null,
                "list": [1, [], {}, {"a": [{"b": "c\n"}]}], "empty": {}, "neg": -7}),
            serde_json::json!([[["deep"]], {"k": {"l": {"m": []}}}]),
        ];
        for v in &values {
            for indent in ["", "  ", "    ", "        "] {
                assert_eq!(super::indented(v, indent), two_pass(v, indent), "{v}");
            }
        }
    }
}
