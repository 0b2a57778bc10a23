//! Command-line arguments (clap derive). Behaviour lives in `main.rs` and the library.

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

#[derive(Parser, Debug)]
#[command(
    name = "preflight",
    version,
    about = "Stops SQL migrations and shell scripts that destroy data, before they run"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Check SQL and shell files (default: the current directory; '-' reads stdin)
    Check(Box<CheckArgs>),
    /// List every rule: id, group, default severity, summary
    Rules {
        #[arg(long, value_enum, default_value_t = ListFormat::Text)]
        format: ListFormat,
    },
    /// Print a rule's documentation
    Explain {
        /// Rule id, e.g. drop-table
        rule: String,
    },
    /// Write a commented starter preflight.toml
    Init {
        /// Where to write it
        #[arg(default_value = "preflight.toml")]
        path: PathBuf,
        /// Overwrite an existing file
        #[arg(long)]
        force: bool,
    },
    /// Agent pre-tool hook: reads the tool call JSON on stdin, exits 2 to block it
    Hook(HookArgs),
    /// Print a shell completion script (e.g. `preflight completions bash > ~/.local/share/bash-completion/completions/preflight`)
    Completions {
        #[arg(value_enum)]
        shell: CompletionShell,
    },
    /// Print the man page (roff), e.g. `preflight man > ~/.local/share/man/man1/preflight.1`
    Man,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum CompletionShell {
    Bash,
    Zsh,
    Fish,
    Powershell,
    Elvish,
}

