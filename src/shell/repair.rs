//! Input repair before parsing: tree-sitter-bash rejects some forms bash accepts. When the
//! first parse of a script has errors, the text is rewritten **byte for byte in place**
//! (same length, only ASCII bytes changed) so that tree-sitter reads the same structure, and
//! parsed again. The walker still reads words from the original text at the same offsets,
//! so nothing the rules see changes except that the script now parses.
//!
//! Forms repaired (each one found on real scripts that `bash -n` accepts):
//! - `[[ $v = *" D"* || … ]]`: a single `=` before a pattern with quoted parts or followed by
//!   `||`/`&&` — rewritten `==` (the space after it is taken).
//! - `[[ $c =~ \$\{([^}]*)\} ]]`: braces and escapes in a regex — blanked to `x`.
//! - `${v:-a;b;c}`, `${USER-\$(whoami)}`: `;`, escapes and parentheses in a default value.
//! - `${a:$i:1}`: a variable as substring offset or length (`$i` → `_i`).
//! - `$((n+=$(grep -c x$)))`: a literal `$` before `)`.
//! - `` cmd `# comment` \ ``: comments in backquotes between continued lines — blanked.
//! - `if ! case …`: `!` before a compound command — blanked.
//! - `${v/)*}`: an unbalanced `)` in a pattern — `_`; `${t/ '[GTK2/3]'}`: a `/` inside
//!   quotes in a pattern (bash does not split there) — `_`.
//! - `for ((a[0]; a[0]<=a[1]; a[0]++))`: plain subscripts in a C-style for header — `a_0_`.
//! - `cat > "$f" <<< "$csr"`: a here-string after a file redirection — `<<<` becomes `<  `
//!   and the walker, seeing `<<<` in the original text, reads it as the here-string
//!   ([`redirects`]).
//! - `cc - <<EOF 2>/dev/null | sed …`: plain redirections between a heredoc's delimiter and
//!   a pipe — blanked (the walker reads no redirection of a heredoc line).
//! - `exec 4<> "$LOG"`: the read-write operator — `< ` (the walker notes `<>` from the text).

mod redirects;

/// Nesting deeper than this is left as it is.
const MAX_DEPTH: usize = 64;

/// The repaired text, or `None` when nothing was changed.
pub fn repair(text: &str) -> Option<String> {
    let mut s = Scanner {
        b: text.as_bytes().to_vec(),
        changed: false,
        bodies: super::heredoc_bodies(text),
    };
    s.top(0, None, 0);
    if !s.changed {
        return None;
    }
    // only ASCII bytes were replaced by ASCII bytes: still UTF-8
    String::from_utf8(s.b).ok()
}

struct Scanner {
    b: Vec<u8>,
    changed: bool,
    bodies: Vec<(usize, usize)>,
}

fn word_start(b: &[u8], i: usize) -> bool {
    i == 0
        || matches!(
            b[i - 1],
            b' ' | b'\t' | b'\n' | b';' | b'&' | b'|' | b'(' | b'{'
        )
}

fn ends_word(c: u8) -> bool {
    matches!(
        c,
        b' ' | b'\t' | b'\n' | b';' | b'&' | b'|' | b')' | b'<' | b'>'
    )
}

impl Scanner {
    fn at(&self, i: usize) -> u8 {
        self.b.get(i).copied().unwrap_or(0)
    }
    fn set(&mut self, i: usize, c: u8) {
        if let Some(x) = self.b.get_mut(i)
            && *x != c
            && x.is_ascii()
        {
            *x = c;
            self.changed = true;
        }
    }
    /// A `}` follows `i` on its line (the `${` being read ends there).
    fn closes_on_line(&self, i: usize) -> bool {
        self.b
            .get(i..)
            .unwrap_or_default()
            .iter()
            .take_while(|&&c| c != b'\n')
            .any(|&c| c == b'}')
    }
    fn starts(&self, i: usize, s: &str) -> bool {
        self.b.get(i..i + s.len()) == Some(s.as_bytes())
    }
    fn skip_sq(&self, mut i: usize) -> usize {
        while i < self.b.len() && self.b[i] != b'\'' {
            i += 1;
        }
        i + 1
    }
    fn skip_ansi(&self, mut i: usize) -> usize {
        while i < self.b.len() && self.b[i] != b'\'' {
            if self.b[i] == b'\\' {
                i += 1;
            }
            i += 1;
        }
        i + 1
    }

