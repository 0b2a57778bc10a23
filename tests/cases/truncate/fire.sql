TRUNCATE users; -- expect: truncate
TRUNCATE TABLE ONLY events, sessions RESTART IDENTITY; -- expect: truncate
