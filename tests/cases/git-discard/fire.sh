#!/bin/bash
git reset --hard origin/main  # expect: git-discard
git clean -fdx  # expect: git-discard
git -C /srv/app checkout .  # expect: git-discard
