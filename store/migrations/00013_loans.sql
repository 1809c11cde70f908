-- Backup equipment on loan [4.(6)]: the backup units, each by serial, and
-- the loans that lend them to the customer of a case.
--
-- A unit's model is the part number of a stock item of kind backup_unit in
-- its warehouse; the item's on_hand counts the units there that are
-- available (registering one receives it, lending issues it, a return to
-- stock or a repair's end returns it; a unit in repair, sold or replaced is
-- not on hand). Quantities still change only through the ledger
-- (stock_movements), in the same transaction as the unit's state.

-- +goose Up
CREATE TABLE backup_units (
    serial     TEXT PRIMARY KEY,
    model      TEXT NOT NULL,                 -- stock_items.part_number, of kind backup_unit
    warehouse  TEXT NOT NULL,
    state      TEXT NOT NULL,                 -- complaint.UnitStates
    loan_id    TEXT NULL,                     -- the loan it is on, in repair from, or converted by
    note       TEXT NOT NULL DEFAULT '',
    updated_at TIMESTAMP NOT NULL,
    FOREIGN KEY (model, warehouse) REFERENCES stock_items (part_number, warehouse)
);
-- Lending by model takes the first available unit by serial.
CREATE INDEX backup_units_model_idx ON backup_units (model, warehouse, state, serial);

-- A loan: who lent which unit to which case, until when, and how it ended
-- (returned to stock or into repair, or converted into a sale or a
-- permanent replacement). Times are UTC; due_back is a date (2006-01-02)
-- and overdue_at the instant the loan falls overdue.
CREATE TABLE loans (
    id           TEXT PRIMARY KEY,            -- <case id>-L1, -L2, …
    complaint_id TEXT NOT NULL,
    serial       TEXT NOT NULL REFERENCES backup_units (serial),
    model        TEXT NOT NULL,
    warehouse    TEXT NOT NULL,
    state        TEXT NOT NULL,               -- complaint.LoanStates
    due_back     TEXT NOT NULL,
    overdue_at   TIMESTAMP NOT NULL,
    lent_by      TEXT NOT NULL,               -- JSON: complaint.Actor
    lent_at      TIMESTAMP NOT NULL,
    returned_to  TEXT NOT NULL DEFAULT '',    -- complaint.ReturnDestinations
    returned_at  TIMESTAMP NULL,
    returned_by  TEXT NULL,                   -- JSON: complaint.Actor
    converted_to TEXT NOT NULL DEFAULT '',    -- complaint.Conversions
    converted_at TIMESTAMP NULL,
    converted_by TEXT NULL,                   -- JSON: complaint.Actor
    note         TEXT NOT NULL DEFAULT '',    -- the return's or the conversion's
    updated_at   TIMESTAMP NOT NULL
);
CREATE INDEX loans_complaint_idx ON loans (complaint_id, id);
CREATE INDEX loans_overdue_idx ON loans (state, overdue_at);
CREATE INDEX loans_serial_idx ON loans (serial, lent_at);
-- Lists page newest first by lent_at and id.
CREATE INDEX loans_lent_idx ON loans (lent_at, id);

-- +goose Down
DROP INDEX loans_lent_idx;
DROP INDEX loans_serial_idx;
DROP INDEX loans_overdue_idx;
DROP INDEX loans_complaint_idx;
DROP TABLE loans;
DROP INDEX backup_units_model_idx;
DROP TABLE backup_units;
