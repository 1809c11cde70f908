package workflows_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"testing"
	"time"

	"github.com/stretchr/testify/mock"
	"github.com/stretchr/testify/suite"
	"go.temporal.io/sdk/log"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/testsuite"

	"github.com/caseflow/caseflow/activities"
	"github.com/caseflow/caseflow/complaint"
	"github.com/caseflow/caseflow/workflows"
)

// Actors of a corrective action.
var (
	capaQuality = complaint.Actor{UserID: "q1", Name: "Zhou", Department: complaint.DepartmentQuality,
		Roles: []string{complaint.RoleAgent}}
	capaProduction = complaint.Actor{UserID: "p1", Name: "Chen", Department: complaint.DepartmentProduction,
		Roles: []string{complaint.RoleAgent}}
	capaDesk = complaint.Actor{UserID: "as1", Name: "Zhang", Department: complaint.DepartmentAfterSales,
		Roles: []string{complaint.RoleAgent}}
)

type capaSuite struct {
	suite.Suite
	testsuite.WorkflowTestSuite
	env              *testsuite.TestWorkflowEnvironment
	searchAttributes map[string]any
	applied          []activities.CapaEvent
	notices          []activities.NotifyInput
	noticeAt         []time.Time
	// recurs answers the recurrence check ("" = not a recurrence).
	recurs string
}

func TestCapaWorkflow(t *testing.T) { suite.Run(t, new(capaSuite)) }

// 17:00 in Shanghai on 29 November 2026.
var capaStart = time.Date(2026, 11, 29, 9, 0, 0, 0, time.UTC)

func shanghai() *time.Location {
	loc, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		panic(err)
	}
	return loc
}

func (s *capaSuite) SetupTest() {
	s.SetLogger(log.NewStructuredLogger(slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))))
	s.env = s.NewTestWorkflowEnvironment()
	s.env.SetStartTime(capaStart)
	s.applied, s.notices, s.noticeAt, s.recurs = nil, nil, nil, ""
	s.searchAttributes = map[string]any{}
	s.env.RegisterActivity(&activities.Activities{})
	s.env.OnUpsertTypedSearchAttributes(mock.Anything).Run(func(args mock.Arguments) {
		for key, value := range args.Get(0).(temporal.SearchAttributes).GetUntypedValues() {
			s.searchAttributes[key.GetName()] = value
		}
	}).Return(nil)
	s.env.OnActivity(mocked.RegisterCapa, mock.Anything, mock.Anything).Return(
		func(_ context.Context, in activities.CapaEvent) (activities.CapaNumber, error) {
			s.applied = append(s.applied, in)
			return activities.CapaNumber{Number: "CAPA-2026-000003", Serial: 3}, nil
		})
	s.env.OnActivity(mocked.ApplyCapaEvent, mock.Anything, mock.Anything).Return(
		func(_ context.Context, in activities.CapaEvent) error {
			data, _ := json.Marshal(in)
			var c activities.CapaEvent
			_ = json.Unmarshal(data, &c)
			s.applied = append(s.applied, c)
			return nil
		})
	s.env.OnActivity(mocked.ConfirmRecurrence, mock.Anything, mock.Anything).Return(
		func(_ context.Context, r activities.CapaRecurrence) (string, error) {
			s.Equal([]string{"c-1"}, r.ComplaintIDs, "the action checks against its own cases")
			return s.recurs, nil
		})
	s.env.OnActivity(mocked.RecordNotifications, mock.Anything, mock.Anything).Return(
		func(_ context.Context, in activities.NotifyInput) (bool, error) {
			s.notices = append(s.notices, in)
			s.noticeAt = append(s.noticeAt, s.env.Now().UTC())
			return true, nil
		})
	s.env.OnActivity(mocked.DeliverNotifications, mock.Anything, mock.Anything).Return(nil)
}

func capaInput() workflows.CapaInput {
	return workflows.CapaInput{ID: "a1", OpenedBy: capaQuality, TimeZone: "Asia/Shanghai",
		Body: complaint.CapaOpenBody{ComplaintIDs: []string{"c-1"}, PartNumber: "P-778", RootCause: "seal batch",
			Action: "change the seal supplier", OwnerDepartment: complaint.DepartmentProduction, DueDate: "2026-12-10"}}
}

func (s *capaSuite) executeCapa(in workflows.CapaInput) {
	wid := complaint.CapaWorkflowID(in.ID)
	s.env.SetStartWorkflowOptions(startOptions(wid))
	in, err := in.Signed(testKeys, wid)
	s.Require().NoError(err)
	s.env.ExecuteWorkflow(workflows.CapaWorkflow, in)
}

type capaOutcome struct {
	rejected, failed error
	value            complaint.Capa
}

