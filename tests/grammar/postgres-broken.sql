-- Broken PostgreSQL: each statement must give parse-error.
DROP TABLE users WITH SOME GIBBERISH;
CREATE TABLE a (id int)
DROP TABLE b;
ALTER TABLE accounts DROP PARTITION p1;
DELETE FROM t WHERE id IN (SELECT FROM WHERE);
SELECT 'unterminated;
