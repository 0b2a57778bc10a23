//! The fast path against tree-sitter: whenever the fast path answers, its answer is the
//! tree-sitter path's, on every fixture (and every truncation of it), on tricky snippets, and
//! (an ignored test, `PREFLIGHT_JS_CORPUS=dir`) on a real corpus.

use super::read;
use crate::js::{Framework, Migration, framework_by_text, read_tree};
use std::path::{Path, PathBuf};

fn show(m: &Option<Migration>) -> String {
    format!("{m:?}")
}

/// `Some(())` when the fast path answered (and agreed), `None` when it fell back.
fn compare(src: &str, what: &str) -> Option<()> {
    let by_text = framework_by_text(src).unwrap_or(Framework::Sequelize);
    let got = read(src, by_text)?;
    let want = read_tree(src, by_text);
    assert_eq!(
        show(&got),
        show(&want),
        "fast path differs on {what}:\n{src}"
    );
    Some(())
}

/// Every `.js` / `.ts` file under `dir` (no recursion limit needed: the trees are small).
fn js_files(dir: &Path) -> Vec<PathBuf> {
    let mut todo = vec![dir.to_path_buf()];
    let mut out = Vec::new();
    while let Some(d) = todo.pop() {
        for e in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            let p = e.path();
            match p.extension().and_then(|x| x.to_str()) {
                _ if p.is_dir() => todo.push(p),
                Some("js" | "ts") => out.push(p),
                _ => {}
            }
        }
    }
    out.sort();
    out
}

