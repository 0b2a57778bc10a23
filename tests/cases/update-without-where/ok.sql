UPDATE users SET email = NULL WHERE id = 42;
ALTER TABLE users ADD COLUMN score int;
UPDATE users SET score = 0;
INSERT INTO t (a) VALUES (1) ON CONFLICT (a) DO UPDATE SET a = 2;
SELECT * FROM accounts FOR UPDATE;
-- a second fill that reads the column, or touches only some rows
ALTER TABLE members ADD COLUMN zone_id varchar(36);
UPDATE members SET zone_id = (SELECT zone_id FROM users WHERE users.id = members.member_id);
UPDATE members SET zone_id = coalesce(zone_id, 'uaa');
UPDATE members SET zone_id = 'uaa' WHERE member_type = 'GROUP';
