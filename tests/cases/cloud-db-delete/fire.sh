#!/bin/bash
aws rds delete-db-cluster --db-cluster-identifier prod --skip-final-snapshot  # expect: cloud-db-delete
aws --region eu-west-1 rds delete-db-instance --db-instance-identifier old --final-db-snapshot-identifier old-final  # expect: cloud-db-delete
aws dynamodb delete-table --table-name Users  # expect: cloud-db-delete
gcloud sql instances delete prod-db --quiet  # expect: cloud-db-delete
az sql db delete -g rg -s srv -n appdb --yes  # expect: cloud-db-delete
