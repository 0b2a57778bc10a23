#!/bin/bash
mongosh --eval 'db.users.find()'
mongosh --eval 'db.sessions.deleteMany({expires: {$lt: new Date()}})'
mongosh --eval 'db.users.dropIndex("email_1")'
mongodump --db app --out /backup
echo "db.dropDatabase()"
