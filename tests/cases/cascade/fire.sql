DROP TABLE customers CASCADE; -- expect: cascade
TRUNCATE accounts CASCADE; -- expect: cascade
ALTER TABLE orders DROP COLUMN customer_id CASCADE; -- expect: cascade
-- several actions: the finding is on the action that cascades
ALTER TABLE invoices
  ADD COLUMN note text,
  DROP CONSTRAINT invoices_customer_fk CASCADE; -- expect: cascade
