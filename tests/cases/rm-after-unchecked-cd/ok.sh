#!/bin/bash
cd build || exit 1
rm -rf *
cd dist && rm -rf ./*
cd out || { echo "no out dir" >&2; exit 1; }
rm -rf *
if cd tmp; then rm -rf *; fi
(cd docs; make)
rm -rf /tmp/preflight-*
catch_errors() { set -Eeuo pipefail; trap 'echo failed' ERR; }
catch_errors
cd build
rm -rf *
