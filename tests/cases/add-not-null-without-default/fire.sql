-- orders already has rows in production
ALTER TABLE orders ADD COLUMN region text NOT NULL; -- expect: add-not-null-without-default
ALTER TABLE orders -- expect: add-not-null-without-default
  ADD COLUMN a int,
  ADD COLUMN b int NOT NULL;
