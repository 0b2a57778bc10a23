#!/bin/bash
docker system prune -a --volumes -f  # expect: docker-prune
docker volume prune -f  # expect: docker-prune
docker compose down -v  # expect: docker-prune
docker-compose down --volumes  # expect: docker-prune
