//! The gates of the shell rules ([`Gates`]) skip only rules that cannot fire: on every
//! command of scripts made of many command names, arguments, redirections, wrappers and
//! states, the gated rules find exactly what every rule run on every command finds.

use super::*;
use crate::rules::shell::cmd::{Gates, shell_checks};
use crate::rules::shell::commands;

/// Every shell rule and every rule of `rules/commands.toml` on the command, no gate.
fn every_rule(cmd: &Cmd, ctx: &Context, out: &mut Vec<Diagnostic>) {
    for (f, _) in shell_checks() {
        f(cmd, ctx, out);
    }
    let Ok(file) = commands::parsed() else {
        panic!("rules/commands.toml does not parse")
    };
    if let Some(name) = cmd.name() {
        commands::check_rules(file, 0..file.rule.len(), name, cmd, ctx, out);
    }
}

const NAMES: &[&str] = &[
    "rm",
    "/bin/rm",
    "\\rm",
    "find",
    "mv",
    "cp",
    "truncate",
    "sh",
    "bash",
    "/bin/bash",
    "zsh",
    "fish",
    "python",
    "python3",
    "python3.12",
    "python3.",
    "pythonx",
    "node",
    "deno",
    "bun",
    "ruby",
    "perl",
    "php",
    "source",
    ".",
    "psql",
    "mysql",
    "sqlite3",
    "git",
    "kubectl",
    "docker",
    "terraform",
    "mkfs",
    "mkfs.ext4",
    "mkf",
    "dd",
    "shred",
    "chmod",
    "redis-cli",
    "aws",
    "crontab",
    "curl",
    "helm",
    "prisma",
    "npx",
    "rails",
    "echo",
    "gzip",
    "tar",
    "rsync",
    "ln",
    "$CMD",
    "\"$RUN\"",
    "${TOOL:-rm}",
    "eval",
    "sudo",
    "xargs",
    "env",
    "cd",
    "set",
    "[",
    "test",
    "read",
    "systemctl",
    "rmdir",
    "unlink",
    "cat",
    "tee",
    "base64",
    "crontab",
    "wipefs",
];

const ARGS: &[&str] = &[
    "",
    "-rf /",
    "-rf /*",
    "-rf \"$DIR\"",
    "-rf \"$DIR\"/*",
    "-rf \"${DIR:?}/x\"",
    "-rf ../shared",
    "-r *",
    "-f /var/lib/mysql/ibdata1",
    "--no-preserve-root -rf /",
    "-rf ~",
    "-rf \"$HOME\"/",
    "-rf $PGDATA",
    "/var/lib/postgresql /tmp/old",
    "/var/lib/mysql /dev/null",
    "-s 0 /var/lib/mysql/ibdata1",
    "/dev/null /var/lib/pgsql/data/pg_hba.conf",
    "/ -name '*.log' -delete",
    "\"$DIR\" -exec rm -rf {} +",
    ". -type f -delete",
    "-c \"$CODE\"",
    "-c 'rm -rf /srv'",
    "-c \"import shutil; shutil.rmtree('/srv')\"",
    "-e \"require('fs').rmSync('/etc', {recursive: true})\"",
    "-s",
    "<(curl -s https://x.example/i.sh)",
    "install.sh",
    "-c \"$(echo cm0= | base64 -d)\"",
    "push --force origin main",
    "reset --hard",
    "clean -fdx",
    "stash -u",
    "delete ns prod",
    "system prune -a --volumes -f",
    "destroy -auto-approve",
    "/dev/sda",
    "if=/dev/zero of=/dev/sda",
    "-R 777 /",
    "FLUSHALL",
    "s3 rm s3://b/ --recursive",
    "-r",
    "migrate reset --force",
    "db:drop",
    "-c 'DROP TABLE users'",
    "-e",
    "-o errexit",
    "/tmp",
    "\"$X\"",
    "-n \"$DIR\" ]",
    "-z \"$DIR\" ]",
    "X Y",
    "x > /var/lib/mysql/ibdata1",
    "> app.sqlite3",
    "/dev/null > data/users.sqlite",
    "-n > /var/lib/mysql/ibdata1",
    "'' > \"$DATA/app.db\"",
    "x >> /var/lib/mysql/ibdata1",
    "< in.sql",
];

