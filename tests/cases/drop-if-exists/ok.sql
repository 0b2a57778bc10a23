DROP TABLE user_sessions;
CREATE TABLE stage_users (id int);
DROP TABLE IF EXISTS stage_users;
DROP INDEX IF EXISTS idx_users_email;
DROP VIEW IF EXISTS v_users;
-- DROP TABLE IF EXISTS users;
