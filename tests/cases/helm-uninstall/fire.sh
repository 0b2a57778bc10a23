#!/bin/bash
helm uninstall web -n prod  # expect: helm-uninstall
helm --kube-context prod delete web  # expect: helm-uninstall
