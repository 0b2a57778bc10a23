#!/bin/bash
mongosh "$MONGO_URI" --eval 'db.dropDatabase()'  # expect: mongo-drop
mongo app --quiet --eval "db.users.drop()"  # expect: mongo-drop
mongosh --eval 'db.sessions.deleteMany({})'  # expect: mongo-drop
mongo --eval 'db.logs.remove({})'  # expect: mongo-drop
