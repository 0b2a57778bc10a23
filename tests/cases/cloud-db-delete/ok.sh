#!/bin/bash
aws rds describe-db-instances --db-instance-identifier prod
aws rds create-db-snapshot --db-instance-identifier prod --db-snapshot-identifier s1
aws dynamodb delete-item --table-name Users --key '{"id": {"S": "1"}}'
gcloud sql instances list
az sql db list -g rg -s srv
