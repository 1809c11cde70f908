package store_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/caseflow/caseflow/complaint"
	"github.com/caseflow/caseflow/review"
	"github.com/caseflow/caseflow/store"
	"github.com/caseflow/caseflow/store/storetest"
)

// The review's fixture: 42 cases around October 2026 in Shanghai, written
// through RegisterCase and ApplyEvents, and the figures of October worked
// out by hand from the table below.

// rvClock is a clock as the case shows it at the end, from its receipt.
type rvClock func(received time.Time) complaint.Clock

func rvMet(minutes int) rvClock {
	return func(r time.Time) complaint.Clock {
		return complaint.Clock{State: complaint.ClockMet, StoppedAt: new(r.Add(time.Duration(minutes) * time.Minute))}
	}
}

// rvMetPaused stopped after minutes of running and paused of standing still.
func rvMetPaused(minutes int, paused time.Duration) rvClock {
	return func(r time.Time) complaint.Clock {
		return complaint.Clock{State: complaint.ClockMet, PausedSeconds: int64(paused / time.Second),
			StoppedAt: new(r.Add(time.Duration(minutes)*time.Minute + paused))}
	}
}

// rvBreached stopped after minutes, past its deadline; 0 minutes: still running.
func rvBreached(minutes int) rvClock {
	return func(r time.Time) complaint.Clock {
		c := complaint.Clock{State: complaint.ClockBreached, BreachedAt: new(r.Add(time.Hour))}
		if minutes > 0 {
			c.StoppedAt = new(r.Add(time.Duration(minutes) * time.Minute))
		}
		return c
	}
}

// rvMetAfterBreach is a stopped clock that shows met but was breached: the
// review counts it breached.
func rvMetAfterBreach(minutes int) rvClock {
	return func(r time.Time) complaint.Clock {
		c := rvBreached(minutes)(r)
		c.State = complaint.ClockMet
		return c
	}
}

func rvState(s complaint.ClockState) rvClock {
	return func(time.Time) complaint.Clock { return complaint.Clock{State: s} }
}

var (
	rvRunning = rvState(complaint.ClockRunning)
	rvPaused  = rvState(complaint.ClockPaused)
	rvNR      = rvState(complaint.ClockNotRequired)
)

type rvCase struct {
	received            time.Time
	cat                 complaint.Category
	sev                 complaint.Severity
	dept                string // '' = not analyzed
	liab                complaint.Liability
	cause, part         string
	branch, region      string
	resp, onsite, resol rvClock
	recur               bool
	satisfaction        int // 0 = none given
	closed              bool
}

func rvShanghai(t *testing.T) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation("Asia/Shanghai")
	require.NoError(t, err)
	return loc
}

