#!/bin/bash
redis-cli -h cache.internal FLUSHALL  # expect: redis-flush
redis-cli -n 2 flushdb  # expect: redis-flush
