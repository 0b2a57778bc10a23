//! Inline code front end: the program a command hands to another interpreter
//! (`python3 -c`, `python3 - <<EOF`, `node -e`, `perl -e`, `ruby -e`, `php -r`, `deno eval`,
//! `bun -e`) read into effects — filesystem deletes with their literal targets, shell strings
//! handed to `system`/`subprocess`/`child_process`, SQL strings handed to a client's
//! `execute`/`query` — each with a span map back into the shell file. No rules run here.
//!
//! Python, JavaScript, Ruby and PHP are read with their tree-sitter grammars (a parser is
//! made only when such a command is seen); Perl with a small token reader ([`perl`]).

mod js;
mod perl;
mod php;
mod python;
mod ruby;
mod tree;
mod walk;

use crate::shell::command::{Command, Mapped, Word, basename};
use crate::source::{Dialect, Span};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    Python,
    JavaScript,
    Ruby,
    Perl,
    /// `php -r` (no `<?php` tags)
    PhpOnly,
    /// PHP read from stdin (with tags)
    Php,
}

/// The code a command hands to an interpreter.
#[derive(Debug, Clone)]
pub struct Inline {
    pub lang: Lang,
    /// How the command hands it over, for messages: `python3 -c`, `node -e`, `perl` (on
    /// stdin, see `on_stdin`).
    pub how: String,
    /// The program comes on stdin (a heredoc, a here-string, `echo '…' |`).
    pub on_stdin: bool,
    /// The code after shell quote removal, mapped into the file.
    pub code: Mapped,
    /// The code is produced at run time (`python -c "$CODE"`, `node -e "$(cat x)"`): the
    /// word that holds it. Nothing in it can be read.
    pub opaque: Option<Word>,
}

/// What the code does that a rule may judge.
#[derive(Debug, Clone)]
pub enum Effect {
    /// A filesystem delete of a path known from literals (`~` for the home directory).
    Delete {
        /// The call as the code names it: `shutil.rmtree`, `fs.rmSync`.
        call: String,
        path: Mapped,
        /// Deletes a directory with its contents (`rm -r`), not one file or empty directory.
        recursive: bool,
        /// The whole call, in the file.
        span: Span,
    },
    /// A string run as a shell command (`os.system`, `subprocess.run(…)`, backticks).
    Shell { call: String, text: Mapped },
    /// A string a database client runs as SQL.
    Sql {
        call: String,
        text: Mapped,
        dialect: Dialect,
    },
}

impl Effect {
    /// `call` deleting `path` (the call at `span`), when the path is known.
    pub fn delete(call: &str, span: Span, recursive: bool, path: Option<Mapped>) -> Option<Effect> {
        path.map(|path| Effect::Delete {
            call: call.to_string(),
            path,
            recursive,
            span,
        })
    }

    /// `call` running `text` as a shell command, when the text is known.
    pub fn shell(call: &str, text: Option<Mapped>) -> Option<Effect> {
        text.map(|text| Effect::Shell {
            call: call.to_string(),
            text,
        })
    }

    /// `call` running `text` as SQL, when the text is known.
    pub fn sql(call: &str, dialect: Dialect, text: Option<Mapped>) -> Option<Effect> {
        text.map(|text| Effect::Sql {
            call: call.to_string(),
            text,
            dialect,
        })
    }
}

pub const PYTHONS: &[&str] = &["python", "python2", "python3", "pypy", "pypy3"];

fn is_python(name: &str) -> bool {
    // `PYTHONS.contains(&name)` as one match (a test keeps the two in step)
    matches!(name, "python" | "python2" | "python3" | "pypy" | "pypy3")
        || name
            .strip_prefix("python3.")
            .is_some_and(|v| !v.is_empty() && v.bytes().all(|b| b.is_ascii_digit()))
}

/// The interpreter a command name runs, if it is one preflight reads inline code for.
pub fn interpreter(name: &str) -> Option<Lang> {
    interpreter_named(basename(name))
}

/// [`interpreter`] of a name without a directory ([`Command::name`]).
pub fn interpreter_named(name: &str) -> Option<Lang> {
    Some(match name {
        n if is_python(n) => Lang::Python,
        "node" | "nodejs" | "deno" | "bun" => Lang::JavaScript,
        "ruby" => Lang::Ruby,
        "perl" => Lang::Perl,
        "php" => Lang::PhpOnly,
        _ => return None,
    })
}

/// Options of each interpreter that take the next word as their value (so that word is not
/// the script).
fn with_arg(lang: Lang) -> &'static [&'static str] {
    match lang {
        Lang::Python => &["-W", "-X", "--check-hash-based-pycs"],
        Lang::JavaScript => &["-r", "--require", "--import", "--loader", "--input-type"],
        Lang::Ruby => &["-I", "-r", "-C", "-E", "-F"],
        Lang::Perl => &["-I", "-M", "-m", "-x", "-i"],
        Lang::PhpOnly | Lang::Php => &["-c", "-d", "-z"],
    }
}

/// Is `l` the option that introduces inline code (`-c`, `-e`, `-ne`, `--eval`)?
fn code_flag(lang: Lang, name: &str, l: &str) -> bool {
    match lang {
        Lang::Python => {
            l == "-c"
                || (l.starts_with('-')
                    && !l.starts_with("--")
                    && l.ends_with('c')
                    && l[1..].bytes().all(|b| b"bBdEiIOqsSuvc".contains(&b)))
        }
        Lang::JavaScript if name == "deno" => false,
        Lang::JavaScript => matches!(l, "-e" | "--eval" | "-p" | "--print" | "-pe"),
        Lang::Ruby | Lang::Perl => {
            l.starts_with('-')
                && !l.starts_with("--")
                && l.len() >= 2
                && (l.ends_with('e') || l.ends_with('E'))
                && l[1..].bytes().all(|b| b"aenlpswWcE".contains(&b))
        }
        Lang::PhpOnly | Lang::Php => l == "-r",
    }
}

