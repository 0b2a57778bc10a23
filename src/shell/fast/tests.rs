//! The fast path against tree-sitter: whenever the fast path answers, its tree is the one
//! `shell::parse_tree` gives (kinds, fields, named flags, spans, anonymous tokens), on every
//! fixture and case script (and every truncation of each), on tricky snippets and (an
//! ignored test, `PREFLIGHT_SH_CORPUS=dir`) on a real corpus.

use super::parse;
use crate::owned_tree::Tree;
use std::path::Path;

fn ts_tree(src: &str) -> Option<Tree> {
    let t = crate::shell::parse_tree(src)?;
    Some(Tree::from_ts(&t, crate::shell::kind::kind))
}

/// `Some(())` when the fast path answered (and agreed), `None` when it fell back.
fn compare(src: &str, what: &str) -> Option<()> {
    let fast = parse(src)?;
    let ts = ts_tree(src).expect("tree-sitter parses");
    let root = ts.root().expect("a root");
    assert!(
        !root.has_error(),
        "the fast path answered where tree-sitter finds an error: {what}:\n{src}"
    );
    let (a, b) = (fast.dump(), ts.dump());
    if a != b {
        let at = a
            .lines()
            .zip(b.lines())
            .position(|(x, y)| x != y)
            .unwrap_or(0);
        let context = |d: &str| -> String {
            let v: Vec<&str> = d.lines().collect();
            v[at.saturating_sub(6)..(at + 4).min(v.len())].join("\n")
        };
        panic!(
            "fast tree differs on {what} at dump line {at}:\nfast:\n{}\ntree-sitter:\n{}\n{src}",
            context(&a),
            context(&b)
        );
    }
    Some(())
}

/// `compare` on `src` and on every prefix of it (at each char boundary).
fn with_truncations(src: &str, what: &str) -> Option<()> {
    for cut in (0..src.len()).filter(|&i| src.is_char_boundary(i)) {
        compare(&src[..cut], &format!("{what} cut at {cut}"));
    }
    compare(src, what)
}

#[test]
fn fixtures_agree_also_cut_short() {
    let answered = crate::fast_tests::fixtures_and_truncations("sh", compare);
    assert!(answered >= 1, "the fast path answered {answered} fixtures");
}

#[test]
fn case_scripts_agree_also_cut_short() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cases");
    let files = crate::fast_tests::files_with_ext(&dir, "sh");
    let mut answered = 0;
    for f in &files {
        let src = std::fs::read_to_string(f).expect("readable case");
        if with_truncations(&src, &f.display().to_string()).is_some() {
            answered += 1;
        }
    }
    assert!(
        answered >= 10,
        "the fast path answered {answered} of {} case scripts",
        files.len()
    );
}

/// `PREFLIGHT_SH_CORPUS=dir cargo test --lib shell::fast::tests::corpus -- --ignored --nocapture`
#[test]
#[ignore]
fn corpus() {
    let Ok(dirs) = std::env::var("PREFLIGHT_SH_CORPUS") else {
        return;
    };
    let show = std::env::var("PREFLIGHT_SH_MISSED").is_ok();
    for dir in dirs.split(':') {
        // per file: its size and, when the fast path fell back, where it gave up
        let outcomes: Vec<(usize, Option<usize>)> =
            crate::fast_tests::files_with_ext(Path::new(dir), "sh")
                .iter()
                .filter_map(|f| Some((f.display().to_string(), std::fs::read_to_string(f).ok()?)))
                .map(|(name, src)| {
                    super::FAILED_AT.set(usize::MAX);
                    let gave_up = compare(&src, &name)
                        .is_none()
                        .then(|| super::FAILED_AT.get());
                    if let (true, Some(at)) = (show, gave_up) {
                        let what: String = src.get(at..).unwrap_or("").chars().take(40).collect();
                        println!("fell back: {name}: {what:?}");
                    }
                    (src.len(), gave_up)
                })
                .collect();
        let fast: Vec<usize> = outcomes
            .iter()
            .filter(|o| o.1.is_none())
            .map(|o| o.0)
            .collect();
        println!(
            "{dir}: {}/{} files, {}/{} bytes read by the fast path, 0 differences",
            fast.len(),
            outcomes.len(),
            fast.iter().sum::<usize>(),
            outcomes.iter().map(|o| o.0).sum::<usize>()
        );
    }
}

