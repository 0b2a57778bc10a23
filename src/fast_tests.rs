//! Shared by the fast paths' differential tests (`python::fast`, `php::fast`): the files to
//! run both paths on.

use std::path::{Path, PathBuf};

/// Every file under `dir` (recursively) whose extension is `ext`.
pub fn files_with_ext(dir: &Path, ext: &str) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut dirs = vec![dir.to_path_buf()];
    while let Some(d) = dirs.pop() {
        let Ok(rd) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in rd.flatten() {
            let p = e.path();
            if p.is_dir() {
                dirs.push(p);
            } else if p.extension().is_some_and(|x| x == ext) {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

/// `compare(text, what)` on every `fixtures/` file with extension `ext` and on every
/// truncation of it (broken files must fall back or agree); how many whole files it
/// answered (`Some`).
pub fn fixtures_and_truncations(ext: &str, compare: impl Fn(&str, &str) -> Option<()>) -> usize {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    let mut answered = 0;
    for f in files_with_ext(&dir, ext) {
        let src = std::fs::read_to_string(&f).expect("readable fixture");
        let name = f.display().to_string();
        if compare(&src, &name).is_some() {
            answered += 1;
        }
        for cut in (0..src.len()).filter(|&i| src.is_char_boundary(i)) {
            compare(&src[..cut], &format!("{name} cut at {cut}"));
        }
    }
    answered
}
