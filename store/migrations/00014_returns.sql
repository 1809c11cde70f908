-- Returns and exchanges (RMA) [1.(1).F]: one row per RMA, projected by its
-- workflow (the snapshot is complaint.RMA as JSON), and its timeline.
--
-- RMA numbers are RMA-<year>-<serial>: the serial comes from rma_counters
-- and runs across years (unlike case numbers), so it also keys the RMA's
-- receipt reminder in the notifications outbox. The columns beside the
-- snapshot are the list's filters, each with an index in page order
-- (requested_at, id), as the complaint list has them.

-- +goose Up
CREATE TABLE rma_counters (
    name        TEXT PRIMARY KEY,             -- rma
    last_number BIGINT NOT NULL
);

CREATE TABLE rmas (
    id            TEXT PRIMARY KEY,
    number        TEXT NOT NULL UNIQUE,
    serial        BIGINT NOT NULL UNIQUE,
    kind          TEXT NOT NULL,               -- complaint.RMAKinds
    stage         TEXT NOT NULL,               -- complaint.RMAStages
    customer_id   TEXT NOT NULL,
    branch_office TEXT NOT NULL,
    complaint_id  TEXT NOT NULL DEFAULT '',    -- '' when not linked
    part_number   TEXT NOT NULL,
    requested_at  TIMESTAMP NOT NULL,
    updated_at    TIMESTAMP NOT NULL,
    version       BIGINT NOT NULL,             -- seq of the last event
    snapshot      TEXT NOT NULL
);
CREATE INDEX rmas_requested_idx ON rmas (requested_at, id);
CREATE INDEX rmas_stage_idx ON rmas (stage, requested_at, id);
CREATE INDEX rmas_branch_office_idx ON rmas (branch_office, requested_at, id);
CREATE INDEX rmas_complaint_idx ON rmas (complaint_id, requested_at, id);
CREATE INDEX rmas_customer_idx ON rmas (customer_id, requested_at, id);

CREATE TABLE rma_events (
    rma_id      TEXT NOT NULL REFERENCES rmas (id),
    seq         BIGINT NOT NULL,
    kind        TEXT NOT NULL,                 -- complaint.RMAEventKinds
    actor       TEXT NOT NULL,                 -- JSON: complaint.Actor
    payload     TEXT NOT NULL,
    occurred_at TIMESTAMP NOT NULL,
    update_id   TEXT NULL,                     -- the Temporal update that applied a step
    PRIMARY KEY (rma_id, seq)
);
CREATE INDEX rma_events_update_id ON rma_events (rma_id, update_id) WHERE update_id IS NOT NULL;

-- +goose Down
DROP INDEX rma_events_update_id;
DROP TABLE rma_events;
DROP INDEX rmas_customer_idx;
DROP INDEX rmas_complaint_idx;
DROP INDEX rmas_branch_office_idx;
DROP INDEX rmas_stage_idx;
DROP INDEX rmas_requested_idx;
DROP TABLE rmas;
DROP TABLE rma_counters;
