-- People, their API tokens, and an audit of administrative actions.

-- +goose Up
CREATE TABLE users (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    department  TEXT NOT NULL,
    roles       TEXT NOT NULL,           -- comma-separated role names
    email       TEXT NOT NULL DEFAULT '',
    webhook_url TEXT NOT NULL DEFAULT '',
    chat_handle TEXT NOT NULL DEFAULT '',
    created_at  TIMESTAMP NOT NULL
);

-- Only a SHA-256 of each token is kept; tokens are 256-bit random, so a fast
-- hash is enough and lookups stay an index probe.
CREATE TABLE api_tokens (
    id         TEXT PRIMARY KEY,
    user_id    TEXT NOT NULL REFERENCES users (id),
    token_hash TEXT NOT NULL UNIQUE,
    hint       TEXT NOT NULL,            -- the first characters, to tell tokens apart
    created_at TIMESTAMP NOT NULL,
    revoked_at TIMESTAMP
);
CREATE INDEX api_tokens_user_idx ON api_tokens (user_id);

CREATE TABLE audit_events (
    id          TEXT PRIMARY KEY,
    actor       TEXT NOT NULL,
    action      TEXT NOT NULL,
    subject     TEXT NOT NULL,
    occurred_at TIMESTAMP NOT NULL
);

-- +goose Down
DROP TABLE audit_events;
DROP TABLE api_tokens;
DROP TABLE users;
