-- a column added nullable, then made NOT NULL with no backfill in between
ALTER TABLE orders ADD COLUMN notes text;
ALTER TABLE orders ALTER COLUMN notes SET NOT NULL; -- expect: set-not-null

-- a backfill of some rows only is not a backfill
ALTER TABLE orders ADD COLUMN region text;
UPDATE orders SET region = 'eu' WHERE id < 100;
ALTER TABLE orders ALTER COLUMN region SET NOT NULL; -- expect: set-not-null

-- a column preflight has not seen created: a warning
ALTER TABLE users ALTER COLUMN email SET NOT NULL; -- expect: set-not-null

-- several actions: the finding is on the SET NOT NULL
ALTER TABLE invoices ADD COLUMN due date;
ALTER TABLE invoices
  ADD COLUMN paid boolean DEFAULT false,
  ALTER COLUMN due SET NOT NULL; -- expect: set-not-null

-- a default set after the column was added does not fill the rows already there
ALTER TABLE orders ADD COLUMN kind text;
ALTER TABLE orders ALTER COLUMN kind SET DEFAULT 'x';
ALTER TABLE orders ALTER COLUMN kind SET NOT NULL; -- expect: set-not-null

-- DEFAULT NULL is no default
ALTER TABLE orders ADD COLUMN origin text DEFAULT NULL;
ALTER TABLE orders ALTER COLUMN origin SET NOT NULL; -- expect: set-not-null