    /// Unquoted text until `close` (`)` of `$(`, a backquote) at paren depth 0.
    fn top(&mut self, mut i: usize, close: Option<u8>, depth: usize) -> usize {
        if depth > MAX_DEPTH {
            return self.b.len();
        }
        let mut parens = 0usize;
        // a file redirection was read in the current simple command
        let mut redirected = false;
        while i < self.b.len() {
            let c = self.b[i];
            if matches!(c, b'\n' | b';' | b'|' | b'&' | b'(' | b')' | b'{' | b'}') {
                redirected = false;
            }
            if c == b'\n' || i == 0 {
                let start = if c == b'\n' { i + 1 } else { i };
                if let Some(&(_, e)) = self.bodies.iter().find(|(a, _)| *a == start) {
                    i = self.body(start, e, depth);
                    continue;
                }
            }
            match c {
                b'\\' => i += 2,
                b'\'' => i = self.skip_sq(i + 1),
                b'"' => i = self.dq(i + 1, depth + 1, false),
                b'`' => {
                    if close == Some(b'`') {
                        return i + 1;
                    }
                    if self.at(i + 1) == b'#' {
                        // a comment in backquotes: the substitution is empty
                        let mut j = i + 1;
                        while j < self.b.len() && self.b[j] != b'`' && self.b[j] != b'\n' {
                            j += 1;
                        }
                        if self.at(j) == b'`' {
                            for k in i..=j {
                                self.set(k, b' ');
                            }
                            i = j + 1;
                            continue;
                        }
                    }
                    i = self.top(i + 1, Some(b'`'), depth + 1);
                }
                b'$' => i = self.dollar(i, depth, false),
                b'<' | b'>' => i = self.redirect(i, &mut redirected, depth),
                b'#' if word_start(&self.b, i) => {
                    while i < self.b.len() && self.b[i] != b'\n' {
                        i += 1;
                    }
                }
                b'(' => {
                    if self.at(i + 1) == b'(' && self.after_for(i) {
                        self.c_for(i + 2);
                    }
                    parens += 1;
                    i += 1;
                }
                b')' => {
                    if parens == 0 && close == Some(b')') {
                        return i + 1;
                    }
                    parens = parens.saturating_sub(1);
                    i += 1;
                }
                b'[' if self.at(i + 1) == b'['
                    && word_start(&self.b, i)
                    && matches!(self.at(i + 2), b' ' | b'\t' | b'\n') =>
                {
                    i = self.test(i + 2, depth + 1);
                }
                b'!' if word_start(&self.b, i) && matches!(self.at(i + 1), b' ' | b'\t') => {
                    let mut j = i + 1;
                    while matches!(self.at(j), b' ' | b'\t') {
                        j += 1;
                    }
                    if self.starts(j, "case") && ends_word(self.at(j + 4)) {
                        self.set(i, b' ');
                    }
                    i += 1;
                }
                _ => i += 1,
            }
        }
        i
    }

    /// `((` at `i` follows the word `for`.
    fn after_for(&self, i: usize) -> bool {
        let mut j = i;
        while j > 0 && matches!(self.b[j - 1], b' ' | b'\t') {
            j -= 1;
        }
        j >= 3 && &self.b[j - 3..j] == b"for" && (j == 3 || word_start(&self.b, j - 3))
    }

