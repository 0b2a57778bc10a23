//! JavaScript / TypeScript front end: Knex, TypeORM and Sequelize migrations read from their
//! source (tree-sitter-typescript, whose TypeScript grammar also reads the plain JavaScript
//! these migrations are written in) into schema operations and embedded SQL, with spans into
//! the file. It only reads: the pipeline (`check::orm`) replays the operations into the
//! schema model and runs the rules; embedded SQL goes back through the SQL front end.

mod fast;
mod knex;
mod knex_chain;
mod knex_index;
mod ops;
mod sequelize;
mod typeorm;
pub mod value;
mod walk;

use crate::js::value::{field_of, kind_of};
pub use crate::orm::{Effect, Fact, Facts, Template};
use crate::source::Span;
use tree_sitter::Node;
use value::text;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Framework {
    Knex,
    TypeOrm,
    Sequelize,
}

impl Framework {
    pub fn name(self) -> &'static str {
        match self {
            Framework::Knex => "Knex",
            Framework::TypeOrm => "TypeORM",
            Framework::Sequelize => "Sequelize",
        }
    }
}

/// A migration file read: its framework and what its `up` and `down` do.
#[derive(Clone, Debug)]
pub struct Migration {
    pub framework: Framework,
    pub facts: Facts,
}

/// The framework a file's text names (before parsing: most files outside these frameworks
/// are never parsed).
pub(crate) fn framework_by_text(src: &str) -> Option<Framework> {
    if src.contains("MigrationInterface") || src.contains("queryRunner") {
        Some(Framework::TypeOrm)
    } else if src.contains("queryInterface") || src.contains("QueryInterface") {
        Some(Framework::Sequelize)
    } else if src.contains("knex") || src.contains("Knex") {
        Some(Framework::Knex)
    } else if src.contains("sequelize") || src.contains("Sequelize") {
        Some(Framework::Sequelize)
    } else if src.contains(".schema.") {
        Some(Framework::Knex)
    } else {
        None
    }
}

/// Read a file as a Knex, TypeORM or Sequelize migration. `None`: not one (no `up` function
/// taking the framework's handle).
pub fn read(src: &str) -> Option<Migration> {
    if !src.contains("up") {
        return None;
    }
    let by_text = framework_by_text(src)?;
    // most Knex, TypeORM and Sequelize migrations are in the fast path's subset: no
    // tree-sitter parse for them
    if let Some(m) = fast::read(src, by_text) {
        return m;
    }
    read_tree(src, by_text)
}

/// [`read`] with tree-sitter's parse, for a file whose text names `by_text`.
pub(crate) fn read_tree(src: &str, by_text: Framework) -> Option<Migration> {
    let tree = value::parse(src)?;
    let mut funcs: Vec<(bool, Node)> = Vec::new();
    top_functions(tree.root_node(), src, &mut funcs, 0);
    let (_, up) = funcs.iter().find(|(d, _)| !d)?;
    let params = params(*up, src);
    let framework = match params.first().map(String::as_str) {
        Some("queryRunner") => Framework::TypeOrm,
        Some("queryInterface") => Framework::Sequelize,
        Some("knex") => Framework::Knex,
        Some(_) => by_text,
        // an `up` without the framework's handle does nothing we can read
        None => return None,
    };
    let mut facts = Facts::default();
    let mut module_consts = Vec::new();
    let root = tree.root_node();
    let mut c = root.walk();
    for n in root.named_children(&mut c) {
        if kind_of(n) == "lexical_declaration" {
            walk::string_consts(n, src, &mut module_consts, 0);
        }
    }
    for (down, f) in funcs {
        let ps = params_or(f, src, &params);
        let mut w = walk::Walker::new(src, framework, down, &mut facts, ps);
        w.consts = module_consts.clone();
        if let Some(body) = field_of(f, "body") {
            walk::string_consts(body, src, &mut w.consts, 0);
        }
        if let Some(body) = field_of(f, "body") {
            w.walk(body, 0);
        }
    }
    Some(Migration { framework, facts })
}

/// A function's parameter names; a `down` without parameters uses `up`'s.
fn params_or(f: Node, src: &str, up: &[String]) -> Vec<String> {
    let p = params(f, src);
    if p.is_empty() { up.to_vec() } else { p }
}

