#!/bin/sh
rm -rf /  # expect: rm-root-path
rm -rf /*  # expect: rm-root-path
rm -rf ~  # expect: rm-root-path
rm -rf ~/  # expect: rm-root-path
rm -rf "$HOME"  # expect: rm-root-path
sudo rm -rf /etc  # expect: rm-root-path
rm -rf /usr/  # expect: rm-root-path
rm -rf /var/app/../..  # expect: rm-root-path
rm -f /etc/*  # expect: rm-root-path
rm -r --no-preserve-root /tmp/x  # expect: rm-root-path
cd /
rm -rf *  # expect: rm-root-path
STD="silent"
$STD rm -rf /  # expect: rm-root-path
rm -rf /srv/data  # expect: rm-root-path
python3 -c "import shutil; shutil.rmtree('/etc')"  # expect: rm-root-path
node -e "require('fs').rmSync(process.env.HOME, {recursive: true})"  # expect: rm-root-path
perl -e 'system("rm -rf ~")'  # expect: rm-root-path
python3 -c "import shutil; shutil.rmtree('$HOME')"  # expect: rm-root-path
