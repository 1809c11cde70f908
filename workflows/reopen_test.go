package workflows_test

import (
	"encoding/json"
	"time"

	"github.com/caseflow/caseflow/complaint"
	"github.com/caseflow/caseflow/sla"
	"github.com/caseflow/caseflow/workflows"
)

var admin = complaint.Actor{UserID: "ad1", Name: "Admin", Department: complaint.DepartmentAfterSales, Roles: []string{"admin"}}

// reopenInput is the input of a reopen at the start of a minor non-quality
// case received before it, whose workflow was terminated in stage analyze
// with the resolution clock as given.
func (s *clockSuite) reopenInput(received time.Time, resolution complaint.Clock) workflows.ComplaintInput {
	in := s.clockInput(complaint.CategoryNonQuality, sla.Standard())
	in.ReceivedAt = received
	respondedAt, respondBy := received.Add(time.Hour), received.Add(2*time.Hour)
	carried := complaint.Case{
		ID: in.ID, CaseNumber: "CMP-2026-000099", Stage: complaint.StageTerminated, Register: in.Register,
		ReceivedAt: received, RegisteredAt: received, RegisteredBy: agent, Version: 3,
		SLAPolicy: "standard", AllowedSteps: []string{},
		Clocks: &complaint.Clocks{
			Response:   complaint.Clock{State: complaint.ClockMet, DueAt: &respondBy, StoppedAt: &respondedAt},
			Onsite:     complaint.Clock{State: complaint.ClockNotRequired},
			Resolution: resolution,
		},
		Termination: &complaint.Termination{Status: complaint.EndTerminated, By: complaint.Actor{Name: "webui"},
			Reason: "by mistake", At: s.start.Add(-time.Minute), Stage: complaint.StageAnalyze, RunID: "run-1"},
	}
	in.Carried = &workflows.Carried{Case: carried, By: admin, Reason: "ended by mistake", RequestID: "reopen-1"}
	return in
}

// reopenAt sends the reopen update with the update id d after the start.
func (s *clockSuite) reopenAt(d time.Duration, id string) *outcome {
	out := &outcome{step: step{name: workflows.UpdateReopen.Name}}
	s.env.RegisterDelayedCallback(func() {
		s.env.UpdateWorkflow(workflows.UpdateReopen.Name, id, recordInto(out))
	}, d)
	return out
}

// A reopened case resumes its stage; its running clock keeps its deadline,
// counting the time it stood terminated, and sends no warning twice.
func (s *clockSuite) TestReopenKeepsTheClocksDeadlines() {
	received := s.at(-13 * time.Hour)
	due := received.Add(24 * time.Hour) // 11 h after the reopen
	in := s.reopenInput(received, complaint.Clock{State: complaint.ClockRunning, DueAt: &due, WarningsSent: 1})
	reopened := s.reopenAt(time.Second, "reopen-1")
	again := s.reopenAt(2*time.Second, "reopen-1")
	other := s.reopenAt(3*time.Second, "reopen-2")
	analysed := s.stepAt(time.Hour, analysis(producer, complaint.LiabilityCompany))
	s.run(in, 13*time.Hour)

	cs := s.ok(reopened)
	s.Equal(complaint.StageAnalyze, cs.Stage)
	s.Nil(cs.Termination)
	s.Equal(int64(4), cs.Version)
	s.Contains(cs.AllowedSteps, workflows.UpdateAnalysis.Name)
	s.Equal(complaint.ClockMet, cs.Clocks.Response.State)
	s.Equal(complaint.ClockNotRequired, cs.Clocks.Onsite.State)
	s.Equal(complaint.ClockRunning, cs.Clocks.Resolution.State)
	s.sameTime(due, cs.Clocks.Resolution.DueAt)
	s.Equal(int64(4), s.ok(again).Version, "the same request answers the same")
	s.Require().Error(other.rejected, "a second reopen of the running case is refused")
	s.refusedAsReopened(other.rejected)

	s.Equal(complaint.StageNegotiate, s.ok(analysed).Stage)
	s.mu.Lock()
	first := s.applied[0]
	s.mu.Unlock()
	s.Equal(complaint.EventReopened, first.Event.Kind)
	s.Equal(int64(4), first.Event.Seq)
	s.Equal(admin, first.Event.Actor)
	var payload map[string]string
	s.Require().NoError(json.Unmarshal(first.Event.Payload, &payload))
	s.Equal(map[string]string{"reason": "ended by mistake", "stage": "analyze"}, payload)

	// 13 h of 24 ran before the reopen: the second warning (80 %) comes
	// 6h12m after it, the breach at the deadline it had.
	s.Equal([]string{
		"clock_warning resolution 2 @6h12m0s", "clock_breached resolution 0 @11h0m0s",
		"clock_escalated resolution 1 @11h0m0s", "clock_escalated resolution 2 @12h0m0s",
	}, s.clockEvents(s.sinceStart))
}

// A deadline that passed while the case stood terminated breaches as soon
// as it is reopened, at the deadline it had, and the escalation catches up.
func (s *clockSuite) TestReopenBreachesADeadlinePassedMeanwhile() {
	received := s.at(-30 * time.Hour)
	due := received.Add(24 * time.Hour) // 6 h before the reopen
	in := s.reopenInput(received, complaint.Clock{State: complaint.ClockRunning, DueAt: &due, WarningsSent: 2})
	reopened := s.reopenAt(time.Second, "reopen-1")
	later := s.caseAt(time.Minute)
	s.run(in, time.Hour)

	s.Equal(complaint.StageAnalyze, s.ok(reopened).Stage)
	r := s.taken(later).Resolution
	s.Equal(complaint.ClockBreached, r.State)
	s.sameTime(due, r.BreachedAt)
	s.True(later.InterimRequired)
	s.Contains(later.AllowedSteps, workflows.UpdateInterim.Name)
	s.Equal([]string{
		"clock_breached resolution 0 @0s", "clock_escalated resolution 1 @0s", "clock_escalated resolution 2 @0s",
		"clock_escalated resolution 3 @0s", // all three levels were due by then
	}, s.clockEvents(s.sinceStart))
}

func (s *clockSuite) refusedAsReopened(err error) {
	s.T().Helper()
	s.Require().ErrorContains(err, "reopened already")
	s.Contains(err.Error(), workflows.ErrTypeWrongStage)
}

// A resolution clock paused when the workflow ended stays paused, with the
// time it had run; a resume restarts it from there.
func (s *clockSuite) TestReopenKeepsAPausedClockPaused() {
	received := s.at(-10 * time.Hour)
	in := s.reopenInput(received, complaint.Clock{State: complaint.ClockPaused})
	in.Carried.Case.Paused = &complaint.Pause{Reason: "waiting for the customer", By: agent, Since: s.at(-4 * time.Hour)}
	reopened := s.reopenAt(time.Second, "reopen-1")
	resumed := s.stepAt(time.Hour, resume())
	s.run(in, 2*time.Hour)

	cs := s.ok(reopened)
	s.Equal(complaint.ClockPaused, cs.Clocks.Resolution.State)
	s.Require().NotNil(cs.Paused)
	s.Contains(cs.AllowedSteps, workflows.UpdateResume.Name)
	r := s.ok(resumed).Clocks.Resolution
	s.Equal(complaint.ClockRunning, r.State)
	s.sameTime(s.at(19*time.Hour), r.DueAt, "6 h ran before the pause; 18 h are left from the resume")
	s.Equal(int64(5*3600), r.PausedSeconds, "paused from 4 h before the reopen to 1 h after")
}
