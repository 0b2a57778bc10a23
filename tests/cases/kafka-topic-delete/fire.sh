#!/bin/bash
kafka-topics --bootstrap-server kafka:9092 --delete --topic orders  # expect: kafka-topic-delete
kafka-topics.sh --delete --topic events --bootstrap-server kafka:9092  # expect: kafka-topic-delete
