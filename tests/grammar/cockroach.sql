CREATE TABLE users (id UUID PRIMARY KEY DEFAULT gen_random_uuid(), email STRING NOT NULL);
CREATE INDEX users_email_idx ON users (email);
