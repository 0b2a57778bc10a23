#!/bin/bash
etcdctl del /config/feature-x
etcdctl get /registry --prefix --keys-only
etcdctl snapshot save backup.db
