-- One row per notification and channel that was tried, so a retried
-- delivery never sends again over a channel that already delivered, and a
-- delivery that ran out of attempts is marked failed per channel.

-- +goose Up
CREATE TABLE notification_deliveries (
    notification_id TEXT NOT NULL,
    channel         TEXT NOT NULL,            -- email, webhook
    state           TEXT NOT NULL,            -- pending (failed, to retry), delivered, skipped, failed
    attempts        INTEGER NOT NULL DEFAULT 1,
    last_error      TEXT NOT NULL DEFAULT '',
    updated_at      TIMESTAMP NOT NULL,
    PRIMARY KEY (notification_id, channel)
);

-- +goose Down
DROP TABLE notification_deliveries;
