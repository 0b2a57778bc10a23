//! sqlparser AST → [`StmtKind`].

use super::lexer::{Lexer, TokenKind};
use super::model::*;
use crate::source::{Dialect, Span};
use sqlparser::ast::{self as ast, Statement as S};
use std::ops::ControlFlow;

pub(super) fn facts(
    stmt: &S,
    text: &str,
    offset: usize,
    opaque: Option<&dyn Fn(Span) -> bool>,
) -> StmtKind {
    // `None`: nothing in the statement was masked, so no part of it is opaque (and its
    // WHERE need not be found)
    let predicate = |sel: &Option<ast::Expr>| {
        sel.as_ref().map(|e| Predicate {
            expr: Some(Box::new(e.clone())),
            opaque: where_opaque(text, offset, opaque),
        })
    };
    match stmt {
        S::Drop {
            object_type,
            if_exists,
            names,
            cascade,
            temporary,
            ..
        } => StmtKind::Drop {
            object: object_kind(object_type),
            names: names.iter().map(ObjName::from_ast).collect(),
            if_exists: *if_exists,
            cascade: *cascade,
            temporary: *temporary,
        },
        S::Truncate(t) => StmtKind::Truncate {
            tables: t
                .table_names
                .iter()
                .map(|t| ObjName::from_ast(&t.name))
                .collect(),
            cascade: matches!(t.cascade, Some(ast::CascadeOption::Cascade)),
        },
        S::Delete(d) => {
            let from = match &d.from {
                ast::FromTable::WithFromKeyword(v) | ast::FromTable::WithoutKeyword(v) => v,
            };
            let table = d
                .tables
                .first()
                .map(ObjName::from_ast)
                .or_else(|| from.first().and_then(|t| table_factor_name(&t.relation)));
            StmtKind::Delete {
                table,
                predicate: predicate(&d.selection),
                limited: d.limit.is_some(),
            }
        }
        S::Update(u) => StmtKind::Update {
            table: table_factor_name(&u.table.relation),
            predicate: predicate(&u.selection),
            assignments: u
                .assignments
                .iter()
                .flat_map(|a| {
                    let cols = match &a.target {
                        ast::AssignmentTarget::ColumnName(n) => std::slice::from_ref(n),
                        ast::AssignmentTarget::Tuple(v) => v.as_slice(),
                    };
                    let single = cols.len() == 1;
                    cols.iter().map(move |n| Assignment {
                        column: ObjName::from_ast(n).name,
                        value: single.then(|| a.value.clone()),
                    })
                })
                .collect(),
            limited: u.limit.is_some(),
        },
        S::CreateTable(c) => StmtKind::CreateTable {
            name: ObjName::from_ast(&c.name),
            temporary: c.temporary,
            if_not_exists: c.if_not_exists,
            or_replace: c.or_replace,
            columns: {
                let mut cols: Vec<ColumnFacts> =
                    c.columns.iter().map(ColumnFacts::from_ast).collect();
                // table-level PRIMARY KEY (a, b) makes those columns NOT NULL
                for con in &c.constraints {
                    if let ast::TableConstraint::PrimaryKey(pk) = con {
                        for col in &pk.columns {
                            let key = col.to_string().trim_matches('"').to_lowercase();
                            if let Some(cf) = cols.iter_mut().find(|c| c.name == key) {
                                cf.not_null = true;
                                cf.primary_key = true;
                            }
                        }
                    }
                }
                cols
            },
        },
        S::AlterTable(a) => StmtKind::AlterTable {
            name: ObjName::from_ast(&a.name),
            ops: a.operations.iter().map(alter_op).collect(),
        },
        S::CreateIndex(ci) => StmtKind::CreateIndex {
            name: ci.name.as_ref().map(ObjName::from_ast),
            table: ObjName::from_ast(&ci.table_name),
            concurrently: ci.concurrently,
            unique: ci.unique,
        },
        S::CreateView(v) => {
            let mut references = Vec::new();
            let _ = ast::visit_relations(&*v.query, |rel| {
                let n = ObjName::from_ast(rel);
                if !references.contains(&n) {
                    references.push(n);
                }
                ControlFlow::<()>::Continue(())
            });
            StmtKind::CreateView {
                name: ObjName::from_ast(&v.name),
                materialized: v.materialized,
                references,
            }
        }
        S::RenameTable(v) => match v.first() {
            Some(r) => StmtKind::RenameTable {
                from: ObjName::from_ast(&r.old_name),
                to: ObjName::from_ast(&r.new_name),
            },
            None => StmtKind::Other,
        },
        S::CreateSchema { schema_name, .. } => match schema_name {
            ast::SchemaName::Simple(n) | ast::SchemaName::NamedAuthorization(n, _) => {
                StmtKind::CreateOther {
                    object: ObjectKind::Schema,
                    name: ObjName::from_ast(n),
                }
            }
            // CREATE SCHEMA AUTHORIZATION role: the schema is named after the role
            ast::SchemaName::UnnamedAuthorization(n) => StmtKind::CreateOther {
                object: ObjectKind::Schema,
                name: ObjName::from_parts(&[(n.value.clone(), n.quote_style.is_some())]),
            },
        },
        S::CreateSequence { name, .. } => StmtKind::CreateOther {
            object: ObjectKind::Sequence,
            name: ObjName::from_ast(name),
        },
        S::CreateType { name, .. } => StmtKind::CreateOther {
            object: ObjectKind::Type,
            name: ObjName::from_ast(name),
        },
        S::CreateDatabase { db_name, .. } => StmtKind::CreateOther {
            object: ObjectKind::Database,
            name: ObjName::from_ast(db_name),
        },
        S::AlterIndex {
            name,
            operation: ast::AlterIndexOperation::RenameIndex { index_name },
        } => StmtKind::RenameObject {
            object: ObjectKind::Index,
            from: ObjName::from_ast(name),
            to: ObjName::from_ast(index_name),
        },
        _ => StmtKind::Other,
    }
}

