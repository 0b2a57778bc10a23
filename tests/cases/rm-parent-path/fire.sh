#!/usr/bin/env bash
# The incident: a stray space split one path into two.
rm -rf /var/app/releases/temp ../shared/uploads  # expect: rm-parent-path
sudo rm -rf /var/app/releases/temp ../shared/uploads  # expect: rm-parent-path
bash -c 'rm -rf /var/app/releases/temp ../shared/uploads'  # expect: rm-parent-path
ls | xargs rm -rf /var/app/releases/temp ../shared/uploads  # expect: rm-parent-path

cleanup() {
  rm -rf /var/app/releases/temp ../shared/uploads  # expect: rm-parent-path
}

# every spelling of the flags
rm -fr ../a  # expect: rm-parent-path
rm -r -f ../b  # expect: rm-parent-path
rm -R ../c  # expect: rm-parent-path
rm --recursive --force ../d  # expect: rm-parent-path
rm -rfv -- ../e  # expect: rm-parent-path
rm build/../../f -rf  # expect: rm-parent-path
find . -name '*.tmp' -exec rm -rf ../g {} +  # expect: rm-parent-path
sh -c "cd /srv && rm -rf \"../$APP\""  # expect: rm-parent-path
eval rm -rf ../h  # expect: rm-parent-path
ssh deploy@web 'rm -rf ../shared/uploads'  # expect: rm-parent-path
