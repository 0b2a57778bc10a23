//! The fast path against tree-sitter: whenever the fast path answers, its tree is tree-sitter's
//! (kinds, spans, field names and named children of every node) and so is what the Rails
//! reader makes of it — on every fixture (and every truncation of it), on tricky snippets, and
//! (an ignored test, `PREFLIGHT_RB_CORPUS=dir`) on a real corpus.

use super::tree;
use crate::ruby::tree::RubyNode;
use std::fmt::Write;

/// A tree as text: one line per named node (depth, field, kind, span).
fn dump<N: RubyNode>(n: N, fields: &dyn Fn(N) -> Vec<Option<&'static str>>) -> String {
    let mut out = String::new();
    let mut stack = vec![(n, 0usize, None::<&str>)];
    while let Some((n, d, f)) = stack.pop() {
        let _ = writeln!(
            out,
            "{}{}{} [{}..{}]",
            "  ".repeat(d),
            f.map_or(String::new(), |f| format!("{f}: ")),
            n.kind(),
            n.start_byte(),
            n.end_byte()
        );
        let kids: Vec<N> = n.named_children().collect();
        let names = fields(n);
        for (k, f) in kids.into_iter().zip(names).rev() {
            stack.push((k, d + 1, f));
        }
    }
    out
}

/// Field names of a tree-sitter node's named children.
fn ts_fields(n: tree_sitter::Node) -> Vec<Option<&'static str>> {
    let mut c = n.walk();
    let mut out = Vec::new();
    if c.goto_first_child() {
        loop {
            if c.node().is_named() {
                out.push(c.field_name());
            }
            if !c.goto_next_sibling() {
                break;
            }
        }
    }
    out
}

fn ts_dump(src: &str) -> String {
    let t = crate::ruby::parse(src).expect("tree-sitter parses");
    dump(t.root_node(), &ts_fields)
}

fn fast_dump(src: &str) -> Option<String> {
    let t = tree(src)?;
    Some(dump(t.root(), &|n: super::FastNode| {
        n.data().kids.iter().map(|(f, _)| *f).collect()
    }))
}

/// `Some(())` when the fast path answered (and agreed), `None` when it fell back.
fn compare(src: &str, what: &str) -> Option<()> {
    let fast = fast_dump(src)?;
    let ts = ts_dump(src);
    if fast != ts {
        let (f, t): (Vec<&str>, Vec<&str>) = (fast.lines().collect(), ts.lines().collect());
        let at = f.iter().zip(&t).take_while(|(a, b)| a == b).count();
        let from = at.saturating_sub(4);
        panic!(
            "fast tree differs on {what}:\n{src}\nfast:\n{}\ntree-sitter:\n{}",
            f[from..(at + 4).min(f.len())].join("\n"),
            t[from..(at + 4).min(t.len())].join("\n")
        );
    }
    // and so does what the reader makes of it
    let t = tree(src)?;
    let a = crate::ruby::rails::read_tree(t.root(), src);
    let pt = crate::ruby::parse(src).expect("parses");
    let b = crate::ruby::rails::read_tree(pt.root_node(), src);
    assert_eq!(
        format!("{a:?}"),
        format!("{b:?}"),
        "reader differs on {what}"
    );
    let a = crate::ruby::rails::schema_tree(t.root(), src);
    let b = crate::ruby::rails::schema_tree(pt.root_node(), src);
    assert_eq!(
        format!("{a:?}"),
        format!("{b:?}"),
        "schema differs on {what}"
    );
    Some(())
}

fn fixture_files() -> Vec<std::path::PathBuf> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    rb_files(&root.join("fixtures"), &mut files);
    rb_files(&root.join("tests"), &mut files);
    files.sort();
    files
}

#[test]
fn fixtures_agree_also_cut_short() {
    let files = fixture_files();
    assert!(files.len() >= 8, "{files:?}");
    let answered = files
        .iter()
        .filter(|f| {
            let src = std::fs::read_to_string(f).expect("readable fixture");
            let name = f.display().to_string();
            // every prefix (a broken file): falls back or agrees
            for (cut, _) in src.char_indices() {
                compare(&src[..cut], &format!("{name} up to byte {cut}"));
            }
            compare(&src, &name).is_some()
        })
        .count();
    assert!(answered >= 7, "the fast path answered {answered} fixtures");
}

