-- The stock of spare parts and backup units [4.(6)]: the warehouses, an item
-- per part number and warehouse with its quantities, the ledger of
-- movements (the only way quantities change) and the alerts of an item
-- falling below its reorder level.
--
-- Movement and alert ids come from stock_counters, as case numbers come
-- from their counters: one schema serves both databases, and neither has an
-- autoincrement the other accepts (SQLite's INTEGER PRIMARY KEY, PostgreSQL's
-- BIGSERIAL). The counter row is taken after the item's row, so ids run in
-- commit order.

-- +goose Up
CREATE TABLE warehouses (
    id         TEXT PRIMARY KEY,
    name       TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
-- The seed is dated by the schema, not by a clock: CURRENT_TIMESTAMP is UTC
-- on SQLite but the session's zone on PostgreSQL.
INSERT INTO warehouses (id, name, created_at) VALUES ('main', '总仓 Main warehouse', '2026-01-01 00:00:00');

CREATE TABLE stock_items (
    part_number   TEXT NOT NULL,
    warehouse     TEXT NOT NULL REFERENCES warehouses (id),
    name          TEXT NOT NULL,
    kind          TEXT NOT NULL,              -- complaint.ItemKinds
    on_hand       INTEGER NOT NULL DEFAULT 0,
    reserved      INTEGER NOT NULL DEFAULT 0,
    reorder_level INTEGER NOT NULL,
    updated_at    TIMESTAMP NOT NULL,
    PRIMARY KEY (part_number, warehouse),
    CHECK (on_hand >= 0 AND reserved >= 0 AND reserved <= on_hand)
);
CREATE INDEX stock_items_warehouse_idx ON stock_items (warehouse, part_number);

CREATE TABLE stock_counters (
    name    TEXT PRIMARY KEY,                 -- movement, alert
    last_id BIGINT NOT NULL
);

CREATE TABLE stock_alerts (
    id            BIGINT PRIMARY KEY,
    part_number   TEXT NOT NULL,
    warehouse     TEXT NOT NULL,
    on_hand       INTEGER NOT NULL,           -- after the movement that crossed
    reorder_level INTEGER NOT NULL,
    at            TIMESTAMP NOT NULL,
    FOREIGN KEY (part_number, warehouse) REFERENCES stock_items (part_number, warehouse)
);

-- The ledger: append-only, one row per movement, with the levels after it.
-- A movement under an Idempotency-Key is kept once per user and key.
CREATE TABLE stock_movements (
    id              BIGINT PRIMARY KEY,
    part_number     TEXT NOT NULL,
    warehouse       TEXT NOT NULL,
    kind            TEXT NOT NULL,            -- complaint.MovementKinds
    quantity        INTEGER NOT NULL,
    from_reserved   BOOLEAN NOT NULL DEFAULT FALSE,
    reference_kind  TEXT NOT NULL DEFAULT '', -- '' when no reference
    reference_id    TEXT NOT NULL DEFAULT '',
    note            TEXT NOT NULL DEFAULT '',
    actor           TEXT NOT NULL,            -- JSON: complaint.Actor
    actor_user_id   TEXT NOT NULL,
    at              TIMESTAMP NOT NULL,
    on_hand_after   INTEGER NOT NULL,
    reserved_after  INTEGER NOT NULL,
    idempotency_key TEXT NULL,
    alert_id        BIGINT NULL REFERENCES stock_alerts (id),
    FOREIGN KEY (part_number, warehouse) REFERENCES stock_items (part_number, warehouse),
    UNIQUE (actor_user_id, idempotency_key)
);
CREATE INDEX stock_movements_part_idx ON stock_movements (part_number, id);

-- +goose Down
DROP INDEX stock_movements_part_idx;
DROP TABLE stock_movements;
DROP TABLE stock_alerts;
DROP TABLE stock_counters;
DROP INDEX stock_items_warehouse_idx;
DROP TABLE stock_items;
DROP TABLE warehouses;
