CREATE VIEW order_totals AS SELECT customer_id, sum(total) FROM orders GROUP BY customer_id;
-- the view above still reads customer_id: an error
ALTER TABLE orders RENAME COLUMN customer_id TO client_id; -- expect: rename-column
-- nothing known refers to it: still a warning, application code breaks
ALTER TABLE users RENAME COLUMN mail TO email; -- expect: rename-column
-- several actions: the finding is on the rename
ALTER TABLE accounts
  ADD COLUMN region text,
  RENAME COLUMN login TO username; -- expect: rename-column
