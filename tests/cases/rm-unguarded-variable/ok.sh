#!/bin/bash
rm -rf "${BUILD:?}/"*
rm -rf "${OUT:-dist}/"*
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
rm -rf "$(mktemp -d)"
STAGE=/opt/app/build
rm -rf "$STAGE/"*
: "${CACHE:?CACHE must be set}"
rm -rf "$CACHE/"*
[ -n "$WORK" ] || exit 1
rm -rf "$WORK/"*
[ -z "$SPOOL" ] && exit 1
rm -rf "$SPOOL"/*
if [ -z "$LOGS" ]; then
  echo "LOGS is not set" >&2
  exit 1
fi
rm -rf "$LOGS/"*
test -d "$DATA" || { echo "no $DATA"; exit 1; }
rm -rf "$DATA"/*
rm -rf "$SOMETHING"
rm -rf "$SOMETHING/build"
for d in dist coverage; do rm -rf "$d/"*; done
echo "rm -rf \"\$DIR/\"*"
die_with() { echo "$1" >&2; exit 1; }
[[ -n "$CACHE" ]] || die_with "CACHE is not set"
rm -rf "$CACHE"/*
[[ -n "$BUILD" ]] || msg_error_exit "BUILD is not set"
rm -rf "$BUILD"/*
