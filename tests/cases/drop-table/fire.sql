-- incident: a cleanup migration
DROP TABLE user_sessions; -- expect: drop-table
DROP TABLE IF EXISTS public.audit_log, old_events CASCADE; -- expect: drop-table
drop table -- expect: drop-table
  legacy_orders;
DROP TABLE users WITH GARBAGE (((; -- expect: drop-table
-- a rebuild of a table whose columns this file does not know: an info note that the copy
-- could not be checked
CREATE TABLE accounts_new (id int PRIMARY KEY, name text NOT NULL);
INSERT INTO accounts_new (id, name) SELECT id, name FROM accounts;
DROP TABLE accounts; -- expect: drop-table
ALTER TABLE accounts_new RENAME TO accounts;
