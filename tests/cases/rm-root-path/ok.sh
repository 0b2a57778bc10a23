#!/bin/sh
rm -rf /var/app/releases/temp
rm -rf ~/.cache/app
rm -rf "$HOME/.cache/app"
echo "rm -rf /"
echo 'rm -rf /*'
cat <<'EOF'
Never run rm -rf / on a server.
rm -rf /
EOF
# rm -rf /
rm /etc
rm -rf "${BUILD:?}/"*
cd /tmp
rm -rf *
$STD apt-get install -y curl
rm -rf /srv/app/releases/20240101
python3 -c "import shutil; shutil.rmtree('build')"
node -e "require('fs').rmSync('dist', {recursive: true, force: true})"
python3 -c "import os; os.remove('/etc/app.conf.bak')"
python3 -c "import shutil; shutil.rmtree('$HOME/.cache/pip')"
node -e "console.log(/a/.exec('DROP TABLE x'))"
