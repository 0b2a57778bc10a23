DROP DATABASE production; -- expect: drop-database
DROP DATABASE IF EXISTS analytics; -- expect: drop-database
