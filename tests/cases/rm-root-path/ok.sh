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
