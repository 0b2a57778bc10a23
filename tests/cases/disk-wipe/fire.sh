#!/bin/bash
dd if=/dev/zero of=/dev/sda bs=1M  # expect: disk-wipe
mkfs.ext4 /dev/sdb1  # expect: disk-wipe
sudo wipefs -a /dev/sdb  # expect: disk-wipe
shred -n 3 /dev/nvme0n1  # expect: disk-wipe
