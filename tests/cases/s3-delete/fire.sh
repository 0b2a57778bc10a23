#!/bin/bash
aws s3 rm s3://app-uploads/ --recursive  # expect: s3-delete
aws --profile prod s3 rb s3://app-backups --force  # expect: s3-delete
gsutil -m rm -r gs://app-data/exports  # expect: s3-delete
gcloud storage rm --recursive gs://app-data/tmp  # expect: s3-delete
