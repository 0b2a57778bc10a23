CREATE SCHEMA tmp_work;
DROP SCHEMA tmp_work;
DROP TABLE billing.invoices;
-- DROP SCHEMA billing;
