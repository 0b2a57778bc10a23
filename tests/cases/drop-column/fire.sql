ALTER TABLE users DROP COLUMN legacy_email; -- expect: drop-column
ALTER TABLE orders DROP notes, ADD COLUMN x int; -- expect: drop-column
-- several actions over several lines: each finding on the action that drops
ALTER TABLE accounts
  ADD COLUMN region text,
  DROP COLUMN legacy_email, -- expect: drop-column
  ALTER COLUMN name SET DEFAULT '';
ALTER TABLE orders
  DROP COLUMN note, -- expect: drop-column
  DROP COLUMN memo; -- expect: drop-column
