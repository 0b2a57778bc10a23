//! The `preflight` binary: arguments in, report out, exit code 0/1/2.

mod cli;

use clap::{CommandFactory, Parser};
use cli::{
    CheckArgs, Cli, Color, Command, CompletionShell, FailOn, Format, HookArgs, HookFormat,
    ListFormat,
};
use preflight::check::FileFacts;
use preflight::config::{self, Config};
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
        Command::Init { path, force } => init(&path, force),
        Command::Hook(args) => hook(args),
        Command::Completions { shell } => completions(shell),
        Command::Man => man(),
    }
}

fn usage_error(msg: impl std::fmt::Display) -> ExitCode {
    eprintln!("preflight: error: {msg}");
    ExitCode::from(EXIT_ERROR)
}

/// Use colour on stderr/stdout? `--color`, then NO_COLOR, then whether it is a terminal.
fn use_color(choice: Color, terminal: bool) -> bool {
    match choice {
        Color::Always => true,
        Color::Never => false,
        Color::Auto => terminal && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()),
    }
}

/// The config to use: `--no-config` → none; `--config FILE`; else the nearest
/// preflight.toml above `start`. Errors are printed (with the TOML snippet) by the caller.
fn load_config(
    explicit: Option<&Path>,
    no_config: bool,
    start: &Path,
) -> Result<Option<Config>, config::ConfigError> {
    if no_config {
        return Ok(None);
    }
    let path = match explicit {
        Some(p) => p.to_path_buf(),
        None => match config::find(start) {
            Some(p) => p,
            None => return Ok(None),
        },
    };
    config::load(&path).map(Some)
}

fn config_error(e: &config::ConfigError, color: Color) -> ExitCode {
    let color = use_color(color, std::io::stderr().is_terminal());
    eprint!("{}", e.render(color));
    ExitCode::from(EXIT_ERROR)
}

/// Settings from the CLI flags over the config.
// field by field, so fields other branches add to Settings keep their defaults
#[allow(clippy::field_reassign_with_default)]
fn settings_from(
    dialect_flag: Option<&str>,
    select: &[String],
    ignore: &[String],
    cfg: Option<&Config>,
) -> Result<Settings, String> {
    let dialect = match dialect_flag.map(|d| (d, Dialect::parse(d))) {
        None => cfg.and_then(|c| c.dialect).unwrap_or_default(),
        Some((_, Some(d))) => d,
        Some((d, None)) => {
            return Err(format!("unknown dialect '{d}' (expected {})", Dialect::ALL));
        }
    };
    let filter = RuleFilter {
        select: select.to_vec(),
        ignore: ignore.to_vec(),
        severity: cfg.map(|c| c.severity.clone()).unwrap_or_default(),
        per_file: cfg.map(|c| c.per_file.clone()).unwrap_or_default(),
    };
    let unknown = filter.unknown_ids();
    if !unknown.is_empty() {
        let hints: Vec<String> = unknown
            .iter()
            .filter_map(|u| config::closest_selector(u).map(|c| format!("`{c}`")))
            .collect();
        let hint = if hints.is_empty() {
            String::new()
        } else {
            format!("; did you mean {}?", hints.join(", "))
        };
        return Err(format!(
            "unknown rule or group: {}{hint} (see `preflight rules`)",
            unknown.join(", ")
        ));
    }
    let mut settings = Settings::default();
    settings.dialect = dialect;
    settings.dialect_forced = dialect_flag.and_then(Dialect::parse);
    settings.dialect_config = cfg.and_then(|c| c.dialect);
    settings.filter = filter;
    settings.check_down = cfg.and_then(|c| c.check_down).unwrap_or(false);
    settings.migrations = cfg.map(|c| c.migrations.clone()).unwrap_or_default();
    Ok(settings)
}

