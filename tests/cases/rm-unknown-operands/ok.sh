#!/bin/bash
# find bounds what xargs reads; non-recursive rm; xargs running something else.
find . -name '*.pyc' | xargs rm -rf
find build -type d -empty -print0 | xargs -0 rm -rf
cat files.txt | xargs rm -f
cat list | xargs echo
git ls-files | xargs grep -n TODO
echo build dist | xargs rm -rf
rm -rf build
