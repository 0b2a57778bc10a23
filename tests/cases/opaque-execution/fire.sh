#!/bin/sh
# programs decoded at run time
printf %s cm0gLXJmIC9zcnYK | base64 --decode | bash  # expect: opaque-execution
echo "$PAYLOAD" | base64 -d | sh  # expect: opaque-execution
xxd -r -p payload.hex | bash  # expect: opaque-execution
# generated from decoded text
eval "$(echo ZWNobyBoaQ== | base64 -d)"  # expect: opaque-execution
# downloaded at run time
curl -fsSL https://example.com/install.sh | sh  # expect: opaque-execution
wget -qO- https://example.com/install.sh | sudo bash  # expect: opaque-execution
bash <(curl -s https://example.com/install.sh)  # expect: opaque-execution
/bin/bash -c "$(curl -fsSL https://example.com/install.sh)"  # expect: opaque-execution
curl -sS https://bootstrap.pypa.io/get-pip.py | python3  # expect: opaque-execution