// rvFixture returns October's cases, registered first so that case n is
// CMP-2026-0000nn, and the others: September's (its first and last
// instants included) and two of November, one at its first minute.
func rvFixture(sh *time.Location) (october, others []rvCase) {
	const (
		q, nq, oth         = complaint.CategoryQuality, complaint.CategoryNonQuality, complaint.CategoryOther
		minor, sev         = complaint.SeverityMinor, complaint.SeveritySevere
		dAS, dSA, dTE, dPR = complaint.DepartmentAfterSales, complaint.DepartmentSales, complaint.DepartmentTechnical, complaint.DepartmentProduction
		dQU, dBO           = complaint.DepartmentQuality, complaint.DepartmentBranchOffice
		lCo, lCu, lTP, lUn = complaint.LiabilityCompany, complaint.LiabilityCustomer, complaint.LiabilityThirdParty, complaint.LiabilityUndetermined
		nb, hz, sz         = "Ningbo", "Hangzhou", "Suzhou"
		east, north, south = "East", "North", "South"
		seal, fw, operr    = "seal worn", "firmware bug", "operator error"
		resin, wrong, lost = "supplier resin", "wrong order", "lost in transit"
		late, unclear      = "late delivery", "unclear"
	)
	d := func(day, h, m int) time.Time { return time.Date(2026, 10, day, h, m, 0, 0, sh) }
	october = []rvCase{
		/* 01 */ {d(1, 0, 10), q, sev, dTE, lCo, seal, "P-100", nb, east, rvMet(30), rvMet(180), rvMet(600), false, 5, true},
		/* 02 */ {d(1, 9, 0), q, minor, dPR, lCo, seal, "P-100", nb, east, rvMet(60), rvMet(200), rvMetPaused(1200, 2*time.Hour), false, 4, true},
		/* 03 */ {d(2, 14, 0), nq, minor, dAS, lCu, operr, "P-200", hz, east, rvMet(20), rvNR, rvMet(180), false, 5, true},
		/* 04 */ {d(3, 10, 0), q, sev, dTE, lCo, fw, "P-300", sz, east, rvBreached(150), rvMet(230), rvBreached(1800), false, 2, true},
		/* 05 */ {d(4, 11, 0), oth, minor, "", "", "", "", nb, east, rvRunning, rvNR, rvRunning, false, 0, false},
		/* 06 */ {d(5, 8, 0), q, minor, dPR, lCo, seal, "P-100", hz, east, rvMet(45), rvMet(120), rvMet(300), true, 3, true},
		/* 07 */ {d(6, 9, 30), q, sev, dQU, lTP, resin, "P-400", sz, south, rvMet(90), rvBreached(300), rvBreached(3000), false, 1, true},
		/* 08 */ {d(7, 15, 0), nq, minor, dSA, lCu, wrong, "", nb, north, rvMet(10), rvNR, rvMet(240), false, 5, true},
		/* 09 */ {d(8, 16, 0), q, minor, dTE, lCo, fw, "P-300", hz, east, rvMet(100), rvMet(200), rvMet(480), true, 0, true},
		/* 10 */ {d(9, 12, 0), q, sev, dPR, lCo, seal, "P-100", nb, east, rvMet(30), rvMet(150), rvRunning, false, 0, false},
		/* 11 */ {d(10, 10, 0), oth, minor, dBO, lUn, lost, "", "", south, rvMet(50), rvNR, rvMet(1440), false, 4, true},
		/* 12 */ {d(12, 9, 0), q, minor, dTE, lCu, operr, "P-200", sz, east, rvMet(15), rvMet(90), rvMet(200), false, 0, false},
		/* 13 */ {d(13, 13, 0), nq, sev, dAS, lCo, late, "P-500", hz, north, rvBreached(200), rvNR, rvBreached(4400), false, 2, true},
		/* 14 */ {d(14, 8, 0), q, minor, dPR, lCo, seal, "P-100", nb, east, rvMet(40), rvMet(100), rvMet(720), true, 5, true},
		/* 15 */ {d(15, 19, 0), q, minor, "", "", "", "P-600", sz, south, rvMet(70), rvRunning, rvRunning, false, 0, false},
		/* 16 */ {d(16, 10, 0), nq, minor, dSA, lCu, wrong, "P-200", nb, north, rvMet(25), rvNR, rvBreached(4320), false, 3, true},
		/* 17 */ {d(17, 11, 0), q, sev, dQU, lTP, resin, "P-400", hz, east, rvMet(55), rvMet(210), rvMet(1000), true, 4, true},
		/* 18 */ {d(19, 9, 0), q, minor, dTE, lCo, fw, "P-300", sz, east, rvMet(35), rvMet(170), rvPaused, false, 0, false},
		/* 19 */ {d(20, 14, 0), oth, minor, dAS, lUn, unclear, "", nb, south, rvMet(80), rvNR, rvMet(250), false, 4, true},
		/* 20 */ {d(21, 10, 0), q, minor, dPR, lCo, seal, "P-100", hz, east, rvMetAfterBreach(130), rvMet(220), rvMet(900), false, 3, true},
		/* 21 */ {d(22, 16, 0), nq, minor, dSA, lCu, operr, "P-200", sz, north, rvMet(5), rvNR, rvMet(60), false, 5, true},
		/* 22 */ {d(23, 9, 0), q, sev, dTE, lCo, fw, "P-300", nb, east, rvMet(65), rvBreached(0), rvRunning, false, 0, false},
		/* 23 */ {d(24, 10, 0), q, minor, dQU, lCo, seal, "P-700", hz, east, rvMet(75), rvMet(160), rvBreached(2000), false, 4, true},
		/* 24 */ {d(26, 8, 0), oth, minor, "", "", "", "", sz, south, rvRunning, rvNR, rvRunning, false, 0, false},
		/* 25 */ {d(27, 11, 0), q, minor, dPR, lCo, seal, "P-100", nb, east, rvMet(20), rvMet(140), rvMet(360), true, 4, true},
		/* 26 */ {d(28, 15, 0), nq, minor, dBO, lTP, lost, "P-800", "", south, rvMet(85), rvNR, rvBreached(1500), false, 3, true},
		/* 27 */ {d(29, 10, 0), q, sev, dTE, lCo, fw, "P-300", hz, east, rvMet(95), rvMet(235), rvBreached(5000), false, 1, true},
		/* 28 */ {d(31, 23, 30), q, minor, "", "", "", "P-100", nb, east, rvRunning, rvRunning, rvRunning, false, 0, false},
	}
	sep := func(day, h, m int) time.Time { return time.Date(2026, 9, day, h, m, 0, 0, sh) }
	nov := func(day, h, m int) time.Time { return time.Date(2026, 11, day, h, m, 0, 0, sh) }
	others = []rvCase{
		{sep(1, 0, 0), q, minor, dPR, lCo, seal, "P-100", nb, east, rvMet(30), rvMet(100), rvMet(300), false, 5, true},
		{sep(2, 9, 0), q, sev, dTE, lCo, fw, "P-300", hz, east, rvBreached(200), rvMet(200), rvBreached(2000), false, 2, true},
		{sep(4, 9, 0), nq, minor, dSA, lCu, wrong, "P-200", sz, north, rvMet(20), rvNR, rvMet(100), false, 4, true},
		{sep(8, 9, 0), q, minor, dPR, lCo, seal, "P-100", nb, east, rvMet(40), rvMet(120), rvMet(700), false, 4, true},
		{sep(10, 9, 0), oth, minor, dAS, lUn, unclear, "", nb, south, rvMet(50), rvNR, rvMet(400), false, 3, true},
		{sep(12, 9, 0), q, minor, dQU, lTP, resin, "P-400", hz, east, rvMet(60), rvMet(150), rvMet(800), false, 5, true},
		{sep(15, 9, 0), nq, sev, dAS, lCo, late, "P-500", sz, north, rvBreached(180), rvNR, rvBreached(3000), false, 1, true},
		{sep(18, 9, 0), q, minor, dTE, lCu, operr, "P-200", sz, east, rvMet(25), rvMet(90), rvMet(250), false, 5, true},
		{sep(21, 9, 0), q, minor, dPR, lCo, seal, "P-100", hz, east, rvMet(35), rvMet(110), rvMet(500), true, 4, true},
		{sep(24, 9, 0), nq, minor, dBO, lTP, lost, "", "", south, rvMet(45), rvNR, rvMet(900), false, 3, true},
		{sep(27, 9, 0), q, minor, "", "", "", "P-600", nb, east, rvMet(70), rvRunning, rvRunning, false, 0, false},
		{sep(30, 23, 30), oth, minor, "", "", "", "", sz, south, rvRunning, rvNR, rvRunning, false, 0, false},
		{nov(1, 0, 5), q, minor, dPR, lCo, seal, "P-100", nb, east, rvMet(30), rvMet(100), rvMet(300), true, 5, true},
		{nov(3, 10, 0), nq, minor, dSA, lCu, wrong, "P-200", hz, north, rvMet(20), rvNR, rvMet(100), false, 4, true},
	}
	return october, others
}

