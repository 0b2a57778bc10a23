-- near misses: none of these may report rename-column
CREATE TABLE staging (a int, b int);
ALTER TABLE staging RENAME COLUMN a TO c;
ALTER TABLE users ADD COLUMN tmp_flag boolean;
ALTER TABLE users RENAME COLUMN tmp_flag TO is_active;
ALTER TABLE users RENAME TO accounts;
ALTER TABLE users RENAME CONSTRAINT a TO b;
-- ALTER TABLE users RENAME COLUMN mail TO email;
