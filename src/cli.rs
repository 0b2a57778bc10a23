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
    Check(CheckArgs),
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
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Human,
    Json,
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
