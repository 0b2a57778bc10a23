//! `drop-schema`: DROP SCHEMA.

use super::{Context, list, preexisting};
use crate::diagnostic::Diagnostic;
use crate::sql::{ObjectKind, Statement, StmtKind};

pub fn check(stmt: &Statement, ctx: &Context, out: &mut Vec<Diagnostic>) {
    let StmtKind::Drop {
        object: ObjectKind::Schema,
        names,
        cascade,
        ..
    } = &stmt.kind
    else {
        return;
    };
    let targets = preexisting(ctx, &ObjectKind::Schema, names);
    if targets.is_empty() || ctx.down {
        return;
    }
    let what = if *cascade {
        "and, with CASCADE, every table and row in it"
    } else {
        "(it fails only while objects remain in it)"
    };
    out.push(
        Diagnostic::new(
            "drop-schema",
            stmt.span,
            format!("DROP SCHEMA deletes schema {} {what}", list(&targets)),
        )
        .label("this drops the schema")
        .help(
            "move the objects you still need out first (`ALTER TABLE … SET SCHEMA …`), back the \
             schema up (`pg_dump -n`), and drop it in a separate, reviewed step",
        ),
    );
}

#[cfg(test)]
mod tests {
    use crate::rules::sql::testing::{fires, silent};

    #[test]
    fn vectors() {
        fires("drop-schema", "DROP SCHEMA billing CASCADE;");
        silent("drop-schema", "CREATE SCHEMA tmp; DROP SCHEMA tmp;");
        silent("drop-schema", "DROP TABLE billing.invoices;");
    }
}
