DROP TABLE customers CASCADE; -- expect: cascade
TRUNCATE accounts CASCADE; -- expect: cascade
ALTER TABLE orders DROP COLUMN customer_id CASCADE; -- expect: cascade
