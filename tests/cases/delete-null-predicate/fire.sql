-- incident: 340k SSO users never had a password login
DELETE FROM users WHERE last_login IS NULL; -- expect: delete-null-predicate
DELETE FROM users WHERE id < 0 OR email IS NULL; -- expect: delete-null-predicate
