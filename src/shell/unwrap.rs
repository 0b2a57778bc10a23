//! Wrappers that run another command: `sudo`, `doas`, `env A=1`, `command`, `builtin`,
//! `exec`, `nice`, `nohup`, `time`, `timeout N`, `xargs`, `find … -exec CMD {} +`,
//! `docker exec`, `kubectl exec --`; and strings run as shell: `bash -c`, `sh -c`, `eval`,
//! `ssh host '…'`, `su -c`, `trap '…' EXIT`, a heredoc fed to `bash`/`ssh`.

use super::command::{Command, Flow, Mapped, Word};

pub struct Reparse {
    pub text: Mapped,
    pub via: Vec<String>,
    /// Runs in its own process (`bash -c`, `ssh`): cwd and variables do not leak out.
    pub scoped: bool,
    pub flow: Flow,
}

#[derive(Default)]
pub struct Unwrapped {
    pub commands: Vec<Command>,
    pub reparse: Vec<Reparse>,
}

/// Index of the first word after options, where `with_arg` options take the next word
/// (or an attached value: `-uroot`, `--user=root`), and `NAME=value` words are skipped when
/// `assigns`.
fn skip_options(words: &[Word], start: usize, with_arg: &[&str], assigns: bool) -> usize {
    let mut i = start;
    while i < words.len() {
        let Some(w) = words[i].lit_cow() else {
            return i;
        };
        if w == "--" {
            return i + 1;
        }
        if assigns && is_assignment(&w) {
            i += 1;
            continue;
        }
        if !w.starts_with('-') || w == "-" {
            return i;
        }
        if with_arg.contains(&w.as_ref()) {
            i += 2;
        } else {
            i += 1;
        }
    }
    i
}

fn is_assignment(w: &str) -> bool {
    w.split_once('=').is_some_and(|(n, _)| {
        !n.is_empty()
            && n.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
            && !n.starts_with(|c: char| c.is_ascii_digit())
    })
}

fn rest(mut cmd: Command, from: usize, via: &str) -> Option<Command> {
    if from >= cmd.words.len() {
        return None;
    }
    cmd.words.drain(..from);
    cmd.via.push(via.to_string());
    Some(cmd)
}

/// Words joined by spaces (what `eval` and `ssh` run).
fn joined(words: &[Word]) -> Mapped {
    let mut m = Mapped::default();
    for (i, w) in words.iter().enumerate() {
        if i > 0 {
            m.push_at(" ", w.span.start);
        }
        m.append(&w.src);
    }
    m
}

/// The commands [`unwrap`] reads, by how: the one table of their names (the fast exit and
/// the `match` both go through it).
#[derive(Clone, Copy)]
enum Wrapper {
    Sudo,
    Doas,
    Env,
    Command,
    /// `builtin`, `nohup`, `chronic`, `unbuffer`: the next word is the command.
    Prefix,
    /// Package runners (`npx prisma migrate reset`).
    Runner,
    /// `bundle exec`, `pnpm dlx`, `uv run`, …
    PackageExec,
    Exec,
    Time,
    Nice,
    Ionice,
    Stdbuf,
    Timeout,
    Flock,
    Xargs,
    Find,
    Shell,
    Eval,
    Ssh,
    /// `su`, `runuser`.
    Su,
    Trap,
    /// `docker exec`, `podman exec`.
    Container,
    /// `kubectl exec`, `oc exec`.
    Kube,
}

/// The wrapper `name` is (a `match`: compiled to a switch on the length, not a scan of a
/// list).
fn wrapper(name: &str) -> Option<Wrapper> {
    use Wrapper::*;
    Some(match name {
        "sudo" => Sudo,
        "doas" => Doas,
        "env" => Env,
        "command" => Command,
        "builtin" | "nohup" | "chronic" | "unbuffer" => Prefix,
        "npx" | "pnpx" | "bunx" => Runner,
        "bundle" | "pnpm" | "yarn" | "bun" | "poetry" | "uv" | "pipenv" | "pdm" => PackageExec,
        "exec" => Exec,
        "time" => Time,
        "nice" => Nice,
        "ionice" => Ionice,
        "stdbuf" => Stdbuf,
        "timeout" => Timeout,
        "flock" => Flock,
        "xargs" => Xargs,
        "find" => Find,
        "sh" | "bash" | "dash" | "zsh" | "ksh" | "ash" | "mksh" => Shell,
        "eval" => Eval,
        "ssh" => Ssh,
        "su" | "runuser" => Su,
        "trap" => Trap,
        "docker" | "podman" => Container,
        "kubectl" | "oc" => Kube,
        _ => return None,
    })
}

