-- near misses: none of these may report alter-column-type
CREATE TABLE t (a int, b varchar(20));
ALTER TABLE t ALTER COLUMN a TYPE bigint;
ALTER TABLE t ALTER COLUMN b TYPE varchar(40);
ALTER TABLE events ALTER COLUMN payload SET DEFAULT '{}';
ALTER TABLE events ALTER COLUMN payload DROP NOT NULL;
