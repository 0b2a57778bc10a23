#!/bin/bash
dd if=/dev/sda of=/dev/null bs=1M count=10
dd if=disk.img of=backup.img
shred -u secret.txt
wipefs --no-act /dev/sdb
sgdisk -i 1 /dev/sda
sgdisk -e /dev/sda
sgdisk -p /dev/sda
blkid /dev/sda1
lsblk -f "/dev/$DEV"
dd if="/dev/$DEV" of=disk.img bs=1M