    /// The header of `for ((…))` from just after `((`: tree-sitter reads no subscript in the
    /// condition or update (`a[0]<=a[1]`, `a[0]++`); a plain `a[0]` becomes `a_0_`. Headers
    /// with substitutions, quotes or a line break are left as they are.
    fn c_for(&mut self, i: usize) {
        let mut end = i;
        let mut parens = 0usize;
        loop {
            match self.at(end) {
                0 | b'\n' | b'$' | b'`' | b'"' | b'\'' | b'\\' => return,
                b'(' => parens += 1,
                b')' if parens > 0 => parens -= 1,
                b')' if self.at(end + 1) == b')' => break,
                b')' => return,
                _ => {}
            }
            end += 1;
        }
        let mut j = i;
        while j < end {
            if self.b[j] == b'['
                && j > i
                && (self.b[j - 1].is_ascii_alphanumeric() || self.b[j - 1] == b'_')
            {
                let mut k = j + 1;
                while k < end && (self.b[k].is_ascii_alphanumeric() || self.b[k] == b'_') {
                    k += 1;
                }
                if k > j + 1 && self.at(k) == b']' {
                    self.set(j, b'_');
                    self.set(k, b'_');
                    j = k;
                }
            }
            j += 1;
        }
    }

    /// A heredoc body: expansions are read (unquoted delimiters); quotes are text.
    fn body(&mut self, mut i: usize, end: usize, depth: usize) -> usize {
        while i < end.min(self.b.len()) {
            match self.b[i] {
                b'\\' => i += 2,
                b'$' if self.at(i + 1) == b'{' => i = self.brace(i + 2, depth + 1, true),
                _ => i += 1,
            }
        }
        end
    }

    /// `$…` at `i`: returns the index after what it starts.
    fn dollar(&mut self, i: usize, depth: usize, in_dq: bool) -> usize {
        match self.at(i + 1) {
            b'{' => self.brace(i + 2, depth + 1, in_dq),
            b'(' => self.top(i + 2, Some(b')'), depth + 1),
            b'\'' if !in_dq => self.skip_ansi(i + 2),
            b')' => {
                self.set(i, b'_');
                i + 1
            }
            _ => i + 1,
        }
    }

    /// Inside double quotes from `i` to the closing quote. `pattern`: a `[[ = ]]` operand
    /// (spaces inside quotes are kept as they are).
    fn dq(&mut self, mut i: usize, depth: usize, _pattern: bool) -> usize {
        if depth > MAX_DEPTH {
            return self.b.len();
        }
        while i < self.b.len() {
            match self.b[i] {
                b'\\' => i += 2,
                b'"' => return i + 1,
                b'$' => i = self.dollar(i, depth, true),
                b'`' => i = self.top(i + 1, Some(b'`'), depth + 1),
                _ => i += 1,
            }
        }
        i
    }