/// `PREFLIGHT_SH_DUMP=file cargo test --lib shell::fast::tests::dump -- --ignored --nocapture`
#[test]
#[ignore]
fn dump() {
    let Ok(f) = std::env::var("PREFLIGHT_SH_DUMP") else {
        return;
    };
    let src = std::fs::read_to_string(f).expect("readable");
    print!("{}", ts_tree(&src).map(|t| t.dump()).unwrap_or_default());
    println!("----- fast:");
    print!("{}", parse(&src).map(|t| t.dump()).unwrap_or_default());
}

/// Scripts the fast path reads itself.
const READ: &[&str] = &[
    "#!/usr/bin/env bash\nset -euo pipefail\n\n# deploy\nAPP_DIR=\"/opt/app0\"\n",
    "RELEASE=\"$APP_DIR/releases/$(date +%s)\"\nlog() {\n  echo \"[$(date -Is)] $*\" >&2\n}\n",
    "psql \"$DATABASE_URL\" <<'SQL'\nUPDATE jobs SET state = 'queued';\nSQL\necho done\n",
    "cat <<-\"EOF\"\n\tbody\n\tEOF\necho after",
    "cat <<EOF\nplain body\nEOF\n",
    "cat > f <<'EOF'\n  indented $x `y` \\z\nEOF\n",
    "psql <<'SQL'\nSQL\n",
    "if [ -d \"$R/tmp2\" ]; then\n  rm -rf \"${R:?}/tmp2\"\nfi\n",
    "if [ \"$a\" = \"b\" ] && [ $# -eq 0 ]; then a; elif [ ! -f x ]; then b; else c; fi",
    "if a\nthen\n  b\nelse\n  c # after\n\n  # alone\nfi\n",
    "if a; then b; elif c\nthen\n  d\nelse e; fi",
    "[ \"$a\" != \"b\" ]; [ -z $x ]; [ \"$a\" = b ]; [ \"$a\" == 'b' ]; [ 1 -lt \"$n\" ]",
    "for f in /var/log/app3/*.log; do\n  gzip -9 \"$f\" || log \"gzip failed: $f\"\ndone\n",
    "for g in \"$@\"\ndo\n  y\ndone",
    "[ -d . ] && [ -d .. ] && [ -f \"$a\"/b ] && [ -d $x/y ] && [ -e /dev/$x ]",
    "while read -r line; do echo \"$line\"; done < f\nuntil a; do b; done",
    "tmp=$(mktemp -d)\ntrap 'rm -rf \"$tmp\"' EXIT\ntar -xzf b.tgz -C \"$tmp\"\n",
    "case \"${1:-}\" in\n  start) systemctl start app8 ;;\n  stop) x;;\n  \"q\") y\n  ;;\n  *) log usage ;;\nesac\n",
    "find /var/cache/app5 -name '*.tmp' -mtime +7 -delete\n",
    "kubectl rollout status deploy/app1 --timeout=120s && log ok1 || exit 1\n",
    "a | b | c\nd\ne; f && g &\ng || h\na | b\nc && d\na | b | c; d && e",
    "a | b > f\na > f | b\na | b 2>&1 >/dev/null\na && b > f\na > f && b\na || b 2>&1 &\nx | y >f; z",
    "find . -iname '*.rs'    \\\n    -print0 | xargs -0 ./cargo.sh fmt $FMT_FLAGS -- >&2\n",
    "echo -9 9 +7 1.5 9a -x 2024-01-01 9\"$x\" - a=b --x=1 x* ~/a %s @ , : a:b",
    "echo fi then done; for x in a; do echo done in; done",
    "echo \"a $b c\" \"$(x)\" \"${y}\" \"$\" \"a$\" \"x\\\"y\" \"a\\nb\" \"\" \"$1\" \"$@\" \"$#\" \"  a\" \"$a  b\"",
    "echo $a$b \"x\"y 'a'b$c ${x}/y $(a)b --prefix=$HOME/x $1 $10 $_ $_x $- $$ $? ${#x}",
    "echo ${x:-a} ${x:-/a/b} ${x:-$y} ${x:-\"a b\"} ${x:=} ${x-a} ${x:+-n} ${HOME:-/root}/x ${x:-'q'}",
    "echo \"é 日本\" 'ü' # ç\n",
    "x=1 y=$x cmd arg\nexport A=1 B C=\"$d\"; local x; readonly Y=2\na= ; b=''; c=\"\"\nx=-1",
    "export X; export -f f; declare -a arr; local a b=1\nunset x y; export",
    "cmd 2>&1 >/dev/null 2>/dev/null < in >> out &> f\n{ a; b; } > log 2>&1",
    "f() {\n  local x=\"$1\"\n  return 0\n}\nfunction g {\n  :\n}\nfunction h() { a; }\nf () { a; }",
    "cmd \\\n  --a \\\n  b\n",
    "echo a # c\necho b; # d\nif [ -d \"$x\" ]; then # e\n  a\nfi",
    "echo \"$(echo \"$(date)\" | tr a b)\"\nx=$(a; b\nc)",
    "echo \"e\\\nf\" \"c\\$d\"",
    "  \n\n",
    "",
    "# only\n",
    "[[ -z \"${DI}\" ]]\n[[ \"$*\" = x ]]\n[[ -n \"$x\" && -f y ]]\n[[ \"$a\" == \"b\" ]] || [[ $# -gt 0 ]]",
    "[[ \"$1\" = \"-h\" ]]\n[[ ! -f x ]]\n! [[ -f x ]]\n[[ -n $x ]]\n[[ \"$a\" != \"b\" || -d y ]]\n[[ -d y && \"$a\" == \"b\" ]]",
    "echo a$b/c${d}.e $a$b.c $a/\"$b\".c x-$r/$t a$b/c$d a-$b.c\n",
    "echo ${X:? is required} ${X:?error: x is missing} ${BASH_SOURCE[0]} ${a[@]} ${#a[@]}",
    "echo \"${x:-a b}\" ${x:-$y/z} ${x:-a$y} ${x:-8080} ${x:-a*} \"$(dirname \"${BASH_SOURCE[0]}\")\"",
    "! cmd a\n! cmd > /dev/null\nx=(a \"b\" $c)\nlocal -a arr=()\n( cd x; ls )\n(a) > f",
    "ARGS=(\n  --a\n  \"$b\"\n)\nY=()\n",
    "if ! getent passwd x; then (set -e; a); fi",
    "read -r a b <<< \"$(x)\"\ncat <<< \"$2\" > f",
    "[[ $a =~ ^x ]]; [[ \"$x\" =~ ^-?[0-9]+$ ]]\n[[ $x =~ ^(yes|true)$ ]]\n[[ \"$x\" =~ $regex ]]\necho ${x[@]:-}",
    // a lone plain word before each delimiter, and words whose run is followed by more parts
    "echo a\necho a;echo a&echo a|b\nc a&&d\ne a||f\necho a\"b\"c a'b'c a$b a${c} a$(d) -9 9\necho z",
    // newline runs (blank lines, blanks, comments) between statements, in blocks too
    "a\n\n  \n\t\n  # c\n\n  b\nif x; then\n\n  y\n\n  # z\nelif w\n\nthen\n  v\n\nelse\n\n  u\n\nfi\n",
    "for i in a b\ndo\n\n  e\n\n\ndone\nwhile x\ndo\n  :\ndone\n{\n\n  a\n\n}\ncase x in\n  a) b\n\n  ;;\nesac",
    "echo \"a b\" \"$x/y z\" \"tab\there\" \"a'b\" \"}{\" \"#x\"\ndone=1; fi_x=2; then_y; elif_z; do_it; ends",
];

