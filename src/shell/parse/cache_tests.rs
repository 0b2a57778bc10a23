//! The words of function bodies converted once per node at calls ([`Walker::word`]) against
//! fresh conversions at every call: the same items on generated scripts.

use super::Walker;
use crate::shell::command::{Flow, Item};
use crate::shell::{tree, wrappers};

fn walk(src: &str, cache: bool) -> (Vec<Item>, usize) {
    let tree = tree::read(src).expect("a tree");
    let root = tree.root().expect("a root");
    wrappers::set_current(wrappers::scan(root, src));
    let mut w = Walker::new(src, None, 0);
    w.cache_words = cache;
    w.stmt(root, Flow::default(), 0);
    (w.items, w.word_cache.len())
}

#[test]
fn cached_words_walk_like_fresh_ones() {
    let bodies = [
        r#"rm -rf "$1""#,
        r#"echo "[$(date -Is)] $*" >&2"#,
        r#"local d="$1"; rm -rf "$d/$(basename "$2")""#,
        r#"shift; rm -rf "$@""#,
        r#"cd "$1" && rm -rf ./*"#,
        "$1 -rf /srv",
        r#"for f in "$@"; do rm "$f"; done"#,
        r#"inner "$1" x; inner "${2:-y}""#,
        r#"if [ -d "$1" ]; then rm -rf "$1"; fi"#,
        "psql \"$1\" <<SQL\nDROP TABLE $2;\nSQL",
        r#"echo $(echo rm) "${1:-x}" | sh; bash -c "rm -rf $1""#,
        r#"[[ -n "$1" ]] || exit 1; x=$1; $x '$2' "\$3" $'a\tb' > "$1.out""#,
    ];
    let calls = [
        "f /tmp/a",
        r#"f "$HOME" b"#,
        "f $(pwd) c d",
        "f ~ && f /",
        r#"x=/srv; f "$x""#,
        r#"f "a b" `echo c`"#,
        "alias z=f\nz /q",
        "f $(f /in/sub)",
    ];
    let mut cached = 0;
    let mut bound = 0;
    for body in bodies {
        for a in calls {
            for b in calls {
                let src = format!("inner(){{ rm -rf \"$1\"; }}\nf(){{\n{body}\n}}\n{a}\n{b}\n");
                let (old, _) = walk(&src, false);
                let (new, n) = walk(&src, true);
                assert_eq!(new, old, "{src}");
                cached += n;
                bound += new
                    .iter()
                    .filter(|i| matches!(i, Item::Cmd(c) if c.bound.is_some()))
                    .count();
            }
        }
    }
    // the cache was used, and the calls were walked
    assert!(cached > 1000, "{cached}");
    assert!(bound > 1000, "{bound}");
}
