#!/bin/bash
createdb app_test
dropdb --help
echo dropdb app
