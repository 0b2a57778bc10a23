//! The fast path against tree-sitter: whenever the fast path answers, its answer is the
//! tree-sitter path's, on every fixture (and every truncation of it), on tricky snippets, and
//! (an ignored test, `PREFLIGHT_PY_CORPUS=dir`) on a real corpus.

use super::read;
use crate::python::alembic::{self, Parts};
use crate::python::django::{self, Raw};
use crate::python::value;
use std::path::Path;

fn tree_sitter(src: &str) -> (Option<Raw>, Parts) {
    let tree = value::parse(src).expect("tree-sitter parses");
    (
        django::read_tree(tree.root_node(), src),
        alembic::parts(tree.root_node(), src),
    )
}

/// `Some(())` when the fast path answered (and agreed), `None` when it fell back.
fn compare(src: &str, what: &str) -> Option<()> {
    let got = read(src)?;
    let (django, parts) = tree_sitter(src);
    assert_eq!(
        got.django, django,
        "fast path differs (Django) on {what}:\n{src}"
    );
    assert_eq!(
        got.alembic, parts,
        "fast path differs (Alembic) on {what}:\n{src}"
    );
    Some(())
}

fn fast(src: &str) -> Option<Option<Raw>> {
    read(src).map(|r| r.django)
}

#[test]
fn fixtures_agree_also_cut_short() {
    let answered = crate::fast_tests::fixtures_and_truncations("py", compare);
    assert!(answered >= 2, "the fast path answered {answered} fixtures");
}

const HEAD: &str = "from django.db import migrations, models\n\n\nclass Migration(migrations.Migration):\n    operations = [\n        ";
const TAIL: &str = ",\n    ]\n";

/// Expressions the fast path reads itself (wrapped as an operation).
const READ: &[&str] = &[
    r#"migrations.AddField(model_name="order", name="x", field=models.CharField(max_length=10, default='a'))"#,
    r#"x('a' "b" '''c''' """d""")"#,
    r#"x(r'a\b', R"x\"y", r'x\\', u'é', U"x", Rb'x')"#,
    r#"x('\n\t\\\'\"', '\x41\u00e9\U0001F600', '\0', '\012', '\08', '\d\w\a\b\f\v')"#,
    r#"x('\N{DASH}', '\ud800', '\xZZ', '\u12', '\U0001F60', b'x', 'a' b'b')"#,
    r#"x(f"DROP {name} x", f'{a.b}', F"{ x }", f"{{lit}} }}", f"{x}{y}", f'{None}', f"a" "b{c}")"#,
    "x('''multi\nline \\\n cont \\\r\n crlf''', r'''raw \\\n x''', \"\"\"q\"\"\\\"\"\"\")",
    "x(\"a\" # c\n \"b\", (\"a\"\n \"b\"), (\"a\" \"b\" # c\n), ( # c\n \"a\"), (\"a\" # c\n ))",
    "x(a.b(c.d(e(1))), op.get_bind().execute(sa.text(\"x\")), \"x\".join(y), f()(), (a.b)(x))",
    "x((a).b(c), f().a.b(), f().x, True.x, (a), (a.b), ((a)), a . b, 1 .x)",
    "x(1_000, 007, 99999999999999999999999, 0, 1_0_0)",
    "x({}, {'a': 1, 'b': [1, 2],}, {1, 2}, {1}, (), (1,), (1), [1, 2,], [], [[]], {'a': {}})",
    "x(*a, **b, c=1, *d)",
    "f(type='x', match=1, print=2, exec=3, case=4, a=a.type, b=a.print, c=a.match)",
    "x('日本', \"ünïcode\", '\\u65e5')",
    "x(\n    # leading\n    a, # after a\n    b=[ # open\n        1, # one\n    ], # closed\n)",
    "x(\ta,\t\tb )",
    "x(\n)",
    "x(a,)",
    "x(1 + 2, a[0], -1 ** 2, a if b else c, not a, a < b <= c, a not in b, a is not b, a in b)",
    "x(a[1:2, ::3], a[:], a[1:], f(x)[0].y(z), a[0](b), (a + b), 'x' % y, a and b or c)",
    "x(a.b[c], {'k': a - 1}, [a * b, c // d], a ** -b, (a)[0], f(*a + b, **c | d))",
    "x(-1, +2, ~models.Q(a=1), -a.b, - - 1, -f(x).y, [-1], {'a': -1})",
];

