#!/bin/bash
# An unrelated syntax error further up must not hide the incident line.
if [ -d /var/app ; then
  echo "deploying"
fi
case "$1" in
  start) echo start ;;
esac )
rm -rf /var/app/releases/temp ../shared/uploads  # expect: rm-parent-path
