CREATE TABLE events ON CLUSTER main (id UInt64, at DateTime) ENGINE = ReplicatedMergeTree ORDER BY id;
ALTER TABLE events ON CLUSTER main ADD COLUMN kind String;
ALTER TABLE events DELETE WHERE at < now() - INTERVAL 30 DAY;
