#!/bin/bash
terraform destroy -auto-approve  # expect: terraform-destroy
terraform -chdir=infra/prod destroy  # expect: terraform-destroy
terraform apply -destroy -auto-approve  # expect: terraform-destroy
sudo -E tofu destroy -target=module.db  # expect: terraform-destroy
