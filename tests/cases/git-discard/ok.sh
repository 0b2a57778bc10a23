#!/bin/bash
git clean -n
git reset --soft HEAD~1
git checkout main
git stash --include-untracked
