//! psql scripts: meta-commands (`\set`, `\i`, `\c`, `\gset`, `\g`, `\if` … `\endif`, `\echo`,
//! …) end the current statement and are not SQL; `COPY … FROM stdin` and `\copy … from
//! stdin` are followed by data up to a line `\.`, which is not SQL either. T-SQL's `GO` batch
//! separator lines are recognised here too.

use crate::source::Span;

/// End of the meta-command starting at `start` (a `\`): the end of its line, or for
/// `\copy … from stdin` the end of the data that follows (the `\.` line).
pub fn meta_command_end(src: &str, start: usize) -> usize {
    let line_end = src[start..].find('\n').map_or(src.len(), |i| start + i);
    let line = &src[start..line_end];
    let lower = line.to_ascii_lowercase();
    if lower.starts_with("\\copy") && lower.contains(" from stdin") {
        return super::split::find_copy_end(src, start);
    }
    line_end
}

/// `GO` (optionally with a repeat count) alone on its line.
pub fn is_go_line(src: &str, word: Span) -> bool {
    if !src[word.start..word.end].eq_ignore_ascii_case("GO") {
        return false;
    }
    let bytes = src.as_bytes();
    let before = bytes[..word.start]
        .iter()
        .rev()
        .take_while(|&&b| b != b'\n')
        .all(|b| b.is_ascii_whitespace());
    let after = bytes[word.end..]
        .iter()
        .take_while(|&&b| b != b'\n')
        .all(|b| b.is_ascii_whitespace() || b.is_ascii_digit());
    before && after
}

#[cfg(test)]
mod tests {
    use crate::source::Dialect;
    use crate::sql::split::tests::texts;

    #[test]
    fn meta_commands_end_statements() {
        let src = "SELECT id FROM t WHERE a = 1 \\gset\nDROP TABLE x;\n\\set ON_ERROR_STOP on\n\\if :flag\nDELETE FROM y\n\\endif\n";
        assert_eq!(
            texts(src, Dialect::Postgres),
            vec![
                "SELECT id FROM t WHERE a = 1",
                "DROP TABLE x",
                "DELETE FROM y"
            ]
        );
    }

    #[test]
    fn copy_data_is_not_sql() {
        let src = "\\copy t (a) from stdin\n1\tDROP TABLE x;\n\\.\nCOPY u FROM stdin WITH (FORMAT csv);\na,b\n\\.\nTRUNCATE z;";
        assert_eq!(
            texts(src, Dialect::Postgres),
            vec!["COPY u FROM stdin WITH (FORMAT csv)", "TRUNCATE z"]
        );
    }

    #[test]
    fn go_lines_end_tsql_batches() {
        let src = "CREATE TABLE [dbo].[a] (id int)\nGO\nDROP TABLE [dbo].[a]\nGO 2\nSELECT 'GO'";
        assert_eq!(
            texts(src, Dialect::Mssql),
            vec![
                "CREATE TABLE [dbo].[a] (id int)",
                "DROP TABLE [dbo].[a]",
                "SELECT 'GO'"
            ]
        );
    }
}

#[cfg(test)]
mod batch_tests {
    use crate::source::Dialect;
    use crate::sql::{StmtKind, analyze};

    #[test]
    fn tsql_batches_without_semicolons_give_one_statement_per_line() {
        let src = "CREATE TABLE dbo.a (id int)\nDROP TABLE dbo.b\nDELETE FROM dbo.c\nGO\n";
        let s = analyze(src, Dialect::Mssql, Default::default());
        let got: Vec<(&str, bool)> = s
            .iter()
            .map(|s| (&src[s.span.start..s.span.end], s.parse_error.is_some()))
            .collect();
        assert_eq!(
            got,
            vec![
                ("CREATE TABLE dbo.a (id int)", false),
                ("DROP TABLE dbo.b", false),
                ("DELETE FROM dbo.c", false)
            ]
        );
        assert!(matches!(s[1].kind, StmtKind::Drop { .. }));
    }
}