/// Scripts outside the subset: the fast path must fall back.
const FALLBACK: &[&str] = &[
    "echo a\r\necho b\r\n",
    "\\rm -rf x\n",
    "  \\. ./x.sh\n",
    "echo `date`",
    "echo $'a\\nb'",
    "echo $\"x\"",
    "echo \"a\n  b\"",
    "echo \"$a \" \" $a\" \"  \"",
    "echo $((1 + 2))",
    "a[1]=x",
    "X=1 Y=2\necho",
    "[[ -n $x && -f y || -d z ]]",
    "[[ $a = $b ]]",
    "[[ $a == x* ]]",
    "! a | b",
    "echo ${a[*]} ${a[$i]} ${x:-a }",
    "x=(a # c\n)",
    "((x++))",
    "X=\"${REGION:-us-central1-docker.pkg.dev}\"",
    "echo ${x:- a-b}",
    "a%b x",
    "a | b && c",
    "a && b | c",
    "a | b | c\nd && e",
    "a | b | c\nd\n# c\ne || f",
    "a | b | c\nif a; then b; fi",
    "cat <<EOF | psql\nx\nEOF\n",
    "cat <<EOF\nhas $x\nEOF\n",
    "cat <<EOF\nunterminated\n",
    "cat <<'EOF'\n  EOF\nEOF\n",
    "case $x in\n  -h|--help) c ;;\nesac\n",
    "case $x in\n  ab1) c ;;\nesac\n",
    "case $x in\n  a) c ;&\nesac\n",
    "case $x in\n  a) echo esac ;;\nesac\n",
    "echo {a,b} x{1..3} [x]",
    "echo a;;",
    "if a; then b fi",
    "for ((i=0; i<3; i++)); do a; done",
    "for x; do a; done",
    "echo ${x/a/b} ${x%y} ${x[0]} ${!x}",
    "echo <(ls) >(cat)",
    "cmd <<< \"$x\" y",
    "cmd <<< x <<EOF\nEOF\n",
    "while read -r l; do a; done <<< \"$x\"",
    "[[ $x =~ ^(a b)$ ]]",
    "cat - <<E\nx\nE\n",
    "[ -d /\"$R\" ]",
    "[ -d / ]",
    "[[ \"$a\" = \"b\" || -d y ]]",
    "[[ -d y || $a =~ ^x ]]",
    "if a; then b; else\n  c\n\\\n  # x\nfi\n",
    "[[ -f ~/.bashrc ]]",
    "[ -f ~/.bashrc ]",
    "a && b > f || c",
    "a | b > f | c",
    "a | cat <<EOF\nx\nEOF\n",
    "a && b > f && c",
    "echo a$b/c$d.e",
    "echo $a/$b.c",
    "echo \"$a\"/$b.c",
    "echo $(a)/$b.c",
    "curl -L https://x/wasi-$repo/tags/v$tag.tar.gz | \\\n  tar xzf -",
    "[[ $x =~ \"a\" ]]",
    "f() ( a )",
    "f() { a; } > log",
    "echo $x\u{e9}",
    "echo caf\u{e9}",
    "echo a\\ b",
    "echo 0x12",
    "rm -rf \\\n",
    "echo \"unterminated",
    "echo 'unterminated",
    "echo ${x",
    "echo $(a",
    "if a; then b; fi > log <<EOF\nx\nEOF\n",
    "time ls",
    "exec 3<> f",
    "echo a >&-",
    "echo a#b",
];

