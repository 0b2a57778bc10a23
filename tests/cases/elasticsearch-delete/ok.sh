#!/bin/bash
curl -X DELETE http://localhost:9200/logs/_doc/1
curl http://localhost:9200/logs
curl -X DELETE https://api.example.com/users/42
curl -X DELETE localhost:9200/_search/scroll -d @scroll.json
curl -X PUT http://localhost:9200/logs