    /// `${…}` from just after `${`.
    fn brace(&mut self, mut i: usize, depth: usize, in_dq: bool) -> usize {
        if depth > MAX_DEPTH {
            return self.b.len();
        }
        if matches!(self.at(i), b'#' | b'!') && self.at(i + 1) != b'}' {
            i += 1;
        }
        let name_start = i;
        while self.at(i).is_ascii_alphanumeric() || self.at(i) == b'_' {
            i += 1;
        }
        if i == name_start && matches!(self.at(i), b'@' | b'*' | b'#' | b'?' | b'-' | b'$' | b'!') {
            i += 1;
        }
        if self.at(i) == b'[' {
            while i < self.b.len() && self.b[i] != b']' && self.b[i] != b'}' {
                if self.b[i] == b'$' {
                    i = self.dollar(i, depth, true);
                } else {
                    i += 1;
                }
            }
            if self.at(i) == b']' {
                i += 1;
            }
        }
        let substring = self.at(i) == b':' && !matches!(self.at(i + 1), b'-' | b'=' | b'?' | b'+');
        let pattern = self.at(i) == b'/';
        if pattern {
            i += 1;
        }
        let mut parens = 0usize;
        while i < self.b.len() {
            let c = self.b[i];
            match c {
                b'}' => return i + 1,
                b'\\' => {
                    if matches!(self.at(i + 1), b'$' | b'`' | b'(' | b')' | b';') {
                        self.set(i, b'_');
                        self.set(i + 1, b'_');
                    }
                    i += 2;
                }
                b'$' if substring
                    && (self.at(i + 1).is_ascii_alphabetic() || self.at(i + 1) == b'_') =>
                {
                    self.set(i, b'_');
                    i += 1;
                }
                b'$' if self.at(i + 1) == b'(' => {
                    i = self.top(i + 2, Some(b')'), depth + 1);
                }
                b'$' => i = self.dollar(i, depth, in_dq),
                b'"' => i = self.dq(i + 1, depth + 1, false),
                b'\'' if pattern => i = self.quoted_pattern(i + 1),
                b'\'' if !in_dq => i = self.skip_sq(i + 1),
                b'`' => i = self.top(i + 1, Some(b'`'), depth + 1),
                b';' if !substring => {
                    self.set(i, b'_');
                    i += 1;
                }
                b'(' if !substring => {
                    parens += 1;
                    self.set(i, b'_');
                    i += 1;
                }
                b')' if !substring && parens > 0 => {
                    parens -= 1;
                    self.set(i, b'_');
                    i += 1;
                }
                // `${v/)*}`: an unbalanced `)` in a pattern is a literal to bash (a `$(`
                // inside was read whole above, so this one closes nothing)
                b')' if !substring && self.closes_on_line(i) => {
                    self.set(i, b'_');
                    i += 1;
                }
                _ => i += 1,
            }
        }
        i
    }

    /// `'a/b'` in `${v/'a/b'}` from just after the quote: bash does not split the pattern
    /// at a quoted `/`, tree-sitter does (`/` → `_`). Without a closing quote on the line
    /// (`"${v/it's}"`: a quote is a literal in double quotes) nothing changes.
    fn quoted_pattern(&mut self, i: usize) -> usize {
        let mut j = i;
        while j < self.b.len() && !matches!(self.b[j], b'\'' | b'\n') {
            j += 1;
        }
        if self.at(j) != b'\'' {
            return i;
        }
        for k in i..j {
            if self.b[k] == b'/' {
                self.set(k, b'_');
            }
        }
        j + 1
    }

    /// Inside `[[ … ]]` from just after `[[`.
    fn test(&mut self, mut i: usize, depth: usize) -> usize {
        let mut prev: Vec<u8> = Vec::new();
        while i < self.b.len() {
            let c = self.b[i];
            if matches!(c, b' ' | b'\t' | b'\n') {
                i += 1;
                continue;
            }
            if c == b'\\' && self.at(i + 1) == b'\n' {
                i += 2;
                continue;
            }
            if self.starts(i, "]]") {
                return i + 2;
            }
            let start = i;
            let regex = prev == b"=~";
            if prev == b"=" || prev == b"==" || prev == b"!=" || regex {
                i = self.operand(i, depth, regex);
            } else {
                i = self.word(i, depth);
            }
            let tok = self.b.get(start..i).unwrap_or_default().to_vec();
            if tok == b"=" && matches!(self.at(i), b' ' | b'\t') {
                // `a = *"x"* || …` is misread; `a ==*"x"*` is the same test
                self.set(i, b'=');
                i += 1;
                prev = b"==".to_vec();
            } else {
                prev = tok;
            }
            if i == start {
                i += 1;
            }
        }
        i
    }

    /// A plain word inside `[[ ]]`.
    fn word(&mut self, mut i: usize, depth: usize) -> usize {
        while i < self.b.len() {
            match self.b[i] {
                b' ' | b'\t' | b'\n' => return i,
                b'\\' => i += 2,
                b'\'' => i = self.skip_sq(i + 1),
                b'"' => i = self.dq(i + 1, depth + 1, false),
                b'$' => i = self.dollar(i, depth, false),
                b'`' => i = self.top(i + 1, Some(b'`'), depth + 1),
                _ => i += 1,
            }
        }
        i
    }

