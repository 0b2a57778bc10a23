#!/bin/bash
dd if=/dev/sda of=/dev/null bs=1M count=10
dd if=disk.img of=backup.img
shred -u secret.txt
wipefs --no-act /dev/sdb