var rvAgent = complaint.Actor{UserID: "u1", Name: "Agent", Department: complaint.DepartmentAfterSales}

// writeRVCase registers the case as intake saw it, then applies its
// analysis, clocks and closure as later steps would.
func writeRVCase(t *testing.T, s *store.Store, id string, r rvCase) {
	t.Helper()
	registeredAt := r.received.Add(time.Minute)
	c := complaint.Case{ID: id, Stage: complaint.StageConfirm,
		Register: complaint.Register{CustomerID: "C-001", CustomerName: "Acme Hospital", ContactName: "Li Wei",
			Description: "pump leaks", Category: r.cat, Severity: r.sev, PartNumber: r.part},
		ReceivedAt: r.received, RegisteredAt: registeredAt, RegisteredBy: rvAgent,
		Customer: &complaint.CaseCustomer{Name: "Acme Hospital", Region: r.region, BranchOffice: r.branch},
		Clocks:   &complaint.Clocks{Response: rvRunning(r.received), Onsite: r.onsite(r.received), Resolution: rvRunning(r.received)},
	}
	if c.Clocks.Onsite.State != complaint.ClockNotRequired {
		c.Clocks.Onsite = rvRunning(r.received)
	}
	number, err := s.RegisterCase(t.Context(), c, registeredEvent(registeredAt))
	require.NoError(t, err)

	c.CaseNumber = number
	c.Clocks = &complaint.Clocks{Response: r.resp(r.received), Onsite: r.onsite(r.received), Resolution: r.resol(r.received)}
	at := r.received.Add(2 * time.Hour)
	evs := []complaint.Event{{Seq: 2, Kind: complaint.EventConfirmed, Actor: rvAgent, OccurredAt: at}}
	c.Stage = complaint.StageAnalyze
	if r.dept != "" {
		c.Stage, c.ResponsibleDepartment = complaint.StageRemediate, r.dept
		c.Analysis = &complaint.Analysis{AnalysisBody: complaint.AnalysisBody{RootCause: r.cause,
			ResponsibleDepartment: r.dept, Liability: r.liab}, Actor: rvAgent, At: at}
		evs = append(evs, complaint.Event{Seq: 3, Kind: complaint.EventAnalyzed, Actor: rvAgent, OccurredAt: at})
	}
	if r.recur {
		c.RecurrenceOf = []string{"CMP-2025-000001"}
	}
	if r.closed {
		c.Stage = complaint.StageClosed
		c.Closure = &complaint.Closure{Outcome: complaint.OutcomeResolved, CustomerConfirmed: true, Actor: rvAgent,
			At: r.received.Add(5 * 24 * time.Hour)}
		if r.satisfaction > 0 {
			c.Closure.Satisfaction = new(r.satisfaction)
		}
		evs = append(evs, complaint.Event{Seq: int64(len(evs) + 2), Kind: complaint.EventClosed, Actor: rvAgent,
			OccurredAt: c.Closure.At})
	}
	require.NoError(t, s.ApplyEvents(t.Context(), c, evs))
}

