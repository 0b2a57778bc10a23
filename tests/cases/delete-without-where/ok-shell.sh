#!/bin/bash
psql -c "DELETE FROM $TABLE WHERE $CONDITION"
psql -c "DELETE FROM sessions WHERE expires_at < now()"
