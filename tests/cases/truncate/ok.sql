CREATE TEMP TABLE stage (a int);
TRUNCATE stage;
SELECT 'TRUNCATE users';
-- TRUNCATE users;
