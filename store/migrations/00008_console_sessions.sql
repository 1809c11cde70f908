-- The web console's sessions: the cookie holds a random id, the store its
-- hash with the principal the sign-in vouched for, so that a session ends
-- server-side (sign-out, expiry) whatever the browser keeps.

-- +goose Up
CREATE TABLE console_sessions (
    id_hash    TEXT PRIMARY KEY,          -- SHA-256 of the cookie's id
    principal  TEXT NOT NULL,             -- JSON: user id, name, department, roles
    csrf_token TEXT NOT NULL,             -- every form of this session carries it
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL
);
CREATE INDEX console_sessions_expires ON console_sessions (expires_at);
-- The supervisor board counts open cases by stage and department from this
-- index alone, without reading the cases' snapshots.
CREATE INDEX complaints_board_idx ON complaints (stage, responsible_department, sla_breached);

-- +goose Down
DROP INDEX complaints_board_idx;
DROP TABLE console_sessions;
