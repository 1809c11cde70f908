-- One schema for PostgreSQL and SQLite: only portable types (TEXT, BIGINT,
-- TIMESTAMP in UTC) so that the store runs one set of queries on both.

-- +goose Up
CREATE TABLE complaints (
    id                     TEXT PRIMARY KEY,
    case_number            TEXT NOT NULL UNIQUE,
    customer_id            TEXT NOT NULL,
    category               TEXT NOT NULL,
    severity               TEXT NOT NULL,
    stage                  TEXT NOT NULL,
    responsible_department TEXT NOT NULL DEFAULT '',
    received_at            TIMESTAMP NOT NULL,
    registered_at          TIMESTAMP NOT NULL,
    updated_at             TIMESTAMP NOT NULL,
    version                BIGINT NOT NULL,
    snapshot               TEXT NOT NULL
);
CREATE INDEX complaints_stage_idx ON complaints (stage);
CREATE INDEX complaints_customer_idx ON complaints (customer_id);
CREATE INDEX complaints_received_idx ON complaints (received_at);

-- Case numbers run per year: CMP-2026-000123.
CREATE TABLE case_number_counters (
    year        INTEGER PRIMARY KEY,
    last_number BIGINT NOT NULL
);

-- The timeline: append-only, one row per case event. The key makes a retried
-- activity's write a no-op.
CREATE TABLE case_events (
    complaint_id TEXT NOT NULL REFERENCES complaints (id),
    seq          BIGINT NOT NULL,
    kind         TEXT NOT NULL,
    actor        TEXT NOT NULL,
    payload      TEXT NOT NULL,
    occurred_at  TIMESTAMP NOT NULL,
    PRIMARY KEY (complaint_id, seq)
);

-- +goose Down
DROP TABLE case_events;
DROP TABLE case_number_counters;
DROP TABLE complaints;
