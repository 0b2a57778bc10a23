#!/bin/bash
echo "deploying"
if [ -d /var/app ; then  # expect: parse-error
  echo ok
fi
rm -rf /var/app/releases/temp ../shared/uploads
