UPDATE users SET email = NULL; -- expect: update-without-where
UPDATE accounts SET balance = 0 RETURNING id; -- expect: update-without-where
