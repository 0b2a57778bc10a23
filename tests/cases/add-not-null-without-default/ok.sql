-- near misses: none of these may report add-not-null-without-default
ALTER TABLE orders ADD COLUMN region text NOT NULL DEFAULT 'eu';
ALTER TABLE orders ADD COLUMN note text;
ALTER TABLE orders ADD COLUMN seq bigserial NOT NULL;
ALTER TABLE orders ADD COLUMN made_at timestamptz NOT NULL DEFAULT now();
CREATE TABLE shipments (id bigint PRIMARY KEY);
ALTER TABLE shipments ADD COLUMN carrier text NOT NULL;
