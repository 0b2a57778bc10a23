//! What a command writes to a next pipeline stage (`feed_of`), worked out when read: a
//! heredoc's pipeline whose body runs no command reads what the last command outside a
//! pipeline wrote, the same text as when it was worked out at every command.

use super::Walker;
use crate::shell::command::{Flow, Item};
use crate::shell::{tree, wrappers};

/// The stdin text of every command named `name`, in order.
fn stdin_of(src: &str, name: &str) -> Vec<Option<String>> {
    let tree = tree::read(src).expect("a tree");
    let root = tree.root().expect("a root");
    wrappers::set_current(wrappers::scan(root, src));
    let mut w = Walker::new(src, None, 0);
    w.stmt(root, Flow::default(), 0);
    w.items
        .iter()
        .filter_map(|it| match it {
            Item::Cmd(c) if c.name() == Some(name) => {
                Some(c.stdin.as_ref().map(|m| m.text.to_string()))
            }
            _ => None,
        })
        .collect()
}

#[test]
fn a_pipeline_after_no_command_reads_the_last_output() {
    // the alias re-reads `q` (no command of this walk), an assignment runs nothing: psql
    // reads what echo / printf wrote before
    let src = "alias q='cat'\necho 'DROP TABLE users;'\nq <<EOF | psql\nSELECT 1;\nEOF\n\
               printf 'TRUNCATE a;'\nX=1 <<EOF | psql\nEOF\n";
    assert_eq!(
        stdin_of(src, "psql"),
        [Some("DROP TABLE users;".into()), Some("TRUNCATE a;".into())]
    );
    // within a pipeline, the stage before
    assert_eq!(
        stdin_of(
            "echo 'DELETE FROM t;' | psql\ncat <<EOF | psql\nDROP TABLE x;\nEOF\n",
            "psql"
        ),
        [
            Some("DELETE FROM t;".into()),
            Some("DROP TABLE x;\n".into())
        ]
    );
}
