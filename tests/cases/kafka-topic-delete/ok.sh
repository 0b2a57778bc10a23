#!/bin/bash
kafka-topics --list --bootstrap-server kafka:9092
kafka-topics --create --topic orders --bootstrap-server kafka:9092
kafka-topics --describe --topic orders --bootstrap-server kafka:9092