// insertRVCapa writes a corrective action's row as its workflow would
// have projected it.
func insertRVCapa(t *testing.T, s *store.Store, serial int, stage, due string, opened time.Time, effective *time.Time) {
	t.Helper()
	var effectiveAt any
	if effective != nil {
		effectiveAt = effective.UTC()
	}
	_, err := s.DB().ExecContext(t.Context(), s.DB().Rebind(`
		INSERT INTO capas (id, number, serial, stage, owner_department, due_date, opened_at, effective_at,
			updated_at, version, snapshot)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 1, '{}')`),
		fmt.Sprint("capa-", serial), fmt.Sprintf("CAPA-2026-%06d", serial), serial, stage, complaint.DepartmentQuality,
		due, opened.UTC(), effectiveAt, opened.UTC())
	require.NoError(t, err)
}

func TestReviewOfAMonth(t *testing.T) {
	sh := rvShanghai(t)
	now := time.Date(2026, 11, 1, 2, 0, 0, 0, sh)
	oct := func(day, h, m int) time.Time { return time.Date(2026, 10, day, h, m, 0, 0, sh) }
	for _, b := range storetest.Backends(t) {
		t.Run(b.Name, func(t *testing.T) {
			s := openStore(t, b)
			ctx := t.Context()
			october, others := rvFixture(sh)
			for i, r := range append(october, others...) {
				writeRVCase(t, s, fmt.Sprintf("case-%02d", i+1), r)
			}
			// Open at October's end: 1, 2 (its due day, the 31st, is over),
			// 3, 6 and 8; overdue: 1, 2, 6; effective in October: 4 and 9.
			insertRVCapa(t, s, 1, complaint.CapaOpen, "2026-09-15", oct(1, 0, 0).AddDate(0, -2, 9), nil)
			insertRVCapa(t, s, 2, complaint.CapaDone, "2026-10-31", oct(1, 0, 0).AddDate(0, 0, -11), nil)
			insertRVCapa(t, s, 3, complaint.CapaVerifying, "2026-11-15", oct(5, 9, 0), nil)
			insertRVCapa(t, s, 4, complaint.CapaEffective, "2026-08-01", oct(1, 0, 0).AddDate(0, -3, 0), new(oct(20, 9, 0)))
			insertRVCapa(t, s, 5, complaint.CapaEffective, "2026-07-01", oct(1, 0, 0).AddDate(0, -4, 0), new(oct(1, 0, 0).AddDate(0, 0, -5)))
			insertRVCapa(t, s, 6, complaint.CapaIneffective, "2026-10-20", oct(10, 9, 0), nil)
			insertRVCapa(t, s, 7, complaint.CapaOpen, "2026-11-30", oct(1, 0, 0).AddDate(0, 1, 1), nil)
			insertRVCapa(t, s, 8, complaint.CapaOpen, "2026-12-01", oct(31, 23, 0), nil)
			insertRVCapa(t, s, 9, complaint.CapaEffective, "2026-06-01", oct(1, 0, 0).AddDate(0, -5, 0), new(oct(1, 0, 30)))

			compute := func(month string) review.Figures {
				from, to, err := review.MonthRange(month, sh)
				require.NoError(t, err)
				cases, err := s.ReviewFacts(ctx, from, to)
				require.NoError(t, err)
				capas, err := s.ReviewCapaFacts(ctx, to)
				require.NoError(t, err)
				f, err := review.Compute(month, sh, cases, capas, now)
				require.NoError(t, err)
				require.Len(t, cases, f.Cases, "the store reads the month the review counts")
				return f
			}
			want := octoberFigures(sh, now)
			got := compute("2026-10")
			require.Equal(t, want, got)

			capas, err := s.ReviewCapaFacts(ctx, want.To)
			require.NoError(t, err)
			require.Len(t, capas, 8, "the action opened in November is not read")

			september := compute("2026-09")
			require.Equal(t, 12, september.Cases, "the 1st at 00:00 and the 30th at 23:30 in Shanghai are September's")
			require.Equal(t, []review.Count{{Key: "quality", Count: 7}, {Key: "non_quality", Count: 3}, {Key: "other", Count: 2}},
				september.ByCategory)

			t.Run("rows written before the review's facts get them at the next migrate", func(t *testing.T) {
				_, err := s.DB().ExecContext(ctx, `UPDATE complaints SET part_number = '', root_cause = '', liability = '',
					response_state = '', response_seconds = NULL, onsite_state = '', onsite_seconds = NULL,
					resolution_state = '', resolution_seconds = NULL, recurrence = FALSE, satisfaction = NULL,
					closed_at = NULL, facts_version = 0`)
				require.NoError(t, err)
				require.Zero(t, compute("2026-10").Breaches, "the facts are gone")
				require.NoError(t, s.Migrate(ctx))
				require.Equal(t, want, compute("2026-10"))
				var left int
				require.NoError(t, s.DB().GetContext(ctx, &left, `SELECT COUNT(*) FROM complaints WHERE facts_version = 0`))
				require.Zero(t, left)
			})

			t.Run("the CSV and the HTML page show the same figures", func(t *testing.T) {
				r := review.Review{Figures: got, State: complaint.ReviewOpen}
				var csv, page bytes.Buffer
				require.NoError(t, review.WriteCSV(&csv, r, review.LangEN))
				require.NoError(t, review.WriteHTML(&page, r, review.LangEN))
				// The hand-computed service levels, and October's 28 cases.
				for _, figure := range []string{"88.0", "87.5", "66.7", "28"} {
					require.Contains(t, csv.String(), figure)
					require.Contains(t, page.String(), figure)
				}
			})

			t.Run("a stored review round-trips, once", func(t *testing.T) {
				saved, err := s.SaveReview(ctx, got)
				require.NoError(t, err)
				require.Equal(t, complaint.ReviewOpen, saved.State)
				require.Nil(t, saved.ClosedAt)
				requireSameFigures(t, got, saved.Figures)

				changed := got
				changed.Cases = 99
				again, err := s.SaveReview(ctx, changed)
				require.NoError(t, err)
				require.Equal(t, 28, again.Cases, "a month is stored once")

				_, err = s.GetReview(ctx, "2026-08")
				require.ErrorIs(t, err, store.ErrNotFound)
				_, err = s.SaveReview(ctx, september)
				require.NoError(t, err)
				list, err := s.ListReviews(ctx)
				require.NoError(t, err)
				require.Equal(t, []string{"2026-10", "2026-09"}, []string{list[0].Month, list[1].Month})
				requireSameFigures(t, got, list[0].Figures)
			})

			t.Run("the last accountability decision stands", func(t *testing.T) {
				first, second := now.Add(24*time.Hour).UTC(), now.Add(48*time.Hour).UTC()
				_, err := s.DecideAccountability(ctx, "2026-10", complaint.DepartmentTechnical,
					complaint.AccountabilityWarning, "five firmware bugs", "sup-1", first)
				require.NoError(t, err)
				r, err := s.DecideAccountability(ctx, "2026-10", complaint.DepartmentTechnical,
					complaint.AccountabilityPenalty, "and a breach", "sup-2", second)
				require.NoError(t, err)
				tech := r.Accountability[2]
				require.Equal(t, complaint.DepartmentTechnical, tech.Department)
				require.Equal(t, complaint.AccountabilityPenalty, tech.Decision)
				require.Equal(t, "and a breach", tech.Note)
				require.Equal(t, "sup-2", tech.DecidedBy)
				require.True(t, second.Equal(*tech.DecidedAt))
				require.Equal(t, 7, tech.Cases)
				require.Empty(t, r.Accountability[0].Decision, "the others have not decided")

				_, err = s.DecideAccountability(ctx, "2026-10", "marketing", complaint.AccountabilityWarning, "n", "sup-1", first)
				require.ErrorIs(t, err, store.ErrNotFound)
				_, err = s.DecideAccountability(ctx, "2026-08", complaint.DepartmentTechnical, complaint.AccountabilityWarning, "n", "sup-1", first)
				require.ErrorIs(t, err, store.ErrNotFound)
			})

			t.Run("a review closes once", func(t *testing.T) {
				first := now.Add(72 * time.Hour).UTC()
				require.NoError(t, s.CloseReview(ctx, "2026-10", first))
				require.NoError(t, s.CloseReview(ctx, "2026-10", first.Add(time.Hour)))
				r, err := s.GetReview(ctx, "2026-10")
				require.NoError(t, err)
				require.Equal(t, complaint.ReviewClosed, r.State)
				require.True(t, first.Equal(*r.ClosedAt))
				require.ErrorIs(t, s.CloseReview(ctx, "2026-08", first), store.ErrNotFound)
			})
		})
	}
}