// play runs an action with each step at its offset from the start, and
// signals at theirs; the test cancels it at end if it has not completed.
func (s *capaSuite) play(in workflows.CapaInput, end time.Duration, steps map[time.Duration]step,
	signals map[time.Duration]activities.CapaRecurrence,
) map[time.Duration]*capaOutcome {
	outs := map[time.Duration]*capaOutcome{}
	for at, st := range steps {
		out := &capaOutcome{}
		outs[at] = out
		s.env.RegisterDelayedCallback(func() {
			id := fmt.Sprintf("%s-%d", st.name, at)
			s.env.UpdateWorkflow(st.name, id, &testsuite.TestUpdateCallback{
				OnAccept: func() {},
				OnReject: func(err error) { out.rejected = err },
				OnComplete: func(v any, err error) {
					if err != nil {
						out.failed = err
						return
					}
					out.value = v.(workflows.CapaStepResult).Capa
				},
			}, signed(st, id))
		}, at)
	}
	for at, sig := range signals {
		s.env.RegisterDelayedCallback(func() {
			s.env.SignalWorkflow(workflows.SignalCapaRecurrence, sig)
		}, at)
	}
	s.env.RegisterDelayedCallback(func() { s.env.CancelWorkflow() }, end)
	s.executeCapa(in)
	return outs
}

func (s *capaSuite) kinds() []string {
	var out []string
	for _, a := range s.applied {
		out = append(out, a.Event.Kind)
	}
	return out
}

func (s *capaSuite) last() complaint.Capa { return s.applied[len(s.applied)-1].Capa }

func doneStep() step {
	return req(workflows.UpdateCapaDone.Name, capaProduction, complaint.CapaDoneBody{Note: "supplier changed",
		Evidence: []string{"PO-123"}})
}

func verifyStep(result, newDue string) step {
	return req(workflows.UpdateCapaVerify.Name, capaDesk, complaint.CapaVerifyBody{Result: result,
		Note: "checked the last month", NewDueDate: newDue})
}

// TestAnOverdueActionRemindsThenEscalates: the reminder three days before
// the due date and the escalation at the end of the due day, both at
// midnight in Shanghai, to the owner department's agents and then its
// supervisors.
func (s *capaSuite) TestAnOverdueActionRemindsThenEscalates() {
	s.play(capaInput(), 20*24*time.Hour, nil, nil)

	s.Equal([]string{complaint.EventCapaOpened, complaint.EventCapaDueSoon, complaint.EventCapaOverdue}, s.kinds())
	s.Require().Len(s.notices, 2)
	s.Equal(complaint.NotificationCapaDueSoon, s.notices[0].Kind)
	s.Equal(time.Date(2026, 12, 7, 0, 0, 0, 0, shanghai()).UTC(), s.noticeAt[0])
	s.Equal(complaint.DepartmentProduction, s.notices[0].Recipients[0].Department)
	s.Equal(complaint.RoleAgent, s.notices[0].Recipients[0].Role)
	s.Equal(complaint.NotificationCapaOverdue, s.notices[1].Kind)
	s.Equal(time.Date(2026, 12, 11, 0, 0, 0, 0, shanghai()).UTC(), s.noticeAt[1])
	s.Equal(complaint.RoleSupervisor, s.notices[1].Recipients[0].Role)
	s.Equal("CAPA-2026-000003", s.notices[1].CaseNumber)
	s.True(s.last().Overdue)
	s.Equal([]string{"open"}, s.searchAttributes["CapaStage"])
	s.Equal([]string{"production"}, s.searchAttributes["OwnerDepartment"])
	s.EqualValues(20261210, s.searchAttributes["CapaDueAt"])
}

// TestTheEffectivenessCheck: done before the reminder silences the clock;
// 30 days after done the action asks after-sales and quality to verify;
// verify before then is refused; effective ends it after the recurrence
// window.
func (s *capaSuite) TestTheEffectivenessCheck() {
	outs := s.play(capaInput(), 300*24*time.Hour, map[time.Duration]step{
		24 * time.Hour:      doneStep(),
		48 * time.Hour:      verifyStep("effective", ""),
		31*24*time.Hour + 1: verifyStep("effective", ""),
	}, nil)

	s.Require().NoError(outs[24*time.Hour].failed)
	s.Require().NoError(outs[24*time.Hour].rejected)
	s.Equal(complaint.CapaDone, outs[24*time.Hour].value.Stage)
	var appErr *temporal.ApplicationError
	s.Require().True(errors.As(outs[48*time.Hour].rejected, &appErr), "verify before the check is refused")
	s.Equal(workflows.ErrTypeWrongStage, appErr.Type())
	s.Require().NoError(outs[31*24*time.Hour+1].rejected)
	s.Equal(complaint.CapaEffective, outs[31*24*time.Hour+1].value.Stage)

	s.Equal([]string{complaint.EventCapaOpened, complaint.EventCapaDone, complaint.EventCapaVerifying,
		complaint.EventCapaVerified}, s.kinds())
	s.Require().Len(s.notices, 1)
	s.Equal(complaint.NotificationCapaVerify, s.notices[0].Kind)
	s.WithinDuration(capaStart.Add(24*time.Hour+30*24*time.Hour), s.noticeAt[0], time.Millisecond, "30 days after done")
	s.True(s.env.IsWorkflowCompleted())
	var c complaint.Capa
	s.Require().NoError(s.env.GetWorkflowResult(&c), "the workflow completes once the window has passed")
	s.Equal(complaint.CapaEffective, c.Stage)
}

