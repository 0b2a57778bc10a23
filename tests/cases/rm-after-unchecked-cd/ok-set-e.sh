#!/bin/bash
set -o errexit
cd build
rm -rf *
