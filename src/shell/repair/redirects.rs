//! Redirections tree-sitter-bash does not read where bash does (see the module doc of
//! [`super`]): a here-string after a file redirection (`cat > "$f" <<< "$csr"`), a heredoc
//! whose redirections are followed by a pipe (`cc - <<EOF 2>/dev/null | sed …`), and the
//! read-write operator `<>` (`exec 4<> "$LOG"`).

use super::{MAX_DEPTH, Scanner};

impl Scanner {
    /// A `<` or `>` at `i` in unquoted text; `redirected`: a file redirection came before in
    /// this simple command. Returns the index after the operator.
    pub(super) fn redirect(&mut self, i: usize, redirected: &mut bool, depth: usize) -> usize {
        if self.starts(i, "<<<") {
            // `cmd > f <<< w`: read as `cmd > f <   w`; the walker sees `<<<` in the text
            // and takes the word as the here-string it is
            if *redirected && self.herestring_ends(i + 3, depth) {
                self.set(i + 1, b' ');
                self.set(i + 2, b' ');
            }
            return i + 3;
        }
        if self.starts(i, "<<") {
            self.heredoc_then_pipe(i + 2);
            return i + 2;
        }
        if self.at(i + 1) == b'(' {
            // a process substitution is a word, not a redirection
            return i + 1;
        }
        *redirected = true;
        if self.starts(i, "<>") {
            // `exec 4<> "$LOG"`: opened for reading and writing, nothing truncated
            self.set(i + 1, b' ');
            return i + 2;
        }
        if matches!(self.at(i + 1), b'>' | b'&' | b'|') {
            return i + 2;
        }
        i + 1
    }

    /// After `<<<` at `i`: one word, then the end of the command (or another redirection).
    /// Words with a line break or an unclosed quote are not repaired.
    fn herestring_ends(&self, mut i: usize, depth: usize) -> bool {
        while matches!(self.at(i), b' ' | b'\t') {
            i += 1;
        }
        let start = i;
        loop {
            match self.at(i) {
                0 | b' ' | b'\t' | b'\n' | b';' | b'&' | b'|' | b'<' | b'>' | b')' | b'(' => break,
                b'\\' => i += 2,
                b'\'' => match self.find_on_line(i + 1, b'\'') {
                    Some(e) => i = e + 1,
                    None => return false,
                },
                b'"' => match self.skip_dq_word(i + 1, depth) {
                    Some(e) => i = e,
                    None => return false,
                },
                b'$' if self.at(i + 1) == b'(' => match self.skip_sub(i + 2, depth) {
                    Some(e) => i = e,
                    None => return false,
                },
                b'$' if self.at(i + 1) == b'{' => match self.find_on_line(i + 2, b'}') {
                    Some(e) => i = e + 1,
                    None => return false,
                },
                b'`' => return false,
                _ => i += 1,
            }
        }
        if i == start {
            return false;
        }
        while matches!(self.at(i), b' ' | b'\t') {
            i += 1;
        }
        matches!(
            self.at(i),
            0 | b'\n' | b';' | b'&' | b'|' | b')' | b'#' | b'<' | b'>'
        )
    }

    fn find_on_line(&self, mut i: usize, c: u8) -> Option<usize> {
        while i < self.b.len() && self.b[i] != b'\n' {
            if self.b[i] == c {
                return Some(i);
            }
            i += 1;
        }
        None
    }

    /// From just after `"` to just after its closing quote (substitutions inside read
    /// whole), on one line.
    fn skip_dq_word(&self, mut i: usize, depth: usize) -> Option<usize> {
        if depth > MAX_DEPTH {
            return None;
        }
        loop {
            match self.at(i) {
                0 | b'\n' | b'`' => return None,
                b'\\' => i += 2,
                b'"' => return Some(i + 1),
                b'$' if self.at(i + 1) == b'(' => i = self.skip_sub(i + 2, depth + 1)?,
                _ => i += 1,
            }
        }
    }

    /// From just after `$(` to just after its `)`, on one line.
    fn skip_sub(&self, mut i: usize, depth: usize) -> Option<usize> {
        if depth > MAX_DEPTH {
            return None;
        }
        let mut parens = 0usize;
        loop {
            match self.at(i) {
                0 | b'\n' | b'`' => return None,
                b'\\' => i += 2,
                b'\'' => i = self.find_on_line(i + 1, b'\'')? + 1,
                b'"' => i = self.skip_dq_word(i + 1, depth + 1)?,
                b'$' if self.at(i + 1) == b'(' => i = self.skip_sub(i + 2, depth + 1)?,
                b'(' => {
                    parens += 1;
                    i += 1;
                }
                b')' if parens == 0 => return Some(i + 1),
                b')' => {
                    parens -= 1;
                    i += 1;
                }
                _ => i += 1,
            }
        }
    }

    /// `<<EOF 2>/dev/null | sed …` (from just after `<<`): tree-sitter reads a pipe after a
    /// heredoc's delimiter, or redirections, not both. Plain redirections (literal targets:
    /// no substitution hides in them) between the delimiter and a `|` are blanked; the
    /// walker reads no redirection of a heredoc line, so nothing it sees changes.
    fn heredoc_then_pipe(&mut self, mut i: usize) {
        if self.at(i) == b'-' {
            i += 1;
        }
        while matches!(self.at(i), b' ' | b'\t') {
            i += 1;
        }
        // the delimiter
        let start = i;
        match self.at(i) {
            q @ (b'\'' | b'"') => match self.find_on_line(i + 1, q) {
                Some(e) => i = e + 1,
                None => return,
            },
            _ => {
                while self.at(i).is_ascii_alphanumeric()
                    || matches!(self.at(i), b'_' | b'-' | b'.' | b'\\')
                {
                    i += 1;
                }
            }
        }
        if i == start {
            return;
        }
        let first = i;
        let mut last = i;
        while let Some(e) = self.plain_redirect(last) {
            last = e;
        }
        if last == first {
            return;
        }
        let mut j = last;
        while matches!(self.at(j), b' ' | b'\t') {
            j += 1;
        }
        if self.at(j) == b'|' && self.at(j + 1) != b'|' {
            for k in first..last {
                self.set(k, b' ');
            }
        }
    }

    /// ` 2>/dev/null`, ` >out.log`, ` 2>&1` from `i` (spaces first): the index after it.
    fn plain_redirect(&self, mut i: usize) -> Option<usize> {
        let spaced = i;
        while matches!(self.at(i), b' ' | b'\t') {
            i += 1;
        }
        if i == spaced {
            return None;
        }
        while self.at(i).is_ascii_digit() {
            i += 1;
        }
        if self.at(i) == b'&' && self.at(i + 1) == b'>' {
            i += 1;
        }
        let dup = match self.at(i) {
            b'>' | b'<' if self.at(i + 1) == b'&' => {
                i += 2;
                true
            }
            b'>' if matches!(self.at(i + 1), b'>' | b'|') => {
                i += 2;
                false
            }
            b'>' | b'<' if self.at(i + 1) != b'(' && self.at(i + 1) != b'<' => {
                i += 1;
                false
            }
            _ => return None,
        };
        while matches!(self.at(i), b' ' | b'\t') {
            i += 1;
        }
        let target = i;
        while self.at(i).is_ascii_alphanumeric()
            || matches!(self.at(i), b'_' | b'.' | b'/' | b'-' | b':' | b'+')
        {
            i += 1;
        }
        if i == target
            || (dup
                && !self.b[target..i]
                    .iter()
                    .all(|c| c.is_ascii_digit() || *c == b'-'))
        {
            return None;
        }
        Some(i)
    }
}