/// `--files-from FILE|-`: one path per line; blank lines are skipped.
fn read_path_list(from: &Path) -> Result<Vec<PathBuf>, String> {
    let text = if from.as_os_str() == "-" {
        let mut s = String::new();
        std::io::stdin()
            .read_to_string(&mut s)
            .map_err(|e| format!("cannot read the path list from stdin: {e}"))?;
        s
    } else {
        std::fs::read_to_string(from)
            .map_err(|e| format!("cannot read the path list {}: {e}", from.display()))?
    };
    Ok(text
        .lines()
        .map(|l| l.trim_end_matches('\r'))
        .filter(|l| !l.trim().is_empty())
        .map(PathBuf::from)
        .collect())
}

/// SQL or shell by extension or `#!` line (config `include` is applied later).
fn classifiable(p: &Path) -> bool {
    if lang_by_name(p).is_some() {
        return true;
    }
    let mut head = [0u8; 256];
    let n = std::fs::File::open(p)
        .and_then(|mut f| f.read(&mut head))
        .unwrap_or(0);
    preflight::discover::lang_by_shebang(&head[..n]).is_some()
}

fn check(args: CheckArgs) -> ExitCode {
    let mut paths: Vec<PathBuf> = args.paths.clone();
    let mut listed: std::collections::HashSet<PathBuf> = Default::default();
    if let Some(from) = &args.files_from {
        if from.as_os_str() == "-" && paths.iter().any(|p| p.as_os_str() == "-") {
            return usage_error(
                "stdin cannot be both the path list (--files-from -) and a file ('-')",
            );
        }
        match read_path_list(from) {
            // a list is like a walk: files that are neither SQL nor shell are skipped (a
            // `git diff --name-only` lists everything); missing files stay errors
            Ok(list) => {
                listed = list.iter().cloned().collect();
                paths.extend(list);
            }
            Err(e) => return usage_error(e),
        }
        if paths.is_empty() {
            // an empty list (no changed files) checks nothing, not the current directory
            let outcome = Outcome::default();
            return emit(&args, &outcome);
        }
    }
    if !paths.iter().any(|p| p.as_os_str() == "-") {
        // they only name stdin: without '-' stdin is never read, so the user's input would
        // go unchecked while the current directory is checked instead
        for (flag, given) in [
            ("--lang", args.lang.is_some()),
            ("--stdin-filename", args.stdin_filename.is_some()),
        ] {
            if given {
                return usage_error(format!(
                    "{flag} applies to stdin, which is read only when '-' is among the paths \
                     (e.g. `preflight check - {flag} …`)"
                ));
            }
        }
    }
    if paths.is_empty() {
        paths.push(PathBuf::from("."));
    }
    let start = paths
        .iter()
        .find(|p| p.as_os_str() != "-")
        .cloned()
        .unwrap_or_else(|| PathBuf::from("."));
    let cfg = match load_config(args.config.as_deref(), args.no_config, &start) {
        Ok(c) => c,
        Err(e) => return config_error(&e, args.color),
    };
    let mut settings = match settings_from(
        args.dialect.as_deref(),
        &args.select,
        &args.ignore,
        cfg.as_ref(),
    ) {
        Ok(s) => s,
        Err(e) => return usage_error(e),
    };
    settings.keep_text = args.database_url.is_some() || args.dry_run;
    let live = match live_options(&args, settings.dialect) {
        Ok(l) => l,
        Err(msg) => return usage_error(msg),
    };
    if args.dry_run && matches!(settings.dialect, Dialect::Mysql | Dialect::Sqlite) {
        return usage_error(format!(
            "--dry-run executes the migrations in PostgreSQL; it cannot be used with --dialect {}",
            args.dialect.as_deref().unwrap_or("(from preflight.toml)")
        ));
    }
    let dry_run = match dry_run_options(&args, cfg.as_ref()) {
        Ok(d) => d,
        Err(msg) => return usage_error(msg),
    };
    // a dry run on a database executes the migrations there: measuring it too adds nothing
    let live = if dry_run.is_some() { None } else { live };

    if let Some(dir) = &args.explain_order {
        return match preflight::run::explain_order(dir, &settings) {
            Ok(text) => {
                let _ = std::io::stdout().write_all(text.as_bytes());
                ExitCode::SUCCESS
            }
            Err(msg) => usage_error(msg),
        };
    }
    let (stdin_inputs, mut file_inputs): (Vec<PathBuf>, Vec<PathBuf>) =
        paths.into_iter().partition(|p| p.as_os_str() == "-");
    if let Some(c) = &cfg {
        // explicit files excluded by the config (pre-commit passes every staged file)
        file_inputs.retain(|p| !(p.is_file() && c.excluded(p)));
    }
    file_inputs.retain(|p| {
        !listed.contains(p)
            || !p.is_file()
            || classifiable(p)
            || cfg.as_ref().is_some_and(|c| c.included(p).is_some())
    });

    let extra = |p: &Path| cfg.as_ref().and_then(|c| c.included(p));
    let excluded = |p: &Path| cfg.as_ref().is_some_and(|c| c.excluded(p));
    let (mut files, discover_errors) = discover(&file_inputs, &extra, &excluded);
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
    let include = preflight::context::Include {
        tests: args.include_tests || cfg.as_ref().and_then(|c| c.check_tests).unwrap_or(false),
        vendored: args.include_vendored
            || cfg.as_ref().and_then(|c| c.check_vendored).unwrap_or(false),
    };
    let force = args.force_exclude || args.since.is_some() || args.files_from.is_some();
    let skipped = preflight::context::filter(&mut files, include, force);
    if let Some(kind) = streaming(&args, &stdin_inputs, live.is_some() || dry_run.is_some()) {
        return check_streaming(&args, kind, files, &settings, discover_errors, &skipped);
    }
    let mut outcome = run::run(&files, &settings);
    outcome.skipped = skipped;
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
                outcome.suppressed += f.suppressed.len();
                outcome.files.push(f);
            }
            Ok(Err(e)) => outcome.errors.push(e),
            Err(msg) => return usage_error(msg),
        }
    }
    if let Some(opts) = &live {
        preflight::live::measure(&mut outcome, opts, &settings);
    }
    if let Some(opts) = &dry_run {
        preflight::dryrun::run(&mut outcome, &files, &settings, opts);
    }
    if !args.references.is_empty() {
        preflight::migrations::references::annotate(&mut outcome, &args.references);
    }
    outcome.sort();
    let code = emit(&args, &outcome);
    std::mem::forget((files, outcome)); // written: freed by the exit, not one by one
    code
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
    if !matches!(dialect, Dialect::Postgres | Dialect::Generic) {
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
    .map(|mut o| {
        o.min_rows = args.min_rows;
        Some(o)
    })
}