/// Does `cmd` run nothing else (what [`unwrap`] returns is `cmd` alone, nothing re-read)?
/// Most commands: the walker pushes them as they are.
pub fn runs_nothing_else(cmd: &Command) -> bool {
    cmd.name()
        .is_some_and(|name| wrapper(name).is_none() && !super::wrappers::is_wrapper(name))
}

pub fn unwrap(cmd: Command) -> Unwrapped {
    // most commands run nothing else: returned as they are, without the loop's moves
    if runs_nothing_else(&cmd) {
        return Unwrapped {
            commands: vec![cmd],
            reparse: Vec::new(),
        };
    }
    let mut out = Unwrapped::default();
    let mut cur = Some(cmd);
    for _ in 0..16 {
        let Some(cmd) = cur.take() else { break };
        let Some(name) = cmd.name().map(str::to_string) else {
            if let Some((i, var)) = super::wrappers::variable_prefix(&cmd) {
                // `$STD rm -rf /`: checked as `rm -rf /`
                out.commands.push(cmd.clone());
                cur = rest(cmd, i, &var);
                continue;
            }
            out.commands.push(cmd);
            break;
        };
        let w = &cmd.words;
        let next: Option<Command> = match wrapper(&name) {
            Some(Wrapper::Sudo) => {
                let i = skip_options(
                    w,
                    1,
                    &[
                        "-u",
                        "-g",
                        "-C",
                        "-D",
                        "-h",
                        "-p",
                        "-r",
                        "-t",
                        "-T",
                        "-U",
                        "--user",
                        "--group",
                        "--chdir",
                        "--prompt",
                        "--host",
                        "--role",
                        "--type",
                        "--close-from",
                        "--other-user",
                        "--command-timeout",
                    ],
                    true,
                );
                rest(cmd, i, "sudo")
            }
            Some(Wrapper::Doas) => {
                let i = skip_options(w, 1, &["-u", "-C"], false);
                rest(cmd, i, "doas")
            }
            Some(Wrapper::Env) => {
                let i = skip_options(
                    w,
                    1,
                    &["-u", "--unset", "-C", "--chdir", "-S", "--split-string"],
                    true,
                );
                rest(cmd, i, "env")
            }
            Some(Wrapper::Command) => {
                if w.iter().skip(1).any(|x| x.is("-v") || x.is("-V")) {
                    None
                } else {
                    let i = skip_options(w, 1, &[], false);
                    rest(cmd, i, "command")
                }
            }
            Some(Wrapper::Prefix) => rest(cmd, 1, &name),
            // package runners run the named program (`npx prisma migrate reset`)
            Some(Wrapper::Runner) => {
                let i = skip_options(w, 1, &["-p", "--package", "-c", "--call"], false);
                rest(cmd, i, &name)
            }
            Some(Wrapper::PackageExec)
                if w.get(1)
                    .is_some_and(|x| x.is("exec") || x.is("dlx") || x.is("x") || x.is("run")) =>
            {
                let i = skip_options(w, 2, &["--package", "-p", "--with"], false);
                let via = format!("{name} {}", w[1].src.text.trim());
                rest(cmd, i, &via)
            }
            Some(Wrapper::Exec) => {
                let i = skip_options(w, 1, &["-a"], false);
                rest(cmd, i, "exec")
            }
            Some(Wrapper::Time) => {
                let i = skip_options(w, 1, &["-f", "--format", "-o", "--output"], false);
                rest(cmd, i, "time")
            }
            Some(Wrapper::Nice) => {
                let i = skip_options(w, 1, &["-n"], false);
                rest(cmd, i, "nice")
            }
            Some(Wrapper::Ionice) => {
                let i = skip_options(w, 1, &["-c", "-n", "-p", "-P", "-u"], false);
                rest(cmd, i, "ionice")
            }
            Some(Wrapper::Stdbuf) => {
                let i = skip_options(w, 1, &["-i", "-o", "-e"], false);
                rest(cmd, i, "stdbuf")
            }
            Some(Wrapper::Timeout) => {
                let i = skip_options(w, 1, &["-s", "--signal", "-k", "--kill-after"], false);
                // the duration
                rest(cmd, i + 1, "timeout")
            }
            Some(Wrapper::Flock) => {
                let i = skip_options(
                    w,
                    1,
                    &["-w", "--timeout", "-E", "--conflict-exit-code"],
                    false,
                );
                if w.iter().skip(1).any(|x| x.is("-c") || x.is("--command")) {
                    if let Some(pos) = w.iter().position(|x| x.is("-c") || x.is("--command"))
                        && let Some(s) = w.get(pos + 1)
                    {
                        out.reparse.push(Reparse {
                            text: s.src.clone(),
                            via: vec!["flock -c".to_string()],
                            scoped: true,
                            flow: cmd.flow,
                        });
                    }
                    None
                } else {
                    // the lock file, then the command
                    rest(cmd, i + 1, "flock")
                }
            }
            Some(Wrapper::Xargs) => {
                let with = [
                    "-a",
                    "-d",
                    "-E",
                    "-I",
                    "-L",
                    "-n",
                    "-P",
                    "-s",
                    "--arg-file",
                    "--delimiter",
                    "--max-args",
                    "--max-procs",
                    "--max-lines",
                    "--max-chars",
                    "--process-slot-var",
                ];
                let i = skip_options(w, 1, &with, false);
                let opts = w.get(1..i.min(w.len())).unwrap_or_default();
                let arg_file = opts.iter().any(|x| {
                    x.lit_cow().is_some_and(|l| {
                        l == "-a" || l == "--arg-file" || l.starts_with("--arg-file=")
                    })
                });
                let template = opts.iter().any(|x| {
                    x.lit_cow()
                        .is_some_and(|l| l.starts_with("-I") || l == "-i")
                });
                let via = if arg_file { "xargs -a" } else { "xargs" };
                let mut next = rest(cmd, i, via);
                // `echo /srv | xargs rm -rf`: the operands xargs reads are known
                if let Some(c) = &mut next
                    && !arg_file
                    && !template
                    && let Some(stdin) = c.stdin.clone()
                {
                    c.words.extend(stdin_words(&stdin));
                }
                next
            }
            Some(Wrapper::Find) => {
                find_exec(&cmd, &mut out);
                out.commands.push(cmd);
                None
            }
            Some(Wrapper::Shell) => {
                shell_c(&cmd, &mut out);
                out.commands.push(cmd);
                None
            }
            Some(Wrapper::Eval) => {
                if cmd.words.len() > 1 {
                    out.reparse.push(Reparse {
                        text: joined(&cmd.words[1..]),
                        via: vec!["eval".to_string()],
                        scoped: false,
                        flow: cmd.flow,
                    });
                }
                None
            }
            Some(Wrapper::Ssh) => {
                let i = skip_options(
                    w,
                    1,
                    &[
                        "-b", "-c", "-D", "-E", "-e", "-F", "-I", "-i", "-J", "-L", "-l", "-m",
                        "-O", "-o", "-p", "-Q", "-R", "-S", "-W", "-w", "-B",
                    ],
                    false,
                );
                // host, then the remote command
                if i + 1 < cmd.words.len() {
                    out.reparse.push(Reparse {
                        text: joined(&cmd.words[i + 1..]),
                        via: vec!["ssh".to_string()],
                        scoped: true,
                        flow: cmd.flow,
                    });
                } else if let Some(stdin) = &cmd.stdin {
                    out.reparse.push(Reparse {
                        text: stdin.clone(),
                        via: vec!["ssh".to_string()],
                        scoped: true,
                        flow: Flow::default(),
                    });
                }
                out.commands.push(cmd);
                None
            }
            Some(Wrapper::Su) => {
                let mut text = None;
                for (k, x) in w.iter().enumerate() {
                    if x.is("-c") || x.is("--command") {
                        text = w.get(k + 1).map(|s| s.src.clone());
                    } else if let Some(l) = x.lit()
                        && let Some(v) = l.strip_prefix("--command=")
                    {
                        let skip = x.src.text.len() - v.len();
                        text = Some(x.src.slice(skip, x.src.text.len()));
                    }
                }
                if let Some(t) = text {
                    out.reparse.push(Reparse {
                        text: t,
                        via: vec![name.clone()],
                        scoped: true,
                        flow: cmd.flow,
                    });
                }
                out.commands.push(cmd);
                None
            }
            Some(Wrapper::Trap) => {
                if let Some(a) = w.get(1)
                    && !a.lit_cow().is_some_and(|l| l.starts_with('-'))
                {
                    out.reparse.push(Reparse {
                        text: a.src.clone(),
                        via: vec!["trap".to_string()],
                        scoped: false,
                        flow: Flow::default(),
                    });
                }
                out.commands.push(cmd);
                None
            }
            Some(Wrapper::Container) if w.get(1).is_some_and(|x| x.is("exec")) => {
                let i = skip_options(
                    w,
                    2,
                    &[
                        "-e",
                        "--env",
                        "-u",
                        "--user",
                        "-w",
                        "--workdir",
                        "--env-file",
                        "--detach-keys",
                    ],
                    false,
                );
                // the container, then the command
                let via = format!("{name} exec");
                rest(cmd, i + 1, &via)
            }
            Some(Wrapper::Kube) if w.get(1).is_some_and(|x| x.is("exec")) => {
                match w.iter().position(|x| x.is("--")) {
                    Some(p) => rest(cmd, p + 1, "kubectl exec"),
                    None => {
                        out.commands.push(cmd);
                        None
                    }
                }
            }
            // a function of the script that runs its arguments (`"$@"`)
            _ if super::wrappers::is_wrapper(&name) => {
                let via = format!("{name} (runs \"$@\")");
                out.commands.push(cmd.clone());
                rest(cmd, 1, &via)
            }
            _ => {
                out.commands.push(cmd);
                None
            }
        };
        cur = next;
    }
    out
}

