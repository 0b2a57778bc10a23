//! Renames in the schema model: a table (`ALTER TABLE … RENAME TO`, `RENAME TABLE`) moves its
//! indexes, the foreign keys that point at it and the views that read it; an index (`ALTER
//! INDEX [IF EXISTS] a RENAME TO b`) keeps its table, columns and shape under the new name, so
//! a later `DROP INDEX b` is judged like a drop of `a`; a column (`RENAME COLUMN`, MySQL
//! `CHANGE`) keeps its indexes, which name it by its new name.

use super::schema::{Key, Schema, key};
use crate::sql::ObjName;

impl Schema {
    pub(super) fn rename_table(&mut self, from: &Key, to: &ObjName) {
        let mut tk = key(to);
        if to.schema.is_none() {
            tk.0 = from.0.clone();
        }
        if let Some(mut t) = self.tables.remove(from) {
            t.display = to.display.clone();
            self.tables.insert(tk.clone(), t);
        }
        for i in self.indexes.values_mut() {
            if &i.table == from {
                i.table = tk.clone();
            }
        }
        for t in self.tables.values_mut() {
            for fk in &mut t.foreign_keys {
                if &fk.table == from {
                    fk.table = tk.clone();
                }
            }
        }
        for v in self.views.values_mut() {
            for t in &mut v.tables {
                if t == from {
                    *t = tk.clone();
                }
            }
        }
    }

    /// `ALTER INDEX from RENAME TO to`: the index the model knows as `from` (by key, or by
    /// name in any schema as `DROP INDEX` finds it) is known as `to` from now on, in its
    /// schema (PostgreSQL renames an index within its schema). An index the model does not
    /// know stays unknown.
    pub(super) fn rename_index(&mut self, from: &ObjName, to: &ObjName) {
        let k = key(from);
        let found = if self.indexes.contains_key(&k) {
            Some(k)
        } else {
            self.indexes
                .iter()
                .find(|(_, i)| i.display.eq_ignore_ascii_case(&from.display))
                .map(|(k, _)| k.clone())
        };
        let Some(old) = found else { return };
        let Some(mut index) = self.indexes.remove(&old) else {
            return;
        };
        let mut nk = key(to);
        if to.schema.is_none() {
            nk.0 = old.0.clone();
        }
        index.display = to.display.clone();
        self.indexes.insert(nk, index);
    }

    /// Column `from` of `table` renamed to `to`: its indexes name it by its new name (an
    /// index created before the rename still covers, or is covered by, one created after).
    pub(super) fn rename_index_column(&mut self, table: &Key, from: &str, to: &str) {
        for i in self.indexes.values_mut().filter(|i| &i.table == table) {
            for c in i.columns.iter_mut().filter(|c| c.as_str() == from) {
                *c = to.to_string();
            }
        }
    }
}
