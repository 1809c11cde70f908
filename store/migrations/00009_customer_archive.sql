-- The customer archive and the installed base: a customer's region, branch
-- office, class, key flag, dispute coordinator, contacts and sites, and the
-- equipment it runs with its warranty.

-- +goose Up
ALTER TABLE customers ADD COLUMN region TEXT NOT NULL DEFAULT '';
ALTER TABLE customers ADD COLUMN branch_office TEXT NOT NULL DEFAULT '';
ALTER TABLE customers ADD COLUMN key_customer BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE customers ADD COLUMN class TEXT NOT NULL DEFAULT '';
ALTER TABLE customers ADD COLUMN dispute_coordinator TEXT NOT NULL DEFAULT '';
ALTER TABLE customers ADD COLUMN contacts TEXT NOT NULL DEFAULT '[]';  -- JSON list
ALTER TABLE customers ADD COLUMN sites TEXT NOT NULL DEFAULT '[]';     -- JSON list
-- search holds the name and the contacts' names, phones and e-mails, lower
-- case, for q: a LIKE both databases answer alike.
ALTER TABLE customers ADD COLUMN search TEXT NOT NULL DEFAULT '';
UPDATE customers SET search = LOWER(name);
CREATE INDEX customers_region_idx ON customers (region, id);
CREATE INDEX customers_branch_idx ON customers (branch_office, id);
CREATE INDEX customers_class_idx ON customers (class, id);

CREATE TABLE equipment (
    serial       TEXT PRIMARY KEY,
    customer_id  TEXT NOT NULL REFERENCES customers (id),
    site_id      TEXT NOT NULL DEFAULT '',
    model        TEXT NOT NULL,
    part_number  TEXT NOT NULL DEFAULT '',
    order_number TEXT NOT NULL DEFAULT '',
    delivered_on TEXT NOT NULL DEFAULT '',   -- YYYY-MM-DD, '' when unknown
    installed_on TEXT NOT NULL DEFAULT '',
    warranty_end TEXT NOT NULL DEFAULT '',
    consumables  TEXT NOT NULL DEFAULT '[]', -- JSON list of part numbers
    status       TEXT NOT NULL,
    updated_at   TIMESTAMP NOT NULL
);
CREATE INDEX equipment_customer_idx ON equipment (customer_id, serial);

-- +goose Down
DROP TABLE equipment;
DROP INDEX customers_class_idx;
DROP INDEX customers_branch_idx;
DROP INDEX customers_region_idx;
ALTER TABLE customers DROP COLUMN search;
ALTER TABLE customers DROP COLUMN sites;
ALTER TABLE customers DROP COLUMN contacts;
ALTER TABLE customers DROP COLUMN dispute_coordinator;
ALTER TABLE customers DROP COLUMN class;
ALTER TABLE customers DROP COLUMN key_customer;
ALTER TABLE customers DROP COLUMN branch_office;
ALTER TABLE customers DROP COLUMN region;
