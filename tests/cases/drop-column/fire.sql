ALTER TABLE users DROP COLUMN legacy_email; -- expect: drop-column
ALTER TABLE orders DROP notes, ADD COLUMN x int; -- expect: drop-column
