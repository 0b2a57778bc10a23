CREATE INDEX idx_tmp ON orders (created_at);
DROP INDEX idx_tmp;
DROP TABLE IF EXISTS x_index;
-- DROP INDEX idx_orders_customer_id;
