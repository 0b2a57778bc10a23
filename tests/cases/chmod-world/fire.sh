#!/bin/bash
chmod -R 777 /  # expect: chmod-world
sudo chmod -R a+rwx /etc  # expect: chmod-world
chmod --recursive 0777 /var/  # expect: chmod-world
