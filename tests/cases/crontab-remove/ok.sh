#!/bin/bash
crontab -l > crontab.bak
crontab -ri
crontab jobs.cron
crontab -l | grep -v nightly | crontab -