/// Whole files the fast path reads itself.
const FILES: &[&str] = &[
    "\"\"\"Doc.\"\"\"\n# comment\nfrom __future__ import annotations\nimport a.b as c, d\nfrom . import x\nfrom .. import (y, z as w,)\nfrom .m import *\nfrom a.b import c as d, e\nX = 1\nY = {'a': [1]}\n\n\nclass Migration(migrations.Migration):\n    \"\"\"Doc.\"\"\"\n\n    initial = True\n    atomic = False\n    dependencies = [\n        ('shop', '0001_initial'),\n        (\"auth\", \"0002\"),\n    ]\n    replaces = [('shop', '0001_a'), ('shop', '0001_b')]\n    run_before = []\n    operations = (migrations.DeleteModel('X'),)\n",
    "class Migration(migrations.Migration):\r\n    operations = [\r\n        migrations.RunSQL(\r\n            \"DROP TABLE x;\",\r\n            reverse_sql='''SELECT 1;\r\n''',\r\n        ),\r\n    ]\r\n",
    "class Migration(migrations.Migration):\n\toperations = [\n\t\tmigrations.RemoveField('a', 'b'),\n\t]\n\tpass\n",
    "class Helper:\n    pass\n\n\nclass Migration(Migration):\n    operations = []\nclass Other(migrations.Migration):\n    operations = [migrations.DeleteModel('y')]\n    operations = 'x'\n",
    "import os\nx = os.environ.get('X')\n",
    "",
    "# only a comment",
    "x += 1\n",
    "if True:\n    x = 1\n",
    "try:\n    import a\nexcept ImportError:\n    a = None\n",
    "class Migration(migrations.Migration):\n    dependencies = [('a', '0001')]\n    operations = [migrations.AddField(\n        'a', 'b', models.IntegerField(null=True))]",
];

/// An Alembic revision with every statement shape the fast path reads.
const ALEMBIC: &str = r#""""Add things

