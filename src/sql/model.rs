//! Plain facts about one statement, produced once by the front end (from sqlparser's AST, or
//! from tokens when it cannot parse) and read by every rule.

use sqlparser::ast::{self as ast, Expr};

/// A (possibly schema-qualified) object name. `key` is the comparison form: unquoted parts
/// folded to lower case, quoted parts kept; `display` is the name as written.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct ObjName {
    pub schema: Option<String>,
    pub name: String,
    pub display: String,
}

impl ObjName {
    pub fn from_parts(parts: &[(String, bool)]) -> ObjName {
        let fold =
            |(s, quoted): &(String, bool)| if *quoted { s.clone() } else { s.to_lowercase() };
        let display = parts
            .iter()
            .map(|(s, q)| if *q { format!("\"{s}\"") } else { s.clone() })
            .collect::<Vec<_>>()
            .join(".");
        let n = parts.len();
        ObjName {
            schema: (n >= 2).then(|| fold(&parts[n - 2])),
            name: parts.last().map(fold).unwrap_or_default(),
            display,
        }
    }
    /// [`ObjName::from_parts`] of the name's parts (an identifier's value and whether it is
    /// quoted; anything else as sqlparser prints it), without copying the parts first.
    pub fn from_ast(name: &ast::ObjectName) -> ObjName {
        let n = name.0.len();
        let mut out = ObjName {
            schema: None,
            name: String::new(),
            display: String::new(),
        };
        for (i, p) in name.0.iter().enumerate() {
            let printed;
            let (s, quoted) = match p.as_ident() {
                Some(id) => (id.value.as_str(), id.quote_style.is_some()),
                None => {
                    printed = p.to_string();
                    (printed.as_str(), false)
                }
            };
            if i > 0 {
                out.display.push('.');
            }
            if quoted {
                out.display.push('"');
                out.display.push_str(s);
                out.display.push('"');
            } else {
                out.display.push_str(s);
            }
            if i + 2 >= n {
                let folded = if quoted {
                    s.to_string()
                } else {
                    s.to_lowercase()
                };
                if i + 1 == n {
                    out.name = folded;
                } else {
                    out.schema = Some(folded);
                }
            }
        }
        out
    }
    /// Same object, ignoring a `public.` schema on either side.
    pub fn same_object(&self, other: &ObjName) -> bool {
        self.name == other.name
            && match (&self.schema, &other.schema) {
                (Some(a), Some(b)) => a == b,
                (Some(s), None) | (None, Some(s)) => s == "public",
                (None, None) => true,
            }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum ObjectKind {
    Table,
    View,
    MaterializedView,
    Index,
    Schema,
    Database,
    Sequence,
    Type,
    Function,
    Other(String),
}

impl ObjectKind {
    pub fn noun(&self) -> &str {
        match self {
            ObjectKind::Table => "table",
            ObjectKind::View => "view",
            ObjectKind::MaterializedView => "materialized view",
            ObjectKind::Index => "index",
            ObjectKind::Schema => "schema",
            ObjectKind::Database => "database",
            ObjectKind::Sequence => "sequence",
            ObjectKind::Type => "type",
            ObjectKind::Function => "function",
            ObjectKind::Other(s) => s,
        }
    }
    pub fn from_keyword(w: &str) -> ObjectKind {
        match w.to_ascii_uppercase().as_str() {
            "TABLE" => ObjectKind::Table,
            "VIEW" => ObjectKind::View,
            "INDEX" => ObjectKind::Index,
            "SCHEMA" => ObjectKind::Schema,
            "DATABASE" => ObjectKind::Database,
            "SEQUENCE" => ObjectKind::Sequence,
            "TYPE" => ObjectKind::Type,
            "FUNCTION" | "PROCEDURE" => ObjectKind::Function,
            other => ObjectKind::Other(other.to_lowercase()),
        }
    }
}

/// A WHERE clause. `expr` is `None` when the statement was read by tokens.
#[derive(Clone, Debug, PartialEq)]
pub struct Predicate {
    pub expr: Option<Box<Expr>>,
    /// The predicate came from a shell expansion (`WHERE $COND`): cannot be judged.
    pub opaque: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub struct ColumnFacts {
    pub name: String,
    pub data_type: String,
    pub not_null: bool,
    pub has_default: bool,
    pub primary_key: bool,
}

impl ColumnFacts {
    pub fn from_ast(def: &ast::ColumnDef) -> ColumnFacts {
        let mut c = ColumnFacts {
            name: ident_key(&def.name),
            data_type: def.data_type.to_string(),
            not_null: false,
            has_default: false,
            primary_key: false,
        };
        for opt in &def.options {
            match &opt.option {
                ast::ColumnOption::NotNull => c.not_null = true,
                // `DEFAULT NULL` gives the rows nothing
                ast::ColumnOption::Default(e) => {
                    c.has_default = !matches!(e, Expr::Value(v) if v.value == ast::Value::Null)
                }
                ast::ColumnOption::PrimaryKey(_) => {
                    c.primary_key = true;
                    c.not_null = true;
                }
                ast::ColumnOption::Generated { .. } | ast::ColumnOption::Identity(_) => {
                    c.has_default = true
                }
                // MySQL `AUTO_INCREMENT`, SQLite `AUTOINCREMENT`: every row gets a value
                ast::ColumnOption::DialectSpecific(tokens)
                    if tokens.iter().any(|t| {
                        let w = t.to_string().to_ascii_uppercase();
                        w == "AUTO_INCREMENT" || w == "AUTOINCREMENT"
                    }) =>
                {
                    c.has_default = true
                }
                _ => {}
            }
        }
        let ty = c.data_type.to_ascii_lowercase();
        if ty.contains("serial") {
            c.has_default = true;
            c.not_null = true;
        }
        c
    }
}

#[derive(Clone, Debug, PartialEq)]
pub enum AlterOp {
    AddColumn(ColumnFacts),
    DropColumn {
        names: Vec<String>,
        if_exists: bool,
        cascade: bool,
    },
    RenameColumn {
        from: String,
        to: String,
    },
    RenameTo(ObjName),
    SetNotNull {
        column: String,
    },
    DropNotNull {
        column: String,
    },
    SetType {
        column: String,
        data_type: String,
    },
    /// MySQL `MODIFY`/`CHANGE`: a new full definition of the column.
    Redefine {
        from: String,
        column: ColumnFacts,
    },
    DropConstraint {
        name: String,
        cascade: bool,
    },
    Other,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Assignment {
    pub column: String,
    pub value: Option<Expr>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum StmtKind {
    Drop {
        object: ObjectKind,
        names: Vec<ObjName>,
        if_exists: bool,
        cascade: bool,
        temporary: bool,
    },
    Truncate {
        tables: Vec<ObjName>,
        cascade: bool,
    },
    Delete {
        table: Option<ObjName>,
        predicate: Option<Predicate>,
        /// `LIMIT n` bounds the damage (MySQL/SQLite).
        limited: bool,
    },
    Update {
        table: Option<ObjName>,
        predicate: Option<Predicate>,
        assignments: Vec<Assignment>,
        limited: bool,
    },
    CreateTable {
        name: ObjName,
        temporary: bool,
        if_not_exists: bool,
        or_replace: bool,
        columns: Vec<ColumnFacts>,
    },
    AlterTable {
        name: ObjName,
        ops: Vec<AlterOp>,
    },
    CreateIndex {
        name: Option<ObjName>,
        table: ObjName,
        concurrently: bool,
        unique: bool,
    },
    CreateView {
        name: ObjName,
        materialized: bool,
        references: Vec<ObjName>,
    },
    /// Any other CREATE of a named object (sequence, schema, type, …).
    CreateOther {
        object: ObjectKind,
        name: ObjName,
    },
    RenameTable {
        from: ObjName,
        to: ObjName,
    },
    /// `ALTER INDEX|SEQUENCE|VIEW … RENAME TO …`.
    RenameObject {
        object: ObjectKind,
        from: ObjName,
        to: ObjName,
    },
    Other,
}

impl StmtKind {
    /// Visit every object name the statement mentions.
    pub fn for_each_name(&mut self, f: &mut dyn FnMut(&mut ObjName)) {
        match self {
            StmtKind::Drop { names, .. } => names.iter_mut().for_each(f),
            StmtKind::Truncate { tables, .. } => tables.iter_mut().for_each(f),
            StmtKind::Delete { table, .. } | StmtKind::Update { table, .. } => {
                table.iter_mut().for_each(f)
            }
            StmtKind::CreateTable { name, .. }
            | StmtKind::AlterTable { name, .. }
            | StmtKind::CreateOther { name, .. } => f(name),
            StmtKind::CreateIndex { name, table, .. } => {
                name.iter_mut().for_each(&mut *f);
                f(table)
            }
            StmtKind::CreateView { name, .. } => f(name),
            StmtKind::RenameTable { from, to } | StmtKind::RenameObject { from, to, .. } => {
                f(from);
                f(to)
            }
            _ => {}
        }
    }
}

pub fn ident_key(id: &ast::Ident) -> String {
    if id.quote_style.is_some() {
        id.value.clone()
    } else {
        id.value.to_lowercase()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use sqlparser::ast::{Ident, ObjectName, ObjectNamePart, ObjectNamePartFunction};

    /// `from_ast` gives what `from_parts` gives of the parts copied out first (as it did).
    #[test]
    fn names_from_the_tree_match_names_from_parts() {
        const VALUES: &[&str] = &[
            "users", "Users", "PUBLIC", "Straße", "ÉTÉ", "a b", "", "x\"y",
        ];
        const QUOTES: &[Option<char>] = &[None, Some('"'), Some('`'), Some('[')];
        let mut rng = crate::test_rng::Rng::new(0x51_7cc1_b727_220a);
        for _ in 0..2_000 {
            let parts: Vec<ObjectNamePart> = (0..rng.below(4))
                .map(|_| {
                    let value = VALUES[rng.below(VALUES.len())];
                    let quote_style = QUOTES[rng.below(QUOTES.len())];
                    if rng.below(8) == 0 {
                        ObjectNamePart::Function(ObjectNamePartFunction {
                            name: Ident::new(value),
                            args: vec![],
                        })
                    } else {
                        ObjectNamePart::Identifier(Ident {
                            value: value.to_string(),
                            quote_style,
                            span: sqlparser::tokenizer::Span::empty(),
                        })
                    }
                })
                .collect();
            let name = ObjectName(parts);
            let copied: Vec<(String, bool)> = name
                .0
                .iter()
                .map(|p| match p.as_ident() {
                    Some(id) => (id.value.clone(), id.quote_style.is_some()),
                    None => (p.to_string(), false),
                })
                .collect();
            assert_eq!(
                ObjName::from_ast(&name),
                ObjName::from_parts(&copied),
                "{name:?}"
            );
        }
    }
}