/// Blank-separated words of text xargs reads (quotes are not read: fail open to literal).
fn stdin_words(m: &Mapped) -> Vec<Word> {
    let t = &m.text;
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in t.char_indices().chain([(t.len(), ' ')]) {
        match (start, c.is_whitespace()) {
            (None, false) => start = Some(i),
            (Some(s), true) => {
                let src = m.slice(s, i);
                out.push(Word {
                    span: src.span(crate::source::Span::new(0, src.text.len())),
                    parts: smallvec::smallvec![super::command::Part::Lit {
                        text: src.text.clone(),
                        quoted: true,
                    }],
                    src,
                });
                start = None;
            }
            _ => {}
        }
    }
    out
}

/// `find … -exec CMD ARGS {} ;` / `+`, also `-execdir`, `-ok`, `-okdir`.
fn find_exec(cmd: &Command, out: &mut Unwrapped) {
    let w = &cmd.words;
    let mut i = 1;
    while i < w.len() {
        if w[i]
            .lit()
            .is_some_and(|l| matches!(l.as_str(), "-exec" | "-execdir" | "-ok" | "-okdir"))
        {
            let start = i + 1;
            let mut end = start;
            while end < w.len() && !w[end].lit_cow().is_some_and(|l| l == ";" || l == "+") {
                end += 1;
            }
            if end > start {
                let mut c = cmd.clone();
                c.words = w[start..end].to_vec();
                c.via.push("find -exec".to_string());
                c.stdin = None;
                let inner = unwrap(c);
                out.commands.extend(inner.commands);
                out.reparse.extend(inner.reparse);
            }
            i = end + 1;
        } else {
            i += 1;
        }
    }
}

