#!/bin/bash
cd build
rm -rf *  # expect: rm-after-unchecked-cd
cd "$CACHE_DIR"; rm -f ./*.html  # expect: rm-after-unchecked-cd
clean() {
  cd "$1"
  echo "cleaning $1"
  rm -rf .  # expect: rm-after-unchecked-cd
}
