-- Idempotency-Keys of the admin writes (users, tokens), kept with what the
-- first call created, so a retry answers it even after a restart.

-- +goose Up
CREATE TABLE idempotency_keys (
    scope       TEXT NOT NULL,            -- the route and the caller
    key         TEXT NOT NULL,            -- the Idempotency-Key header
    fingerprint TEXT NOT NULL,            -- SHA-256 of the request, to tell a retry from a reused key
    result_id   TEXT NOT NULL,            -- the user or token the first call created
    created_at  TIMESTAMP NOT NULL,
    PRIMARY KEY (scope, key)
);

-- +goose Down
DROP TABLE idempotency_keys;
