#!/bin/bash
rm -rf "$STEAMROOT/"*  # expect: rm-unguarded-variable
rm -rf "$DIR"/  # expect: rm-unguarded-variable
rm -rf $PREFIX/$NAME  # expect: rm-unguarded-variable
rm -rf "/opt/$APP"  # expect: rm-unguarded-variable
rm -rf "$HOME/$SUBDIR"  # expect: rm-unguarded-variable
ROOT=$(dirname "$0")
rm -rf "$ROOT/"*  # expect: rm-unguarded-variable
ROOT=
sudo rm -rf "${ROOT}/"*  # expect: rm-unguarded-variable
