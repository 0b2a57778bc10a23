-- A suppression without a reason does not apply: drop-table is still reported.
/* expect: suppression-without-reason */ -- preflight: allow(drop-table)
DROP TABLE user_sessions;

DROP TABLE audit_old; /* expect: suppression-without-reason */ -- preflight: allow(drop-table) —

/* expect: suppression-without-reason */ -- preflight: allow-file(drop-index)
