DELETE FROM users WHERE id = $1;
DELETE FROM sessions WHERE expires_at < now();
CREATE TEMP TABLE batch (id int);
DELETE FROM batch;
SELECT 'DELETE FROM users';
CREATE TABLE a (id int REFERENCES b (id) ON DELETE CASCADE);
-- DELETE FROM users;
