#!/bin/bash
dd if=/dev/zero of=/dev/sda bs=1M  # expect: disk-wipe
mkfs.ext4 /dev/sdb1  # expect: disk-wipe
sudo wipefs -a /dev/sdb  # expect: disk-wipe
shred -n 3 /dev/nvme0n1  # expect: disk-wipe
dd if=/dev/zero of=/dev/$DEV bs=1M count=10  # expect: disk-wipe
sgdisk --zap-all /dev/sdb  # expect: disk-wipe
sgdisk -o "$DISK"  # expect: disk-wipe
run_host_command_logged() { "$@" >>"$LOG" 2>&1; }
run_host_command_logged mkfs.fat -F32 /dev/loop0p1  # expect: disk-wipe
