#!/bin/bash
# Operands read at run time: the command does not say what it deletes.
cat dirs.txt | xargs rm -rf  # expect: rm-unknown-operands
xargs -a dirs.txt rm -rf  # expect: rm-unknown-operands
xargs rm -rf < dirs.txt  # expect: rm-unknown-operands
ls -d */ | sudo xargs rm -rf  # expect: rm-unknown-operands
git ls-files --others | xargs -I{} rm -rf {}  # expect: rm-unknown-operands
