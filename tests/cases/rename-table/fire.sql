CREATE VIEW active_customers AS SELECT * FROM customers WHERE active;
ALTER TABLE customers RENAME TO clients; -- expect: rename-table
ALTER TABLE invoices RENAME TO bills; -- expect: rename-table
