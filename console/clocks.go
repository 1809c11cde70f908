package console

import (
	"time"

	"github.com/caseflow/caseflow/complaint"
)

// atRiskWithin: a running clock this close to its deadline shows at risk
// even before its first warning went out.
const atRiskWithin = 30 * time.Minute

// clockView is one service-level clock as a page shows it.
type clockView struct {
	Name  string // complaint.ClockNames' name
	State string // a complaint.ClockState, or "at_risk"
	DueAt time.Time
}

// clockState adds "at risk" to a clock's state: running, and warned or
// within atRiskWithin of its deadline.
func clockState(c complaint.Clock, now time.Time) string {
	if c.State != complaint.ClockRunning {
		return string(c.State)
	}
	if c.WarningsSent > 0 || (c.DueAt != nil && c.DueAt.Sub(now) <= atRiskWithin) {
		return "at_risk"
	}
	return string(c.State)
}

func clocksOf(cs complaint.Case, now time.Time) []clockView {
	if cs.Clocks == nil {
		return nil
	}
	var out []clockView
	for _, c := range []struct {
		name  string
		clock complaint.Clock
	}{
		{complaint.ClockResponse, cs.Clocks.Response},
		{complaint.ClockOnsite, cs.Clocks.Onsite},
		{complaint.ClockResolution, cs.Clocks.Resolution},
	} {
		v := clockView{Name: c.name, State: clockState(c.clock, now)}
		if c.clock.DueAt != nil {
			v.DueAt = *c.clock.DueAt
		}
		out = append(out, v)
	}
	// The filing clock of the earliest service record still owed, while
	// one is.
	if sr := cs.Clocks.ServiceRecord; sr != nil {
		v := clockView{Name: complaint.ClockServiceRecord, State: clockState(*sr, now)}
		if sr.DueAt != nil {
			v.DueAt = *sr.DueAt
		}
		out = append(out, v)
	}
	return out
}

// urgency orders cases for a person: breached first, then at risk, then by
// the nearest running deadline; a case without one comes last.
func urgency(cs complaint.Case, now time.Time) (rank int, due time.Time) {
	rank, due = 3, time.Time{}
	for _, v := range clocksOf(cs, now) {
		r := 3
		switch v.State {
		case string(complaint.ClockBreached):
			r = 0
		case "at_risk":
			r = 1
		case string(complaint.ClockRunning):
			r = 2
		default:
			continue
		}
		if r < rank || (r == rank && (due.IsZero() || v.DueAt.Before(due))) {
			rank, due = r, v.DueAt
		}
	}
	return rank, due
}