#[test]
fn snippets_agree() {
    let fell: Vec<_> = READ
        .iter()
        .filter(|s| with_truncations(s, s).is_none())
        .collect();
    assert!(fell.is_empty(), "the fast path fell back on {fell:?}");
    let read: Vec<_> = FALLBACK.iter().filter(|s| parse(s).is_some()).collect();
    assert!(read.is_empty(), "the fast path read {read:?}");
    for s in FALLBACK {
        with_truncations(s, s);
    }
}

#[test]
fn deep_nesting_falls_back() {
    for (head, open, close) in [
        ("echo ", "\"${x:-", "}\""),
        ("echo ", "$(echo ", ")"),
        ("", "{ ", "; }"),
        ("", "if a; then ", "; fi"),
        ("", "( ", " )"),
    ] {
        let deep = format!("{head}{}a{}", open.repeat(5000), close.repeat(5000));
        assert!(parse(&deep).is_none(), "{open}");
        let fine = format!("{head}{}a{}", open.repeat(20), close.repeat(20));
        assert!(compare(&fine, &fine).is_some(), "{fine}");
    }
}

#[test]
fn never_panics_on_odd_bytes() {
    let odd = [
        "\\", "$", "${", "$(", "<<", "<<'", "\"", "'", ";;", "|", "&", "\n", "#", "{", "}",
    ];
    for a in odd {
        for b in odd {
            let s = format!("echo {a}x{b} y");
            compare(&s, &s);
            let s = format!("{a}{b}");
            compare(&s, &s);
        }
    }
}

/// The reader alone over a directory, for a profiler (`PREFLIGHT_SH_BENCH=dir cargo test
/// --release --lib shell::fast::tests::bench -- --ignored`, under callgrind with
/// `--toggle-collect='*shell::fast::parse*'`).
#[test]
#[ignore]
fn bench() {
    let Ok(dir) = std::env::var("PREFLIGHT_SH_BENCH") else {
        return;
    };
    let texts: Vec<String> = crate::fast_tests::files_with_ext(Path::new(&dir), "sh")
        .iter()
        .filter_map(|f| std::fs::read_to_string(f).ok())
        .collect();
    let bytes: usize = texts.iter().map(String::len).sum();
    let read = texts.iter().filter(|t| parse(t).is_some()).count();
    println!("{read}/{} files, {bytes} bytes", texts.len());
}

