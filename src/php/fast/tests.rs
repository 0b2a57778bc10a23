//! The fast path against tree-sitter: whenever the fast path answers, its tree is
//! tree-sitter's (kinds, fields, spans, anonymous tokens) and the facts read from it are the
//! same, on every fixture (and every truncation of it), on tricky snippets, and (an ignored
//! test, `PREFLIGHT_PHP_CORPUS=dir`) on a real corpus.

use super::tree;
use crate::php::laravel;
use crate::php::tree::Tree;
use std::path::Path;

fn ts_tree(src: &str) -> Tree {
    crate::php::tree::from_ts(&crate::php::parse(src).expect("tree-sitter parses"))
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

#[test]
fn fixtures_agree_also_cut_short() {
    let answered = crate::fast_tests::fixtures_and_truncations("php", compare);
    assert!(answered >= 2, "the fast path answered {answered} fixtures");
}

/// `PREFLIGHT_PHP_CORPUS=dir cargo test --lib php::fast::tests::corpus -- --ignored --nocapture`
#[test]
#[ignore]
fn corpus() {
    let Ok(dir) = std::env::var("PREFLIGHT_PHP_CORPUS") else {
        return;
    };
    let files = crate::fast_tests::files_with_ext(Path::new(&dir), "php");
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

const HEAD: &str = "<?php\n\nuse Illuminate\\Database\\Migrations\\Migration;\nuse Illuminate\\Support\\Facades\\Schema;\n\nreturn new class extends Migration\n{\n    public function up(): void\n    {\n        ";
const TAIL: &str = "\n    }\n};\n";

/// Statements the fast path reads itself (inside `up()`).
const READ: &[&str] = &[
    "Schema::table('t', function (Blueprint $table) { $table->dropColumn(['a', 'b']); });",
    r#"DB::statement('it\'s \\ \n é 日本 \x \\\' "q"');"#,
    r#"DB::statement("DROP TABLE \"x\"\n\t\\ \$y \r\v\f\e 'q' é");"#,
    r#"DB::statement(''); DB::statement(""); DB::statement('\\'); DB::statement("\\");"#,
    "DB::statement('multi\nline\r\nstring');",
    "Schema::table('t', function ($t) { // c\n $t->dropColumn('a'); # h\n /* b */ });",
    "Schema::table('t', function ($t) {\n    // only a comment\n});",
    "f(/* a */ 'x', // b\n 'y' /* c */);",
    "f(\n    'x', // after x\n    'y',\n    // before )\n);",
    "$t->x(['a' => 1, 'b' => ['c', 'd',], 'e' => [], 'f' => [[]],]);",
    "$t->x([\n    // first\n    'a' => 1, // one\n    'b',\n]);",
    "$t->foo(x: 1, y: true, z: null, w: -1.5, v: -2);",
    "Schema::table('t', static fn (Blueprint $t): void => $t->dropColumn('a'));",
    "Schema::table('t', fn ($t) => $t->dropColumn('a'));",
    "Schema::table('t', static function (Blueprint $table) use ($x, $y): void { $table->dropColumn($x); });",
    "$t->x(1_000, 007, 1.5, 0, 10.25, -0);",
    "$t->x(TRUE, False, NULL, true, false, null);",
    "$t->x(X::class, X::FOO, x::Class, X::y);",
    "$p = DB::getTablePrefix(); DB::statement('a' . $p . \"c\" . DB::getTablePrefix() . 'x');",
    "if ('a' . 'b' === 'c') { DB::statement('x'); }",
    "if (!$a && $b->c()) { f(); } elseif ($x !== null) { g(); } elseif (h()) {} else { DB::table('x')->delete(); }",
    "if ($a < 1 || $b >= 2 || $c <= 3 || $d > 4 || $e == 5 || $f != 6) {}",
    "if (!!$a) {}",
    "foreach ($a as $k => $v) { $v->delete(); }\nforeach (DB::table('x')->get() as $row) { DB::table('y')->where('id', $row->id)->update(['a' => $row->b]); }",
    "$x = $y?->z; $x = $y?->z(); $x = $a->b->c->d();",
    "DB::table('jobs')\n    ->where('a', 1)\n    ->orWhere('b', '=', 2)\n    ->delete();",
    "Schema::table('t', function ($t) { return; }); Schema::table('t', function ($t) { return $t; });",
    "return;",
    "Schema::create('t', function (Blueprint $table) {\n\t$table->id();\n\t$table->string('name', 100)->nullable()->default('x');\n\t$table->timestamps();\n});",
    "Schema::connection('pgsql')->table('users', function (Blueprint $table) {\n            $table->string('c', 20)->nullable(false)->change();\n            $table->renameColumn('d', 'e');\n        });",
    "$table = 'x'; Schema::drop($table); Schema::dropIfExists('y');",
    "config('x'); now()->toDateTimeString(); rescue_if(Schema::hasColumn('a', 'b'), fn () => 1);",
    "$f = function (string $a, object $b, int $c, array $d, bool $e, float $f): array { return []; };",
    "$f = static fn (string $a): string => $a; $g = fn (): int => 1; $h = fn (): bool => true; $i = fn (): object => $x; $j = fn (): float => 1.5;",
    "$x = $a ?? $b ?? 'c'; $y = $a ?? $b === 'c'; $z = $a && $b ?? $c; $w = $a ?? $b || $c;",
    "$x .= 'a'; $x .= \"b\" . $y; $a->b = 1; $a->b .= 'c'; $a?->b->c = $d->e;",
    "DB::statement(\"ALTER TABLE {$prefix}pages $x y {$a->b} $a->b z $a->b_c.\");",
    "DB::statement(\"$a$b{$c}{$d->e}$f->g\\n\\$h {\");",
    "DB::statement(\"UPDATE x SET y = '{$row->id}' WHERE z = $p->q-1\");",
    "",
    "// nothing but a comment",
    "/** doc */",
];

/// Statements outside the subset: the fast path must fall back.
const FALLBACK: &[&str] = &[
    r#"DB::statement("x $y[0]");"#,
    r#"DB::statement("x {$y[0]}");"#,
    r#"DB::statement("x $a->b->c");"#,
    r#"DB::statement("x {$a->b->c}");"#,
    r#"DB::statement("x {$a->b()}");"#,
    r#"DB::statement("x ${a}");"#,
    r#"DB::statement("x $ y");"#,
    r#"DB::statement("x {$}");"#,
    r#"DB::statement("x $a->");"#,
    r#"DB::statement("x $é");"#,
    "$x ??= 1;",
    "$x .= 'a' .= 'b';",
    "$x = $y = 1;",
    "$a->b() = 1;",
    "!$a = 1;",
    "$a == $b = 1;",
    "$f = function (String $a) {};",
    "$f = function (): Array {};",
    "$f = function (): mixed {};",
    r#"DB::statement("\x41 \u{41} \0 \101 \q");"#,
    "DB::statement(<<<SQL\n    DROP TABLE x\n    SQL);",
    "DB::statement(<<<'SQL'\n    DROP TABLE x\n    SQL);",
    "$x = 'a' <=> 'b';",
    "if ($a == $b == $c) {}",
    "if ($a && $b || $c) {}",
    "$x = (string) $y;",
    "$x = new Foo();",
    "$x = array('a');",
    "if (isset($x)) {}",
    "?> <?php",
    "#[Attr] function () {};",
    "$$x = 1;",
    "$x = $y['a'];",
    "$f = fn&($x) => 1;",
    "$f = function () use (&$x) {};",
    "\\DB::statement('x');",
    "static::foo(); self::foo(); parent::foo();",
    "$x = 0x1F; $y = 1e3;",
    "$x = $a + 1;",
    "$x = $a ? $b : $c;",
    "if ($a) $b();",
    "if ($a) {} else if ($b) {}",
    "if ($a): endif;",
    "for (;;) {}",
    "while (true) {}",
    "echo 'x';",
    "$x = -$y;",
    "$x = 'unterminated;",
    "$x = \"unterminated;",
    "/* unterminated",
    "f(...$args);",
    "$x = .5;",
    "f(,);",
    "$t->x('a',,);",
    "Schema::table('t', function (?Blueprint $t) {});",
    "Schema::table('t', function (Blueprint $t = null) {});",
    "Schema::table('t', function (): iterable {});",
    "// a ?> in a comment",
    "$x = 'é' . ünïcode();",
    "$x = $y->{'z'};",
    "$x = X::$y;",
    ";",
];

/// Whole files the fast path reads itself.
const FILES: &[&str] = &[
    "<?php\r\n\r\nuse Illuminate\\Database\\Migrations\\Migration;\r\n\r\nreturn new class extends Migration\r\n{\r\n    // c\r\n    public function up(): void\r\n    {\r\n        Schema::drop('a'); // d\r\n    }\r\n};\r\n",
    "<?php\n\nnamespace Database\\Migrations;\n\nuse Illuminate\\Database\\Migrations\\Migration;\nuse Illuminate\\Database\\Schema\\Blueprint as BP;\nuse Schema;\n\n/**\n * Doc.\n */\nclass CreateUsersTable extends Migration\n{\n    /**\n     * Run.\n     *\n     * @return void\n     */\n    public function up()\n    {\n        Schema::create('users', function (BP $table) {\n            $table->increments('id');\n        });\n    }\n\n    protected function down()\n    {\n        Schema::drop('users');\n    }\n}\n",
    "<?php\nreturn new class extends Migration {\n    public function up(): void {}\n    private function helper(): void { DB::statement('DROP TABLE x'); }\n};",
    "<?php\nclass Helper {}\nclass A extends Migration { public function down() { Schema::drop('x'); } }\n",
    "<?php\n\tclass A extends Migration { public function up() { Schema::drop('x'); } }",
    "<?php ",
    "<?php\n",
    "<?php\n// only a comment",
    "<?php\nnamespace App;\n",
];

/// Whole files outside the subset.
const FILES_FALLBACK: &[&str] = &[
    "text before <?php\nreturn new class extends Migration {};\n",
    "\u{feff}<?php\nreturn new class extends Migration {};\n",
    "<?PHP\nreturn new class extends Migration {};\n",
    "<?php\nreturn new class extends Migration {};\n?>\n",
    "<?php\nreturn new class extends Migration { protected $connection = 'x'; };\n",
    "<?php\nreturn new class extends Migration { use SomeTrait; };\n",
    "<?php\nreturn new class() extends Migration {};\n",
    "<?php\nfinal class A extends Migration {}\n",
    "<?php\nclass A extends \\Illuminate\\Database\\Migrations\\Migration {}\n",
    "<?php\nclass A extends Migration implements B {}\n",
    "<?php\nuse A\\{B, C};\n",
    "<?php\nuse function A\\b;\n",
    "<?php\nreturn new class extends Migration { public static function up() {} };\n",
    "<?php\nreturn new class extends Migration { function up() {} };\n",
    "<?php\ndeclare(strict_types=1);\n",
    "<?php\nreturn new class extends Migration {}",
    "<?php\nreturn new class extends Migration { public function up() {}\n",
    "<?php\0\n",
];

#[test]
fn snippets_agree() {
    for s in READ {
        let src = format!("{HEAD}{s}{TAIL}");
        assert!(
            compare(&src, s).is_some(),
            "the fast path fell back on {s:?}"
        );
        // the same in a named class, and cut short anywhere
        for cut in (0..src.len()).filter(|&i| src.is_char_boundary(i)) {
            compare(&src[..cut], &format!("{s:?} cut at {cut}"));
        }
    }
    for s in FALLBACK {
        let src = format!("{HEAD}{s}{TAIL}");
        assert!(tree(&src).is_none(), "the fast path read {s:?}");
    }
    for f in FILES {
        assert!(compare(f, f).is_some(), "the fast path fell back on {f:?}");
    }
    for f in FILES_FALLBACK {
        assert!(tree(f).is_none(), "the fast path read {f:?}");
    }
}
