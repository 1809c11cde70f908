package store

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/caseflow/caseflow/complaint"
	"github.com/caseflow/caseflow/review"
)

// The monthly review (migration 00016): the facts it reads and the stored
// reviews. Package review computes; the store reads and keeps.

// ReviewFacts returns the facts of the cases received in [from, to), in
// order of receipt, from the columns beside the snapshots.
func (s *Store) ReviewFacts(ctx context.Context, from, to time.Time) ([]review.CaseFacts, error) {
	rows, err := s.db.QueryContext(ctx, s.db.Rebind(`
		SELECT id, case_number, received_at, category, severity, stage, responsible_department, liability,
			branch_office, region, part_number, root_cause, response_state, response_seconds,
			onsite_state, onsite_seconds, resolution_state, resolution_seconds, recurrence, satisfaction, closed_at
		FROM complaints WHERE received_at >= ? AND received_at < ? ORDER BY received_at, id`), utc(from), utc(to))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []review.CaseFacts
	names := complaint.ClockNames()
	for rows.Next() {
		var c review.CaseFacts
		var states [3]string
		var seconds [3]sql.NullInt64
		var satisfaction sql.NullInt64
		var closedAt sql.NullTime
		// Scanned by hand: a month may be 100,000 rows.
		if err := rows.Scan(&c.ID, &c.CaseNumber, &c.ReceivedAt, &c.Category, &c.Severity, &c.Stage,
			&c.ResponsibleDepartment, &c.Liability, &c.BranchOffice, &c.Region, &c.PartNumber, &c.RootCause,
			&states[0], &seconds[0], &states[1], &seconds[1], &states[2], &seconds[2],
			&c.Recurrence, &satisfaction, &closedAt); err != nil {
			return nil, err
		}
		c.ReceivedAt = c.ReceivedAt.UTC()
		c.Clocks = make(map[string]review.ClockFacts, len(names))
		for i, name := range names {
			if states[i] == "" {
				continue // a case without clocks
			}
			cf := review.ClockFacts{State: states[i]}
			if seconds[i].Valid {
				cf.Elapsed = new(time.Duration(seconds[i].Int64) * time.Second)
			}
			c.Clocks[name] = cf
		}
		if satisfaction.Valid {
			c.Satisfaction = new(int(satisfaction.Int64))
		}
		if closedAt.Valid {
			c.ClosedAt = new(closedAt.Time.UTC())
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// ReviewCapaFacts returns the corrective actions opened before before.
func (s *Store) ReviewCapaFacts(ctx context.Context, before time.Time) ([]review.CapaFacts, error) {
	var rows []struct {
		ID              string       `db:"id"`
		Number          string       `db:"number"`
		Stage           string       `db:"stage"`
		OwnerDepartment string       `db:"owner_department"`
		DueDate         string       `db:"due_date"`
		OpenedAt        time.Time    `db:"opened_at"`
		EffectiveAt     sql.NullTime `db:"effective_at"`
	}
	if err := s.db.SelectContext(ctx, &rows, s.db.Rebind(`
		SELECT id, number, stage, owner_department, due_date, opened_at, effective_at
		FROM capas WHERE opened_at < ? ORDER BY opened_at, id`), utc(before)); err != nil {
		return nil, err
	}
	out := make([]review.CapaFacts, len(rows))
	for i, r := range rows {
		out[i] = review.CapaFacts{ID: r.ID, Number: r.Number, Stage: r.Stage, OwnerDepartment: r.OwnerDepartment,
			DueDate: r.DueDate, OpenedAt: r.OpenedAt.UTC()}
		if r.EffectiveAt.Valid {
			out[i].VerifiedEffectiveAt = new(r.EffectiveAt.Time.UTC())
		}
	}
	return out, nil
}

// SaveReview stores a month's review, open, with its accountability rows.
// A month is stored once: for a month already stored it changes nothing
// and returns the stored review, so that a retried activity is harmless.
func (s *Store) SaveReview(ctx context.Context, f review.Figures) (review.Review, error) {
	rows := f.Accountability
	f.Accountability = nil // kept in review_departments
	figures, err := json.Marshal(f)
	if err != nil {
		return review.Review{}, err
	}
	err = s.inTx(ctx, func(tx *sqlx.Tx) error {
		res, err := tx.ExecContext(ctx, tx.Rebind(`
			INSERT INTO reviews (month, state, figures, computed_at) VALUES (?, ?, ?, ?)
			ON CONFLICT (month) DO NOTHING`), f.Month, complaint.ReviewOpen, string(figures), utc(f.ComputedAt))
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			return err
		}
		for _, a := range rows {
			liability, err := json.Marshal(a.Liability)
			if err != nil {
				return err
			}
			var decidedAt any
			if a.DecidedAt != nil {
				decidedAt = utc(*a.DecidedAt)
			}
			if _, err := tx.ExecContext(ctx, tx.Rebind(`
				INSERT INTO review_departments (month, department, cases, liability, decision, note, decided_by, decided_at)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?)`),
				f.Month, a.Department, a.Cases, string(liability), a.Decision, a.Note, a.DecidedBy, decidedAt); err != nil {
				return fmt.Errorf("insert accountability of %s: %w", a.Department, err)
			}
		}
		return nil
	})
	if err != nil {
		return review.Review{}, fmt.Errorf("save review %s: %w", f.Month, err)
	}
	return s.GetReview(ctx, f.Month)
}

// GetReview returns a stored review with its accountability rows in the
// order of complaint.Departments, or ErrNotFound.
func (s *Store) GetReview(ctx context.Context, month string) (review.Review, error) {
	rs, err := s.reviews(ctx, `WHERE month = ?`, month)
	if err != nil {
		return review.Review{}, err
	}
	if len(rs) == 0 {
		return review.Review{}, ErrNotFound
	}
	return rs[0], nil
}

// ListReviews returns every stored review, the newest month first.
func (s *Store) ListReviews(ctx context.Context) ([]review.Review, error) {
	return s.reviews(ctx, ``)
}

// DecideAccountability records a department's decision on its row; a
// later decision replaces it. ErrNotFound when the month or the
// department has no row.
func (s *Store) DecideAccountability(ctx context.Context, month, department, decision, note, decidedBy string,
	at time.Time) (review.Review, error) {
	res, err := s.db.ExecContext(ctx, s.db.Rebind(`
		UPDATE review_departments SET decision = ?, note = ?, decided_by = ?, decided_at = ?
		WHERE month = ? AND department = ?`), decision, note, decidedBy, utc(at), month, department)
	if err != nil {
		return review.Review{}, err
	}
	if n, err := res.RowsAffected(); err != nil {
		return review.Review{}, err
	} else if n == 0 {
		return review.Review{}, ErrNotFound
	}
	return s.GetReview(ctx, month)
}

// CloseReview closes a month's review at at; closing it again keeps the
// first time. ErrNotFound when the month is not stored.
func (s *Store) CloseReview(ctx context.Context, month string, at time.Time) error {
	res, err := s.db.ExecContext(ctx, s.db.Rebind(`
		UPDATE reviews SET state = ?, closed_at = ? WHERE month = ? AND closed_at IS NULL`),
		complaint.ReviewClosed, utc(at), month)
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil || n > 0 {
		return err
	}
	var one int
	err = s.db.GetContext(ctx, &one, s.db.Rebind(`SELECT 1 FROM reviews WHERE month = ?`), month)
	if errors.Is(err, sql.ErrNoRows) {
		return ErrNotFound
	}
	return err
}

// reviews reads the reviews a WHERE clause selects, newest month first,
// with their accountability rows.
func (s *Store) reviews(ctx context.Context, where string, args ...any) ([]review.Review, error) {
	var heads []struct {
		Month    string       `db:"month"`
		State    string       `db:"state"`
		Figures  string       `db:"figures"`
		ClosedAt sql.NullTime `db:"closed_at"`
	}
	if err := s.db.SelectContext(ctx, &heads, s.db.Rebind(`
		SELECT month, state, figures, closed_at FROM reviews `+where+` ORDER BY month DESC`), args...); err != nil {
		return nil, err
	}
	var depts []struct {
		Month      string       `db:"month"`
		Department string       `db:"department"`
		Cases      int          `db:"cases"`
		Liability  string       `db:"liability"`
		Decision   string       `db:"decision"`
		Note       string       `db:"note"`
		DecidedBy  string       `db:"decided_by"`
		DecidedAt  sql.NullTime `db:"decided_at"`
	}
	if err := s.db.SelectContext(ctx, &depts, s.db.Rebind(`
		SELECT month, department, cases, liability, decision, note, decided_by, decided_at
		FROM review_departments `+where), args...); err != nil {
		return nil, err
	}
	rows := map[string][]review.Accountability{}
	for _, d := range depts {
		a := review.Accountability{Department: d.Department, Cases: d.Cases, Decision: d.Decision, Note: d.Note,
			DecidedBy: d.DecidedBy}
		if err := json.Unmarshal([]byte(d.Liability), &a.Liability); err != nil {
			return nil, fmt.Errorf("decode accountability %s/%s: %w", d.Month, d.Department, err)
		}
		if d.DecidedAt.Valid {
			a.DecidedAt = new(d.DecidedAt.Time.UTC())
		}
		rows[d.Month] = append(rows[d.Month], a)
	}
	out := make([]review.Review, len(heads))
	for i, h := range heads {
		r := review.Review{State: h.State}
		if err := json.Unmarshal([]byte(h.Figures), &r.Figures); err != nil {
			return nil, fmt.Errorf("decode review %s: %w", h.Month, err)
		}
		if h.ClosedAt.Valid {
			r.ClosedAt = new(h.ClosedAt.Time.UTC())
		}
		r.Accountability = rows[h.Month]
		slices.SortFunc(r.Accountability, func(a, b review.Accountability) int {
			return cmp.Or(cmp.Compare(departmentRank(a.Department), departmentRank(b.Department)),
				cmp.Compare(a.Department, b.Department))
		})
		out[i] = r
	}
	return out, nil
}

// departmentRank orders departments as complaint.Departments does, any
// other after them.
func departmentRank(d string) int {
	if i := slices.Index(complaint.Departments(), d); i >= 0 {
		return i
	}
	return len(complaint.Departments())
}
