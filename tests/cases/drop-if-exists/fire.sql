DROP TABLE IF EXISTS user_sessions; -- expect: drop-if-exists
DROP SCHEMA IF EXISTS billing; -- expect: drop-if-exists
