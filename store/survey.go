package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/caseflow/caseflow/archive"
	"github.com/caseflow/caseflow/complaint"
)

// Surveys (migration 00017): the link a follow-up's survey went out with,
// the address it went to, and the answers for the monthly figures. A link
// is kept as the SHA-256 of its token (hex), never the token: whoever reads
// the database cannot answer a survey.

// PutSurveyLink records the link of a follow-up's survey; a resend
// replaces the one before, which stops working.
func (s *Store) PutSurveyLink(ctx context.Context, followupID, tokenHash string, expiresAt, createdAt time.Time) error {
	_, err := s.db.ExecContext(ctx, s.db.Rebind(`
		INSERT INTO survey_links (followup_id, token_hash, expires_at, created_at) VALUES (?, ?, ?, ?)
		ON CONFLICT (followup_id) DO UPDATE SET token_hash = excluded.token_hash,
			expires_at = excluded.expires_at, created_at = excluded.created_at`),
		followupID, tokenHash, utc(expiresAt), utc(createdAt))
	if err != nil {
		return fmt.Errorf("put survey link: %w", err)
	}
	return nil
}

// SurveyLink is a survey link found by its token's hash: the follow-up it
// belongs to, as last projected, and when it expires.
type SurveyLink struct {
	FollowupID string
	ExpiresAt  time.Time
	Followup   complaint.Followup
}

// SurveyLinkByHash returns the link whose token hashes to tokenHash, or
// ErrNotFound.
func (s *Store) SurveyLinkByHash(ctx context.Context, tokenHash string) (SurveyLink, error) {
	var row struct {
		FollowupID string    `db:"followup_id"`
		ExpiresAt  time.Time `db:"expires_at"`
		Snapshot   string    `db:"snapshot"`
	}
	err := s.db.GetContext(ctx, &row, s.db.Rebind(`SELECT l.followup_id, l.expires_at, f.snapshot
		FROM survey_links l JOIN followups f ON f.id = l.followup_id WHERE l.token_hash = ?`), tokenHash)
	if errors.Is(err, sql.ErrNoRows) {
		return SurveyLink{}, ErrNotFound
	}
	if err != nil {
		return SurveyLink{}, err
	}
	link := SurveyLink{FollowupID: row.FollowupID, ExpiresAt: row.ExpiresAt.UTC()}
	if err := json.Unmarshal([]byte(row.Snapshot), &link.Followup); err != nil {
		return SurveyLink{}, fmt.Errorf("decode follow-up %s: %w", row.FollowupID, err)
	}
	return link, nil
}

// CustomerEmail returns the e-mail address of the customer's first contact
// that has one in the archive, or "" when none has (or the archive does
// not know the customer).
func (s *Store) CustomerEmail(ctx context.Context, customerID string) (string, error) {
	var raw string
	err := s.db.GetContext(ctx, &raw, s.db.Rebind(`SELECT contacts FROM customers WHERE id = ?`), customerID)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	if err != nil {
		return "", err
	}
	var contacts []archive.Contact
	if err := json.Unmarshal([]byte(raw), &contacts); err != nil {
		return "", fmt.Errorf("decode contacts of %s: %w", customerID, err)
	}
	for _, c := range contacts {
		if c.Email != "" {
			return c.Email, nil
		}
	}
	return "", nil
}

// SurveyAnswer is one answered survey, for the monthly figures.
type SurveyAnswer struct {
	FollowupID, Kind, ComplaintID, CustomerID string
	Satisfaction, WouldRecommend              int
	AnsweredAt                                time.Time
}

// SurveyAnswers returns the surveys answered in [from, to), in the order
// they were answered.
func (s *Store) SurveyAnswers(ctx context.Context, from, to time.Time) ([]SurveyAnswer, error) {
	var rows []struct {
		ID             string        `db:"id"`
		Kind           string        `db:"kind"`
		ComplaintID    string        `db:"complaint_id"`
		CustomerID     string        `db:"customer_id"`
		Satisfaction   sql.NullInt64 `db:"survey_satisfaction"`
		WouldRecommend sql.NullInt64 `db:"survey_would_recommend"`
		AnsweredAt     time.Time     `db:"survey_answered_at"`
	}
	if err := s.db.SelectContext(ctx, &rows, s.db.Rebind(`
		SELECT id, kind, complaint_id, customer_id, survey_satisfaction, survey_would_recommend, survey_answered_at
		FROM followups WHERE survey_answered_at >= ? AND survey_answered_at < ? AND survey_state = ?
		ORDER BY survey_answered_at, id`), utc(from), utc(to), complaint.SurveyAnswered); err != nil {
		return nil, err
	}
	out := make([]SurveyAnswer, 0, len(rows))
	for _, r := range rows {
		out = append(out, SurveyAnswer{FollowupID: r.ID, Kind: r.Kind, ComplaintID: r.ComplaintID,
			CustomerID: r.CustomerID, Satisfaction: int(r.Satisfaction.Int64),
			WouldRecommend: int(r.WouldRecommend.Int64), AnsweredAt: r.AnsweredAt.UTC()})
	}
	return out, nil
}
