#!/bin/bash
curl -X DELETE http://localhost:9200/logs-2024  # expect: elasticsearch-delete
curl -XDELETE 'es.internal:9200/_all'  # expect: elasticsearch-delete
curl -s --request DELETE https://elasticsearch.prod/users/  # expect: elasticsearch-delete
