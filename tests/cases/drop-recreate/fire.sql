-- "cleanup" by drop and create instead of ALTER
DROP TABLE customers; -- expect: drop-recreate
CREATE TABLE customers (
  id bigint PRIMARY KEY,
  email text NOT NULL
);