fn object_kind(t: &ast::ObjectType) -> ObjectKind {
    match t {
        ast::ObjectType::Table => ObjectKind::Table,
        ast::ObjectType::View => ObjectKind::View,
        ast::ObjectType::MaterializedView => ObjectKind::MaterializedView,
        ast::ObjectType::Index => ObjectKind::Index,
        ast::ObjectType::Schema => ObjectKind::Schema,
        ast::ObjectType::Database => ObjectKind::Database,
        ast::ObjectType::Sequence => ObjectKind::Sequence,
        ast::ObjectType::Type => ObjectKind::Type,
        other => ObjectKind::Other(other.to_string().to_lowercase()),
    }
}

fn table_factor_name(t: &ast::TableFactor) -> Option<ObjName> {
    match t {
        ast::TableFactor::Table { name, .. } => Some(ObjName::from_ast(name)),
        _ => None,
    }
}

fn alter_op(op: &ast::AlterTableOperation) -> AlterOp {
    use ast::AlterTableOperation as O;
    match op {
        O::AddColumn { column_def, .. } => AlterOp::AddColumn(ColumnFacts::from_ast(column_def)),
        O::DropColumn {
            column_names,
            if_exists,
            drop_behavior,
            ..
        } => AlterOp::DropColumn {
            names: column_names.iter().map(ident_key).collect(),
            if_exists: *if_exists,
            cascade: matches!(drop_behavior, Some(ast::DropBehavior::Cascade)),
        },
        O::RenameColumn {
            old_column_name,
            new_column_name,
        } => AlterOp::RenameColumn {
            from: ident_key(old_column_name),
            to: ident_key(new_column_name),
        },
        O::RenameTable { table_name } => match table_name {
            ast::RenameTableNameKind::As(n) | ast::RenameTableNameKind::To(n) => {
                AlterOp::RenameTo(ObjName::from_ast(n))
            }
        },
        O::AlterColumn { column_name, op } => {
            let column = ident_key(column_name);
            match op {
                ast::AlterColumnOperation::SetNotNull => AlterOp::SetNotNull { column },
                ast::AlterColumnOperation::DropNotNull => AlterOp::DropNotNull { column },
                ast::AlterColumnOperation::SetDataType { data_type, .. } => AlterOp::SetType {
                    column,
                    data_type: data_type.to_string(),
                },
                _ => AlterOp::Other,
            }
        }
        O::ModifyColumn {
            col_name,
            data_type,
            options,
            ..
        } => AlterOp::Redefine {
            from: ident_key(col_name),
            column: column_from_parts(col_name, data_type, options),
        },
        O::ChangeColumn {
            old_name,
            new_name,
            data_type,
            options,
            ..
        } => AlterOp::Redefine {
            from: ident_key(old_name),
            column: column_from_parts(new_name, data_type, options),
        },
        O::DropConstraint {
            name,
            drop_behavior,
            ..
        } => AlterOp::DropConstraint {
            name: ident_key(name),
            cascade: matches!(drop_behavior, Some(ast::DropBehavior::Cascade)),
        },
        _ => AlterOp::Other,
    }
}

fn column_from_parts(
    name: &ast::Ident,
    data_type: &ast::DataType,
    options: &[ast::ColumnOption],
) -> ColumnFacts {
    ColumnFacts::from_ast(&ast::ColumnDef {
        name: name.clone(),
        data_type: data_type.clone(),
        options: options
            .iter()
            .map(|o| ast::ColumnOptionDef {
                name: None,
                option: o.clone(),
            })
            .collect(),
    })
}

/// The WHERE clause of the statement `text` (at `offset` in the text `opaque` judges) is
/// opaque: it holds a template hole or shell expansion (`None`: nothing in it is).
pub(super) fn where_opaque(
    text: &str,
    offset: usize,
    opaque: Option<&dyn Fn(Span) -> bool>,
) -> bool {
    opaque.is_some_and(|f| where_span(text).is_some_and(|s| f(s.shift(offset))))
}

/// Byte span (relative to `text`) of the first top-level WHERE clause's predicate.
fn where_span(text: &str) -> Option<Span> {
    let mut depth = 0i32;
    let mut lx = Lexer::new(text, Dialect::Generic);
    let mut start = None;
    for t in lx.by_ref() {
        match t.kind {
            TokenKind::Punct if t.text(text) == "(" => depth += 1,
            TokenKind::Punct if t.text(text) == ")" => depth -= 1,
            TokenKind::Word if depth == 0 => {
                let w = t.text(text);
                if start.is_none() && w.eq_ignore_ascii_case("WHERE") {
                    start = Some(t.span.end);
                } else if start.is_some()
                    && ["RETURNING", "LIMIT", "ORDER"]
                        .iter()
                        .any(|k| w.eq_ignore_ascii_case(k))
                {
                    return start.map(|s| Span::new(s, t.span.start));
                }
            }
            _ => {}
        }
    }
    start.map(|s| Span::new(s, text.len()))
}