    /// The right side of `=~`: braces (not of `${`) and escapes become `x`.
    fn operand(&mut self, mut i: usize, depth: usize, regex: bool) -> usize {
        if !regex {
            return self.word(i, depth);
        }
        while i < self.b.len() {
            match self.b[i] {
                b' ' | b'\t' | b'\n' => return i,
                b'\\' => {
                    self.set(i, b'x');
                    self.set(i + 1, b'x');
                    i += 2;
                }
                b'{' | b'}' => {
                    self.set(i, b'x');
                    i += 1;
                }
                b'\'' => i = self.skip_sq(i + 1),
                b'"' => i = self.dq(i + 1, depth + 1, false),
                b'$' if self.at(i + 1) == b'{' || self.at(i + 1) == b'(' => {
                    i = self.dollar(i, depth, false)
                }
                _ => i += 1,
            }
        }
        i
    }
}

/// A line whose first word starts with a backslash (`\. ../nvm.sh`, `\rm -f x`): the
/// backslash becomes a space. Applied before every parse (tree-sitter otherwise joins the
/// line to the command before it).
pub fn line_start_escapes(text: &str) -> Option<String> {
    let b = text.as_bytes();
    let mut out: Option<Vec<u8>> = None;
    // every line start, found by a newline search (not a look at every byte)
    let mut i = 0;
    while i < b.len() {
        let mut j = i;
        while j < b.len() && matches!(b[j], b' ' | b'\t') {
            j += 1;
        }
        let continued = i >= 2 && b[i - 2] == b'\\';
        if !continued
            && b.get(j) == Some(&b'\\')
            && b.get(j + 1)
                .is_some_and(|c| c.is_ascii_alphanumeric() || matches!(c, b'.' | b'_'))
        {
            out.get_or_insert_with(|| b.to_vec())[j] = b' ';
        }
        match text.get(i..).and_then(|t| t.find('\n')) {
            Some(k) => i += k + 1,
            None => break,
        }
    }
    out.and_then(|v| String::from_utf8(v).ok())
}