// requireSameFigures compares figures as the API renders them: a stored
// review reads its times back in a fixed zone.
func requireSameFigures(t *testing.T, want, got review.Figures) {
	t.Helper()
	w, err := json.Marshal(want)
	require.NoError(t, err)
	g, err := json.Marshal(got)
	require.NoError(t, err)
	require.JSONEq(t, string(w), string(g))
}

// octoberFigures are October's figures, counted by hand from rvFixture
// and the actions of TestReviewOfAMonth.
func octoberFigures(sh *time.Location, now time.Time) review.Figures {
	cs := func(kv ...any) []review.Count {
		var out []review.Count
		for i := 0; i < len(kv); i += 2 {
			out = append(out, review.Count{Key: kv[i].(string), Count: kv[i+1].(int)})
		}
		return out
	}
	none := func(kv ...any) map[string]int {
		m := map[string]int{"company": 0, "customer": 0, "third_party": 0, "undetermined": 0}
		for i := 0; i < len(kv); i += 2 {
			m[kv[i].(string)] = kv[i+1].(int)
		}
		return m
	}
	week := func(start string, quality, nonQuality, other int) review.WeekCount {
		return review.WeekCount{Start: start, ByCategory: map[string]int{"quality": quality, "non_quality": nonQuality, "other": other}}
	}
	n := func(nums ...int) []string {
		var out []string
		for _, x := range nums {
			out = append(out, fmt.Sprintf("CMP-2026-%06d", x))
		}
		return out
	}
	return review.Figures{
		Month: "2026-10", From: time.Date(2026, 10, 1, 0, 0, 0, 0, sh), To: time.Date(2026, 11, 1, 0, 0, 0, 0, sh),
		TimeZone: "Asia/Shanghai", ComputedAt: now,
		Cases:          28,
		ByCategory:     cs("quality", 18, "non_quality", 6, "other", 4),
		BySeverity:     cs("minor", 20, "severe", 8),
		ByDepartment:   cs("technical", 7, "production", 6, "", 4, "after_sales", 3, "quality", 3, "sales", 3, "branch_office", 2),
		ByBranchOffice: cs("Ningbo", 11, "Hangzhou", 8, "Suzhou", 7, "", 2),
		ByRegion:       cs("East", 18, "South", 6, "North", 4),
		ServiceLevels: []review.ServiceLevel{
			{Clock: "response", Measured: 25, Met: 22, Breached: 3, MetPercent: 88},
			{Clock: "onsite", Measured: 16, Met: 14, Breached: 2, MetPercent: 87.5},
			{Clock: "resolution", Measured: 21, Met: 14, Breached: 7, MetPercent: 66.7},
		},
		// Nearest rank: response 13th and 23rd of 25 (55 and 130 min),
		// onsite 8th and 14th of 15 (180 and 235 min), resolution 11th and
		// 19th of 21 (900 and 4320 min).
		Times: []review.TimeFigure{
			{Clock: "response", Count: 25, MedianSeconds: 3300, P90Seconds: 7800},
			{Clock: "onsite", Count: 15, MedianSeconds: 10800, P90Seconds: 14100},
			{Clock: "resolution", Count: 21, MedianSeconds: 54000, P90Seconds: 259200},
		},
		Breaches:    9, // 04, 07, 13, 16, 20, 22, 23, 26, 27
		TopParts:    cs("P-100", 8, "P-300", 5, "P-200", 4, "P-400", 2, "P-500", 1, "P-600", 1, "P-700", 1, "P-800", 1),
		TopCauses:   cs("seal worn", 8, "firmware bug", 5, "operator error", 3, "lost in transit", 2, "supplier resin", 2, "wrong order", 2, "late delivery", 1, "unclear", 1),
		Recurrences: 5,
		Capa:        review.CapaFigures{Open: 5, Overdue: 3, Effective: 2},
		// 67 over 19 answers.
		Satisfaction: review.SatisfactionFigures{Answers: 19, Average: 3.53},
		// No follow-up's survey was answered in October's fixture.
		Surveys: review.SurveyFigures{BySatisfaction: []review.Count{{Key: "1"}, {Key: "2"}, {Key: "3"}, {Key: "4"},
			{Key: "5"}}, ByKind: []review.Count{}},
		Weeks: []review.WeekCount{week("2026-10-01", 3, 1, 1), week("2026-10-05", 4, 1, 1), week("2026-10-12", 4, 2, 0),
			week("2026-10-19", 4, 1, 1), week("2026-10-26", 3, 1, 1)},
		ResolveDistribution: []review.Bucket{{Label: "≤ 4 h", Count: 4}, {Label: "4–8 h", Count: 4}, {Label: "8–24 h", Count: 6},
			{Label: "24–72 h", Count: 5}, {Label: "> 72 h", Count: 2}},
		MinorByDepartment: []review.DepartmentCases{
			{Department: "after_sales", CaseNumbers: n(3, 19)},
			{Department: "sales", CaseNumbers: n(8, 16, 21)},
			{Department: "technical", CaseNumbers: n(9, 12, 18)},
			{Department: "production", CaseNumbers: n(2, 6, 14, 20, 25)},
			{Department: "quality", CaseNumbers: n(23)},
			{Department: "branch_office", CaseNumbers: n(11, 26)},
			{Department: "", CaseNumbers: n(5, 15, 24, 28)},
		},
		Accountability: []review.Accountability{
			{Department: "after_sales", Cases: 3, Liability: none("company", 1, "customer", 1, "undetermined", 1)},
			{Department: "sales", Cases: 3, Liability: none("customer", 3)},
			{Department: "technical", Cases: 7, Liability: none("company", 6, "customer", 1)},
			{Department: "production", Cases: 6, Liability: none("company", 6)},
			{Department: "quality", Cases: 3, Liability: none("company", 1, "third_party", 2)},
			{Department: "branch_office", Cases: 2, Liability: none("third_party", 1, "undetermined", 1)},
		},
	}
}
