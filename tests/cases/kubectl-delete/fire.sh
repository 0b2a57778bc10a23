#!/bin/bash
kubectl delete namespace staging  # expect: kubectl-delete
kubectl -n prod delete pods --all  # expect: kubectl-delete
kubectl delete pvc data-postgres-0  # expect: kubectl-delete
kubectl delete deployments -A -l app=old  # expect: kubectl-delete
