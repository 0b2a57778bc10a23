-- near misses: none of these may report set-not-null
CREATE TABLE invoices (id bigint PRIMARY KEY, total numeric);
ALTER TABLE invoices ALTER COLUMN total SET NOT NULL;

ALTER TABLE orders ADD COLUMN notes text;
UPDATE orders SET notes = '' WHERE notes IS NULL;
ALTER TABLE orders ALTER COLUMN notes SET NOT NULL;

ALTER TABLE orders ADD COLUMN status text;
UPDATE orders SET status = 'new';
ALTER TABLE orders ALTER COLUMN status SET NOT NULL;

ALTER TABLE orders ADD COLUMN currency text DEFAULT 'EUR';
ALTER TABLE orders ALTER COLUMN currency SET NOT NULL;

ALTER TABLE orders ADD COLUMN code text NOT NULL DEFAULT 'x';
ALTER TABLE orders ALTER COLUMN code SET NOT NULL;

ALTER TABLE orders ALTER COLUMN notes DROP NOT NULL;
-- ALTER TABLE orders ALTER COLUMN notes SET NOT NULL;
SELECT 'ALTER TABLE orders ALTER COLUMN notes SET NOT NULL';
