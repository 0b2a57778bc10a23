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