#[derive(Args, Debug)]
pub struct HookArgs {
    /// text: reason on stderr and exit 2 when blocked; json: print a permissionDecision
    /// object (exit 0)
    #[arg(long, value_enum, default_value_t = HookFormat::Text)]
    pub format: HookFormat,
    /// Block when a finding at or above this severity remains (default warning: an agent
    /// cannot weigh a warning the way a reviewer can)
    #[arg(long, value_enum, default_value_t = FailOn::Warning)]
    pub fail_on: FailOn,
    /// SQL dialect: postgres, mysql, sqlite, generic
    #[arg(long)]
    pub dialect: Option<String>,
    /// Use this config file instead of looking for preflight.toml in the current directory
    /// and above
    #[arg(long)]
    pub config: Option<PathBuf>,
    /// Do not read any preflight.toml
    #[arg(long)]
    pub no_config: bool,
    /// Append one JSON line per decision to this file (overrides `[hook] log`)
    #[arg(long, value_name = "PATH")]
    pub log: Option<PathBuf>,
    /// Decide every line of an audit log again with the current rules and print what
    /// changed (exit 0: nothing changed, 1: some decision changed, 2: the log cannot be read)
    #[arg(long, value_name = "LOG", conflicts_with = "log")]
    pub replay: Option<PathBuf>,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum HookFormat {
    Text,
    Json,
}

#[derive(Args, Debug)]
pub struct CheckArgs {
    /// Files or directories to check; '-' reads stdin
    pub paths: Vec<PathBuf>,
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
    /// Exit 1 when a finding at or above this severity remains
    #[arg(long, value_enum, default_value_t = FailOn::Error)]
    pub fail_on: FailOn,
    /// Only these rules or groups (sql, shell, migrations), comma-separated
    #[arg(long, value_delimiter = ',')]
    pub select: Vec<String>,
    /// Skip these rules or groups, comma-separated
    #[arg(long, value_delimiter = ',')]
    pub ignore: Vec<String>,
    /// SQL dialect: postgres, mysql, sqlite, generic
    #[arg(long)]
    pub dialect: Option<String>,
    /// File name to report (and classify) stdin as
    #[arg(long)]
    pub stdin_filename: Option<String>,
    /// Language of stdin: sql or shell
    #[arg(long)]
    pub lang: Option<String>,
    /// Colour: auto, always, never (NO_COLOR is honoured)
    #[arg(long, value_enum, default_value_t = Color::Auto)]
    pub color: Color,
    /// Measure risky statements against this PostgreSQL database, read-only
    /// (postgres://user:password@host/db; the password is never printed)
    #[arg(
        long,
        env = "PREFLIGHT_DATABASE_URL",
        hide_env_values = true,
        help_heading = "Live database check"
    )]
    pub database_url: Option<String>,
    /// Timeout for each query and for connecting (e.g. 5s, 500ms)
    #[arg(long, default_value = "5s", help_heading = "Live database check")]
    pub db_timeout: String,
    /// A DELETE/UPDATE matching more than this share of its table is an error
    #[arg(long, default_value = "10%", help_heading = "Live database check")]
    pub max_affected: String,
    /// … or more than this many rows
    #[arg(long, help_heading = "Live database check")]
    pub max_rows: Option<u64>,
    /// Above this many rows, use the planner's estimate instead of count(*)
    #[arg(
        long,
        default_value_t = 10_000_000,
        help_heading = "Live database check"
    )]
    pub max_count_rows: u64,
    /// A DELETE/UPDATE below this many affected rows never trips --max-affected's
    /// percentage (deleting 1 of 7 rows of a lookup table is not an error)
    #[arg(long, default_value_t = 100, help_heading = "Live database check")]
    pub min_rows: u64,
    /// Execute the migrations and report what PostgreSQL says: in a throwaway server, or with
    /// --database-url in a declared target ([dry-run] targets), always rolled back
    #[arg(long, help_heading = "Dry run")]
    pub dry_run: bool,
    /// Directory of the PostgreSQL server binaries (initdb, pg_ctl, postgres) for the
    /// throwaway dry-run server
    #[arg(long, value_name = "DIR", help_heading = "Dry run")]
    pub pg_bin: Option<PathBuf>,
    /// lock_timeout for each statement of a dry run on --database-url
    #[arg(long, default_value = "2s", help_heading = "Dry run")]
    pub lock_timeout: String,
    /// statement_timeout for each statement of a dry run on --database-url
    #[arg(long, default_value = "30s", help_heading = "Dry run")]
    pub statement_timeout: String,
    /// Only report files added or changed since this git ref (migration sets still replay
    /// their older files to build the schema)
    #[arg(long, value_name = "GIT_REF")]
    pub since: Option<String>,
    /// Print the migration set in DIR: its convention and the order its files run in
    #[arg(long, value_name = "DIR")]
    pub explain_order: Option<PathBuf>,
    /// Count uses of renamed columns' and tables' old names in application code under these
    /// paths (comma-separated; migrations are skipped)
    #[arg(long, value_name = "PATH", value_delimiter = ',')]
    pub references: Vec<PathBuf>,
    /// Use this config file instead of looking for preflight.toml above the first path
    #[arg(long)]
    pub config: Option<PathBuf>,
    /// Do not read any preflight.toml
    #[arg(long, conflicts_with = "config")]
    pub no_config: bool,
    /// Read the paths to check from FILE, one per line ('-' = stdin)
    #[arg(long, value_name = "FILE")]
    pub files_from: Option<PathBuf>,
    /// Also check test directories (test/, tests/, spec/, __tests__/, fixtures/, …) found by
    /// the directory walk
    #[arg(long)]
    pub include_tests: bool,
    /// Also check vendored directories (vendor/, third_party/) found by the directory walk
    #[arg(long)]
    pub include_vendored: bool,
    /// Skip test and vendored files even when they are given as paths (for tools that pass
    /// every changed file, like pre-commit; --since and --files-from imply it)
    #[arg(long)]
    pub force_exclude: bool,
    /// Human output: print only the summary line (and files that could not be read)
    #[arg(short, long)]
    pub quiet: bool,
    /// Human output: print how many findings each rule produced
    #[arg(long)]
    pub statistics: bool,
    /// Also list the findings silenced by `preflight: allow(…)` comments
    #[arg(long)]
    pub show_suppressed: bool,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Human,
    Json,
    /// SARIF 2.1.0 (GitHub code scanning)
    Sarif,
    /// GitHub Actions workflow commands (inline annotations)
    Github,
    /// GitLab Code Quality report
    Gitlab,
    /// One line per finding: path:line:col: severity[rule] message
    Concise,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum ListFormat {
    Text,
    Json,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum FailOn {
    Error,
    Warning,
    Never,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Color {
    Auto,
    Always,
    Never,
}
