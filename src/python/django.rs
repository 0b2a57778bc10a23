//! Django migrations: `class Migration(migrations.Migration)` with `dependencies` and
//! `operations`, read in two steps. [`read`] takes a file apart (files are read in parallel);
//! [`translate`] turns its operations into schema statements in the order the set runs,
//! against [`State`], what the app's earlier migrations said about its models (table names,
//! column names, nullability, types).

use super::value::{self, Value, text};
use std::collections::HashMap;
use tree_sitter::Node;

/// A migration file taken apart.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Raw {
    /// `(app_label, migration name)`.
    pub dependencies: Vec<(String, String)>,
    pub replaces: Vec<(String, String)>,
    pub operations: Vec<Value>,
    /// Module-level functions (for `RunPython`): name → queryset writes in its body.
    pub functions: HashMap<String, Vec<QueryWrite>>,
    /// Module-level functions: name → identifiers and strings their bodies mention (a
    /// `RunPython` that mentions a field may fill it).
    pub mentions: HashMap<String, Vec<String>>,
}

mod fields;
mod queryset;
mod together;
mod translate;
pub use queryset::QueryWrite;
pub use translate::{State, translate};

/// Read a migration file. `None`: no `class Migration(…Migration)` in it.
pub fn read(src: &str) -> Option<Raw> {
    // most migrations are in the fast path's subset: no tree-sitter parse for them
    if let Some(raw) = super::fast::django(src) {
        return raw;
    }
    let tree = value::parse(src)?;
    read_tree(tree.root_node(), src)
}

/// `words` with the fields of Django lookups added: `webhook__isnull=True` and
/// `author__name` mention `webhook` and `author`, `name` (sorted, no duplicates).
fn lookup_words(mut words: Vec<String>) -> Vec<String> {
    let parts: Vec<String> = words
        .iter()
        .filter(|w| w.contains("__"))
        .flat_map(|w| w.split("__").filter(|p| !p.is_empty()).map(str::to_string))
        .collect();
    if !parts.is_empty() {
        words.extend(parts);
        words.sort();
        words.dedup();
    }
    words
}

/// Can the text hold a Django migration (a class whose base ends in `Migration`)? Checked
/// before parsing.
pub fn may_be(src: &str) -> bool {
    src.contains("Migration")
}

/// [`read`] on a parsed file.
pub fn read_tree(root: Node, src: &str) -> Option<Raw> {
    let mut raw = Raw::default();
    let mut found = false;
    let mut c = root.walk();
    for n in root.named_children(&mut c) {
        let n = if value::kind(n) == "decorated_definition" {
            match value::field(n, "definition") {
                Some(d) => d,
                None => continue,
            }
        } else {
            n
        };
        match value::kind(n) {
            "class_definition" if is_migration_class(n, src) => {
                found = true;
                let Some(body) = value::field(n, "body") else {
                    continue;
                };
                let mut bc = body.walk();
                for s in body.named_children(&mut bc) {
                    if let Some((name, v)) = assignment(s, src) {
                        assign(&mut raw, &name, v);
                    }
                }
            }
            "function_definition" => {
                if let Some(name) = value::field(n, "name") {
                    let mut writes = Vec::new();
                    if let Some(body) = value::field(n, "body") {
                        let mut models = HashMap::new();
                        queryset::query_writes(body, src, &mut models, &mut writes, 0);
                    }
                    raw.functions.insert(text(name, src).to_string(), writes);
                    let words = n
                        .child_by_field_name("body")
                        .map(|body| lookup_words(super::words_of(text(body, src))))
                        .unwrap_or_default();
                    raw.mentions.insert(text(name, src).to_string(), words);
                }
            }
            _ => {}
        }
    }
    found.then_some(raw)
}

/// `name = v` in the body of a migration class.
pub(super) fn assign(raw: &mut Raw, name: &str, v: Value) {
    match name {
        "dependencies" => raw.dependencies = pairs(&v),
        "replaces" => raw.replaces = pairs(&v),
        "operations" => {
            if let Value::List(items, _) | Value::Tuple(items, _) = v {
                raw.operations = items;
            }
        }
        _ => {}
    }
}

fn is_migration_class(n: Node, src: &str) -> bool {
    value::field(n, "superclasses").is_some_and(|s| {
        let mut c = s.walk();
        s.named_children(&mut c)
            .any(|b| value::dotted(b, src).is_some_and(|d| d.ends_with("Migration")))
    })
}

/// `name = value` (also `name: T = value`) as an expression statement.
fn assignment(s: Node, src: &str) -> Option<(String, Value)> {
    let a = if value::kind(s) == "expression_statement" {
        s.named_child(0)?
    } else {
        s
    };
    if value::kind(a) != "assignment" {
        return None;
    }
    let left = value::field(a, "left")?;
    let right = value::field(a, "right")?;
    (value::kind(left) == "identifier")
        .then(|| (text(left, src).to_string(), value::read(right, src)))
}

fn pairs(v: &Value) -> Vec<(String, String)> {
    v.items()
        .unwrap_or_default()
        .iter()
        .filter_map(|p| match p.items()? {
            [a, b] => Some((a.str()?.to_string(), b.str()?.to_string())),
            _ => None,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const SRC: &str = r#"
from django.db import migrations, models

def forwards(apps, schema_editor):
    Order = apps.get_model("shop", "Order")
    Order.objects.all().delete()
    Order.objects.filter(total=None).delete()
    Order.objects.update(total=0)
    d = {}
    d.update(a=1)

class Migration(migrations.Migration):
    dependencies = [("shop", "0001_initial")]
    operations = [
        migrations.RemoveField(model_name="order", name="note"),
        migrations.RunPython(forwards, migrations.RunPython.noop),
        migrations.RunSQL("DROP TABLE legacy;", reverse_sql="SELECT 1;"),
    ]
"#;

    #[test]
    fn reads_a_migration() {
        let raw = read(SRC).expect("a migration");
        assert_eq!(
            raw.dependencies,
            vec![("shop".into(), "0001_initial".into())]
        );
        assert_eq!(raw.operations.len(), 3);
        let w = &raw.functions["forwards"];
        assert_eq!(w.len(), 2, "{w:?}");
        assert!(w[0].update.is_none());
        assert_eq!(w[1].update.as_deref(), Some(&["total".to_string()][..]));
        let mut st = State::new("shop");
        let f = translate(&raw, SRC, &mut st);
        let verbs: Vec<&str> = f.facts.iter().map(|f| f.verb.as_str()).collect();
        assert_eq!(verbs.len(), 5, "{verbs:?}");
        assert!(f.facts[4].down);
        assert!(read("x = 1\n").is_none());
    }
}
