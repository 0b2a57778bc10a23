//! The `preflight` binary: arguments in, report out, exit code 0/1/2.

mod cli;

use clap::Parser;
use cli::{CheckArgs, Cli, Color, Command, FailOn, Format, ListFormat};
use preflight::check::FileFacts;
use preflight::diagnostic::Severity;
use preflight::discover::{discover, is_down_migration, lang_by_name};
use preflight::report;
use preflight::rules;
use preflight::run::{self, Outcome, RuleFilter, Settings};
use preflight::source::{Dialect, Lang};
use std::io::{IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

const EXIT_FINDINGS: u8 = 1;
const EXIT_ERROR: u8 = 2;

fn main() -> ExitCode {
    // SAFETY: first thing in main, before any tree-sitter object exists.
    unsafe { preflight::shell::use_mimalloc_for_tree_sitter() };
    let cli = Cli::parse();
    match cli.command {
        Command::Check(args) => check(*args),
        Command::Rules { format } => list_rules(format),
        Command::Explain { rule } => explain(&rule),
    }
}

fn usage_error(msg: impl std::fmt::Display) -> ExitCode {
    eprintln!("preflight: error: {msg}");
    ExitCode::from(EXIT_ERROR)
}

fn check(args: CheckArgs) -> ExitCode {
    let dialect = match args.dialect.as_deref().map(|d| (d, Dialect::parse(d))) {
        None => Dialect::default(),
        Some((_, Some(d))) => d,
        Some((d, None)) => {
            return usage_error(format!(
                "unknown dialect '{d}' (expected postgres, mysql, sqlite or generic)"
            ));
        }
    };
    let filter = RuleFilter {
        select: args.select.clone(),
        ignore: args.ignore.clone(),
        ..Default::default()
    };
    let unknown = filter.unknown_ids();
    if !unknown.is_empty() {
        return usage_error(format!(
            "unknown rule or group: {} (see `preflight rules`)",
            unknown.join(", ")
        ));
    }
    let settings = Settings {
        dialect,
        filter,
        check_down: false,
        migrations: Vec::new(),
        keep_text: args.database_url.is_some(),
    };
    let live = match live_options(&args, dialect) {
        Ok(l) => l,
        Err(msg) => return usage_error(msg),
    };

    if let Some(dir) = &args.explain_order {
        return match preflight::migrations::explain_order(dir, &settings) {
            Ok(text) => {
                let _ = std::io::stdout().write_all(text.as_bytes());
                ExitCode::SUCCESS
            }
            Err(msg) => usage_error(msg),
        };
    }

    let paths: Vec<PathBuf> = if args.paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        args.paths.clone()
    };
    let (stdin_inputs, file_inputs): (Vec<PathBuf>, Vec<PathBuf>) =
        paths.into_iter().partition(|p| p.as_os_str() == "-");

    let (mut files, discover_errors) = discover(&file_inputs, &|_| None, &|_| false);
    for dir in file_inputs.iter().filter(|p| p.is_dir()) {
        if !files.iter().any(|f| f.path.starts_with(dir)) {
            eprintln!(
                "preflight: note: no SQL or shell files under {} (files ignored by .gitignore, \
                 and target/, node_modules/, .git/ are skipped)",
                dir.display()
            );
        }
    }
    if let Some(reference) = &args.since {
        let start = file_inputs
            .first()
            .cloned()
            .unwrap_or_else(|| PathBuf::from("."));
        match preflight::since::changed_since(reference, &start) {
            Ok(changed) => files.retain(|f| preflight::since::contains(&changed, &f.path)),
            Err(msg) => return usage_error(msg),
        }
    }
    let mut outcome = run::run(&files, &settings);
    outcome
        .errors
        .extend(discover_errors.into_iter().map(|e| run::FileError {
            file: e.file,
            message: e.message,
        }));

    if !stdin_inputs.is_empty() {
        match read_stdin(&args, &settings) {
            Ok(Ok(f)) => {
                outcome.files_checked += 1;
                outcome.files.push(f);
            }
            Ok(Err(e)) => outcome.errors.push(e),
            Err(msg) => return usage_error(msg),
        }
    }
    if let Some(opts) = &live {
        preflight::live::measure(&mut outcome, opts, &settings);
    }
    if !args.references.is_empty() {
        preflight::migrations::references::annotate(&mut outcome, &args.references);
    }
    outcome.sort();
    emit(&args, &outcome)
}