/// The inline code a command runs, when it is an interpreter given code on its command line
/// or on stdin (a heredoc, a here-string, `echo '…' |`).
pub fn find(cmd: &Command) -> Option<Inline> {
    find_named(cmd, cmd.name()?)
}

/// [`find`] of a command whose [`Command::name`] is `name` (read once by the caller).
pub fn find_named(cmd: &Command, name: &str) -> Option<Inline> {
    let mut lang = interpreter_named(name)?;
    let args = cmd.args();
    let mut code = Mapped::default();
    let mut how = None;
    let mut opaque = None;
    let mut script = false;
    let mut i = 0;
    // `deno eval CODE`, `deno run -` / `bun run -`
    if name == "deno" {
        let sub = args
            .iter()
            .position(|w| !w.lit().is_some_and(|l| l.starts_with('-')))?;
        match args[sub].lit().as_deref() {
            Some("eval") => {
                let c = args[sub + 1..]
                    .iter()
                    .find(|w| !w.lit().is_some_and(|l| l.starts_with('-')))?;
                return Some(from_word(lang, "deno eval".to_string(), c));
            }
            _ => return None,
        }
    }
    while i < args.len() {
        let w = &args[i];
        let Some(l) = w.lit() else {
            script = true;
            break;
        };
        if l == "--" {
            script = args.get(i + 1).is_some_and(|w| !w.is("-"));
            break;
        }
        if l == "-" {
            break;
        }
        if let Some((flag, v)) = l.split_once('=')
            && flag.starts_with("--")
            && code_flag(lang, name, flag)
        {
            let skip = w.src.text.len().saturating_sub(v.len());
            let m = w.src.slice(skip, w.src.text.len());
            add(&mut code, &m);
            how.get_or_insert(format!("{name} {flag}"));
            i += 1;
            continue;
        }
        if code_flag(lang, name, &l) {
            let c = args.get(i + 1)?;
            how.get_or_insert(format!("{name} {l}"));
            if is_generated(c) {
                opaque = Some(c.clone());
            } else {
                add(&mut code, &c.src);
            }
            i += 2;
            // python: what follows `-c CODE` is argv for the code
            if lang == Lang::Python {
                break;
            }
            continue;
        }
        if !l.starts_with('-') {
            script = how.is_none();
            break;
        }
        if with_arg(lang).contains(&l.as_str()) {
            i += 2;
        } else {
            i += 1;
        }
        // `python -m module`: runs a module from the path
        if lang == Lang::Python && l == "-m" {
            return None;
        }
    }
    if let Some(how) = how {
        return Some(Inline {
            lang,
            how,
            on_stdin: false,
            code,
            opaque,
        });
    }
    if script {
        return None;
    }
    // the program comes on stdin
    let stdin = cmd.stdin.clone()?;
    if lang == Lang::PhpOnly {
        lang = Lang::Php;
    }
    Some(Inline {
        lang,
        how: name.to_string(),
        on_stdin: true,
        code: stdin,
        opaque: None,
    })
}

impl Inline {
    /// For messages: "`python3 -c` code", "the program `python3` reads on stdin".
    pub fn described(&self) -> String {
        if self.on_stdin {
            format!("the program `{}` reads on stdin", self.how)
        } else {
            format!("`{}` code", self.how)
        }
    }
}

fn from_word(lang: Lang, how: String, w: &Word) -> Inline {
    if is_generated(w) {
        return Inline {
            lang,
            how,
            on_stdin: false,
            code: Mapped::default(),
            opaque: Some(w.clone()),
        };
    }
    Inline {
        lang,
        how,
        on_stdin: false,
        code: w.src.clone(),
        opaque: None,
    }
}

/// Perl and Ruby take several `-e`: one program, a line each.
fn add(code: &mut Mapped, m: &Mapped) {
    if !code.is_empty() {
        code.push_at("\n", m.at(0));
    }
    code.append(m);
}

/// A word whose text is made at run time from its first character on (`"$CODE"`,
/// `"$(cat x.py)"`): the code cannot be seen.
pub fn is_generated(w: &Word) -> bool {
    use crate::shell::command::Part;
    match w.parts.first() {
        Some(Part::Var { .. } | Part::Subst { .. }) => true,
        Some(Part::Lit { text, .. }) if text.trim().is_empty() => w
            .parts
            .get(1)
            .is_some_and(|p| matches!(p, Part::Var { .. } | Part::Subst { .. })),
        _ => false,
    }
}

/// Read the code into effects (spans and texts mapped into the file).
pub fn read(inline: &Inline) -> Vec<Effect> {
    if inline.opaque.is_some() || inline.code.text.trim().is_empty() {
        return Vec::new();
    }
    let cx = tree::Cx::new(&inline.code);
    match inline.lang {
        Lang::Python => python::read(&cx),
        Lang::JavaScript => js::read(&cx),
        Lang::Ruby => ruby::read(&cx),
        Lang::Php => php::read(&cx, true),
        Lang::PhpOnly => php::read(&cx, false),
        Lang::Perl => perl::read(&cx),
    }
}

#[cfg(test)]
mod tests;
