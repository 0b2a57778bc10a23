//! [`super::glob`] walks by byte offset; it must agree with the char-vector glob it replaced.

use super::{glob, parsed};

/// The char-vector glob [`glob`] replaced: both must agree.
fn glob_by_chars(pat: &str, s: &str) -> bool {
    let p: Vec<char> = pat.chars().map(|c| c.to_ascii_lowercase()).collect();
    let t: Vec<char> = s.chars().map(|c| c.to_ascii_lowercase()).collect();
    let (mut pi, mut ti) = (0, 0);
    let (mut star, mut mark) = (None, 0);
    while ti < t.len() {
        if pi + 1 < p.len() && p[pi] == '\\' && p[pi + 1] == t[ti] {
            pi += 2;
            ti += 1;
        } else if pi < p.len() && (p[pi] == '?' || p[pi] == t[ti]) {
            pi += 1;
            ti += 1;
        } else if pi < p.len() && p[pi] == '*' {
            star = Some(pi);
            mark = ti;
            pi += 1;
        } else if let Some(s) = star {
            pi = s + 1;
            mark += 1;
            ti = mark;
        } else {
            return false;
        }
    }
    while pi < p.len() && p[pi] == '*' {
        pi += 1;
    }
    pi == p.len()
}

#[test]
fn glob_agrees_with_the_char_vector_glob() {
    let mut pats: Vec<String> = [
        "*",
        "?",
        "",
        "a*b?c",
        "\\*",
        "/\\*",
        "é?*",
        "?é",
        "*é*",
        "\\é",
        "*:MAIN",
        "of=/dev/*$*",
    ]
    .map(String::from)
    .to_vec();
    if let Ok(file) = parsed() {
        for p in file.rule.iter().flat_map(|r| &r.when) {
            for e in p.args.iter().chain(&p.not_args).chain(&p.sub) {
                pats.extend(e.split('|').map(String::from));
            }
        }
    }
    let texts = [
        "",
        "a",
        "ab",
        "axbyc",
        "aXbYc",
        "*",
        "/*",
        "/var",
        "é",
        "éé",
        "xéy",
        "É",
        "\\é",
        "HEAD:main",
        "of=/dev/$DEV",
        "of=/dev/sda",
        "--force",
        "-rf",
        "/",
        "origin/main",
        "ñ*b",
        "日本語",
        "push",
        "--all",
        "--hard",
    ];
    for p in &pats {
        for t in texts {
            assert_eq!(glob(p, t), glob_by_chars(p, t), "{p:?} {t:?}");
        }
    }
}