// TestAnIneffectiveVerdictReopens: the action is open again with the new
// due date, and its clock reminds and escalates for the new round.
func (s *capaSuite) TestAnIneffectiveVerdictReopens() {
	outs := s.play(capaInput(), 90*24*time.Hour, map[time.Duration]step{
		24 * time.Hour:      doneStep(),
		31*24*time.Hour + 1: verifyStep("ineffective", "2027-01-20"),
	}, nil)
	reopened := outs[31*24*time.Hour+1].value
	s.Equal(complaint.CapaOpen, reopened.Stage)
	s.Equal(2, reopened.Round)
	s.Equal("2027-01-20", reopened.DueDate)
	kinds := s.kinds()
	s.Equal([]string{complaint.EventCapaOpened, complaint.EventCapaDone, complaint.EventCapaVerifying,
		complaint.EventCapaVerified, complaint.EventCapaDueSoon, complaint.EventCapaOverdue}, kinds)
	s.Equal(2, s.notices[len(s.notices)-1].Level, "the second round's notices are keyed apart")
	s.Equal(time.Date(2027, 1, 21, 0, 0, 0, 0, shanghai()).UTC(), s.noticeAt[len(s.noticeAt)-1])
}

// TestARecurrenceReopensAnEffectiveAction, once the store confirms it.
func (s *capaSuite) TestARecurrenceReopensAnEffectiveAction() {
	s.recurs = "CMP-2027-000042"
	s.play(capaInput(), 60*24*time.Hour, map[time.Duration]step{
		24 * time.Hour:      doneStep(),
		31*24*time.Hour + 1: verifyStep("effective", ""),
	}, map[time.Duration]activities.CapaRecurrence{
		40 * 24 * time.Hour: {ComplaintID: "c-9", Version: 3},
	})
	c := s.last()
	s.Equal(complaint.EventCapaReopened, s.applied[len(s.applied)-1].Event.Kind)
	s.Equal(complaint.CapaOpen, c.Stage)
	s.Equal([]string{"CMP-2027-000042"}, c.Recurrences)
	s.Equal(complaint.VerdictIneffective, c.Verification.Result)
	s.Equal("2027-02-07", c.DueDate, "30 days after the recurrence, in Shanghai")
}

// TestARecurrenceTheStoreDoesNotConfirmChangesNothing: a signal is not
// trusted on its own.
func (s *capaSuite) TestARecurrenceTheStoreDoesNotConfirmChangesNothing() {
	s.play(capaInput(), 60*24*time.Hour, map[time.Duration]step{
		24 * time.Hour:      doneStep(),
		31*24*time.Hour + 1: verifyStep("effective", ""),
	}, map[time.Duration]activities.CapaRecurrence{
		40 * 24 * time.Hour: {ComplaintID: "c-9", Version: 3},
	})
	s.Equal(complaint.CapaEffective, s.last().Stage)
}

// TestAnOpenerNobodyVouchedFor fails the workflow before the store.
func (s *capaSuite) TestAnOpenerNobodyVouchedFor() {
	for name, in := range map[string]workflows.CapaInput{
		"unsigned": capaInput(),
		"a case that is not its parent": func() workflows.CapaInput {
			in := capaInput()
			in.ByCase = "c-1"
			return in
		}(),
	} {
		s.Run(name, func() {
			s.SetupTest()
			s.env.SetStartWorkflowOptions(startOptions(complaint.CapaWorkflowID(in.ID)))
			s.env.ExecuteWorkflow(workflows.CapaWorkflow, in)
			s.Require().True(s.env.IsWorkflowCompleted())
			err := s.env.GetWorkflowError()
			var appErr *temporal.ApplicationError
			s.Require().True(errors.As(err, &appErr), "%v", err)
			s.Equal(workflows.ErrTypeForbidden, appErr.Type())
			s.Empty(s.applied)
		})
	}
}