/// Snippets with a byte inserted, replaced or removed (a fixed pseudo-random walk): the fast
/// path agrees with tree-sitter or falls back, and never panics.
#[test]
fn mutations_agree() {
    const BYTES: &[u8] = b" \t\n;&|<>(){}[]$\"'`\\#=!*?-+~:/.,@%0123456789aAzZ_";
    let mut rng = crate::test_rng::Rng::new(0x9e37_79b9_7f4a_7c15);
    let mut next = move || rng.next_u64();
    let rounds = std::env::var("PREFLIGHT_SH_MUTATIONS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(200);
    let (mut tried, mut answered) = (0, 0);
    for s in READ {
        for _ in 0..rounds {
            let mut b = s.as_bytes().to_vec();
            for _ in 0..1 + next() % 2 {
                let at = (next() as usize) % (b.len() + 1);
                let c = BYTES[(next() as usize) % BYTES.len()];
                match next() % 3 {
                    0 => b.insert(at, c),
                    1 if at < b.len() => b[at] = c,
                    _ if at < b.len() => {
                        b.remove(at);
                    }
                    _ => b.push(c),
                }
            }
            let Ok(m) = String::from_utf8(b) else {
                continue;
            };
            tried += 1;
            if compare(&m, &format!("{m:?} (from {s:?})")).is_some() {
                answered += 1;
            }
        }
    }
    assert!(answered * 5 > tried, "answered {answered} of {tried}");
}

/// The one-pass byte scan says what the three searches it replaced say, for every length up
/// to three blocks and the odd byte or backslash at every place (before, in, after a block).
#[test]
fn scan_agrees_with_the_searches() {
    for len in 0..100 {
        for at in 0..=len {
            for b in [b'\r', 0, b'\\', b'a'] {
                for other in [None, Some(b'\\'), Some(b'\r')] {
                    let mut s = vec![b'x'; len];
                    if at < len {
                        s[at] = b;
                    }
                    if let Some(o) = other {
                        s.push(o);
                    }
                    let want = (s.contains(&b'\r') || s.contains(&0), s.contains(&b'\\'));
                    let (odd, backslash) = super::scan(&s);
                    assert_eq!(odd, want.0, "{s:?}");
                    // (a backslash after the odd byte need not be seen: the text is refused)
                    if !odd {
                        assert_eq!(backslash, want.1, "{s:?}");
                    }
                }
            }
        }
    }
}

/// The name-byte table is `[A-Za-z0-9_]` and the plain-word table the letters, digits and
/// `_./:@%+,=~-*`, byte for byte.
#[test]
fn byte_tables_are_what_they_say() {
    for c in 0..=255u8 {
        assert_eq!(
            super::words::name_char(c),
            c.is_ascii_alphanumeric() || c == b'_',
            "{c}"
        );
        assert_eq!(
            super::words::plain(c),
            c.is_ascii_alphanumeric()
                || matches!(
                    c,
                    b'_' | b'.'
                        | b'/'
                        | b':'
                        | b'@'
                        | b'%'
                        | b'+'
                        | b','
                        | b'='
                        | b'~'
                        | b'-'
                        | b'*'
                ),
            "{c}"
        );
    }
}

/// After a lower-case word that ends at a delimiter, `function_follows` answers what
/// `at_function` answers (it skips the name scan), for every delimiter and what may follow.
#[test]
fn function_follows_agrees_with_at_function() {
    let afters = [
        "", " ", "\t", "(", " (", "\t (", "  ()", ";", "&", "|", "<", ">", ")", "\n", " x", " -(",
        "\n(", "; (", " \\\n(", "(x", " )",
    ];
    let mut checked = 0;
    for word in ["f", "rsync", "ab", "deploy"] {
        for after in afters {
            let text = format!("{word}{after}");
            let p = super::P {
                s: text.as_bytes(),
                i: 0,
                t: Tree::default(),
                kids: Vec::new(),
                depth: 0,
                strict: false,
                term_end: 0,
            };
            if !super::delimiter(p.b(word.len())) {
                continue;
            }
            assert_eq!(p.function_follows(word.len()), p.at_function(), "{text:?}");
            checked += 1;
        }
    }
    assert!(checked > 60, "{checked}");
}
