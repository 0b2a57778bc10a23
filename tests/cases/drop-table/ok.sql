-- near misses: none of these may report drop-table
-- DROP TABLE users;
/* DROP TABLE users; */
SELECT 'DROP TABLE users';
SELECT $$DROP TABLE users$$;
CREATE TABLE tmp_import (id int);
DROP TABLE tmp_import;
CREATE TEMP TABLE scratch AS SELECT 1 AS x;
DROP TABLE scratch;
DROP VIEW active_users;
DELETE FROM users WHERE id = $1;
-- rebuilds that copy every column (`SELECT *`): copy and swap (SQLite's 12 steps), rename
-- first, backup and restore
CREATE TABLE new_invoices (id int PRIMARY KEY, total numeric NOT NULL);
INSERT INTO new_invoices SELECT * FROM invoices;
DROP TABLE invoices;
ALTER TABLE new_invoices RENAME TO invoices;
ALTER TABLE payments RENAME TO payments_old;
CREATE TABLE payments (id int PRIMARY KEY, amount numeric NOT NULL);
INSERT INTO payments SELECT * FROM payments_old;
DROP TABLE payments_old;
CREATE TABLE refunds_backup AS SELECT * FROM refunds;
DROP TABLE refunds;
CREATE TABLE refunds (id int PRIMARY KEY, amount numeric NOT NULL);
INSERT INTO refunds SELECT * FROM refunds_backup;
DROP TABLE refunds_backup;
