#!/bin/bash
docker system prune -f
docker compose down
docker image prune -a -f
docker volume ls
