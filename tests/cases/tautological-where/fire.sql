DELETE FROM users WHERE 1=1; -- expect: tautological-where
DELETE FROM users WHERE TRUE; -- expect: tautological-where
UPDATE users SET active = false WHERE 'a' = 'a'; -- expect: tautological-where
DELETE FROM orders WHERE id = id; -- expect: tautological-where
DELETE FROM orders WHERE status = 'x' OR TRUE; -- expect: tautological-where
DELETE FROM orders WHERE NOT FALSE; -- expect: tautological-where
