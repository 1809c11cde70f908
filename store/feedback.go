package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/caseflow/caseflow/complaint"
)

// Enquiries, suggestions and praise (migration 00017): the projection of
// each one's workflow and its timeline, written as corrective actions are.

// FeedbackNumber is the number feedback was given when it was logged, and
// its serial, which runs across years.
type FeedbackNumber struct {
	Number string `json:"number"`
	Serial int64  `json:"serial"`
}

// RegisterFeedback records new feedback and its first event, allocating
// its number (FB-<year logged>-<serial>). For feedback already registered
// it returns the number given the first time and writes nothing.
func (s *Store) RegisterFeedback(ctx context.Context, fb complaint.Feedback, ev complaint.Event) (FeedbackNumber, error) {
	var n FeedbackNumber
	err := s.inTx(ctx, func(tx *sqlx.Tx) error {
		err := tx.GetContext(ctx, &n, tx.Rebind(`SELECT number, serial FROM feedback WHERE id = ?`), fb.ID)
		if err == nil {
			return nil
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		if err := tx.GetContext(ctx, &n.Serial, tx.Rebind(`
			INSERT INTO feedback_counters (name, last_number) VALUES ('feedback', 1)
			ON CONFLICT (name) DO UPDATE SET last_number = feedback_counters.last_number + 1
			RETURNING last_number`)); err != nil {
			return fmt.Errorf("allocate feedback number: %w", err)
		}
		n.Number = fmt.Sprintf("FB-%d-%06d", fb.LoggedAt.UTC().Year(), n.Serial)
		fb.Number = n.Number
		fb.Version = ev.Seq
		snapshot, err := json.Marshal(fb)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, tx.Rebind(`
			INSERT INTO feedback (id, number, serial, kind, stage, routed_to, from_customer_id, overdue, logged_at,
				answered_at, updated_at, version, snapshot)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
			fb.ID, n.Number, n.Serial, fb.Kind, fb.Stage, fb.RoutedTo, fb.FromCustomerID, fb.Overdue,
			utc(fb.LoggedAt), answeredAt(fb), utc(ev.OccurredAt), ev.Seq, string(snapshot)); err != nil {
			return fmt.Errorf("insert feedback: %w", err)
		}
		return feedbackEvents.insert(ctx, tx, fb.ID, ev)
	})
	return n, err
}

func answeredAt(fb complaint.Feedback) any {
	if fb.AnsweredAt == nil {
		return nil
	}
	return utc(*fb.AnsweredAt)
}

// ApplyFeedbackEvent appends an event to feedback's timeline and replaces
// its projection with the snapshot taken after it; a stale snapshot leaves
// the row as it is.
func (s *Store) ApplyFeedbackEvent(ctx context.Context, fb complaint.Feedback, ev complaint.Event) error {
	fb.Version = ev.Seq
	snapshot, err := json.Marshal(fb)
	if err != nil {
		return err
	}
	return s.inTx(ctx, func(tx *sqlx.Tx) error {
		if err := feedbackEvents.insert(ctx, tx, fb.ID, ev); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, tx.Rebind(`
			UPDATE feedback SET stage = ?, routed_to = ?, overdue = ?, answered_at = ?, updated_at = ?, version = ?,
				snapshot = ?
			WHERE id = ? AND version < ?`),
			fb.Stage, fb.RoutedTo, fb.Overdue, answeredAt(fb), utc(ev.OccurredAt), ev.Seq, string(snapshot), fb.ID, ev.Seq)
		return err
	})
}

// GetFeedback returns feedback as last projected, or ErrNotFound.
func (s *Store) GetFeedback(ctx context.Context, id string) (complaint.Feedback, error) {
	var fb complaint.Feedback
	err := s.getJSON(ctx, &fb, `SELECT snapshot FROM feedback WHERE id = ?`, id)
	return fb, err
}

// FeedbackEvents returns feedback's events in order.
func (s *Store) FeedbackEvents(ctx context.Context, id string) ([]complaint.Event, error) {
	return feedbackEvents.timeline(ctx, s.db, id)
}

// FeedbackEventPayloadByUpdate returns the payload of the feedback's event
// that the update of this id applied, or ErrNotFound.
func (s *Store) FeedbackEventPayloadByUpdate(ctx context.Context, id, updateID string) (json.RawMessage, error) {
	return feedbackEvents.payloadByUpdate(ctx, s.db, id, updateID)
}

// FeedbackFilter selects feedback for a list; empty fields do not filter.
// CustomerID is the customer it comes from.
type FeedbackFilter struct {
	Kind, Stage, RoutedTo, CustomerID string
	// Overdue, when set, keeps only overdue (true) or not overdue feedback.
	Overdue *bool
	Cursor  string
	Limit   int
}

// FeedbackPage is one page of feedback, newest first.
type FeedbackPage struct {
	Feedback   []complaint.Feedback `json:"feedback"`
	NextCursor string               `json:"next_cursor,omitempty"`
}

// ListFeedback returns a page of feedback matching f, newest first.
func (s *Store) ListFeedback(ctx context.Context, f FeedbackFilter) (FeedbackPage, error) {
	if f.Limit <= 0 {
		f.Limit = 50
	}
	var w filters
	w.eq("kind", f.Kind)
	w.eq("stage", f.Stage)
	w.eq("routed_to", f.RoutedTo)
	w.eq("from_customer_id", f.CustomerID)
	if f.Overdue != nil {
		w.add("overdue = ?", *f.Overdue)
	}
	q, args, err := keysetQuery("SELECT id, logged_at AS at, snapshot FROM feedback", w, "logged_at", f.Cursor, f.Limit)
	if err != nil {
		return FeedbackPage{}, err
	}
	var rows []snapshotRow
	if err := s.db.SelectContext(ctx, &rows, s.db.Rebind(q), args...); err != nil {
		return FeedbackPage{}, err
	}
	rows, next := keysetPage(rows, f.Limit, func(r snapshotRow) (time.Time, string) { return r.At, r.ID })
	page := FeedbackPage{Feedback: make([]complaint.Feedback, 0, len(rows)), NextCursor: next}
	for _, row := range rows {
		var fb complaint.Feedback
		if err := json.Unmarshal([]byte(row.Snapshot), &fb); err != nil {
			return FeedbackPage{}, fmt.Errorf("decode feedback %s: %w", row.ID, err)
		}
		page.Feedback = append(page.Feedback, fb)
	}
	return page, nil
}
