DROP SCHEMA billing CASCADE; -- expect: drop-schema
DROP SCHEMA IF EXISTS archive; -- expect: drop-schema
