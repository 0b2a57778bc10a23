-- events and users existed before this file: their rows are rewritten
ALTER TABLE events ALTER COLUMN payload TYPE jsonb; -- expect: alter-column-type
ALTER TABLE users MODIFY age smallint; -- expect: alter-column-type
-- several actions: the finding is on the type change
ALTER TABLE payments
  ADD COLUMN note text,
  ALTER COLUMN amount TYPE integer; -- expect: alter-column-type
