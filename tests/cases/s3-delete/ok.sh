#!/bin/bash
aws s3 rm s3://app-uploads/one.txt
aws s3 rm s3://app-uploads/ --recursive --dryrun
aws s3 ls --recursive s3://app-uploads/
gsutil rm gs://app-data/one.csv
