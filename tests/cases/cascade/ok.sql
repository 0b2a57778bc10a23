DROP TABLE customers RESTRICT;
CREATE TABLE scratch (id int);
DROP TABLE scratch CASCADE;
CREATE TABLE orders2 (id int, customer_id int REFERENCES customers (id) ON DELETE CASCADE);
ALTER TABLE orders ADD CONSTRAINT fk_c FOREIGN KEY (customer_id) REFERENCES customers (id) ON UPDATE CASCADE;
