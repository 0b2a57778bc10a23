DELETE FROM users; -- expect: delete-without-where
delete from sessions returning id; -- expect: delete-without-where
DO $$ BEGIN
  DELETE FROM audit_log; -- expect: delete-without-where
END $$;