fn params(f: Node, src: &str) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(p) = field_of(f, "parameter") {
        out.push(text(p, src).to_string());
        return out;
    }
    let Some(ps) = field_of(f, "parameters") else {
        return out;
    };
    let mut c = ps.walk();
    for p in ps.named_children(&mut c) {
        let name = match kind_of(p) {
            "identifier" => Some(p),
            "required_parameter" | "optional_parameter" => p
                .child_by_field_name("pattern")
                .filter(|x| kind_of(*x) == "identifier"),
            _ => None,
        };
        out.push(name.map_or_else(String::new, |n| text(n, src).to_string()));
    }
    out
}

fn is_function(n: Node) -> bool {
    matches!(
        kind_of(n),
        "function_declaration"
            | "function_expression"
            | "function"
            | "arrow_function"
            | "method_definition"
            | "generator_function_declaration"
    )
}

/// The `up` / `down` functions at the top of a module: `exports.up = …`, `module.exports =
/// { up, down }` (functions, methods or names of top-level functions), `export [async]
/// function up`, `export const up = …`, and methods of a class (TypeORM). Function bodies
/// are not searched.
fn top_functions<'t>(n: Node<'t>, src: &str, out: &mut Vec<(bool, Node<'t>)>, depth: usize) {
    if depth > 12 {
        return;
    }
    let add = |name: &str, f: Node<'t>, out: &mut Vec<(bool, Node<'t>)>| {
        let down = match name {
            "up" => false,
            "down" => true,
            _ => return,
        };
        if is_function(f) && !out.iter().any(|(_, g)| g.id() == f.id()) {
            out.push((down, f));
        }
    };
    match kind_of(n) {
        "function_declaration" | "generator_function_declaration" | "method_definition" => {
            if let Some(name) = field_of(n, "name") {
                add(text(name, src), n, out);
            }
            return;
        }
        "variable_declarator" => {
            if let (Some(name), Some(v)) = (field_of(n, "name"), field_of(n, "value")) {
                add(text(name, src), value::unwrap(v), out);
                top_functions(value::unwrap(v), src, out, depth + 1);
            }
            return;
        }
        "assignment_expression" => {
            if let (Some(l), Some(r)) = (field_of(n, "left"), field_of(n, "right")) {
                if kind_of(l) == "member_expression"
                    && let Some(p) = field_of(l, "property")
                {
                    add(text(p, src), value::unwrap(r), out);
                }
                top_functions(value::unwrap(r), src, out, depth + 1);
            }
            return;
        }
        "pair" => {
            if let (Some(k), Some(v)) = (field_of(n, "key"), field_of(n, "value")) {
                let key = text(k, src).trim_matches(|c| c == '"' || c == '\'');
                add(key, value::unwrap(v), out);
            }
            return;
        }
        "function_expression" | "arrow_function" | "function" => return,
        _ => {}
    }
    let mut c = n.walk();
    for ch in n.named_children(&mut c) {
        top_functions(ch, src, out, depth + 1);
    }
}

