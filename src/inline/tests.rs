//! Inline code read into effects, on the shapes agents write.

use super::*;
use crate::shell::analyze;
use crate::shell::command::Item;

fn effects(script: &str) -> Vec<Effect> {
    let a = analyze(script);
    a.items
        .iter()
        .filter_map(|it| match it {
            Item::Cmd(c) => find(c),
            _ => None,
        })
        .flat_map(|i| read(&i))
        .collect()
}

fn deletes(script: &str) -> Vec<(String, bool)> {
    effects(script)
        .into_iter()
        .filter_map(|e| match e {
            Effect::Delete {
                path, recursive, ..
            } => Some((path.text.to_string(), recursive)),
            _ => None,
        })
        .collect()
}

fn shells(script: &str) -> Vec<String> {
    effects(script)
        .into_iter()
        .filter_map(|e| match e {
            Effect::Shell { text, .. } => Some(text.text.to_string()),
            _ => None,
        })
        .collect()
}

fn d(p: &str, r: bool) -> Vec<(String, bool)> {
    vec![(p.to_string(), r)]
}

#[test]
fn python() {
    assert_eq!(
        deletes("python3 -c \"import shutil; shutil.rmtree('/srv/data')\""),
        d("/srv/data", true)
    );
    assert_eq!(
        deletes("python -c 'import os; os.remove(os.path.expanduser(\"~/.bashrc\"))'"),
        d("~/.bashrc", false)
    );
    assert_eq!(
        deletes("python3 -c 'from pathlib import Path; import shutil; shutil.rmtree(Path.home())'"),
        d("~", true)
    );
    assert_eq!(
        deletes(
            "python3 - <<'EOF'\nimport shutil, os\np = os.path.join('/var/lib', 'postgresql')\nshutil.rmtree(p)\nEOF"
        ),
        d("/var/lib/postgresql", true)
    );
    assert_eq!(
        deletes("python3 -c 'import pathlib; pathlib.Path(\"/etc/hosts\").unlink()'"),
        d("/etc/hosts", false)
    );
    assert_eq!(
        shells("python3 -c 'import os; os.system(\"rm -rf ~\")'"),
        vec!["rm -rf ~"]
    );
    assert_eq!(
        shells("python3 -c 'import subprocess; subprocess.run([\"rm\", \"-rf\", \"/\"])'"),
        vec!["rm -rf /"]
    );
    assert!(effects("python -c 'import sys; print(sys.version)'").is_empty());
    assert!(effects("python manage.py test").is_empty());
    assert!(effects("python3 -m pytest -x").is_empty());
    assert!(effects("python3 -c \"import shutil; shutil.rmtree(f'{d}/x')\"").is_empty());
}

#[test]
fn javascript() {
    assert_eq!(
        deletes("node -e \"require('fs').rmSync(process.env.HOME, {recursive: true})\""),
        d("~", true)
    );
    assert_eq!(
        deletes("node -e \"require('fs').rmSync('dist', {recursive: true, force: true})\""),
        d("dist", true)
    );
    assert_eq!(
        deletes("node --eval \"const fs = require('fs'); fs.unlinkSync('/etc/passwd')\""),
        d("/etc/passwd", false)
    );
    assert_eq!(
        deletes(
            "bun -e 'require(\"fs\").rmSync(`${require(\"os\").homedir()}/`, {recursive: true})'"
        ),
        d("~/", true)
    );
    assert_eq!(
        shells("node -e \"require('child_process').execSync('rm -rf /srv')\""),
        vec!["rm -rf /srv"]
    );
    assert_eq!(
        shells(
            "deno eval \"const {spawnSync} = require('child_process'); spawnSync('rm', ['-rf', '/srv'])\""
        ),
        vec!["rm -rf /srv"]
    );
    assert!(effects("node -e \"console.log(1)\"").is_empty());
    assert!(effects("node scripts/x.js").is_empty());
}

#[test]
fn ruby_perl_php() {
    assert_eq!(
        deletes("ruby -rfileutils -e 'FileUtils.rm_rf(Dir.home)'"),
        d("~", true)
    );
    assert_eq!(
        deletes("ruby -e 'File.delete(\"/etc/x\")'"),
        d("/etc/x", false)
    );
    assert_eq!(shells("ruby -e '`rm -rf /srv`'"), vec!["rm -rf /srv"]);
    assert_eq!(
        shells("ruby -e 'system(\"rm\", \"-rf\", \"/srv\")'"),
        vec!["rm -rf /srv"]
    );
    assert_eq!(shells("perl -e 'system(\"rm -rf ~\")'"), vec!["rm -rf ~"]);
    assert_eq!(shells("perl -e 'print `rm -rf /srv`'"), vec!["rm -rf /srv"]);
    assert_eq!(
        deletes("perl -MFile::Path=rmtree -e 'rmtree(\"$ENV{HOME}\")'"),
        d("~", true)
    );
    assert_eq!(
        deletes("perl -e 'unlink \"/etc/passwd\"'"),
        d("/etc/passwd", false)
    );
    assert_eq!(
        shells("php -r 'system(\"rm -rf /srv\");'"),
        vec!["rm -rf /srv"]
    );
    assert_eq!(
        deletes("php -r 'unlink(\"/etc/passwd\");'"),
        d("/etc/passwd", false)
    );
    assert_eq!(shells("php -r 'echo `rm -rf ~`;'"), vec!["rm -rf ~"]);
    assert!(effects("perl -ne 'print if /x/' file.txt").is_empty());
    assert!(effects("ruby -e 'puts 1'").is_empty());
    assert!(effects("php -r 'echo PHP_VERSION;'").is_empty());
    assert!(effects("perl script.pl").is_empty());
}

#[test]
fn generated_code_is_opaque() {
    let a = analyze("python3 -c \"$CODE\"");
    let Some(Item::Cmd(c)) = a.items.first() else {
        panic!("a command")
    };
    assert!(find(c).is_some_and(|i| i.opaque.is_some()));
    let a = analyze("node -e \"$(cat x.js)\"");
    let found = a.items.iter().find_map(|it| match it {
        Item::Cmd(c) => find(c),
        _ => None,
    });
    assert!(found.is_some_and(|i| i.opaque.is_some()));
}

#[test]
fn python_names_match_the_list() {
    for p in PYTHONS {
        assert!(is_python(p), "{p}");
        assert_eq!(interpreter(&format!("/usr/bin/{p}")), Some(Lang::Python));
    }
    for n in [
        "python4",
        "pythonx",
        "py",
        "Python",
        "python3.",
        "python3.x",
        "",
    ] {
        assert!(!is_python(n), "{n}");
    }
    assert!(is_python("python3.12"));
}
