-- Corrective and preventive actions (CAPA) [3.(2).4, 3.(3)]: one row per
-- action, projected by its workflow (the snapshot is complaint.Capa as
-- JSON), the complaints it is linked to, and its timeline.
--
-- Numbers are CAPA-<year>-<serial>: the serial comes from capa_counters
-- and runs across years, so it also keys the action's reminders in the
-- notifications outbox. due_date is the text yyyy-mm-dd (it compares in
-- date order); effective_at is when it was last judged effective.

-- +goose Up
CREATE TABLE capa_counters (
    name        TEXT PRIMARY KEY,              -- capa
    last_number BIGINT NOT NULL
);

CREATE TABLE capas (
    id               TEXT PRIMARY KEY,
    number           TEXT NOT NULL UNIQUE,
    serial           BIGINT NOT NULL UNIQUE,
    stage            TEXT NOT NULL,             -- complaint.CapaStages
    owner_department TEXT NOT NULL,
    part_number      TEXT NOT NULL DEFAULT '',
    due_date         TEXT NOT NULL,
    overdue          BOOLEAN NOT NULL DEFAULT FALSE,
    opened_at        TIMESTAMP NOT NULL,
    effective_at     TIMESTAMP NULL,
    updated_at       TIMESTAMP NOT NULL,
    version          BIGINT NOT NULL,           -- seq of the last event
    snapshot         TEXT NOT NULL
);
CREATE INDEX capas_opened_idx ON capas (opened_at, id);
CREATE INDEX capas_stage_idx ON capas (stage, opened_at, id);
CREATE INDEX capas_owner_idx ON capas (owner_department, opened_at, id);
CREATE INDEX capas_due_idx ON capas (due_date, id);

-- The complaints an action prevents from recurring.
CREATE TABLE capa_complaints (
    capa_id      TEXT NOT NULL REFERENCES capas (id),
    complaint_id TEXT NOT NULL,
    PRIMARY KEY (capa_id, complaint_id)
);
CREATE INDEX capa_complaints_complaint_idx ON capa_complaints (complaint_id, capa_id);

CREATE TABLE capa_events (
    capa_id     TEXT NOT NULL REFERENCES capas (id),
    seq         BIGINT NOT NULL,
    kind        TEXT NOT NULL,                  -- complaint.CapaEventKinds
    actor       TEXT NOT NULL,                  -- JSON: complaint.Actor
    payload     TEXT NOT NULL,
    occurred_at TIMESTAMP NOT NULL,
    update_id   TEXT NULL,                      -- the Temporal update that applied a step
    PRIMARY KEY (capa_id, seq)
);
CREATE INDEX capa_events_update_id ON capa_events (capa_id, update_id) WHERE update_id IS NOT NULL;

-- +goose Down
DROP INDEX capa_events_update_id;
DROP TABLE capa_events;
DROP INDEX capa_complaints_complaint_idx;
DROP TABLE capa_complaints;
DROP INDEX capas_due_idx;
DROP INDEX capas_owner_idx;
DROP INDEX capas_stage_idx;
DROP INDEX capas_opened_idx;
DROP TABLE capas;
DROP TABLE capa_counters;
