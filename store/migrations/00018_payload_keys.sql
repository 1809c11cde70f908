-- Encrypted workflow payloads and customer erasure (issue 18).
--
-- data_keys: the data key of each workflow that carries a customer's
-- personal data (complaint-, followup-, feedback-, rma- ids), wrapped by a
-- keyring key (wrap_key_id) and kept as base64. Destroying a key empties
-- wrapped and stamps destroyed_at: the workflow's history in Temporal (and
-- in its backups) is then ciphertext nobody can open. A destroyed row
-- stays, so that no process creates a fresh key for that workflow again.
--
-- customer_erasures: one row per erased customer, so that a second erasure
-- answers the first and the API shows when a customer was erased.

-- +goose Up
CREATE TABLE data_keys (
    workflow_id  TEXT PRIMARY KEY,
    wrap_key_id  TEXT NOT NULL,               -- '' on a row written only to destroy
    wrapped      TEXT NOT NULL,               -- base64; '' once destroyed
    created_at   TIMESTAMP NOT NULL,
    destroyed_at TIMESTAMP NULL
);
-- The keys report counts the live keys of each wrapping key.
CREATE INDEX data_keys_wrap_idx ON data_keys (wrap_key_id, workflow_id) WHERE destroyed_at IS NULL;

CREATE TABLE customer_erasures (
    customer_id TEXT PRIMARY KEY,
    erased_at   TIMESTAMP NOT NULL,
    erased_by   TEXT NOT NULL,                -- user id
    reason      TEXT NOT NULL
);

-- +goose Down
DROP TABLE customer_erasures;
DROP INDEX data_keys_wrap_idx;
DROP TABLE data_keys;
