//! The Rails reader on small migrations.

use super::*;
use crate::sql::{AlterOp, StmtKind};

/// `src` read as a migration, after checking its facts' verbs in order, each with whether it
/// runs on the way down.
fn read_with_verbs(src: &str, want: &[(&str, bool)]) -> Migration {
    let m = read(src).expect("a migration");
    let verbs: Vec<(String, bool)> = m
        .facts
        .facts
        .iter()
        .map(|f| (f.verb.clone(), f.down))
        .collect();
    let want: Vec<(String, bool)> = want.iter().map(|&(v, d)| (v.to_string(), d)).collect();
    assert_eq!(verbs, want);
    m
}

#[test]
fn up_down_change_reversible_and_revert() {
    let src = r#"
class Cleanup < ActiveRecord::Migration[7.1]
  def change
remove_column :orders, :note, :string
reversible do |dir|
  dir.up { execute "UPDATE orders SET a = 1" }
  dir.down { drop_table :archive }
end
revert do
  add_column :orders, :legacy, :integer
  remove_column :orders, :gone
end
  end

  def down
drop_table :orders
  end

  def helper
drop_table :never
  end
end
"#;
    let m = read_with_verbs(
        src,
        &[
            ("`remove_column`", false),
            ("`execute`", false),
            ("`drop_table`", true),
            ("`add_column` inside `revert`", false),
            ("`drop_table`", true),
        ],
    );
    let Effect::Statement(s) = &m.facts.facts[3].effect else {
        panic!("a statement")
    };
    assert!(
        matches!(&s.kind, StmtKind::AlterTable { ops, .. } if matches!(&ops[0], AlterOp::DropColumn { names, .. } if names == &["legacy"]))
    );
}

#[test]
fn not_a_migration() {
    assert!(read("class User < ApplicationRecord\nend\n").is_none());
    assert!(read("# Migration notes\nputs 1\n").is_none());
}

#[test]
fn whole_model_writes_and_narrowed_ones() {
    let src = r#"
class Backfill < ActiveRecord::Migration[7.1]
  class Legacy < ActiveRecord::Base
self.table_name = "old_things"
  end
  def up
OrderItem.delete_all
Category.all.update_all(name: "x")
Legacy.destroy_all
User.where(admin: true).delete_all
User.in_batches.update_all(a: 1)
  end
end
"#;
    let m = read(src).expect("a migration");
    let tables: Vec<String> = m
        .facts
        .facts
        .iter()
        .filter_map(|f| match &f.effect {
            Effect::Statement(s) => match &s.kind {
                StmtKind::Delete { table, .. } | StmtKind::Update { table, .. } => {
                    table.as_ref().map(|t| t.name.clone())
                }
                _ => None,
            },
            _ => None,
        })
        .collect();
    assert_eq!(tables, ["order_items", "categories", "old_things"]);
}

#[test]
fn safety_assured_reasons() {
    let src = "class A < ActiveRecord::Migration[7.1]\n  def change\n    # column unused since #812\n    safety_assured { remove_column :a, :b }\n    safety_assured do\n      remove_column :a, :c\n    end\n  end\nend\n";
    let m = read(src).expect("a migration");
    assert_eq!(m.assured.len(), 2);
    assert_eq!(
        m.assured[0].reason.as_deref(),
        Some("column unused since #812")
    );
    assert_eq!(m.assured[1].reason, None);
}

#[test]
fn model_tables() {
    assert_eq!(model_table("OrderItem"), "order_items");
    assert_eq!(model_table("Category"), "categories");
    assert_eq!(model_table("Address"), "addresses");
    assert_eq!(model_table("Admin::Person"), "people");
    assert_eq!(model_table("APIKey"), "api_keys");
    assert_eq!(model_table("Day"), "days");
}

#[test]
fn schema_rb_tables() {
    let src = r#"
ActiveRecord::Schema[7.1].define(version: 2024_01_01) do
  create_table "users", force: :cascade do |t|
t.string "email", null: false
t.text "bio"
t.timestamps
t.index ["email"], name: "index_users_on_email", unique: true
  end
end
"#;
    let f = schema(src);
    assert_eq!(f.facts.len(), 2, "{f:?}");
    let Effect::Statement(s) = &f.facts[0].effect else {
        panic!()
    };
    let StmtKind::CreateTable { columns, .. } = &s.kind else {
        panic!()
    };
    let names: Vec<&str> = columns.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names, ["id", "email", "bio", "created_at", "updated_at"]);
    assert!(columns[1].not_null && !columns[2].not_null);
}

#[test]
fn a_file_that_does_not_parse_is_still_read() {
    let src = "class Broken < ActiveRecord::Migration[7.1]\n  def up\n    drop_table :users\n    remove_column :orders, :note (\n  end\n";
    let m = read(src).expect("read as far as possible");
    assert!(
        m.facts.facts.iter().any(|f| f.verb == "`drop_table`"),
        "{:?}",
        m.facts
    );
    assert!(!m.facts.not_understood.is_empty());
}

#[test]
fn helper_methods_run_where_they_are_called() {
    let src = r#"
class Cleanup < ActiveRecord::Migration[7.1]
  def up
    drop_things
    self.rename_things()
  end
  def down
    restore
  end
  private
  def drop_things
    remove_column :orders, :note
    drop_things
    more
  end
  def more
    remove_column :orders, :memo
    drop_things
  end
  def rename_things
    rename_column :orders, :a, :b
  end
  def restore
    drop_table :orders
  end
  def never
    drop_table :customers
  end
end
"#;
    read_with_verbs(
        src,
        &[
            ("`remove_column`", false),
            ("`remove_column`", false),
            ("`rename_column`", false),
            ("`drop_table`", true),
        ],
    );
}
