-- The archive's facts a case copies at registration, as columns the case
-- list filters on: the customer's region, branch office and key flag, the
-- warranty status ('' for cases registered before the archive) and the
-- equipment's serial. Each filter gets an index already in list order
-- (received_at, id), as in 00007. Older rows are not backfilled from their
-- snapshots: they carry no archive facts.

-- +goose Up
ALTER TABLE complaints ADD COLUMN region TEXT NOT NULL DEFAULT '';
ALTER TABLE complaints ADD COLUMN branch_office TEXT NOT NULL DEFAULT '';
ALTER TABLE complaints ADD COLUMN key_customer BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE complaints ADD COLUMN warranty TEXT NOT NULL DEFAULT '';
ALTER TABLE complaints ADD COLUMN equipment_serial TEXT NOT NULL DEFAULT '';
CREATE INDEX complaints_region_received_idx ON complaints (region, received_at, id);
CREATE INDEX complaints_branch_received_idx ON complaints (branch_office, received_at, id);
CREATE INDEX complaints_key_customer_received_idx ON complaints (key_customer, received_at, id);
CREATE INDEX complaints_warranty_received_idx ON complaints (warranty, received_at, id);
CREATE INDEX complaints_serial_received_idx ON complaints (equipment_serial, received_at, id);

-- +goose Down
DROP INDEX complaints_serial_received_idx;
DROP INDEX complaints_warranty_received_idx;
DROP INDEX complaints_key_customer_received_idx;
DROP INDEX complaints_branch_received_idx;
DROP INDEX complaints_region_received_idx;
ALTER TABLE complaints DROP COLUMN equipment_serial;
ALTER TABLE complaints DROP COLUMN warranty;
ALTER TABLE complaints DROP COLUMN key_customer;
ALTER TABLE complaints DROP COLUMN branch_office;
ALTER TABLE complaints DROP COLUMN region;
