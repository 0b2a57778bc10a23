-- orders already has rows in production
ALTER TABLE orders ADD COLUMN region text NOT NULL; -- expect: add-not-null-without-default
-- several actions: the finding is on the action that fails
ALTER TABLE orders
  ADD COLUMN a int,
  ADD COLUMN b int NOT NULL; -- expect: add-not-null-without-default