/// Every fixture with one byte deleted or one character put in, at many places: the fast
/// path agrees or falls back (odd shapes it might take for its own).
#[test]
fn fixtures_agree_when_edited() {
    let mut answered = 0;
    let mut sources: Vec<(String, String)> = fixture_files()
        .iter()
        .map(|f| {
            let src = std::fs::read_to_string(f).expect("readable fixture");
            (f.display().to_string(), src)
        })
        .collect();
    // and the tricky snippets, all in one method
    sources.push(("READ".into(), in_change(&READ.join("\n    "))));
    for (name, src) in sources {
        let at: Vec<usize> = src.char_indices().map(|(i, _)| i).step_by(13).collect();
        for &i in &at {
            let next = src[i..].chars().next().map_or(0, char::len_utf8);
            let mut edits = vec![format!("{}{}", &src[..i], &src[i + next..])];
            for ins in [
                "#", "\n", " ", "\"", "'", "(", ",", ":", "{", "|", "=", "do ", "end\n",
            ] {
                edits.push(format!("{}{ins}{}", &src[..i], &src[i..]));
            }
            for e in &edits {
                if compare(e, &format!("{name} edited at {i}")).is_some() {
                    answered += 1;
                }
            }
        }
    }
    assert!(answered > 100, "{answered}");
}

const HEAD: &str = "# frozen_string_literal: true\n\nclass AddThings < ActiveRecord::Migration[7.1]\n  def change\n    ";
const TAIL: &str = "\n  end\nend\n";

/// Statements the fast path reads itself (put into `def change`).
const READ: &[&str] = &[
    "add_column :orders, :code, :string, null: false, default: \"x\"",
    "add_index :a, %i[b c], unique: true, where: \"x IS NULL\", algorithm: :concurrently",
    "remove_columns :t, :a, 'b', :c?, :d!",
    "add_column(:t, :c, :integer, :null => false, \"limit\" => 8)",
    "execute \"DELETE FROM t WHERE a = 'x' -- \\\"q\\\" \\\\ \\n\\t\"",
    "execute \"UPDATE #{table} SET a = #{Foo.bar} WHERE #{x.y(1)}\"",
    "execute 'UPDATE t SET a = \\'b\\' WHERE c = \\\\d'",
    "execute ''\n    execute \"\"",
    "execute <<~SQL\n      DELETE FROM #{t} WHERE a = 1\n    SQL\n    drop_table :x",
    "execute <<~SQL.squish\n      UPDATE t SET a = 1\n    SQL",
    "execute <<-SQL\n      UPDATE t\n      SQL",
    "execute <<~'SQL'\n      UPDATE t SET a = 'x'\n    SQL",
    "execute(<<~SQL)\n      UPDATE t\n    SQL",
    "execute <<~SQL if x\n      UPDATE t\n    SQL",
    "add_index :t,\n      :c, # why\n      name: \"i\" # after\n    # between\n    remove_index :t, :c",
    "change_table :t do |t| # on the do line\n      t.remove :a, :b\n      t.rename :c, :d\n\n      # inside\n      t.change :e, :string, null: false # end\n    end",
    "change_table(:t, bulk: true) { |t| t.remove :a }",
    "create_table :x, id: :uuid, default: -> { \"gen_random_uuid()\" }, force: :cascade do |t|\n      t.references :user, foreign_key: true, index: { unique: true }\n      t.integer :n, default: -1, limit: 2\n      t.decimal :p, precision: 10, scale: 2.5\n      t.string :tags, array: true, default: []\n      t.jsonb :m, default: {}\n      t.timestamps\n    end",
    "create_table :x do |t|\n    end\n    create_table :y",
    "reversible do |dir|\n      dir.up do\n        return if connection.table_exists?(:x)\n      end\n      dir.down { drop_table :reports }\n    end",
    "unless connection.index_exists?(:t, :c)\n      add_index :t, :c\n    end\n    if x\n      # why\n      # more\n      drop_table :a\n      # after\n    end",
    "Version.where(x: 1).delete_all\n    User.update_all(a: nil)\n    Foo::Bar.all.destroy_all",
    "safety_assured { remove_column :t, :c }\n    safety_assured do\n      # ok\n      drop_table :t\n    end",
    "revert do\n      add_column :t, :c, :integer\n    end\n    revert { remove_column :t, :c }",
    "x = 1_000\n    NAMES = %w[a b-c d.e].freeze\n    y = Foo.bar(:a)\n    drop_table x",
    "disable_ddl_transaction!\n    helper\n    self.helper2\n    foo()\n    raise ActiveRecord::IrreversibleMigration",
    "add_reference :a, :b, index: { algorithm: :concurrently }, polymorphic: true, null: false, type: :uuid",
    "t = 1 # comment after\n    change_column_null :t, :c, false, 0\n    change_column_null :t, :c, true",
    "add_index :good_jobs, %i[priority created_at], order: { priority: \"DESC NULLS LAST\", created_at: :asc },\n      where: \"finished_at IS NULL\", name: :idx,\n      algorithm: :concurrently",
    "drop_table :a, if_exists: true, force: :cascade\n    drop_join_table :a, :b, table_name: \"ab\"\n    rename_table :a, :b\n    rename_column :a, :b, :c",
    "foo :a, [\n      :b,\n      \"c\"\n    ], { d: 1 }\n    bar [1, 2]",
    "x = ['café', \"日本\", :a]",
    "execute \"multi\n      line #{x}\n    string\"",
];