#[test]
fn fixtures_agree_also_cut_short() {
    let files = js_files(&Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures"));
    let answered = files
        .iter()
        .filter(|f| {
            let src = std::fs::read_to_string(f).expect("readable fixture");
            let name = f.display().to_string();
            // every truncation: broken files must fall back or agree
            (0..src.len())
                .filter(|&i| src.is_char_boundary(i))
                .for_each(|cut| {
                    compare(&src[..cut], &format!("{name} cut at {cut}"));
                });
            compare(&src, &name).is_some()
        })
        .count();
    // the TypeORM and Sequelize fixtures and the Knex ones (up to a broken or odd file)
    assert!(answered >= 18, "the fast path answered {answered} fixtures");
}

const TYPEORM_HEAD: &str = "import { MigrationInterface, QueryRunner } from 'typeorm'\n\nexport class A1700000000000 implements MigrationInterface {\n    name = 'A1700000000000'\n\n    public async up(queryRunner: QueryRunner): Promise<void> {\n        ";
const TYPEORM_TAIL: &str = "\n    }\n\n    public async down(queryRunner: QueryRunner): Promise<void> {\n        await queryRunner.query(`DROP TABLE \"a\"`);\n    }\n}\n";

const SEQUELIZE_HEAD: &str =
    "'use strict';\n\nmodule.exports = {\n  up: async (queryInterface, Sequelize) => {\n    ";
const SEQUELIZE_TAIL: &str = "\n  },\n  down: async (queryInterface) => {\n    await queryInterface.dropTable('a');\n  },\n};\n";

/// Statements the fast path reads itself (inside a TypeORM `up`).
const TYPEORM_READ: &[&str] = &[
    "await queryRunner.query(`ALTER TABLE \"a\" DROP COLUMN \"b\"`);",
    "await queryRunner.query(`CREATE TABLE \"t\" (\"id\" uuid NOT NULL, CONSTRAINT \"PK\" PRIMARY KEY (\"id\"))`)\n        await queryRunner.query(`DROP TABLE \"t\"`)",
    "await queryRunner.query(`UPDATE \"a\" SET \"b\" = '${x}' WHERE c`)",
    "await queryRunner.query(`UPDATE ${ t.name } SET x = 1`);",
    "await queryRunner.query('DROP TABLE \\'a\\'; -- \\n \\t \\\\ \\b \\$');",
    "await queryRunner.query(\"DROP TABLE \\\"a\\\"\" + ' CASCADE' + `;`);",
    "await queryRunner.query(\"DROP \" + name);",
    "await queryRunner.query(`a \\` \\${x} $ {y} $x \\r`);",
    "await queryRunner.query(`DROP TABLE \"日本\"; -- ünï`);",
    "await queryRunner.query(`multi\r\n  line\r\n`);",
    "await queryRunner.dropTable('a', true); await queryRunner.dropColumn(\"a\", 'b')",
    "await queryRunner.dropColumn('a', new TableColumn({ name: 'b', type: 'int', isNullable: true, }))",
    "await queryRunner.changeColumn('a', 'b', new TableColumn({ name: 'b', type: 'varchar', isNullable: false }))",
    "await queryRunner.renameColumn('a', 'b', 'c'); await queryRunner.renameTable('a', 'b')",
    "await queryRunner.createIndex('a', new TableIndex({ name: 'i', columnNames: ['b', 'c'], isUnique: true }))",
    "await queryRunner.createTable(new Table({ name: 't', columns: [{ name: 'id', type: 'int', isPrimary: true }, { name: 'x', type: 'text', default: null }] }), true)",
    "await queryRunner.query(sql)",
    "const sql = `DROP TABLE a`\n        await queryRunner.query(sql)",
    "const t = 'users'; await queryRunner.query(`DROP TABLE ${t}`); let u = 1;",
    "await queryRunner.manager.query(`DELETE FROM a`)",
    "await queryRunner.clearTable('a'); await queryRunner.dropSchema('s', true, true); await queryRunner.dropDatabase('d')",
    "await queryRunner.dropIndex('a', 'i_a'); return",
    "await queryRunner.query(`DROP TABLE a`, [1, 2.5, null, undefined, true, false, x.y])",
    "await queryRunner . query ( /* c */ `DROP TABLE a` /* d */ , // e\n [] )",
    "// c\n        await queryRunner.query(`DROP TABLE a`) // c\n        /* c */",
    "await Promise.all([queryRunner.query(`DROP TABLE a`), queryRunner.dropTable('b')])",
    "return queryRunner.query(`DROP TABLE a`)",
    "queryRunner.query(`DROP TABLE a`);;",
    "await queryRunner.query(('DROP TABLE a'))",
    "await queryRunner.dropTable(x); await queryRunner.dropColumn('a', 1)",
    "await queryRunner.query(`DROP TABLE a`, { a: 1, 'b': 2, 3: 4, c })",
    "await queryRunner.query(`UPDATE a SET b = ${c.d}`, [])",
    "await queryRunner.query(\"DROP TABLE a\", () => queryRunner.dropTable('z'))",
    "await queryRunner.query(`DROP TABLE a`)\n        await queryRunner.query(\"DROP TABLE b\")",
    "const columnExists = await queryRunner.hasColumn('chat_flow', 'analytic')\n        if (!columnExists) queryRunner.query(`ALTER TABLE \\`chat_flow\\` ADD COLUMN \\`analytic\\` TEXT;`)",
    "if (!x) { await queryRunner.query(`DROP TABLE a`) } else if (y) queryRunner.dropTable('b'); else { const s = 'DROP TABLE c'; await queryRunner.query(s) }",
    "if (await queryRunner.hasTable('a')) await queryRunner.dropTable('a')\n        if (!!x) {}",
    "let a; a = 'DROP TABLE x'; await queryRunner.query(a)",
    "throw new Error('Cannot undo: ' + x)",
];

/// Statements the fast path reads itself (inside a Sequelize `up`).
const SEQUELIZE_READ: &[&str] = &[
    "await queryInterface.removeColumn('users', 'name');",
    "await queryInterface.addColumn(\"documents\", \"state\", {\n      type: Sequelize.BLOB,\n    });",
    "await queryInterface.changeColumn('a', 'b', { type: Sequelize.STRING(40), allowNull: false })",
    "await queryInterface.changeColumn('a', 'b', { type: Sequelize.STRING, allowNull: true })",
    "await queryInterface.sequelize.query('DELETE FROM a'); await queryInterface.sequelize.query(`UPDATE a SET b = ${x}`)",
    "await queryInterface.sequelize.transaction(async (transaction) => {\n      await queryInterface.removeColumn('a', 'b', { transaction });\n      await queryInterface.dropTable('c', { transaction })\n    })",
    "await queryInterface.sequelize.transaction(async transaction => {\n      const q = 'DELETE FROM a';\n      await queryInterface.sequelize.query(q, { transaction })\n    })",
    "return queryInterface.sequelize.transaction(function (t) { return Promise.all([queryInterface.removeColumn('a', 'b', { transaction: t }), queryInterface.removeColumn('a', 'c', { transaction: t })]) })",
    "await queryInterface.bulkDelete('a', null, {}); await queryInterface.bulkDelete('a', { id: 1 })",
    "await queryInterface.bulkUpdate('a', { b: 1 }, { c: 2 }); await queryInterface.bulkUpdate('a', { b: 1 })",
    "await queryInterface.renameColumn('a', 'b', 'c'); await queryInterface.renameTable('a', 'b')",
    "await queryInterface.removeIndex('a', ['b', 'c']); await queryInterface.removeIndex('a', 'a_b')",
    "await queryInterface.addIndex('teamId', ['userId'], { concurrently: true })",
    "await queryInterface.addIndex('documents', { fields: ['a'], name: 'x', unique: true, where: { deletedAt: null } })",
    "await queryInterface.addConstraint('a', { fields: ['b'], type: 'unique', name: 'u' })",
    "await queryInterface.createTable('a', { id: { type: Sequelize.UUID, primaryKey: true, defaultValue: Sequelize.literal('uuid_generate_v4()') }, name: Sequelize.TEXT, createdAt: { type: Sequelize.DATE, allowNull: false } })",
    "await queryInterface.dropAllTables(); await queryInterface.dropTable({ tableName: 'a', schema: 's' })",
    "const { x } = y; var z = 'DROP TABLE a'; await queryInterface.sequelize.query(z)",
    "await queryInterface.sequelize.query(\n      `UPDATE documents\n       SET \"a\" = 1`\n    );",
    "await queryInterface.sequelize.query('DROP TABLE ' + 'a' + ';')",
    "await queryInterface.removeColumn(`a`, `b${c}`)",
    "await queryInterface.sequelize.query(q)",
    "await queryInterface\n(x)",
    "await queryInterface.addIndex('a', ['b'], { where: { b: { [Sequelize.Op.is]: null } }, transaction })",
    "let tableName, constraintName;\n    tableName = \"a\";\n    constraintName = 'b'\n    await queryInterface.sequelize.query(`alter table \"${tableName}\" drop constraint \"${constraintName}\"`);",
    "if (x) { await queryInterface.dropTable('a') }",
];

/// Whole files the fast path reads itself.
const FILES: &[&str] = &[
    "module.exports = {\n  async up(queryInterface, Sequelize) {\n    await queryInterface.removeColumn('a', 'b');\n  },\n  async down(queryInterface) {\n    await queryInterface.addColumn('a', 'b', Sequelize.TEXT);\n  }\n};\n",
    "\"use strict\"\nconst { DataTypes } = require(\"sequelize\")\nconst T = 'users'\nmodule.exports = {\n  up: (qi) => qi.removeColumn(T, 'b'),\n  down: async function (qi) { await qi.sequelize.query(`DROP TABLE ${T}`) },\n};\n// queryInterface\n",
    "exports.up = async function (queryInterface) { await queryInterface.dropTable('a') }\nexports.down = function () { return queryInterface.dropTable('b') }\n",
    "module.exports.up = async (queryInterface) => queryInterface.dropTable('a');\n",
    "async function up(queryInterface) { await queryInterface.dropTable('a') }\nasync function down(queryInterface) { await queryInterface.dropTable('b') }\nmodule.exports = { up, down };\n",
    "export class A1 implements MigrationInterface {\r\n  async up(q: QueryRunner) {\r\n    await q.query(`DROP TABLE \"a\"`)\r\n  }\r\n}\r\n",
    "import { MigrationInterface, QueryRunner, Table, TableColumn } from 'typeorm';\nimport type { X } from './x';\nimport y from \"y\";\nimport 'reflect-metadata';\n\nexport class B1700 implements MigrationInterface {\n    name = 'B1700';\n    private readonly t: string = 'x'\n    public async up(queryRunner: QueryRunner): Promise<void> {\n        await queryRunner.query(`DROP TABLE \"a\"`);\n    }\n    public async down(queryRunner: QueryRunner): Promise<any> {}\n    private async helper(x: Array<string[]>): Promise<void> { await x.y() }\n}\n",
    "export class C implements MigrationInterface {\n  async down(queryRunner: QueryRunner) { await queryRunner.query(`DROP TABLE b`) }\n  async up(queryRunner: QueryRunner) { await queryRunner.query(`DROP TABLE a`) }\n}\n",
    "module.exports = {\n  up: async () => {},\n  down: async (queryInterface) => { await queryInterface.dropTable('a') },\n};\n// queryInterface\n",
    "module.exports = { up: async (x, y) => { await x.dropTable('a') }, down: () => x.dropTable('b'), config: { a: 1 } };\n// queryInterface\n",
    "module.exports = { down: async (queryInterface) => { await queryInterface.dropTable('a') } };\n",
    "module.exports = { helper: 1 };\n// queryInterface up\n",
    "export async function up(queryRunner: QueryRunner): Promise<void> { await queryRunner.query(`DROP TABLE a`) }\n",
    "// queryRunner up\nconst x = 1\nlet y = 'DROP'\n",
    "module.exports = {\n  up: async (queryInterface, Sequelize) => {\n    await queryInterface.sequelize.query(`DROP TABLE a`);\n  },\n  up: async (queryInterface) => {\n    await queryInterface.dropTable('b');\n  },\n};\n",
    "",
    "// only a comment, queryInterface up",
    "exports.up = function (knex) {\n  return knex.schema.dropTable('a');\n};\nexports.down = function () {};\n",
    "import { Knex } from 'knex';\n\nexport async function up(knex: Knex): Promise<void> {\n  await knex.schema.alterTable('a', (t) => { t.dropColumn('b') });\n}\n",
    "module.exports = { up: async (knex) => knex.schema.dropTable('a'), down: async () => {} };\n",
    "exports.up = (db) => db.schema.dropTable('a').dropTable('b');\n",
    "// knex\nexports.up = async (k) => { await k('a').del(); await knex('b').del() };\n",
];

/// Files and statements that must fall back (tree-sitter's path reads them).
const FALL_BACK: &[&str] = &[
    // Knex: shapes outside the subset
    "exports.up = async (knex) => { await knex.schema.table('t', (t) => { t.string('a').x }) }\n",
    "exports.up = async (knex) => { await knex.schema.table('t', (t) => { t.string('a')[0] }) }\n",
    "exports.up = async (knex) => { await knex?.schema.dropTable('a') }\n",
    "exports.up = async (knex) => { await knex.schema?.dropTable('a') }\n",
    "exports.up = async (knex) => { await knex.transaction(async (trx) => { await trx.schema.table('a', (t) => { t.dropColumn('b') }) }) }\n",
    "exports.up = async (knex) => { await knex('a').del()\n(x) }\n",
    "exports.up = async (knex) => { await knex('a').del()\n`x` }\n",
    "exports.up = async (knex) => { await knex('a')[0].del() }\n",
    "exports.up = async (knex) => { await knex('a').where('b', '>', 1)['del']() }\n",
    "exports.up = async (knex) => { await knex.schema.table('a', async function* (t) {}) }\n",
    "exports.up = async (knex) => { for (const t of ts) await knex.schema.dropTable(t) }\n",
    "exports.up = async (knex) => { await knex.schema.table('a', (t) => { t.\n/* c */ dropColumn('b') }) }\n",
    "exports.up = async (knex) => { await knex.schema.table('a', (t) => { t.dropColumn('b') }).x\n}\n",
    "exports.up = async (knex) => { await knex('a').update({ b: knex.raw('b + 1') }).where(c => c.d > 1) }\n",
    "exports.up = async (knex) => { await (knex.schema).dropTable('a') }\n",
    "exports.up = async (knex) => { await knex.schema.dropTable('a').dropTable(`${f()}`) }\n",
    "exports.up = async ({ schema }) => { await schema.dropTable('a') }\n// knex\n",
    "export const up = async (knex) => { await knex.schema.dropTable('a') }\n",
    // statements outside the subset
    "module.exports = { up: async (queryInterface) => { for (const t of ts) { await queryInterface.dropTable(t) } } };\n",
    "module.exports = { up: async (queryInterface) => { await queryInterface.sequelize.query('x').then(() => 1) } };\n",
    "module.exports = { up: async (queryInterface) => { const [rows] = await queryInterface.sequelize.query('x') } };\n",
    "module.exports = { up: async (queryInterface) => { await queryInterface.dropTable(`a${f()}`) } };\n",
    "module.exports = { up: async (queryInterface) => { await queryInterface.dropTable(a ? 'b' : 'c') } };\n",
    "module.exports = { up: async (queryInterface) => { await queryInterface.dropTable(/x/) } };\n",
    "module.exports = { up: async (queryInterface) => { await queryInterface.dropTable(a[0]) } };\n",
    "module.exports = { up: async (queryInterface) => { await queryInterface.dropTable('\\x41') } };\n",
    "module.exports = { up: async (queryInterface) => { await queryInterface.dropTable('\\u0041') } };\n",
    "module.exports = { up: async (queryInterface) => { await queryInterface.dropTable('\\0') } };\n",
    "module.exports = { up: async (queryInterface) => { await queryInterface.dropTable('a\\\nb') } };\n",
    "module.exports = { up: async (queryInterface) => { await queryInterface.dropTable(...a) } };\n",
    "module.exports = { up: async (queryInterface) => { await queryInterface.dropTable(a as string) } };\n",
    "module.exports = { up: async (queryInterface) => { await queryInterface.dropTable(a!) } };\n",
    "module.exports = { up: async (/* c */ queryInterface) => { await queryInterface.dropTable('a') } };\n",
    "module.exports = { up: async ({ context: queryInterface }) => { await queryInterface.dropTable('a') } };\n",
    "module.exports = { up: async (queryInterface) => { await queryInterface.dropTable('a')\n[1].map(f) } };\n",
    "module.exports = { up: async (queryInterface) => { await queryInterface.dropTable('a')\n`x` } };\n",
    "module.exports = { up: async (queryInterface) => { return\nqueryInterface.dropTable('a') } };\n",
    "module.exports = { up: async (queryInterface) => { { await queryInterface.dropTable('a') } } };\n",
    "module.exports = { up: async (queryInterface) => { await queryInterface.dropTable('a') /*\n*/ await queryInterface.dropTable('b') } };\n",
    "module.exports = { up: async (queryInterface) => { await queryInterface.dropTable('a' }) };\n",
    "module.exports = { up: async (queryInterface) => { await queryInterface.dropTable('a\r') } };\n",
    "module.exports = { up: async (queryInterface) => { await queryInterface.dropTable(0x10) } };\n",
    "module.exports = { up: async (queryInterface) => { await queryInterface.dropTable(`${'a'}`) } };\n",
    "module.exports = { up: async (queryInterface) => { await queryInterface.dropTable('a') } }\n(function () {})()\n",
    "module.exports = migration;\n// queryInterface up\n",
    "const up = async (queryInterface) => queryInterface.dropTable('a');\nmodule.exports = { up };\n",
    "module.exports = { 'up': async (queryInterface) => queryInterface.dropTable('a') };\n",
    "module.exports = { up: async (queryInterface) => { await queryInterface.dropTable('a') }, ...base };\n",
    "@Decorator()\nexport class A implements MigrationInterface { async up(queryRunner: QueryRunner) {} }\n",
    "export default class A implements MigrationInterface { async up(queryRunner: QueryRunner) {} }\n",
    "module.exports = { up: async (queryInterface) => { await queryInterface.dropTable(a || 'b') } };\n",
    "module.exports = { up: async (queryInterface) => { await queryInterface.dropTable(-1) } };\n",
    "module.exports = { up: async (queryInterface = x) => { await queryInterface.dropTable('a') } };\n",
    "module.exports = { up: async (queryInterface) => { await (async () => { await queryInterface.dropTable('a') })() } };\n",
    "module.exports = { up: async (queryInterface) => { await queryInterface.dropTable(await 'a' + 'b') } };\n",
    "module.exports = { up: async (queryInterface) => { await queryInterface.dropTable(('a') + 'b') } };\n",
    "module.exports = { up: async (queryInterface) => { if (a == b) await queryInterface.dropTable('a') } };\n",
    "module.exports = { up: async (queryInterface) => { if (a) await queryInterface.dropTable(x!) } };\n",
    "module.exports = { up: async (queryInterface) => { throw\nnew Error('x') } };\n",
    "module.exports = { up: async (queryInterface) => { await queryInterface.addIndex('a', { [f()]: 1 }) } };\n",
];

const KNEX_HEAD: &str = "export async function up(knex) {\n  ";
const KNEX_TAIL: &str =
    "\n}\n\nexport async function down(knex) {\n  await knex.schema.dropTable('a');\n}\n";

/// Statements the fast path reads itself (inside a Knex `up`).
const KNEX_READ: &[&str] = &[
    "await knex.schema.table('t', (t) => { t.dropColumn('c') })",
    "await knex.schema.table('t', ((t) => { t.dropColumn('c'); knex.raw('DROP TABLE x') }))",
    "await knex.schema.table('t', ((t) => { t.dropColumn('c') }), (u) => { u.dropColumn('d') })",
    "await knex.transaction(((trx) => { trx('a').del(); knex('b').del() }))",
    "await knex.schema.alterTable('users', (table) => {\n    table.string('email', 120).notNullable().alter();\n    table.integer('n').nullable().alter();\n    table.string('x').alter()\n  })",
    "await knex.schema.createTable('t', (t) => {\n    t.increments('id');\n    t.uuid('u').primary().defaultTo(knex.raw('gen_random_uuid()'));\n    t.string('e').unique().notNullable();\n    t.timestamps(true, true);\n    t.index(['a', 'b'], 'i', { indexType: 'gin' });\n    t.unique(['c'], { indexName: 'k', useConstraint: false });\n    t.string('c').index()\n  })",
    "return knex.schema\n    .createTable('a', (t) => { t.increments('id') })\n    // c\n    .dropTable('b')\n    .renameTable('c', 'd')",
    "await knex('sessions').del(); await knex('s').where('a', 1).del(); await knex('u').update({ a: 0 }); await knex('u').whereNull('h').update({ h: 'x' })",
    "await knex.transaction(async (trx) => {\n    await trx('a').truncate();\n    await trx.raw('DELETE FROM b')\n  })",
    "await knex.transaction(async trx => trx('a').del())",
    "const t = 'sessions';\n  await knex.raw(`TRUNCATE ${t}`); await knex.raw('SELECT 1'); const q = 'DROP TABLE z'; await knex.raw(q)",
    "await knex.schema.withSchema('s').dropTable('a').dropSchema('x', true).dropSchemaIfExists(y)",
    "await knex.schema.raw('DROP TABLE a'); await knex.schema.dropTableIfExists('b')",
    "await knex.table('a').truncate(); await knex.from('a').update('b'); await knex.into('a').del()",
    "const rows = await knex('a').select('id'); await knex('b').whereIn('id', [1, 2]).del()",
    "await Promise.all([knex('a').del(), knex.raw('DROP TABLE b')])",
    "await f(knex.raw('DROP TABLE a'), { x: knex.raw('DROP TABLE b'), y: knex('c').where('d', 1).del() })",
    "if (!config.isCloud) return;\n  return knex.schema.table('users', (table) => { table.date('d') })",
    "await knex.schema.table('t', function (t) { t.dropColumns('a', 'b'); t.dropTimestamps(); t.renameColumn('a', 'b'); t.dropNullable('c'); t.setNullable('d') })",
    "await knex.schema.table('t', (t) => { t.dropIndex(['a'], 'i'); t.dropUnique(['a']); t.dropIndex('b'); t.dropForeign('c'); t.foreign('x').references('id').inTable('y').onDelete('CASCADE') })",
    "await knex.schema.table('t', t => t.dropColumn('c'))",
    "await knex.schema.table('t', (t: Knex.AlterTableBuilder) => { t.dropColumn('c') })",
    "await knex.schema.table(name, (t) => { t.dropColumn(col); t.renameColumn(a, 'b'); t.dropColumns(['x', y]) })",
    "await knex.schema.table('t', () => { knex.raw('DROP TABLE x') })",
    "await knex.schema.dropTable('a').dropTable('b').renameTable('c', 'd')",
    "knex.schema.table('t', (t) => { t.string('a').defaultTo(knex.fn.now()) })",
    "await knex('a').where({ b: 1 }).del(); await knex('a').returning('id').del(); await knex('a').del().then(() => 1)",
    "await knex.schema.createTable('a', (t) => { t.string('x') }).table('b', (u) => { u.dropColumn('y') })",
    "await knex.schema . dropTable ( 'a' ) . dropTable ( /* c */ 'b' )",
    "await knex.schema.table('t', (t) => {\r\n    t.dropColumn('c');\r\n  });",
    "await knex.raw('DROP TABLE \"日本\"')",
    "await knex('a')\n    .where('x', 1)\n    .update({ y: 2 })",
    "await (knex.schema.dropTable('a'))",
    "await knex.schema.table('t', (t) => { knex.schema.dropTable('in') })",
    "knex('a').del()\n  knex('b').del()",
    "return knex.raw('DROP TABLE a')",
    "await knex.schema.table('t', (t) => { t.string('a').notNullable().alter(); t.dropColumn('b') }).raw('x')",
    "const x = knex('a').del(); let y = [knex.raw('DROP TABLE b')]; z = knex.raw('DROP TABLE c')",
    "await knex.schema.table('t', (table) => { table.specificType('a', 'int[]').notNullable(); table.enu('b', ['x', 'y']) })",
    "await knex.schema.createTable('t', (t) => { t.string('a', 40); t.decimal('b', 10, 2).defaultTo(0) }).createTableIfNotExists('u', (t) => { t.bigIncrements() })",
];

fn knex(stmt: &str) -> String {
    format!("{KNEX_HEAD}{stmt}{KNEX_TAIL}")
}

fn typeorm(stmt: &str) -> String {
    format!("{TYPEORM_HEAD}{stmt}{TYPEORM_TAIL}")
}

fn sequelize(stmt: &str) -> String {
    format!("{SEQUELIZE_HEAD}{stmt}{SEQUELIZE_TAIL}")
}

#[test]
fn snippets_are_read_alike() {
    let mut all: Vec<String> = TYPEORM_READ.iter().map(|s| typeorm(s)).collect();
    all.extend(SEQUELIZE_READ.iter().map(|s| sequelize(s)));
    all.extend(KNEX_READ.iter().map(|s| knex(s)));
    all.extend(FILES.iter().map(|s| s.to_string()));
    for src in &all {
        assert!(
            compare(src, "a snippet").is_some(),
            "the fast path fell back on:\n{src}"
        );
    }
    // and every cut of them: falls back or agrees (never panics)
    for src in &all {
        for cut in (0..src.len()).filter(|&i| src.is_char_boundary(i)) {
            compare(&src[..cut], "a cut snippet");
        }
    }
}

#[test]
fn shapes_outside_the_subset_fall_back() {
    for src in FALL_BACK {
        let by_text = framework_by_text(src).unwrap_or(Framework::Sequelize);
        assert!(
            read(src, by_text).is_none(),
            "the fast path answered on:\n{src}"
        );
        // tree-sitter's path reads what it always did (no panic)
        let _ = read_tree(src, by_text);
    }
}

#[test]
fn deep_nesting_falls_back_without_overflowing() {
    for (open, close) in [
        ("(", ")"),
        ("[", "]"),
        ("{ a: ", " }"),
        ("f(", ")"),
        ("() => ", ""),
    ] {
        let deep = format!("{}1{}", open.repeat(100_000), close.repeat(100_000));
        let src = sequelize(&format!("await queryInterface.sequelize.query({deep})"));
        assert!(read(&src, Framework::Sequelize).is_none());
    }
    let src = sequelize(&"if (x) ".repeat(100_000));
    assert!(read(&src, Framework::Sequelize).is_none());
}

#[test]
fn the_fast_path_reads_what_it_should() {
    // a generated TypeORM migration: its SQL, in order, up then down
    let m = read(
        &typeorm("await queryRunner.query(`DROP TABLE \"x\"`);"),
        Framework::TypeOrm,
    )
    .expect("in the subset")
    .expect("a migration");
    assert_eq!(m.framework, Framework::TypeOrm);
    let sql: Vec<(bool, String)> = m
        .facts
        .facts
        .iter()
        .map(|f| match &f.effect {
            crate::orm::Effect::Sql(t) => (f.down, t.text.clone()),
            _ => (f.down, String::new()),
        })
        .collect();
    assert_eq!(
        sql,
        [
            (false, "DROP TABLE \"x\"".to_string()),
            (true, "DROP TABLE \"a\"".to_string())
        ]
    );
    let m = read(
        &sequelize("await queryInterface.removeColumn('t', 'c')"),
        Framework::Sequelize,
    )
    .expect("in the subset")
    .expect("a migration");
    assert_eq!(m.framework, Framework::Sequelize);
    assert_eq!(m.facts.facts.len(), 2);
    assert_eq!(m.facts.facts[0].verb, "`queryInterface.removeColumn`");
}

/// `PREFLIGHT_JS_CORPUS=dir cargo test --lib js::fast -- --ignored --nocapture`: every
/// `.js` / `.ts` file under `dir` read both ways; how many the fast path read, and no
/// difference.
#[test]
#[ignore]
fn corpus_agrees() {
    let Ok(dir) = std::env::var("PREFLIGHT_JS_CORPUS") else {
        return;
    };
    let files = js_files(Path::new(&dir));
    let (mut n, mut fast, mut bytes, mut fast_bytes) = (0, 0, 0, 0);
    let mut slow = Vec::new();
    for f in &files {
        let Ok(src) = std::fs::read_to_string(f) else {
            continue;
        };
        if !src.contains("up") || framework_by_text(&src).is_none() {
            continue;
        }
        n += 1;
        bytes += src.len();
        if compare(&src, &f.display().to_string()).is_some() {
            fast += 1;
            fast_bytes += src.len();
        } else {
            slow.push(f.display().to_string());
        }
    }
    for s in slow.iter().take(400) {
        println!("tree-sitter: {s}");
    }
    println!(
        "{fast} of {n} files ({fast_bytes} of {bytes} bytes) read by the fast path, all agree"
    );
}