/// `--dry-run` options; with `--database-url`, the target must be declared in
/// `[dry-run] targets` (else the refusal names the server, after identity queries only).
fn dry_run_options(
    args: &CheckArgs,
    cfg: Option<&Config>,
) -> Result<Option<preflight::dryrun::Options>, String> {
    if !args.dry_run {
        return Ok(None);
    }
    let dur = |flag: &str, v: &str| {
        preflight::live::parse_duration(v).ok_or(format!("--{flag} '{v}': expected e.g. 2s, 500ms"))
    };
    let url = args
        .database_url
        .as_deref()
        .filter(|u| !u.trim().is_empty())
        .map(str::to_string);
    let statement_timeout = dur("statement-timeout", &args.statement_timeout)?;
    if let Some(u) = &url {
        let targets = cfg.map(|c| c.dry_run_targets.clone()).unwrap_or_default();
        if !preflight::dryrun::target::declared(u, &targets)? {
            return Err(preflight::dryrun::target::refusal(u, statement_timeout));
        }
    }
    Ok(Some(preflight::dryrun::Options {
        pg_bin: args.pg_bin.clone(),
        url,
        lock_timeout: dur("lock-timeout", &args.lock_timeout)?,
        statement_timeout,
    }))
}

fn init(path: &Path, force: bool) -> ExitCode {
    if path.exists() && !force {
        return usage_error(format!(
            "{} already exists (pass --force to overwrite it)",
            path.display()
        ));
    }
    match std::fs::write(path, config::STARTER) {
        Ok(()) => {
            println!("wrote {}", path.display());
            ExitCode::SUCCESS
        }
        Err(e) => usage_error(format!("cannot write {}: {e}", path.display())),
    }
}