/// `bash -c 'string'`, `sh -ec "…"`, `bash -lc …`; `bash <<EOF` / `bash -s <<EOF` read the
/// heredoc as the script.
fn shell_c(cmd: &Command, out: &mut Unwrapped) {
    let w = &cmd.words;
    let mut i = 1;
    let mut has_c = false;
    let mut script_arg = false;
    while i < w.len() {
        let Some(l) = w[i].lit() else { break };
        if l == "--" {
            i += 1;
            break;
        }
        if l == "-o" || l == "+o" || l == "-O" || l == "+O" || l == "--rcfile" || l == "--init-file"
        {
            i += 2;
            continue;
        }
        if l.starts_with("--") {
            i += 1;
            continue;
        }
        if (l.starts_with('-') || l.starts_with('+')) && l.len() > 1 {
            if l.starts_with('-') && l.contains('c') {
                has_c = true;
            }
            i += 1;
            continue;
        }
        script_arg = true;
        break;
    }
    let via = vec![format!(
        "{} -c",
        w.first().and_then(Word::lit).unwrap_or_default()
    )];
    if has_c {
        if let Some(s) = w.get(i) {
            out.reparse.push(Reparse {
                text: s.src.clone(),
                via,
                scoped: true,
                flow: cmd.flow,
            });
        }
    } else if !script_arg
        && i >= w.len()
        && let Some(stdin) = &cmd.stdin
    {
        out.reparse.push(Reparse {
            text: stdin.clone(),
            via: vec![format!(
                "{} <<",
                w.first().and_then(Word::lit).unwrap_or_default()
            )],
            scoped: true,
            flow: Flow::default(),
        });
    }
}

#[cfg(test)]
mod tests {
    /// Every shell is one `unwrap` reads as a shell; other names run nothing else.
    #[test]
    fn the_table_knows_the_shells() {
        for s in ["sh", "bash", "dash", "zsh", "ksh", "ash", "mksh"] {
            assert!(
                matches!(super::wrapper(s), Some(super::Wrapper::Shell)),
                "{s}"
            );
        }
        for s in ["rm", "psql", "cd", "", "sudo2", "shh", "s", "Sudo"] {
            assert!(super::wrapper(s).is_none(), "{s}");
        }
    }
}
