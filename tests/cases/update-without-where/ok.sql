UPDATE users SET email = NULL WHERE id = 42;
ALTER TABLE users ADD COLUMN score int;
UPDATE users SET score = 0;
INSERT INTO t (a) VALUES (1) ON CONFLICT (a) DO UPDATE SET a = 2;
SELECT * FROM accounts FOR UPDATE;
