CREATE INDEX orders_customer_idx ON orders (customer_id); -- expect: create-index-blocking
CREATE UNIQUE INDEX users_email_key ON users (lower(email)); -- expect: create-index-blocking