/// A file that is not a bash script: its shebang names another shell or language, or it
/// runs itself under another interpreter (`exec tclsh "$0"`). Returns the language and
/// where the foreign text starts (0: the whole file).
pub fn foreign(text: &str) -> Option<(&'static str, usize)> {
    const LANGS: &[(&str, &str)] = &[
        ("zsh", "zsh"),
        ("fish", "fish"),
        ("csh", "csh"),
        ("tcsh", "tcsh"),
        ("tclsh", "Tcl"),
        ("wish", "Tcl"),
        ("expect", "Tcl"),
        ("ruby", "Ruby"),
        ("python", "Python"),
        ("python3", "Python"),
        ("perl", "Perl"),
        ("node", "JavaScript"),
    ];
    let lang_of = |line: &str| -> Option<&'static str> {
        let rest = line.strip_prefix("#!")?;
        let mut words = rest.split_whitespace();
        let mut prog = words.next()?.rsplit('/').next()?;
        if prog == "env" {
            prog = words.find(|w| !w.starts_with('-'))?;
        }
        let prog = prog.trim_end_matches(|c: char| c.is_ascii_digit() || c == '.');
        LANGS
            .iter()
            .find(|(p, _)| *p == prog || (p.starts_with("python") && prog == "python"))
            .map(|(_, l)| *l)
    };
    let first = text.lines().next().unwrap_or("");
    if let Some(l) = lang_of(first) {
        return Some((l, 0));
    }
    // both forms below run the file itself (`"$0"`): one search instead of a line walk
    if !text.contains("\"$0\"") {
        return None;
    }
    // `exec tclsh "$0" "$@"` near the top (the Tcl trick)
    for line in text.lines().take(12) {
        let t = line.trim_start();
        if let Some(rest) = t.strip_prefix("exec ") {
            let prog = rest.split_whitespace().next().unwrap_or("");
            let prog = prog.rsplit('/').next().unwrap_or(prog);
            if matches!(prog, "tclsh" | "wish" | "expect") && rest.contains("\"$0\"") {
                return Some(("Tcl", 0));
            }
        }
    }
    // `exec ruby -x "$0"` then `#!…ruby`: the rest of the file is that language
    let mut off = 0;
    let mut exec_self = false;
    for line in text.split_inclusive('\n') {
        let t = line.trim_start();
        if t.starts_with("exec ") && t.contains("\"$0\"") {
            exec_self = true;
        } else if exec_self
            && off > 0
            && let Some(l) = lang_of(t.trim_end())
        {
            return Some((l, off));
        }
        off += line.len();
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parses(src: &str) -> bool {
        let tree = crate::shell::parse_tree(src).expect("parser runs");
        !tree.root_node().has_error()
    }

    #[test]
    fn repaired_forms_parse_and_keep_their_length() {
        for src in [
            "if [[ \"$v\" = *\" Distrib \"* ]]; then :; fi",
            "if [[ \"$*\" = *\"/a/run.sh\"* || \"$*\" = *\"/run.sh\"* ]]; then :; fi",
            "while [[ \"${c}\" =~ \\$\\{([A-Z_]*)(:-([^}]*))?\\} ]]; do :; done",
            "x=\"${var:-a;b;c}\"",
            "sudo chown -R ${USER-\\$(whoami)} ${HOMEBREW_CELLAR}",
            "x=\"${pubkey:$off:$len}\"",
            "x=\"${arr[@]:$i:1}\"",
            "((p+=$(grep -cv deinstall$)))",
            "sed x `# c` \\\n  | grep y `# d` \\\n  | tr z\n",
            "if ! case \"$x\" in a) b ;; esac; then :; fi",
            "cat > \"${f}\" <<< \"${csr}\"",
            "cc - <<EOF 2>/dev/null | sed -n p\nx\nEOF\n",
            "exec 4<> \"$LOG_PATH\"",
            "v=${v/)*}",
            "t=\"${t/ '[GTK2/3]'}\"",
            "for ((a[0]; a[0]<=a[1]; a[0]++)); do :; done",
        ] {
            let r = repair(src).unwrap_or_else(|| src.to_string());
            assert_eq!(r.len(), src.len(), "{src}");
            assert!(parses(src), "{src}\n→ {r}");
        }
    }

    #[test]
    fn escapes_at_line_starts() {
        let src = "\\. ../nvm.sh\n  \\rm x\nfoo \\\n\\rm y\n\\$x\n\t\\_f\n\\";
        let want = " . ../nvm.sh\n   rm x\nfoo \\\n\\rm y\n\\$x\n\t _f\n\\";
        assert_eq!(line_start_escapes(src).as_deref(), Some(want));
        assert_eq!(line_start_escapes("echo \\. x\n\n"), None);
        assert_eq!(line_start_escapes(""), None);
    }

    #[test]
    fn clean_scripts_are_left_alone() {
        assert_eq!(repair("rm -rf \"$DIR\"\necho '${a;b}'\n"), None);
        assert_eq!(repair("[[ $a == b ]] && x=${y:-z}"), None);
    }

    #[test]
    fn other_languages() {
        assert_eq!(foreign("#!/bin/zsh\nsetopt x\n"), Some(("zsh", 0)));
        assert_eq!(foreign("#!/usr/bin/env zsh\n"), Some(("zsh", 0)));
        assert_eq!(
            foreign("#!/bin/sh\n# \\\nexec tclsh \"$0\" \"$@\"\nputs hi\n"),
            Some(("Tcl", 0))
        );
        let polyglot = "#!/bin/bash\nexec ruby -x \"$0\" \"$@\"\n#!/usr/bin/env ruby -W0\nputs 1\n";
        assert_eq!(foreign(polyglot), Some(("Ruby", 35)));
        assert_eq!(foreign("#!/bin/bash\nrm -rf x\n"), None);
        assert_eq!(foreign("#!/bin/bash\nexec \"$0\"\n"), None);
    }
}