fn live_options(
    args: &CheckArgs,
    dialect: Dialect,
) -> Result<Option<preflight::live::Options>, String> {
    let Some(url) = args
        .database_url
        .as_deref()
        .filter(|u| !u.trim().is_empty())
    else {
        return Ok(None);
    };
    if matches!(dialect, Dialect::Mysql | Dialect::Sqlite) {
        return Err(format!(
            "--database-url measures against PostgreSQL; it cannot be used with --dialect {}",
            args.dialect.as_deref().unwrap_or_default()
        ));
    }
    preflight::live::Options::new(
        url,
        &args.db_timeout,
        &args.max_affected,
        args.max_rows,
        args.max_count_rows,
    )
    .map(Some)
}

fn read_stdin(
    args: &CheckArgs,
    settings: &Settings,
) -> Result<Result<run::FileOutcome, run::FileError>, String> {
    let name = args
        .stdin_filename
        .clone()
        .unwrap_or_else(|| "<stdin>".to_string());
    let lang = match &args.lang {
        Some(l) => Lang::parse(l).ok_or(format!("unknown --lang '{l}' (expected sql or shell)"))?,
        None => lang_by_name(Path::new(&name)).ok_or(
            "cannot tell the language of stdin: pass --lang sql|shell or --stdin-filename NAME.sql",
        )?,
    };
    let mut bytes = Vec::new();
    std::io::stdin()
        .read_to_end(&mut bytes)
        .map_err(|e| format!("cannot read stdin: {e}"))?;
    let facts = FileFacts {
        down: is_down_migration(Path::new(&name)),
    };
    Ok(run::check_text(&name, bytes, lang, facts, settings))
}

fn emit(args: &CheckArgs, outcome: &Outcome) -> ExitCode {
    let text = match args.format {
        Format::Json => report::json::render(outcome),
        Format::Human => {
            let terminal = std::io::stdout().is_terminal();
            let color = match args.color {
                Color::Always => true,
                Color::Never => false,
                Color::Auto => {
                    terminal && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                }
            };
            let style = report::human::Style {
                color,
                unicode: true,
                width: if terminal { terminal_width() } else { 100 },
            };
            report::human::render(outcome, style)
        }
    };
    let mut stdout = std::io::stdout().lock();
    // a closed pipe (`| head`) is not an error worth a panic
    let _ = stdout.write_all(text.as_bytes());
    let _ = stdout.flush();

    if !outcome.errors.is_empty() {
        return ExitCode::from(EXIT_ERROR);
    }
    let failing = match args.fail_on {
        FailOn::Never => false,
        FailOn::Error => outcome.count(Severity::Error) > 0,
        FailOn::Warning => outcome.count(Severity::Error) + outcome.count(Severity::Warning) > 0,
    };
    if failing {
        ExitCode::from(EXIT_FINDINGS)
    } else {
        ExitCode::SUCCESS
    }
}

fn terminal_width() -> usize {
    std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.parse().ok())
        .unwrap_or(100)
        .clamp(60, 200)
}

fn list_rules(format: ListFormat) -> ExitCode {
    let all = rules::all();
    let text = match format {
        ListFormat::Json => {
            let mut s = serde_json::to_string_pretty(all).unwrap_or_default();
            s.push('\n');
            s
        }
        ListFormat::Text => {
            let mut s = String::new();
            let mut groups: Vec<_> = all.iter().map(|m| m.group).collect();
            groups.sort();
            groups.dedup();
            for g in groups {
                s.push_str(&format!("{}:\n", g.as_str()));
                for m in all.iter().filter(|m| m.group == g) {
                    s.push_str(&format!(
                        "  {:<30} {:<8} {}\n",
                        m.id,
                        m.severity.as_str(),
                        m.summary
                    ));
                }
            }
            s.push_str("\n`preflight explain RULE` prints a rule's documentation.\n");
            s
        }
    };
    let _ = std::io::stdout().write_all(text.as_bytes());
    ExitCode::SUCCESS
}

fn explain(rule: &str) -> ExitCode {
    match rules::meta(rule) {
        Some(m) => {
            let _ = std::io::stdout().write_all(rules::doc_body(m.doc).as_bytes());
            ExitCode::SUCCESS
        }
        None => usage_error(format!("unknown rule '{rule}' (see `preflight rules`)")),
    }
}
