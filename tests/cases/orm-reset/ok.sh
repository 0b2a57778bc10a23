#!/bin/bash
bin/rails db:migrate
bundle exec rake db:rollback STEP=1
npx prisma migrate deploy
npx prisma migrate dev --name add_users
prisma db push
php artisan migrate --force
npx knex migrate:rollback
python manage.py migrate
python manage.py sqlflush
alembic downgrade -1
alembic downgrade base --sql
npx typeorm migration:revert
pnpm run build
echo "prisma migrate reset --force"
