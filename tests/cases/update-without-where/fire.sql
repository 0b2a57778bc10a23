UPDATE users SET email = NULL; -- expect: update-without-where
UPDATE accounts SET balance = 0 RETURNING id; -- expect: update-without-where

-- a second fill of a new column overwrites the first one in every row (here: NULL for every
-- member that is not a group)
ALTER TABLE group_membership ADD COLUMN zone_id varchar(36);
UPDATE group_membership SET zone_id = (SELECT zone_id FROM users WHERE users.id = group_membership.member_id);
UPDATE group_membership SET zone_id = (SELECT 'uaa' FROM groups WHERE groups.id = group_membership.member_id); -- expect: update-without-where
