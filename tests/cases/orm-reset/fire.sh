#!/bin/bash
npx prisma migrate reset --force  # expect: orm-reset
prisma migrate reset  # expect: orm-reset
pnpm exec prisma db push --accept-data-loss  # expect: orm-reset
bin/rails db:drop db:create db:migrate  # expect: orm-reset
RAILS_ENV=test bundle exec rake db:schema:load  # expect: orm-reset
php artisan migrate:fresh --seed --force  # expect: orm-reset
php artisan db:wipe  # expect: orm-reset
npx knex migrate:rollback --all  # expect: orm-reset
python manage.py flush --noinput  # expect: orm-reset
django-admin flush  # expect: orm-reset
alembic -c alembic.ini downgrade base  # expect: orm-reset
npx typeorm schema:drop -d dist/data-source.js  # expect: orm-reset
