-- near misses: none of these may report rename-table
CREATE TABLE import_tmp (id int);
ALTER TABLE import_tmp RENAME TO imported;
ALTER TABLE customers RENAME COLUMN a TO b;
ALTER INDEX customers_pkey RENAME TO clients_pkey;
-- ALTER TABLE customers RENAME TO clients;
