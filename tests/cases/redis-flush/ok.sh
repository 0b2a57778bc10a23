#!/bin/bash
redis-cli get flushall_count
redis-cli --scan --pattern 'cache:*' | xargs redis-cli unlink
echo FLUSHALL
