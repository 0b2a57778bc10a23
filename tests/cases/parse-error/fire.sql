SELECT 1;
DROP TABLE users WITH GARBAGE (((; -- expect: parse-error
UPDATE t SET a = 'unterminated; -- expect: parse-error
