-- near misses: none of these may report create-index-blocking
CREATE INDEX CONCURRENTLY orders_customer_idx ON orders (customer_id);
CREATE TABLE shipments (id bigint, order_id bigint);
CREATE INDEX shipments_order_idx ON shipments (order_id);
-- CREATE INDEX x ON orders (a);
SELECT 'CREATE INDEX x ON orders (a)';
