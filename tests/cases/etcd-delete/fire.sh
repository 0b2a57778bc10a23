#!/bin/bash
etcdctl del /registry --prefix  # expect: etcd-delete
etcdctl --endpoints=http://etcd:2379 del "" --from-key  # expect: etcd-delete
