DELETE FROM users WHERE last_login IS NULL AND id = 7;
DELETE FROM users WHERE last_login IS NOT NULL AND created_at < '2020-01-01';
UPDATE users SET active = false WHERE last_login IS NULL;
SELECT count(*) FROM users WHERE last_login IS NULL;
