CREATE DATABASE scratch_db;
DROP DATABASE scratch_db;
SELECT 'DROP DATABASE production';
