#!/bin/bash
psql "$DATABASE_URL" -f migrations/does-not-exist.sql  # expect: unchecked-file
mysql app < db/missing.sql  # expect: unchecked-file
