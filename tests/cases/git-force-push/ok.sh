#!/bin/bash
git push --force-with-lease origin feature/x
git push origin main
git commit -m push -f
git push --follow-tags
