#!/bin/bash
kubectl delete pod x
kubectl get ns
kubectl delete namespace staging --dry-run=server
kubectl apply -f deploy.yaml
