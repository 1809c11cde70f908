-- The id of the Temporal update that applied a step, kept with its event, so
-- the API can tell a retried step Idempotency-Key from one reused with
-- another body. Events recorded before have none (NULL), as do those no
-- update applied (registration, clocks).

-- +goose Up
ALTER TABLE case_events ADD COLUMN update_id TEXT;
CREATE INDEX case_events_update_id ON case_events (complaint_id, update_id) WHERE update_id IS NOT NULL;

-- +goose Down
DROP INDEX case_events_update_id;
ALTER TABLE case_events DROP COLUMN update_id;
