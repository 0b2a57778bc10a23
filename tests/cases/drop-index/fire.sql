DROP INDEX idx_orders_customer_id; -- expect: drop-index
DROP INDEX CONCURRENTLY IF EXISTS idx_users_email; -- expect: drop-index
