#!/bin/sh
# literal programs are read and checked like any other command
bash -c 'make test'
echo 'ls -la' | sh
cat <<'EOF2' | bash
echo hello
EOF2
python3 -c 'import sys; print(sys.version)'
node -e "console.log(1)"
# script files
bash scripts/build.sh
cat install.sh | sh
python3 manage.py test
node scripts/x.js
node -e "$(cat scripts/x.js)"
# downloads to a file, decoding to a file
curl -fsSL https://example.com/install.sh -o install.sh
wget -O install.sh https://example.com/install.sh
base64 -d in.b64 > out.bin
echo "$X" | base64 -d
# environment setup tools made for eval
eval "$(ssh-agent -s)"
eval "$(pyenv init -)"
eval "$(/opt/homebrew/bin/brew shellenv)"
eval "$(direnv hook bash)"
git log | grep fix
# generated at run time: an error in the agent hook (tests/hook), not reported by `check`
# (scripts eval their own variables and functions on purpose)
eval "$CMD"
sh -c "$VAR"
bash -c "$1"
python3 -c "$CODE"
make print-commands | sh
eval "${NAME}"=1
eval "$(declare -f orig)"
