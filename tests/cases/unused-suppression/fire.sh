#!/bin/sh
# preflight: allow(no-such-rule) this rule does not exist   expect: unused-suppression
ls -la
