//! Looking a [`Key`] up by an [`ObjName`] without building the key: a `dyn KeyPair` hashes
//! and compares as the `(String, String)` it stands for, so the maps and their hasher stay
//! as they are.

use super::schema::Key;
use crate::sql::ObjName;
use std::borrow::Borrow;
use std::hash::{Hash, Hasher};

/// A (schema, name) pair, as text.
pub trait KeyPair {
    fn schema(&self) -> &str;
    fn name(&self) -> &str;
}

impl KeyPair for Key {
    fn schema(&self) -> &str {
        &self.0
    }
    fn name(&self) -> &str {
        &self.1
    }
}

/// An object name as its key: a missing schema is `public` (what [`super::schema::key`] builds).
pub struct ByName<'n>(pub &'n ObjName);

impl KeyPair for ByName<'_> {
    fn schema(&self) -> &str {
        self.0.schema.as_deref().unwrap_or("public")
    }
    fn name(&self) -> &str {
        &self.0.name
    }
}

// the same calls, in the same order, as `<(String, String) as Hash>::hash`
impl Hash for dyn KeyPair + '_ {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.schema().hash(state);
        self.name().hash(state);
    }
}

impl PartialEq for dyn KeyPair + '_ {
    fn eq(&self, other: &Self) -> bool {
        self.schema() == other.schema() && self.name() == other.name()
    }
}

impl Eq for dyn KeyPair + '_ {}

impl<'a> Borrow<dyn KeyPair + 'a> for Key {
    fn borrow(&self) -> &(dyn KeyPair + 'a) {
        self
    }
}

#[cfg(test)]
mod tests {
    use super::{ByName, KeyPair};
    use crate::model::schema::key;
    use crate::sql::ObjName;
    use std::collections::HashMap;
    use std::hash::BuildHasher;

    #[test]
    fn a_name_hashes_and_finds_as_its_key() {
        let names = [
            (Some("public"), "t"),
            (None, "t"),
            (Some("s"), "t"),
            (Some(""), ""),
            (None, ""),
            (Some("ab"), "c"),
            (Some("a"), "bc"),
            (None, "É"),
        ];
        let map: HashMap<_, _> = names
            .iter()
            .enumerate()
            .filter(|(i, _)| i % 2 == 0)
            .map(|(i, (s, n))| {
                let o = ObjName {
                    schema: s.map(String::from),
                    name: n.to_string(),
                    display: n.to_string(),
                };
                (key(&o), i)
            })
            .collect();
        for (s, n) in names {
            let o = ObjName {
                schema: s.map(String::from),
                name: n.to_string(),
                display: n.to_string(),
            };
            let k = key(&o);
            let by = ByName(&o);
            let h = map.hasher();
            assert_eq!(h.hash_one(&by as &dyn KeyPair), h.hash_one(&k), "{s:?} {n}");
            assert_eq!(map.get(&by as &dyn KeyPair), map.get(&k), "{s:?} {n}");
        }
    }
}
