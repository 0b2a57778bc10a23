-- incident: a cleanup migration
DROP TABLE user_sessions; -- expect: drop-table
DROP TABLE IF EXISTS public.audit_log, old_events CASCADE; -- expect: drop-table
drop table -- expect: drop-table
  legacy_orders;
DROP TABLE users WITH GARBAGE (((; -- expect: drop-table
