//! Tests of a run's files: the canonical paths worked out a directory at a time against
//! per-file `realpath`, `read_file` against `std::fs::read`, a file of the run run by a script.

use super::*;
use crate::discover::Discovered;
use crate::source::Lang;
use std::collections::HashSet;
use std::path::PathBuf;

/// `dir` as a path relative to the working directory (`../../tmp/…`), so relative inputs
/// are walked too.
fn relative(dir: &Path) -> PathBuf {
    let cwd = std::env::current_dir().expect("a working directory");
    let mut rel = PathBuf::new();
    for _ in cwd.components().skip(1) {
        rel.push("..");
    }
    rel.join(dir.strip_prefix("/").unwrap_or(dir))
}

/// The set as every file's own `realpath` gave it before.
fn per_file(files: &[Discovered]) -> HashSet<PathBuf> {
    files
        .iter()
        .filter_map(|f| std::fs::canonicalize(&f.path).ok())
        .collect()
}

/// A tree with linked files and directories, relative links, `..` in inputs, a relative
/// root and explicit files: the set worked out a directory at a time equals the per-file
/// `realpath` set.
#[cfg(unix)]
#[test]
fn canonical_paths_as_realpath_per_file_gives_them() -> std::io::Result<()> {
    use std::os::unix::fs::symlink;
    let tmp = tempfile::tempdir()?;
    let t = tmp.path().join("tree");
    std::fs::create_dir_all(t.join("sub/deep"))?;
    std::fs::create_dir_all(tmp.path().join("other"))?;
    std::fs::write(t.join("a.sh"), "echo a\n")?;
    std::fs::write(t.join("sub/b.sql"), "SELECT 1;\n")?;
    std::fs::write(t.join("sub/deep/c d.sh"), "echo c\n")?;
    std::fs::write(tmp.path().join("other/o.sh"), "echo o\n")?;
    symlink(t.join("sub/b.sql"), t.join("link.sql"))?; // absolute file link
    symlink("../a.sh", t.join("sub/rel.sh"))?; // relative file link
    symlink("sub", t.join("linkdir"))?; // directory link (not walked from the tree)
    symlink("../other", t.join("up"))?; // directory link out of the tree
    symlink(t.join("gone.sh"), t.join("dangling.sh"))?;
    symlink("linkdir/../a.sh", t.join("via.sh"))?; // a link through a linked directory
    let inputs = vec![
        t.clone(),
        t.join("linkdir"),
        t.join("up"),
        t.join("sub/../a.sh"),
        t.join("linkdir/../a.sh"),
        t.join("sub/./deep/../b.sql"),
        relative(&t),
        relative(&t.join("linkdir")),
        relative(&t).join("sub/rel.sh"),
        t.join("link.sql"),
        t.join("linkdir/b.sql"),
        t.join("up/o.sh"),
        t.join("sub//deep/./c d.sh"),
        t.join("missing.sh"),
    ];
    let (mut files, _) = crate::discover::discover(&inputs, &|_| None, &|_| false);
    // a file that went away after discovery has no canonical path either way
    let gone = t.join("went.sh");
    std::fs::write(&gone, "echo\n")?;
    files.extend(crate::discover::discover(std::slice::from_ref(&gone), &|_| None, &|_| false).0);
    std::fs::remove_file(&gone)?;
    assert!(files.iter().any(|f| f.plain) && files.iter().any(|f| !f.plain));
    let rf = RunFiles::new(&files);
    let want = per_file(&files);
    assert_eq!(*rf.canonical(), want);
    // the links are there as their targets, the linked directory's files by their real path
    let real = std::fs::canonicalize(&t)?;
    assert!(want.contains(&real.join("sub/b.sql")) && !want.contains(&real.join("link.sql")));
    assert!(rf.contains(&real.join("sub/deep/c d.sh")));
    assert!(!rf.contains(&real.join("linkdir/b.sql")));
    Ok(())
}

/// Without a shell script no path is kept (nothing asks), but the working directory is.
#[test]
fn no_shell_script_no_paths() {
    let f = Discovered {
        path: PathBuf::from("x.sql"),
        display: "x.sql".into(),
        lang: Lang::Sql,
        down: false,
        skipped: None,
        explicit: true,
        plain: false,
    };
    let rf = RunFiles::new(std::slice::from_ref(&f));
    assert!(rf.canonical().is_empty());
    assert_eq!(rf.cwd(), std::env::current_dir().ok().as_deref());
}

/// `read_file` gives `std::fs::read`'s bytes at every size around the buffer's, and its
/// errors.
#[test]
fn read_file_as_fs_read() -> std::io::Result<()> {
    let tmp = tempfile::tempdir()?;
    for (i, len) in [0, 1, 930, HEAD - 1, HEAD, HEAD + 1, 3 * HEAD + 7]
        .into_iter()
        .enumerate()
    {
        let p = tmp.path().join(format!("{i}.sh"));
        let bytes: Vec<u8> = (0..len).map(|k| (k * 7 + i) as u8).collect();
        std::fs::write(&p, &bytes)?;
        assert_eq!(read_file(&p)?, bytes, "{len}");
        assert_eq!(read_file(&p)?, std::fs::read(&p)?, "{len}");
    }
    for p in [tmp.path().join("missing.sh"), tmp.path().to_path_buf()] {
        let (a, b) = (read_file(&p), std::fs::read(&p));
        assert_eq!(
            a.map_err(|e| e.to_string()),
            b.map_err(|e| e.to_string()),
            "{p:?}"
        );
    }
    Ok(())
}

/// A script that runs files: what a file of the same run says is reported in that file only
/// (also when the script names it through a link, or the run names it through a linked
/// directory); run alone, the script reports it at the command.
#[cfg(unix)]
#[test]
fn a_file_of_the_run_is_not_repeated_at_the_command() -> std::io::Result<()> {
    let tmp = tempfile::tempdir()?;
    let d = tmp.path().join("d");
    std::fs::create_dir(&d)?;
    std::fs::write(
        d.join("deploy.sh"),
        "#!/bin/sh\npsql -f x.sql\npsql -f link.sql\n",
    )?;
    std::fs::write(d.join("x.sql"), "DROP TABLE users;\n")?;
    std::os::unix::fs::symlink("x.sql", d.join("link.sql"))?;
    std::os::unix::fs::symlink(&d, tmp.path().join("via"))?;
    // findings at deploy.sh that come from a file it runs
    let at_command = |inputs: &[PathBuf]| {
        let (files, errors) = crate::discover::discover(inputs, &|_| None, &|_| false);
        assert!(errors.is_empty(), "{errors:?}");
        let out = crate::run::run(&files, &crate::run::Settings::default());
        out.files
            .iter()
            .filter(|f| f.path.ends_with("deploy.sh"))
            .flat_map(|f| &f.diagnostics)
            .filter(|g| g.message.contains("run by `psql"))
            .count()
    };
    let script = d.join("deploy.sh");
    assert_eq!(at_command(std::slice::from_ref(&script)), 2);
    assert_eq!(at_command(std::slice::from_ref(&d)), 0);
    assert_eq!(at_command(&[script.clone(), d.join("x.sql")]), 0);
    assert_eq!(
        at_command(&[script.clone(), tmp.path().join("via/x.sql")]),
        0
    );
    // the link given alone: its canonical path is `x.sql`'s, what both commands run
    assert_eq!(at_command(&[script, d.join("link.sql")]), 0);
    Ok(())
}
