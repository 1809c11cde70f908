-- The monthly review [3.(4)]: the facts it reads of each case, as columns
-- beside the snapshot so that a month of 100,000 cases is read without
-- decoding one, and the stored reviews with their accountability rows.
--
-- The facts (store/review_facts.go): part number, the analysis's root
-- cause and liability, each clock's state ('' without clocks) and, once
-- stopped, its seconds from receipt less pauses (NULL while open), whether
-- the case repeats an earlier one, and the closure's satisfaction and time.
-- facts_version says which rules wrote them: rows from before this
-- migration have 0 and are filled from their snapshots by the store's
-- backfill at the next start (store/review_facts.go), which finds them by
-- the partial index. A month is read by complaints_received_id_idx (00007).

-- +goose Up
ALTER TABLE complaints ADD COLUMN part_number TEXT NOT NULL DEFAULT '';
ALTER TABLE complaints ADD COLUMN root_cause TEXT NOT NULL DEFAULT '';
ALTER TABLE complaints ADD COLUMN liability TEXT NOT NULL DEFAULT '';
ALTER TABLE complaints ADD COLUMN response_state TEXT NOT NULL DEFAULT '';
ALTER TABLE complaints ADD COLUMN response_seconds BIGINT NULL;
ALTER TABLE complaints ADD COLUMN onsite_state TEXT NOT NULL DEFAULT '';
ALTER TABLE complaints ADD COLUMN onsite_seconds BIGINT NULL;
ALTER TABLE complaints ADD COLUMN resolution_state TEXT NOT NULL DEFAULT '';
ALTER TABLE complaints ADD COLUMN resolution_seconds BIGINT NULL;
ALTER TABLE complaints ADD COLUMN recurrence BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE complaints ADD COLUMN satisfaction INTEGER NULL;
ALTER TABLE complaints ADD COLUMN closed_at TIMESTAMP NULL;
ALTER TABLE complaints ADD COLUMN facts_version INTEGER NOT NULL DEFAULT 0;
CREATE INDEX complaints_facts_backfill_idx ON complaints (id) WHERE facts_version = 0;

-- One row per reviewed month; figures is review.Figures as JSON, without
-- the accountability rows, which review_departments keeps.
CREATE TABLE reviews (
    month       TEXT PRIMARY KEY,              -- yyyy-mm
    state       TEXT NOT NULL,                 -- complaint.ReviewStates
    figures     TEXT NOT NULL,
    computed_at TIMESTAMP NOT NULL,
    closed_at   TIMESTAMP NULL
);

-- A department's accountability row and its supervisor's decision.
CREATE TABLE review_departments (
    month      TEXT NOT NULL REFERENCES reviews (month),
    department TEXT NOT NULL,
    cases      BIGINT NOT NULL,
    liability  TEXT NOT NULL,                  -- JSON: liability → cases
    decision   TEXT NOT NULL DEFAULT '',       -- complaint.AccountabilityDecisions; '' until decided
    note       TEXT NOT NULL DEFAULT '',
    decided_by TEXT NOT NULL DEFAULT '',       -- user id
    decided_at TIMESTAMP NULL,
    PRIMARY KEY (month, department)
);

-- +goose Down
DROP TABLE review_departments;
DROP TABLE reviews;
DROP INDEX complaints_facts_backfill_idx;
ALTER TABLE complaints DROP COLUMN facts_version;
ALTER TABLE complaints DROP COLUMN closed_at;
ALTER TABLE complaints DROP COLUMN satisfaction;
ALTER TABLE complaints DROP COLUMN recurrence;
ALTER TABLE complaints DROP COLUMN resolution_seconds;
ALTER TABLE complaints DROP COLUMN resolution_state;
ALTER TABLE complaints DROP COLUMN onsite_seconds;
ALTER TABLE complaints DROP COLUMN onsite_state;
ALTER TABLE complaints DROP COLUMN response_seconds;
ALTER TABLE complaints DROP COLUMN response_state;
ALTER TABLE complaints DROP COLUMN liability;
ALTER TABLE complaints DROP COLUMN root_cause;
ALTER TABLE complaints DROP COLUMN part_number;
