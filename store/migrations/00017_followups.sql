-- Follow-ups, surveys and feedback [1.(1).A/E/G, 1.(2).E–F, 2.(4).e, 2.(5)]:
-- one row per follow-up and per enquiry, suggestion or praise, projected
-- by its workflow (the snapshot is complaint.Followup or
-- complaint.Feedback as JSON), their timelines, and the survey links.
--
-- A follow-up's survey columns (state, scores, answered_at) are copied
-- from its snapshot so that a month's answers are read without decoding
-- one. A survey link keeps only the SHA-256 of its token (hex); a resend
-- replaces the row. Feedback numbers are FB-<year>-<serial>: the serial
-- comes from feedback_counters and runs across years, as CAPA serials do.
-- The daily delivery calls read equipment by delivered_on.

-- +goose Up
CREATE TABLE followups (
    id                     TEXT PRIMARY KEY,
    kind                   TEXT NOT NULL,          -- complaint.FollowupKinds
    stage                  TEXT NOT NULL,          -- complaint.FollowupStages
    customer_id            TEXT NOT NULL,
    serial                 TEXT NOT NULL DEFAULT '',
    complaint_id           TEXT NOT NULL DEFAULT '',
    raised_complaint_id    TEXT NOT NULL DEFAULT '',
    owner                  TEXT NOT NULL DEFAULT '',
    owner_department       TEXT NOT NULL,
    branch_office          TEXT NOT NULL DEFAULT '',
    due_at                 TIMESTAMP NOT NULL,
    overdue                BOOLEAN NOT NULL DEFAULT FALSE,
    opened_at              TIMESTAMP NOT NULL,
    done_at                TIMESTAMP NULL,         -- the outcome's time, once done
    survey_state           TEXT NOT NULL DEFAULT '', -- complaint.SurveyStates; '' without a survey
    survey_satisfaction    INTEGER NULL,
    survey_would_recommend INTEGER NULL,
    survey_answered_at     TIMESTAMP NULL,
    updated_at             TIMESTAMP NOT NULL,
    version                BIGINT NOT NULL,        -- seq of the last event
    snapshot               TEXT NOT NULL
);
CREATE INDEX followups_due_idx ON followups (due_at, id);
CREATE INDEX followups_kind_idx ON followups (kind, due_at, id);
CREATE INDEX followups_stage_idx ON followups (stage, due_at, id);
CREATE INDEX followups_owner_idx ON followups (owner, due_at, id);
CREATE INDEX followups_department_idx ON followups (owner_department, due_at, id);
CREATE INDEX followups_customer_idx ON followups (customer_id, due_at, id);
CREATE INDEX followups_complaint_idx ON followups (complaint_id);
CREATE INDEX followups_raised_idx ON followups (raised_complaint_id);
CREATE INDEX followups_visits_idx ON followups (kind, stage, done_at);
CREATE INDEX followups_answered_idx ON followups (survey_answered_at) WHERE survey_answered_at IS NOT NULL;

CREATE TABLE followup_events (
    followup_id TEXT NOT NULL REFERENCES followups (id),
    seq         BIGINT NOT NULL,
    kind        TEXT NOT NULL,                     -- complaint.FollowupEventKinds
    actor       TEXT NOT NULL,                     -- JSON: complaint.Actor
    payload     TEXT NOT NULL,
    occurred_at TIMESTAMP NOT NULL,
    update_id   TEXT NULL,                         -- the Temporal update that applied a step
    PRIMARY KEY (followup_id, seq)
);
CREATE INDEX followup_events_update_id ON followup_events (followup_id, update_id) WHERE update_id IS NOT NULL;

CREATE TABLE survey_links (
    followup_id TEXT PRIMARY KEY REFERENCES followups (id),
    token_hash  TEXT NOT NULL UNIQUE,              -- hex SHA-256 of the token
    expires_at  TIMESTAMP NOT NULL,
    created_at  TIMESTAMP NOT NULL
);

CREATE TABLE feedback_counters (
    name        TEXT PRIMARY KEY,                  -- feedback
    last_number BIGINT NOT NULL
);

CREATE TABLE feedback (
    id               TEXT PRIMARY KEY,
    number           TEXT NOT NULL UNIQUE,
    serial           BIGINT NOT NULL UNIQUE,
    kind             TEXT NOT NULL,                -- complaint.FeedbackKinds
    stage            TEXT NOT NULL,                -- complaint.FeedbackStages
    routed_to        TEXT NOT NULL,
    from_customer_id TEXT NOT NULL DEFAULT '',
    overdue          BOOLEAN NOT NULL DEFAULT FALSE,
    logged_at        TIMESTAMP NOT NULL,
    answered_at      TIMESTAMP NULL,
    updated_at       TIMESTAMP NOT NULL,
    version          BIGINT NOT NULL,
    snapshot         TEXT NOT NULL
);
CREATE INDEX feedback_logged_idx ON feedback (logged_at, id);
CREATE INDEX feedback_kind_idx ON feedback (kind, logged_at, id);
CREATE INDEX feedback_stage_idx ON feedback (stage, logged_at, id);
CREATE INDEX feedback_routed_idx ON feedback (routed_to, logged_at, id);
CREATE INDEX feedback_customer_idx ON feedback (from_customer_id, logged_at, id);

CREATE TABLE feedback_events (
    feedback_id TEXT NOT NULL REFERENCES feedback (id),
    seq         BIGINT NOT NULL,
    kind        TEXT NOT NULL,                     -- complaint.FeedbackEventKinds
    actor       TEXT NOT NULL,
    payload     TEXT NOT NULL,
    occurred_at TIMESTAMP NOT NULL,
    update_id   TEXT NULL,
    PRIMARY KEY (feedback_id, seq)
);
CREATE INDEX feedback_events_update_id ON feedback_events (feedback_id, update_id) WHERE update_id IS NOT NULL;

CREATE INDEX equipment_delivered_idx ON equipment (delivered_on, serial);

-- +goose Down
DROP INDEX equipment_delivered_idx;
DROP INDEX feedback_events_update_id;
DROP TABLE feedback_events;
DROP INDEX feedback_customer_idx;
DROP INDEX feedback_routed_idx;
DROP INDEX feedback_stage_idx;
DROP INDEX feedback_kind_idx;
DROP INDEX feedback_logged_idx;
DROP TABLE feedback;
DROP TABLE feedback_counters;
DROP TABLE survey_links;
DROP INDEX followup_events_update_id;
DROP TABLE followup_events;
DROP INDEX followups_answered_idx;
DROP INDEX followups_visits_idx;
DROP INDEX followups_raised_idx;
DROP INDEX followups_complaint_idx;
DROP INDEX followups_customer_idx;
DROP INDEX followups_department_idx;
DROP INDEX followups_owner_idx;
DROP INDEX followups_stage_idx;
DROP INDEX followups_kind_idx;
DROP INDEX followups_due_idx;
DROP TABLE followups;
