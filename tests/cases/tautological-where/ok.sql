DELETE FROM users WHERE id = 1;
DELETE FROM users WHERE 1=1 AND id = 4;
DELETE FROM users WHERE id = $1;
UPDATE users SET a = 1 WHERE a = b;
SELECT * FROM users WHERE 1=1;
DELETE FROM users WHERE 'a' = 'b';