/// Every `//` or `/* */` comment that mentions `preflight:`, with what it covers: on its own
/// line, the next statement (or property, array item); at the end of a line, the one that
/// ends on that line.
pub fn comment_covers(src: &str) -> Vec<(Span, Span)> {
    if !src.contains("preflight:") {
        return Vec::new();
    }
    value::parse(src).map_or_else(Vec::new, |tree| crate::orm::comment_covers(&tree, src, &[]))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn verbs(src: &str) -> (Framework, Vec<(String, bool)>) {
        let m = read(src).expect("a migration");
        let v = m
            .facts
            .facts
            .iter()
            .map(|f| (f.verb.clone(), f.down))
            .collect();
        (m.framework, v)
    }

    #[test]
    fn the_forms_of_up_and_down() {
        let (fw, v) = verbs(
            "async function up(knex) { await knex.schema.dropTable('a') }\n\
             async function down(knex) { await knex.schema.dropTable('b') }\n\
             module.exports = { up, down };\n",
        );
        assert_eq!(fw, Framework::Knex);
        assert_eq!(
            v,
            [
                ("`knex.schema.dropTable`".to_string(), false),
                ("`knex.schema.dropTable`".to_string(), true)
            ]
        );
        let (fw, v) =
            verbs("export const up = async (db: Knex) => db.schema.renameTable('a', 'b');\n");
        assert_eq!(fw, Framework::Knex);
        assert_eq!(v, [("`db.schema.renameTable`".to_string(), false)]);
        let (fw, v) = verbs(
            "module.exports = {\n  up: (qi, S) => qi.removeColumn('t', 'c'),\n  \
             down: async function (qi) { await qi.sequelize.query('DROP TABLE t') },\n};\n// queryInterface\n",
        );
        assert_eq!(fw, Framework::Sequelize);
        assert_eq!(
            v,
            [
                ("`qi.removeColumn`".to_string(), false),
                ("`qi.sequelize.query`".to_string(), true)
            ]
        );
        let (fw, v) = verbs(
            "export class A1 implements MigrationInterface {\n  async up(q: QueryRunner) {\n    \
             await q.query(`DROP TABLE \"a\"`)\n  }\n}\n",
        );
        assert_eq!(fw, Framework::TypeOrm);
        assert_eq!(v, [("`q.query`".to_string(), false)]);
    }

    #[test]
    fn files_that_are_not_migrations() {
        // helpers beside the migrations: no `up`
        assert!(
            read("export function dropAll(knex) { return knex.schema.dropTable('a') }\n").is_none()
        );
        // an `up` without the framework's handle
        assert!(read("export function up() { return knex.schema.dropTable('a') }\n").is_none());
        // no framework named at all (never parsed)
        assert!(read("export function up(x) { return x.y.z('a') }\n").is_none());
        // a nested `up` is not the module's
        assert!(
            read("function f(knex) { const up = () => knex.schema.dropTable('a') }\n").is_none()
        );
    }

    #[test]
    fn values_and_filters_are_not_statements() {
        let m = read(
            "exports.up = async (knex) => {\n\
             await knex.schema.createTable('t', (t) => { t.uuid('id').defaultTo(knex.raw('gen_random_uuid()')) });\n\
             await knex('t').whereIn('id', [1]).del();\n\
             await knex('t').where({ a: 1 }).update({ a: 2 });\n\
             await knex('t').select('*');\n\
             };\n",
        )
        .expect("a migration");
        // the createTable, and the filtered update only as a possible backfill (a WHERE): the
        // raw default runs nothing, the filtered delete is not judged
        assert_eq!(m.facts.facts.len(), 2);
        assert_eq!(m.facts.code_writes.len(), 1);
        let Effect::Statement(s) = &m.facts.facts[1].effect else {
            panic!("a statement")
        };
        assert!(matches!(
            &s.kind,
            crate::sql::StmtKind::Update {
                predicate: Some(_),
                ..
            }
        ));
    }

    /// A callback in parentheses (or after `await`) is walked once, with its parameter
    /// bound, as one without them: no finding twice, none lost.
    #[test]
    fn a_parenthesized_callback_is_walked_once() {
        let facts = |cb: &str| {
            let src = format!(
                "export async function up(knex) {{\n  await knex.schema.table('t', {cb});\n}}\n"
            );
            let m = read(&src).expect("a migration");
            m.facts
                .facts
                .iter()
                .map(|f| f.verb.clone())
                .collect::<Vec<_>>()
        };
        for body in [
            "{ t.dropColumn('c') }",
            "{ t.dropColumn('c'); knex.raw('DROP TABLE x') }",
        ] {
            let plain = facts(&format!("(t) => {body}"));
            assert!(!plain.is_empty());
            for cb in [
                format!("((t) => {body})"),
                format!("(((t) => {body}))"),
                format!("await ((t) => {body})"),
            ] {
                assert_eq!(facts(&cb), plain, "{cb}");
            }
        }
        // a transaction's callback too
        let tx = |cb: &str| {
            let src =
                format!("export async function up(knex) {{\n  await knex.transaction({cb});\n}}\n");
            read(&src).expect("a migration").facts.facts.len()
        };
        let body = "{ await trx('a').del(); await knex('b').del() }";
        assert_eq!(tx(&format!("((trx) => {body})")), 2);
        assert_eq!(tx(&format!("async (trx) => {body}")), 2);
    }
}
