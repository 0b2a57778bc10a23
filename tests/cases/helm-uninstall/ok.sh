#!/bin/bash
helm list -A
helm uninstall web --dry-run
helm upgrade --install web ./chart -n prod
helm status web
