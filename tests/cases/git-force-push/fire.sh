#!/bin/bash
git push --force origin main  # expect: git-force-push
git push -f  # expect: git-force-push
git push origin +master  # expect: git-force-push
git push -fu origin feature/x  # expect: git-force-push
