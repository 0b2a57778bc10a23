#!/bin/bash
crontab -r  # expect: crontab-remove
sudo crontab -u www-data -r  # expect: crontab-remove