/// Whole files the fast path reads itself.
const FILES: &[&str] = &[
    "class A < ActiveRecord::Migration[4.2]\n  def self.up\n    drop_table :a\n  end\n\n  def self.down\n  end\nend\n",
    "# c\nclass A < ActiveRecord::Migration\n  # first\n  disable_ddl_transaction!\n\n  def up\n    # only a comment\n  end\n  # last\nend\n# eof\n",
    "class User < ActiveRecord::Base\n  self.table_name = \"people\"\nend\n\nclass A < ActiveRecord::Migration[7.0]\n  def up\n    User.delete_all\n  end\nend",
    "\n\nclass A < B\nend\n\n\n",
    "class A < ActiveRecord::Migration[7.1] # c\n  def up # c\n    drop_table :a # c\n  end # c\nend # c\n",
    "class A < B\n  def up\n    change_table :t do |t|\n      # only a comment\n    end\n    if x\n      a\n    end # c\n  end\nend\n",
    "ActiveRecord::Schema[8.1].define(version: 2026_08_18_000002) do\n  enable_extension \"hstore\"\n\n  create_table \"a\", force: :cascade do |t|\n    t.string \"b\", null: false\n    t.index [\"b\"], name: \"i\", unique: true, opclass: :gin_trgm_ops, where: \"((b)::text = 'x'::text)\"\n  end\n\n  add_foreign_key \"a\", \"b\", on_delete: :cascade\nend\n",
    "class A < ActiveRecord::Migration[7.1]\n  def change\n    add_column :t, :c, :string\n  end\n\n  def helper\n    drop_table :x\n  end\n\n  def down\n    helper\n  end\nend\n",
    "class A < ActiveRecord::Migration[7.1]\n\tdef change\n\t\tdrop_table :t\n\tend\nend\n",
];

/// Statements the fast path must leave to tree-sitter.
const REFUSED: &[&str] = &[
    "drop_table :a; drop_table :b",
    "def up; end",
    "x = [y for y in z]",
    "foo -1",
    "foo *args",
    "foo **opts",
    "foo &block",
    "foo ::X",
    "foo (1)",
    "x = a + b",
    "x = a && b",
    "x = !a",
    "x ||= 1",
    "x += 1",
    "a, b = 1, 2",
    "x = 1.5e3",
    "x = 0x1F",
    "x = 017",
    "x = ?a",
    "x = :\"quoted sym\"",
    "x = \"a\" \"b\"",
    "x = %q(a)",
    "x = %Q[a]",
    "x = %w(a b)",
    "x = %I[a]",
    "x = /regex/",
    "x = `cmd`",
    "x = @ivar",
    "x = $global",
    "x = @@cvar",
    "x = \"\\u00e9\"",
    "x = \"\\x41\"",
    "x = \"\\e\"",
    "x = \"#@ivar\"",
    "x = \"#{}\"",
    "x = \"#{a + b}\"",
    "x = 'a\\nb'",
    "x = 'a\nb'",
    "x = { \"a\": 1 }",
    "x = { a: }",
    "x = [1, 2,]",
    "x = [1, # c\n2]",
    "x = foo(a,)",
    "x = a ? b : c",
    "x = a.b.c do end",
    "foo a do |x, (y, z)| end",
    "foo { |*a| }",
    "foo :a { }",
    "items.each do |i|\n      drop_table i\n    end\n    x = a[0]",
    "if x\n      a\n    else\n      b\n    end",
    "if x\n      a\n    elsif y\n      b\n    end",
    "if x then a end",
    "if x\n\n      a\n    end",
    "while x\n      a\n    end",
    "case x\n    when 1\n      a\n    end",
    "begin\n      a\n    rescue StandardError\n      b\n    end",
    "a rescue nil",
    "a and b",
    "not a",
    "puts 'x'",
    "x = lambda { 1 }",
    "x = proc { 1 }",
    "x = -> (a) { a }",
    "x = ->(a) { a }",
    "execute <<SQL\nx\nSQL",
    "execute <<~SQL, <<~SQL\n      a\n    SQL\n      b\n    SQL",
    "execute <<~SQL\n      a \\n\n    SQL",
    "execute <<~SQL\n      a",
    "execute <<~sql\n      a\n    sql",
    "execute <<~'SQL'\n      #{a}\n    SQL",
    "execute <<~SQL do\n      a\n    SQL\n    end",
    "café = 1",
    "execute \"x\" \\\n      if false",
    "x = a::b",
    "x = A::b",
    "x.y = 1",
    "x[0] = 1",
    "def x(a)\n    end",
    "def x=(a)\n    end",
    "x = __FILE__",
    "x = defined?(a)",
    "x = a&.b",
    "x = a..b",
    "x = a.()",
    "x = a.class",
    "t.string :a,\n      # dangling\n",
];

