#!/bin/bash
rm -rf ./build node_modules
rm -f ../one.log
rm -rf ./a/../b
rm -rf "$RELEASE_DIR/../shared/cache"
echo "rm -rf ../shared/uploads"
grep -r 'rm -rf ../x' docs/
# rm -rf ../shared/uploads
cat <<'EOF'
rm -rf ../shared/uploads
EOF
rm -rf -- -weird-name
printf '%s\n' "rm -rf ../x" > notes.txt
rm -rf build
\. ../../nvm.sh  # sourcing with a backslash-escaped dot is not an rm