fn hook(args: HookArgs) -> ExitCode {
    // fail closed: anything that goes wrong blocks the tool call
    let block = |msg: String| {
        eprintln!("preflight hook: {msg}");
        ExitCode::from(EXIT_ERROR)
    };
    let cfg = match load_config(args.config.as_deref(), args.no_config, Path::new(".")) {
        Ok(c) => c,
        Err(e) => return block(e.render(false)),
    };
    let settings = match settings_from(args.dialect.as_deref(), &[], &[], cfg.as_ref()) {
        Ok(s) => s,
        Err(e) => return block(e),
    };
    let threshold = match args.fail_on {
        FailOn::Error => Some(Severity::Error),
        FailOn::Warning => Some(Severity::Warning),
        FailOn::Never => None,
    };
    let excluded = |p: &Path| cfg.as_ref().is_some_and(|c| c.excluded(p));
    if let Some(log) = &args.replay {
        let decide = |p: &[u8]| preflight::hook::evaluate(p, &settings, threshold, &excluded);
        return ExitCode::from(preflight::hook::audit::replay_file(log, &decide));
    }
    let mut input = Vec::new();
    if let Err(e) = std::io::stdin().read_to_end(&mut input) {
        return block(format!("cannot read stdin: {e}"));
    }
    let outcome = preflight::hook::evaluate(&input, &settings, threshold, &excluded);
    // the audit trail never changes or holds up the decision
    let log = args
        .log
        .as_ref()
        .or(cfg.as_ref().and_then(|c| c.hook_log.as_ref()));
    if let Some(log) = log {
        preflight::hook::audit::log_decision(log, &input, &outcome);
    }
    match outcome.map(|v| v.decision) {
        Err(e) => block(e),
        Ok(preflight::hook::Decision::Allow) => ExitCode::SUCCESS,
        Ok(preflight::hook::Decision::Deny(reason)) => match args.format {
            HookFormat::Text => {
                eprintln!("{reason}");
                ExitCode::from(EXIT_ERROR)
            }
            HookFormat::Json => {
                let mut out = std::io::stdout().lock();
                let _ = out.write_all(preflight::hook::deny_json(&reason).as_bytes());
                let _ = out.flush();
                ExitCode::SUCCESS
            }
        },
    }
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
        Some(l) => Lang::parse(l).ok_or(format!(
            "unknown --lang '{l}' (expected sql, shell, python or js)"
        ))?,
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

/// The streaming writer for this run's format, when nothing needs the whole outcome first
/// (human output, stdin, `--show-suppressed`, the live check, the dry run and `--references` do).
fn streaming(args: &CheckArgs, stdin: &[PathBuf], live: bool) -> Option<report::stream::Kind> {
    if !stdin.is_empty() || live || !args.references.is_empty() || args.show_suppressed {
        return None;
    }
    stream_kind(args.format)
}

fn stream_kind(format: Format) -> Option<report::stream::Kind> {
    use report::stream::Kind;
    match format {
        Format::Json => Some(Kind::Json),
        Format::Sarif => Some(Kind::Sarif),
        Format::Gitlab => Some(Kind::Gitlab),
        Format::Github => Some(Kind::Github),
        Format::Concise => Some(Kind::Concise),
        Format::Human => None,
    }
}

/// Check and write file by file: findings are rendered as files finish and written in path
/// order; nothing holds every finding.
fn check_streaming(
    args: &CheckArgs,
    kind: report::stream::Kind,
    files: Vec<preflight::discover::Discovered>,
    settings: &Settings,
    discover_errors: Vec<preflight::discover::DiscoverError>,
    skipped: &std::collections::BTreeMap<String, usize>,
) -> ExitCode {
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::with_capacity(1 << 16, stdout.lock());
    let mut writer = report::stream::Writer::new(kind, &mut out);
    writer.set_skipped(skipped);
    let mut failed_write = None;
    let mut errors = preflight::stream::run_ordered(
        &files,
        settings,
        |f| kind.chunk(&f),
        |chunk| {
            if failed_write.is_none()
                && let Err(e) = writer.push(chunk)
            {
                failed_write = Some(e);
            }
        },
    );
    errors.extend(discover_errors.into_iter().map(|e| run::FileError {
        file: e.file,
        message: e.message,
    }));
    errors.sort_by(|a, b| a.file.cmp(&b.file));
    // a closed pipe (`| head`) is not an error worth a message
    let totals = match failed_write {
        None => writer.finish(&errors).unwrap_or_default(),
        Some(_) => report::stream::Totals::default(),
    };
    std::mem::forget(files); // thousands of paths: freed by the exit, not one by one
    exit_code(args.fail_on, &totals, errors.is_empty())
}

fn exit_code(fail_on: FailOn, totals: &report::stream::Totals, readable: bool) -> ExitCode {
    if !readable {
        return ExitCode::from(EXIT_ERROR);
    }
    let failing = match fail_on {
        FailOn::Never => false,
        FailOn::Error => totals.errors > 0,
        FailOn::Warning => totals.errors + totals.warnings > 0,
    };
    if failing {
        ExitCode::from(EXIT_FINDINGS)
    } else {
        ExitCode::SUCCESS
    }
}

fn emit(args: &CheckArgs, outcome: &Outcome) -> ExitCode {
    if let Some(kind) = stream_kind(args.format).filter(|_| !args.show_suppressed) {
        let stdout = std::io::stdout();
        let mut out = std::io::BufWriter::new(stdout.lock());
        let totals = report::stream::write_outcome(kind, outcome, &mut out).unwrap_or_default();
        let totals = report::stream::Totals {
            errors: outcome.count(Severity::Error),
            warnings: outcome.count(Severity::Warning),
            ..totals
        };
        return exit_code(args.fail_on, &totals, outcome.errors.is_empty());
    }
    let text = match args.format {
        Format::Json => report::json::render_with_suppressed(outcome),
        Format::Sarif => report::sarif::render(outcome),
        Format::Github => report::github::render(outcome),
        Format::Gitlab => report::gitlab::render(outcome),
        Format::Concise => report::concise::render(outcome),
        Format::Human => {
            let terminal = std::io::stdout().is_terminal();
            let style = report::human::Style {
                color: use_color(args.color, terminal),
                unicode: true,
                width: if terminal { terminal_width() } else { 100 },
            };
            report::human::render_with(
                outcome,
                style,
                report::human::Options {
                    quiet: args.quiet,
                    statistics: args.statistics,
                    show_suppressed: args.show_suppressed,
                },
            )
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
        None => match config::closest(rule) {
            Some(c) => usage_error(format!(
                "unknown rule '{rule}'; did you mean `{c}`? (see `preflight rules`)"
            )),
            None => usage_error(format!("unknown rule '{rule}' (see `preflight rules`)")),
        },
    }
}

fn completions(shell: CompletionShell) -> ExitCode {
    use clap_complete::Shell;
    let shell = match shell {
        CompletionShell::Bash => Shell::Bash,
        CompletionShell::Zsh => Shell::Zsh,
        CompletionShell::Fish => Shell::Fish,
        CompletionShell::Powershell => Shell::PowerShell,
        CompletionShell::Elvish => Shell::Elvish,
    };
    let mut cmd = Cli::command();
    let mut out = std::io::stdout().lock();
    clap_complete::generate(shell, &mut cmd, "preflight", &mut out);
    let _ = out.flush();
    ExitCode::SUCCESS
}

fn man() -> ExitCode {
    let page = clap_mangen::Man::new(Cli::command());
    let mut out = std::io::stdout().lock();
    match page.render(&mut out).and_then(|()| out.flush()) {
        Ok(()) => ExitCode::SUCCESS,
        // `preflight man | head`
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => usage_error(format!("cannot write the man page: {e}")),
    }
}
