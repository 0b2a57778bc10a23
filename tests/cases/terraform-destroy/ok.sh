#!/bin/bash
terraform plan
terraform plan -destroy -out=destroy.plan
terraform apply -auto-approve
echo "terraform destroy -auto-approve"
