#!/bin/bash
set -euo pipefail
rm -rf "$BUILD_DIR/"*