/// `stmt` as the body of `def change` of a migration.
fn in_change(stmt: &str) -> String {
    [HEAD, stmt, TAIL].concat()
}

#[test]
fn snippets_agree_and_are_read() {
    for (e, src) in READ.iter().map(|e| (e, in_change(e))) {
        assert!(compare(&src, e).is_some(), "fell back on {e}");
        // cut at every space and line end
        let cuts = src.match_indices([' ', '\n']).map(|(i, _)| i);
        for i in cuts {
            compare(&src[..i], &format!("{e} cut at {i}"));
        }
    }
    for f in FILES {
        assert!(compare(f, f).is_some(), "fell back on {f:?}");
    }
    // the reader gives the same facts, and some
    let all: String = READ.join("\n    ");
    let src = in_change(&all);
    assert!(compare(&src, "all of READ").is_some());
    let m = crate::ruby::rails::read(&src).expect("a migration");
    assert!(m.facts.facts.len() >= 40, "{}", m.facts.facts.len());
}

#[test]
fn shapes_outside_the_subset_fall_back() {
    for e in REFUSED {
        let src = in_change(e);
        assert!(tree(&src).is_none(), "answered on {e:?}");
    }
    for f in [
        "",
        "   \n",
        "# only a comment\n",
        "\u{feff}class A < B\nend\n",
        "class A < B\r\nend\r\n",
    ] {
        if tree(f).is_some() {
            compare(f, f);
        }
    }
    assert!(tree("class A < B\r\nend\r\n").is_none());
    // deep nesting: left to tree-sitter, no stack overflow
    let deep = in_change(&format!("x = {}{}", "[".repeat(5000), "]".repeat(5000)));
    assert!(tree(&deep).is_none());
    let calls = in_change(&format!("x = {}1{}", "f(".repeat(60), ")".repeat(60)));
    assert!(tree(&calls).is_none());
    let blocks = in_change(&format!("{}x{}", "a do\n".repeat(60), "\nend".repeat(60)));
    assert!(tree(&blocks).is_none());
}

/// `PREFLIGHT_RB_DUMP=file cargo test --lib ruby::fast::tests::show -- --ignored --nocapture`:
/// tree-sitter's tree of a file, as the tests compare it.
#[test]
#[ignore]
fn show() {
    let Ok(f) = std::env::var("PREFLIGHT_RB_DUMP") else {
        return;
    };
    let src = std::fs::read_to_string(&f).unwrap_or(f);
    println!("{}", ts_dump(&src));
    if let Some(d) = fast_dump(&src) {
        println!("fast:\n{d}");
    }
}

/// `PREFLIGHT_RB_CORPUS=/path cargo test --lib ruby::fast::tests::corpus -- --ignored
/// --nocapture`: both paths on every `.rb` file under the path; prints files and bytes read
/// fast and falling back; fails on any difference.
#[test]
#[ignore]
fn corpus() {
    let Ok(dir) = std::env::var("PREFLIGHT_RB_CORPUS") else {
        return;
    };
    let mut files = Vec::new();
    rb_files(std::path::Path::new(&dir), &mut files);
    files.sort();
    // (files, bytes) read fast and left to tree-sitter
    let mut fast = (0, 0);
    let mut slow = Vec::new();
    for (f, src) in files
        .iter()
        .filter_map(|f| Some((f, std::fs::read_to_string(f).ok()?)))
    {
        match compare(&src, &f.display().to_string()) {
            Some(()) => fast = (fast.0 + 1, fast.1 + src.len()),
            None => slow.push((f.display().to_string(), src.len())),
        }
    }
    let slow_bytes: usize = slow.iter().map(|(_, n)| n).sum();
    println!(
        "read fast: {} files, {} bytes; tree-sitter: {} files, {slow_bytes} bytes",
        fast.0,
        fast.1,
        slow.len()
    );
    for (f, n) in slow.iter().take(60) {
        println!("  {f} ({n} bytes)");
    }
}

/// The `.rb` files under `dir`.
fn rb_files(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
    let mut dirs = vec![dir.to_path_buf()];
    while let Some(d) = dirs.pop() {
        for p in std::fs::read_dir(&d)
            .into_iter()
            .flatten()
            .flatten()
            .map(|e| e.path())
        {
            if p.is_dir() {
                dirs.push(p);
            } else if p.extension().is_some_and(|x| x == "rb") {
                out.push(p);
            }
        }
    }
}
