-- Service-level policies, the customers (and contracts) that name them, and
-- the notifications outbox.

-- +goose Up
-- The clocks' state, projected for the list filters breached and due_before.
ALTER TABLE complaints ADD COLUMN sla_breached BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE complaints ADD COLUMN next_due_at TIMESTAMP;
CREATE INDEX complaints_next_due_idx ON complaints (next_due_at);

CREATE TABLE sla_policies (
    name       TEXT PRIMARY KEY,
    policy     TEXT NOT NULL,            -- sla.Policy as JSON
    updated_at TIMESTAMP NOT NULL
);

CREATE TABLE customers (
    id         TEXT PRIMARY KEY,
    name       TEXT NOT NULL,
    sla_policy TEXT NOT NULL,
    updated_at TIMESTAMP NOT NULL
);

CREATE TABLE contracts (
    number      TEXT PRIMARY KEY,
    customer_id TEXT NOT NULL,
    sla_policy  TEXT NOT NULL,
    updated_at  TIMESTAMP NOT NULL
);

-- One row per case, clock, kind, level and recipient: a retried activity or
-- a restarted worker finds its row and never notifies twice.
CREATE TABLE notifications (
    id           TEXT PRIMARY KEY,
    complaint_id TEXT NOT NULL,
    case_number  TEXT NOT NULL,
    clock        TEXT NOT NULL,
    kind         TEXT NOT NULL,
    level        INTEGER NOT NULL,
    recipient    TEXT NOT NULL,
    payload      TEXT NOT NULL,          -- notify.Notification as JSON
    due_at       TIMESTAMP NOT NULL,
    created_at   TIMESTAMP NOT NULL,       -- when the clock fired (workflow time)
    recorded_at  TIMESTAMP NOT NULL,       -- when the row was written
    delivered_at TIMESTAMP,
    delivery     TEXT NOT NULL DEFAULT 'pending',  -- pending, delivered, skipped, failed
    last_error   TEXT NOT NULL DEFAULT '',
    UNIQUE (complaint_id, clock, kind, level, recipient)
);
CREATE INDEX notifications_recipient_idx ON notifications (recipient, created_at);

-- +goose Down
DROP TABLE notifications;
DROP TABLE contracts;
DROP TABLE customers;
DROP TABLE sla_policies;
DROP INDEX complaints_next_due_idx;
ALTER TABLE complaints DROP COLUMN next_due_at;
ALTER TABLE complaints DROP COLUMN sla_breached;
