package rules

import (
	"time"

	"github.com/caseflow/caseflow/complaint"
	"github.com/caseflow/caseflow/sla"
)

// State is what a case's rules decide on: the case as the API shows it, the
// policy copied at registration and the running clocks (none without a
// policy).
type State struct {
	complaint.Case
	Policy sla.Policy
	Runs   []*sla.Run
	// OrderFactsAtConfirm makes confirm refuse a quality complaint without
	// its order and part; cases registered before the archive confirm
	// without them, as their histories recorded.
	OrderFactsAtConfirm bool
	// Lending makes backup equipment at the interim step name the unit to
	// lend (loans.go); older cases record it as text, as their histories
	// recorded.
	Lending bool
	// CapaProcess makes a corrective action open a CAPA workflow of its
	// own and a case look for the earlier cases it repeats; older cases
	// keep the action as a line of the case, as their histories recorded.
	CapaProcess bool
	// clockNow is the time of the last step or event applied, for the
	// view of the filing clock.
	clockNow time.Time
}

// At sets the time the case's views are worked out at.
func (s *State) At(t time.Time) { s.clockNow = t }

// StartClocks starts the three clocks from the moment the complaint was
// received; the on-site clock only when the case needs a visit.
func (s *State) StartClocks() {
	s.SLAPolicy = s.Policy.Name
	s.Runs = []*sla.Run{
		sla.NewRun(s.Policy, sla.Response, true),
		sla.NewRun(s.Policy, sla.Onsite, s.OnsiteNeeded()),
		sla.NewRun(s.Policy, sla.Resolution, true),
	}
	for _, r := range s.Runs {
		if r.Required {
			r.Start(s.Policy, s.ReceivedAt)
		}
	}
	s.Clocks = &complaint.Clocks{}
	s.RefreshClocks()
	s.AllowedSteps = AllowedSteps(s.Case)
}

// Run is the clock of that name, nil when the case runs none.
func (s *State) Run(name string) *sla.Run {
	for _, r := range s.Runs {
		if r.Name == name {
			return r
		}
	}
	return nil
}

// Next says what clock r does next (see Next).
func (s *State) Next(r *sla.Run) sla.Event { return Next(s.Case, s.Policy, r) }

// Next says what clock r of case c does next under policy p: nothing once
// the case is closed; its resolution escalation ends with interim relief.
func Next(c complaint.Case, p sla.Policy, r *sla.Run) sla.Event {
	if c.Stage == complaint.StageClosed {
		return sla.Event{}
	}
	return r.Next(p, c.Interim != nil)
}

// RefreshClocks writes the clocks' state into the case view.
func (s *State) RefreshClocks() {
	if s.Clocks == nil {
		return
	}
	*s.Clocks = ClocksView(s.Run)
	s.Clocks.ServiceRecord = ServiceRecordClock(s.Case, s.clockNow)
}

// ClocksView is the case view of the clocks that run names.
func ClocksView(run func(name string) *sla.Run) complaint.Clocks {
	return complaint.Clocks{
		Response: run(sla.Response).View(), Onsite: run(sla.Onsite).View(), Resolution: run(sla.Resolution).View(),
	}
}

// stopClock stops the named clock for good at t; a stopped resolution
// clock also ends a pause.
func (s *State) stopClock(name string, t time.Time) {
	r := s.Run(name)
	if r == nil || !r.Stop(s.Policy, t) {
		return
	}
	if name == sla.Resolution {
		s.Paused = nil
	}
}

// stopAllClocks stops every clock when the case closes.
func (s *State) stopAllClocks(t time.Time) {
	for _, r := range s.Runs {
		s.stopClock(r.Name, t)
	}
}

// requireOnsite starts or drops the on-site clock when confirm changes
// whether the case needs a visit.
func (s *State) requireOnsite(needed bool) {
	if r := s.Run(sla.Onsite); r != nil {
		r.Require(s.Policy, needed, s.ReceivedAt)
	}
}
