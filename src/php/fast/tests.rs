//! The fast path against tree-sitter: whenever the fast path answers, its tree is
//! tree-sitter's (kinds, fields, spans, anonymous tokens) and the facts read from it are the
//! same, on every fixture (and every truncation of it), on tricky snippets, and (an ignored
//! test, `PREFLIGHT_PHP_CORPUS=dir`) on a real corpus.

use super::tree;
use crate::php::laravel;
use crate::php::tree::Tree;
use std::path::{Path, PathBuf};

fn ts_tree(src: &str) -> Tree {
    Tree::from_ts(&crate::php::parse(src).expect("tree-sitter parses"))
}

/// `Some(())` when the fast path answered (and agreed), `None` when it fell back.
fn compare(src: &str, what: &str) -> Option<()> {
    let fast = tree(src)?;
    let ts = ts_tree(src);
    assert_eq!(
        fast.dump(),
        ts.dump(),
        "fast tree differs on {what}:\n{src}"
    );
    for l11 in [false, true] {
        let a = format!("{:?}", laravel::read_tree(&fast, src, l11));
        let b = format!("{:?}", laravel::read_tree(&ts, src, l11));
        assert_eq!(a, b, "facts differ on {what}");
    }
    Some(())
}

fn php_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return;
    };
    for e in rd.flatten() {
        let p = e.path();
        if p.is_dir() {
            php_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "php") {
            out.push(p);
        }
    }
}

#[test]
fn fixtures_agree_also_cut_short() {
    let mut files = Vec::new();
    php_files(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures"),
        &mut files,
    );
    let mut answered = 0;
    for f in &files {
        let src = std::fs::read_to_string(f).expect("readable fixture");
        let name = f.display().to_string();
        if compare(&src, &name).is_some() {
            answered += 1;
        }
        // every truncation: broken files must fall back or agree
        for cut in (0..src.len()).filter(|&i| src.is_char_boundary(i)) {
            compare(&src[..cut], &format!("{name} cut at {cut}"));
        }
    }
    assert!(answered >= 2, "the fast path answered {answered} fixtures");
}

/// `PREFLIGHT_PHP_CORPUS=dir cargo test --lib php::fast::tests::corpus -- --ignored --nocapture`
#[test]
#[ignore]
fn corpus() {
    let Ok(dir) = std::env::var("PREFLIGHT_PHP_CORPUS") else {
        return;
    };
    let mut files = Vec::new();
    php_files(Path::new(&dir), &mut files);
    let (mut n, mut fast, mut bytes, mut fast_bytes) = (0, 0, 0, 0);
    let mut missed = Vec::new();
    for f in &files {
        let Ok(src) = std::fs::read_to_string(f) else {
            continue;
        };
        if !laravel::looks_like_migration(&src) {
            continue;
        }
        n += 1;
        bytes += src.len();
        super::FAILED_AT.set(usize::MAX);
        if compare(&src, &f.display().to_string()).is_some() {
            fast += 1;
            fast_bytes += src.len();
        } else {
            let at = super::FAILED_AT.get();
            let what = src
                .get(at..)
                .map_or("(lexer)".to_string(), |s| s.chars().take(40).collect());
            missed.push(format!("{}: {what:?}", f.display()));
        }
    }
    for m in missed.iter() {
        println!("fell back: {m}");
    }
    println!("{fast}/{n} files, {fast_bytes}/{bytes} bytes read by the fast path, 0 differences");
}

/// `PREFLIGHT_PHP_DUMP=file cargo test --lib php::fast::tests::dump -- --ignored --nocapture`
#[test]
#[ignore]
fn dump() {
    let Ok(f) = std::env::var("PREFLIGHT_PHP_DUMP") else {
        return;
    };
    let src = std::fs::read_to_string(f).expect("readable");
    print!("{}", ts_tree(&src).dump());
    println!("----- fast:");
    print!("{}", tree(&src).map(|t| t.dump()).unwrap_or_default());
}
