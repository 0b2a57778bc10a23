-- preflight: allow(drop-table) old table, archived in #12
DROP TABLE old_table;

DROP TABLE t2; -- preflight: allow(drop-table) t2 was emptied by 0041
-- preflight: allow(drop-table, drop-if-exists) legacy copy, see #44
DROP TABLE IF EXISTS
  legacy_copy;

-- preflight: allow-file(truncate) staging tables are refilled nightly
TRUNCATE staging_orders;
-- preflight mentioned in prose is not a directive
