-- Field service: the customers' signature images, the numbers of the
-- visits' service records (SVC-2026-000123, per year like case numbers),
-- every version of the records as filed, and who is on which visit, for an
-- engineer's own list. Records and visit rows are projections of the case
-- snapshot written by ApplyEvents; numbers and signatures are written by the
-- API before the workflow files a record.
--
-- BYTEA is PostgreSQL's binary type; SQLite takes the name as well (NUMERIC
-- affinity, which stores a bound blob as it is), so one schema serves both.

-- +goose Up
CREATE TABLE signatures (
    sha256     TEXT PRIMARY KEY,          -- hex SHA-256 of the image
    png        BYTEA NOT NULL,
    created_at TIMESTAMP NOT NULL
);

CREATE TABLE service_record_counters (
    year        INTEGER PRIMARY KEY,
    last_number BIGINT NOT NULL
);

-- One number per visit, given on the first filing and kept by corrections.
CREATE TABLE service_record_numbers (
    case_id    TEXT NOT NULL,
    visit_id   TEXT NOT NULL,
    number     TEXT NOT NULL UNIQUE,
    created_at TIMESTAMP NOT NULL,
    PRIMARY KEY (case_id, visit_id)
);

-- Every version of a record as filed; a version never changes.
CREATE TABLE service_records (
    number   TEXT NOT NULL,
    version  INTEGER NOT NULL,
    case_id  TEXT NOT NULL,
    visit_id TEXT NOT NULL,
    record   TEXT NOT NULL,               -- JSON: complaint.ServiceRecord
    filed_at TIMESTAMP NOT NULL,
    PRIMARY KEY (number, version)
);

-- One row per visit and engineer, replaced with the case's projection.
CREATE TABLE visit_engineers (
    case_id       TEXT NOT NULL,
    visit_id      TEXT NOT NULL,
    engineer      TEXT NOT NULL,
    case_number   TEXT NOT NULL,
    state         TEXT NOT NULL,
    planned_at    TIMESTAMP NOT NULL,
    record_due_at TIMESTAMP NULL,
    PRIMARY KEY (case_id, visit_id, engineer)
);
CREATE INDEX visit_engineers_engineer_idx ON visit_engineers (engineer, planned_at);

-- +goose Down
DROP INDEX visit_engineers_engineer_idx;
DROP TABLE visit_engineers;
DROP TABLE service_records;
DROP TABLE service_record_numbers;
DROP TABLE service_record_counters;
DROP TABLE signatures;