Revision ID: b2
Revises: a1
"""
from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision = "b2"
down_revision = ("a1", "a0")
branch_labels = None
depends_on = None


def helper(x, y=1) -> None:
    return x


def upgrade() -> None:
    # ### commands auto generated by Alembic - please adjust! ###
    op.create_table(
        "t",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("x", sa.String(length=10), server_default=sa.text("'a'")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_t")),
    )
    with op.batch_alter_table("u", schema=None) as batch_op:
        batch_op.drop_column("legacy")
        batch_op.alter_column("a", existing_type=sa.INTEGER(), nullable=False)
    with op.get_context().autocommit_block():
        op.create_index("ix", "t", ["x"], postgresql_concurrently=True)
    conn = op.get_bind()
    conn.execute(sa.text("DELETE FROM sessions"))
    op.get_bind().execute(sa.text("UPDATE t SET a = 1"))
    result = conn.execute(sa.text("SELECT 1")).fetchall()
    (op.drop_table("not_walked"))
    x.y = op.drop_table("attr_target")
    if op.get_context().dialect.name == "postgresql":
        op.execute("DROP INDEX a")
    elif not x:
        pass
    else:
        op.drop_column("t", "y")
    for t in ["a", "b"]:
        op.drop_table(t)
    else:
        pass
    for a, b in pairs:
        continue
    while True:
        n = conn.execute(sa.text("DELETE FROM t LIMIT 10")).rowcount
        if n <= 0:
            break
        total += n
    try:
        op.drop_constraint("c", "t", type_="unique")
    except (ValueError, KeyError) as e:
        raise
    except Exception:
        pass
    else:
        pass
    finally:
        op.drop_index("ix_done")
    try:
        import x
    finally:
        pass
    from a import b
    "docstring-like"
    # ### end Alembic commands ###


def downgrade():
    op.add_column("t", sa.Column("note", sa.Text(), nullable=True))
"#;

/// Statements in `upgrade()` the fast path must leave to tree-sitter.
const ALEMBIC_REFUSED: &[&str] = &[
    "    def inner():\n        pass\n",
    "    class C:\n        pass\n",
    "    @dec\n    def inner():\n        pass\n",
    "    async with a:\n        pass\n",
    "    match x:\n        case 1:\n            pass\n",
    "    a, b = f()\n",
    "    x: int = f()\n",
    "    x = y = f()\n",
    "    global x\n",
    "    del x\n",
    "    assert x\n",
    "    yield x\n",
    "    f(lambda: 1)\n",
    "    print('x')\n",
    "    f(), g()\n",
    "    try:\n        pass\n    except* ValueError:\n        pass\n",
    "    try:\n        pass\n",
    "    try:\n        pass\n    else:\n        pass\n",
    "    else:\n        pass\n",
    "    if x:\n    pass\n",
    "    if x:\n        pass\n      pass\n",
    "    if x: pass\n",
    "   pass\n",
    "    with (a as b):\n        pass\n",
    "    with a as b.c:\n        pass\n",
    "    for (a, b) in c:\n        pass\n",
    "    return a, b\n",
    "    raise A from B\n",
    "    f() = 1\n",
    "    x[0] = 1\n",
    "    x[0] += 1\n",
    "    x = 1 \\\n        + 2\n",
];

/// Files the fast path must leave to tree-sitter.
const REFUSED: &[&str] = &[
    "def forwards(apps, schema_editor):\n    pass\n\n\nclass Migration(migrations.Migration):\n    operations = []\n",
    "x = lambda: 1\n",
    "x = [y for y in z]\n",
    "x = 1.5\n",
    "x = 0x1F\n",
    "x = y = 1\n",
    "f() = 1\n",
    "x: int = 1\n",
    "operations = [\n",
    "x = 'abc\n",
    "x = 'abc\ndef'\n",
    "x = '''abc\n",
    "class Migration(migrations.Migration)\n    operations = []\n",
    "class Migration(migrations.Migration): pass\n",
    "class Migration(migrations.Migration):\n",
    "class Migration(migrations.Migration):\n    operations = []\n      x = 1\n",
    "  x = 1\n",
    "x = = 1\n",
    "x = f(a b)\n",
    "x = f(a))\n",
    "x = (a\n",
    "x = 1 \\\n  + 2\n",
    "@decorator\nclass Migration(migrations.Migration):\n    operations = []\n",
    "print 'x'\n",
    "print('x')\n",
    "x = 'a\0'\n",
    "x = 1\ry = 2\n",
    "x = f\"{a!r}\"\n",
    "x = f\"{a:>10}\"\n",
    "x = f\"{a()}\"\n",
    "x = f\"{'a'}\"\n",
    "x = f\"\\{a}\"\n",
    "x = f\"a } b\"\n",
    "x = rf\"{a}\"\n",
    "x = t\"{a}\"\n",
    "x = xy'a'\n",
    "x = 'a' 'b'.join(c)\n",
    "x = f(a for a in b)\n",
    "x = {**a}\n",
    "x = [*a]\n",
    "x = café\n",
    "x = 1\n;\n",
    "import a; import b\n",
    "from . import\n",
    "from a import (b\n",
    "class Migration(migrations.Migration, metaclass=M):\n    operations = []\n",
    "class Migration(migrations.Migration):\n    class Meta:\n        pass\n",
    "class Migration(migrations.Migration):\n    def f(self):\n        pass\n",
    "\u{feff}x = 1\n",
    "x = a.if\n",
    "x = 1\n\u{c}y = 2\n",
    r"x = r'\\'",
    r"x = r'''a'\\'''",
];

fn wrapped(e: &str) -> String {
    format!("{HEAD}{e}{TAIL}")
}

#[test]
fn snippets_agree_and_are_read() {
    for e in READ {
        let src = wrapped(e);
        assert!(compare(&src, e).is_some(), "fell back on {e}");
    }
    for f in FILES {
        assert!(compare(f, f).is_some(), "fell back on {f:?}");
    }
    assert!(compare(ALEMBIC, "ALEMBIC").is_some());
    let parts = read(ALEMBIC).expect("read").alembic;
    assert_eq!(parts.funcs.len(), 2);
    for (i, cut) in ALEMBIC.char_indices() {
        if cut == '\n' {
            compare(&ALEMBIC[..i], "ALEMBIC cut");
        }
    }
    // the walker gives the same facts on both
    let fast_rev = alembic::read(ALEMBIC).expect("a revision");
    let tree = value::parse(ALEMBIC).expect("parses");
    let ts_rev = alembic::read_tree(tree.root_node(), ALEMBIC).expect("a revision");
    assert_eq!(format!("{fast_rev:?}"), format!("{ts_rev:?}"));
    assert!(
        fast_rev.facts.facts.len() >= 10,
        "{:?}",
        fast_rev.facts.facts.len()
    );
}

#[test]
fn shapes_outside_the_subset_fall_back() {
    for f in REFUSED {
        assert!(fast(f).is_none(), "answered on {f:?}");
        let in_list = wrapped(f.trim_end());
        if fast(&in_list).is_some() {
            compare(&in_list, f);
        }
    }
    // Alembic shapes outside the subset, each put into upgrade()
    for body in ALEMBIC_REFUSED {
        let src = ALEMBIC.replace("    from a import b\n", body);
        assert!(read(&src).is_none(), "answered on {body:?}");
    }
    // deep nesting: left to tree-sitter, no stack overflow
    let deep = format!("x = {}{}\n", "[".repeat(5000), "]".repeat(5000));
    assert!(fast(&deep).is_none());
    let calls = format!("x = {}{}\n", "f(".repeat(30), ")".repeat(30));
    assert!(fast(&calls).is_none());
    let chain = format!("x = a{}\n", "().b".repeat(40));
    assert!(fast(&chain).is_none());
}

#[test]
fn reads_the_same_through_every_entry_point() {
    let src = wrapped("migrations.DeleteModel('x')");
    let raw = django::read(&src).expect("a migration");
    assert_eq!(raw.operations.len(), 1);
    assert_eq!(Some(raw), tree_sitter(&src).0);
}

/// `PREFLIGHT_PY_CORPUS=/path cargo test --lib fast::tests::corpus -- --ignored --nocapture`:
/// both paths on every `.py` file under the path; prints files and bytes read fast and
/// falling back; fails on any difference.
#[test]
#[ignore]
fn corpus() {
    let Ok(dir) = std::env::var("PREFLIGHT_PY_CORPUS") else {
        return;
    };
    let files = crate::fast_tests::files_with_ext(Path::new(&dir), "py");
    let (mut fast_n, mut fast_b, mut slow_n, mut slow_b) = (0, 0, 0, 0);
    let mut slow_django = Vec::new();
    for f in &files {
        let Ok(src) = std::fs::read_to_string(f) else {
            continue;
        };
        if compare(&src, &f.display().to_string()).is_some() {
            fast_n += 1;
            fast_b += src.len();
        } else {
            slow_n += 1;
            slow_b += src.len();
            // the ones the fast path was meant for: Django without functions, Alembic
            if (!src.contains("def ") && src.contains("Migration")) || src.contains("def upgrade") {
                slow_django.push(f.display().to_string());
            }
        }
    }
    println!("fast: {fast_n} files, {fast_b} bytes; fallback: {slow_n} files, {slow_b} bytes");
    println!(
        "fallback Django without `def ` or Alembic: {}",
        slow_django.len()
    );
    for f in slow_django.iter().take(40) {
        println!("  {f}");
    }
}
