#!/bin/bash
psql -c "DELETE FROM $TABLE"  # expect: delete-without-where
psql app <<-EOF
	DELETE FROM sessions; -- expect: delete-without-where
	EOF
