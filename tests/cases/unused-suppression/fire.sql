-- preflight: allow(drop-table) old table, see #12      expect: unused-suppression
SELECT 1;
DROP TABLE old_table;

DROP TABLE t2; -- preflight: allow(drop-tabel) misspelled id    expect: unused-suppression

-- preflight: allow-file(truncate) nothing here truncates    expect: unused-suppression

-- preflight: alow(drop-table) typo in the directive    expect: unused-suppression
DROP TABLE t3;
