package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/jmoiron/sqlx"

	"github.com/caseflow/caseflow/complaint"
)

// The timelines of the processes beside the complaint (RMAs in rma_events,
// corrective actions in capa_events, follow-ups in followup_events, feedback
// in feedback_events) have one shape: the process's id, seq, kind, actor,
// payload, time and the update that applied a step. These write and read
// any of them; table and column come from this package only.

// processEvents names a process's timeline table and its id column.
type processEvents struct{ table, idColumn string }

var (
	rmaEvents  = processEvents{table: "rma_events", idColumn: "rma_id"}
	capaEvents = processEvents{table: "capa_events", idColumn: "capa_id"}

	followupEvents = processEvents{table: "followup_events", idColumn: "followup_id"}
	feedbackEvents = processEvents{table: "feedback_events", idColumn: "feedback_id"}
)

// insert appends ev to the timeline of process id; a retried write of the
// same seq changes nothing.
func (p processEvents) insert(ctx context.Context, tx *sqlx.Tx, id string, ev complaint.Event) error {
	actor, err := json.Marshal(ev.Actor)
	if err != nil {
		return err
	}
	payload := ev.Payload
	if len(payload) == 0 {
		payload = json.RawMessage(`{}`)
	}
	var updateID any // NULL for events no update applied
	if ev.UpdateID != "" {
		updateID = ev.UpdateID
	}
	if _, err := tx.ExecContext(ctx, tx.Rebind(`
		INSERT INTO `+p.table+` (`+p.idColumn+`, seq, kind, actor, payload, occurred_at, update_id)
		VALUES (?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (`+p.idColumn+`, seq) DO NOTHING`),
		id, ev.Seq, ev.Kind, string(actor), string(payload), utc(ev.OccurredAt), updateID); err != nil {
		return fmt.Errorf("append %s event %d: %w", p.table, ev.Seq, err)
	}
	return nil
}

// timeline returns the events of process id in order.
func (p processEvents) timeline(ctx context.Context, db *sqlx.DB, id string) ([]complaint.Event, error) {
	var rows []rmaEventRow
	if err := db.SelectContext(ctx, &rows, db.Rebind(`
		SELECT `+p.idColumn+` AS rma_id, '' AS number, seq, kind, actor, payload, occurred_at FROM `+p.table+`
		WHERE `+p.idColumn+` = ? ORDER BY seq`), id); err != nil {
		return nil, err
	}
	events := make([]complaint.Event, 0, len(rows))
	for _, r := range rows {
		ev, err := r.event()
		if err != nil {
			return nil, err
		}
		events = append(events, ev)
	}
	return events, nil
}

// payloadByUpdate returns the payload of the event of process id that the
// update of this id applied, or ErrNotFound.
func (p processEvents) payloadByUpdate(ctx context.Context, db *sqlx.DB, id, updateID string) (json.RawMessage, error) {
	var payload string
	err := db.GetContext(ctx, &payload, db.Rebind(`
		SELECT payload FROM `+p.table+` WHERE `+p.idColumn+` = ? AND update_id = ?`), id, updateID)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, err
	}
	return json.RawMessage(payload), nil
}