/// What runs before each command: states the rules read.
const BEFORE: &[&str] = &[
    "",
    "cd /tmp\n",
    "cd /\n",
    "set -u\n",
    "set -e\ncd build\n",
    "DIR=/opt/app\n",
    "git stash -u\n",
    "wipe() { rm -rf \"$1\"; }\n",
];

/// How the command is written: wrappers, pipelines, conditions, loops.
const AROUND: &[(&str, &str)] = &[
    ("", ""),
    ("sudo ", ""),
    ("echo cm0= | base64 -d | ", ""),
    ("curl -fsSL https://x.example/i.sh | ", ""),
    ("find . -name x | xargs ", ""),
    ("[ -d \"$DIR\" ] && ", ""),
    ("eval \"", "\""),
    ("bash -c '", "'"),
    ("for f in *; do ", "; done"),
    ("", " || exit 1"),
];

/// Walk the items as [`run_items`] does; at every command, compare the gated rules with
/// every rule. Returns how many commands were compared and how many had a finding.
fn compare(items: &[Item], text: &str, env: &Env, state: &mut facts::State) -> (usize, usize) {
    let (mut seen, mut found) = (0, 0);
    for item in items {
        let Item::Cmd(cmd) = item else {
            step(state, item);
            continue;
        };
        let ctx = Context {
            state,
            src: text,
            env,
        };
        let c = Cmd::new(cmd);
        let (mut gated, mut all) = (Vec::new(), Vec::new());
        command_rules_of(&c, &ctx, &mut gated);
        every_rule(&c, &ctx, &mut all);
        assert_eq!(
            format!("{gated:?}"),
            format!("{all:?}"),
            "{text:?}: {:?}",
            c.name()
        );
        // inline code is found only for an interpreter ([`check::inline::check`]'s gate)
        if !c.gates().any(Gates::INTERPRETER) {
            assert!(
                c.name()
                    .and_then(|n| crate::inline::find_named(cmd, n))
                    .is_none(),
                "{text:?}"
            );
        }
        // a file is run only by a command the gates say can run one
        if !c.gates().any(crate::check::shell_files::RUNS_FILES) {
            assert!(crate::check::shell_files::runs(&c).is_empty(), "{text:?}");
        }
        // the gates are the name's
        assert_eq!(
            c.gates().any(Gates::REDIRECTS),
            !cmd.redirects.is_empty(),
            "{text:?}"
        );
        seen += 1;
        found += usize::from(!all.is_empty());
        state.after_named(cmd, c.name());
    }
    (seen, found)
}

#[test]
fn gated_rules_find_what_every_rule_finds() {
    let env = Env::default();
    let (mut seen, mut found) = (0, 0);
    for before in BEFORE {
        // every name with every argument list, each written in one of the ways of AROUND (all
        // of them over the names for each argument list)
        let mut text = (*before).to_string();
        for (n, name) in NAMES.iter().enumerate() {
            for (a, args) in ARGS.iter().enumerate() {
                let (pre, post) = AROUND[(3 * n + a) % AROUND.len()];
                text.push_str(&format!("{pre}{name} {args}{post}\n"));
            }
        }
        let a = crate::shell::analyze(&text);
        let mut state = facts::State::from_shebang(&text);
        let (s, f) = compare(&a.items, &text, &env, &mut state);
        seen += s;
        found += f;
    }
    // the scripts are read as commands, and many of them are findings
    assert!(seen > 30_000, "{seen}");
    assert!(found > 2_000, "{found}");
}

#[test]
fn gates_of_names() {
    for g in [
        Gates::RM,
        Gates::NAMELESS,
        Gates::REDIRECTS,
        Gates::default().union(Gates::SQL_CLIENT),
    ] {
        assert!(g.any(Gates::ALL));
    }
    assert!(!Gates::default().any(Gates::ALL));
    assert_eq!(Gates::of_name(Some("python3.12")), Gates::INTERPRETER);
    assert_eq!(Gates::of_name(Some("gzip")), Gates::default());
    assert_eq!(Gates::of_name(None), Gates::NAMELESS);
}
