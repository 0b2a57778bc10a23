-- preflight: allow(drop-table) sessions moved to redis in #812
DROP TABLE user_sessions;

DROP TABLE audit_old; -- preflight: allow(drop-table) archived to s3://audit/2025, see OPS-91

-- Not preflight directives: ordinary comments that mention it.
-- preflight is run in CI: allow(drop-table) is how you silence it
SELECT '-- preflight: allow(drop-table)' AS not_a_comment;
DROP TABLE scratch; -- preflight: allow(drop-table) scratch table from the import job
