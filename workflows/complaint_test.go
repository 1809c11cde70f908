package workflows_test

import (
	"context"
	enumspb "go.temporal.io/api/enums/v1"
	"log/slog"
	"maps"
	"os"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/mock"
	"github.com/stretchr/testify/require"
	"github.com/stretchr/testify/suite"
	"go.temporal.io/sdk/log"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/testsuite"

	"github.com/caseflow/caseflow/activities"
	"github.com/caseflow/caseflow/complaint"
	"github.com/caseflow/caseflow/store"
	"github.com/caseflow/caseflow/workflows"
)

type complaintSuite struct {
	suite.Suite
	testsuite.WorkflowTestSuite
	env *testsuite.TestWorkflowEnvironment
	// searchAttributes accumulates what the workflow upserted, by name.
	searchAttributes map[string]any
	// upsertCount counts the workflow's search-attribute upserts.
	upsertCount int
	// applied are the ApplyEvent activities' inputs, in order (mockStore).
	applied []activities.CaseEvent
	// onApply, when set, runs inside each ApplyEvent.
	onApply func(activities.CaseEvent)
	// last is the case as queried just before play cancelled the workflow.
	last complaint.Case
	// recurrence is what the search for earlier cases finds (none unless a
	// test sets it); probes are the searches made.
	recurrence activities.Recurrence
	probes     []store.RecurrenceProbe
}

func TestComplaintWorkflow(t *testing.T) { suite.Run(t, new(complaintSuite)) }

func (s *complaintSuite) SetupTest() {
	// The test environment logs every timer and activity at debug level.
	s.SetLogger(log.NewStructuredLogger(slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))))
	s.env = s.NewTestWorkflowEnvironment()
	s.env.SetStartTime(time.Date(2026, 11, 29, 9, 0, 0, 0, time.UTC))
	s.applied, s.onApply, s.last = nil, nil, complaint.Case{}
	s.env.RegisterActivity(&activities.Activities{})
	s.recurrence, s.probes = activities.Recurrence{}, nil
	s.env.OnActivity(mocked.FindRecurrence, mock.Anything, mock.Anything).Return(
		func(_ context.Context, p store.RecurrenceProbe) (activities.Recurrence, error) {
			s.probes = append(s.probes, p)
			return s.recurrence, nil
		}).Maybe()
	withoutPrevention(s.env)
	s.searchAttributes = map[string]any{}
	s.upsertCount = 0
	s.env.OnUpsertTypedSearchAttributes(mock.Anything).Run(func(args mock.Arguments) {
		s.upsertCount++
		for key, value := range args.Get(0).(temporal.SearchAttributes).GetUntypedValues() {
			s.searchAttributes[key.GetName()] = value
		}
	}).Return(nil)
}

func input() workflows.ComplaintInput {
	return workflows.ComplaintInput{
		ID: "case-1",
		Register: complaint.Register{
			CustomerID: "C-1", CustomerName: "Acme", ContactName: "Li", Description: "leak",
			Channel: complaint.ChannelPhone, Category: complaint.CategoryQuality, Severity: complaint.SeveritySevere,
			OrderNumber: "SO-1", PartNumber: "P-1",
		},
		ReceivedAt:   time.Date(2026, 11, 29, 8, 0, 0, 0, time.UTC),
		RegisteredBy: complaint.Actor{UserID: "u1", Name: "Agent", Department: "after_sales"},
	}
}

type updateResult struct {
	accepted bool
	value    complaint.Case
	err      error
}

func (s *complaintSuite) sendRegistrationUpdate(result *updateResult) {
	s.env.UpdateWorkflow(workflows.UpdateRegistration.Name, "reg", &testsuite.TestUpdateCallback{
		OnAccept: func() { result.accepted = true },
		OnReject: func(err error) { result.err = err },
		OnComplete: func(v any, err error) {
			if err != nil {
				result.err = err
				return
			}
			result.value = v.(complaint.Case)
		},
	})
}

func (s *complaintSuite) TestRegistrationRecordsTheCaseAndAnswersTheUpdate() {
	var recorded activities.CaseEvent
	s.env.OnActivity(mocked.RegisterCase, mock.Anything, mock.Anything).Return(
		func(_ context.Context, in activities.CaseEvent) (string, error) {
			recorded = in
			return "CMP-2026-000007", nil
		}).Once()

	var result updateResult
	s.env.RegisterDelayedCallback(func() { s.sendRegistrationUpdate(&result) }, 0)
	// The workflow waits for later steps; ending the test here is expected.
	s.env.RegisterDelayedCallback(func() {
		cs := s.queryCase()
		s.Equal("CMP-2026-000007", cs.CaseNumber)
		s.env.CancelWorkflow()
	}, time.Minute)
	execute(s.env, input())

	s.NoError(result.err)
	s.True(result.accepted)
	s.Equal("CMP-2026-000007", result.value.CaseNumber)
	s.Equal(complaint.StageConfirm, result.value.Stage)
	s.Equal("Acme", result.value.CustomerName)

	s.Equal(int64(1), recorded.Event.Seq)
	s.Equal(complaint.EventRegistered, recorded.Event.Kind)
	s.Equal("Agent", recorded.Event.Actor.Name)
	s.Equal("case-1", recorded.Case.ID)
	s.JSONEq(`{"customer_id":"C-1","customer_name":"Acme","contact_name":"Li","channel":"phone","description":"leak","category":"quality","severity":"severe","order_number":"SO-1","part_number":"P-1"}`,
		string(recorded.Event.Payload))

	s.Equal("CMP-2026-000007", s.searchAttributes["CaseNumber"])
	s.Equal("confirm", s.searchAttributes["CaseStage"])
	s.Equal("C-1", s.searchAttributes["CustomerID"])
	s.Equal("quality", s.searchAttributes["CaseCategory"])
}

// TestARegistrationFinishesItsRecurrenceInItsFirstTask: a new case that
// repeats earlier ones (searching only the cases registered by its start)
// records them, its event written at once, tells quality and the owners
// of their actions, and publishes their count with its number, all within
// its first task: a second later nothing else has happened.
func (s *complaintSuite) TestARegistrationFinishesItsRecurrenceInItsFirstTask() {
	s.mockStore()
	s.recurrence = activities.Recurrence{
		Cases: []store.CaseRef{{ID: "c-7", CaseNumber: "CMP-2026-000007"}, {ID: "c-9", CaseNumber: "CMP-2026-000009"}},
		Capas: []complaint.Capa{{ID: "a-1", OwnerDepartment: complaint.DepartmentProduction, Stage: complaint.CapaOpen}},
	}
	var notices []activities.NotifyInput
	s.env.OnActivity(mocked.RecordNotifications, mock.Anything, mock.Anything).Return(
		func(_ context.Context, in activities.NotifyInput) (bool, error) {
			notices = append(notices, in)
			return false, nil
		})
	var result updateResult
	s.env.RegisterDelayedCallback(func() { s.sendRegistrationUpdate(&result) }, 0)
	var applied []activities.CaseEvent
	var upserts int
	var attrs map[string]any
	s.env.RegisterDelayedCallback(func() {
		applied, upserts, attrs = slices.Clone(s.applied), s.upsertCount, maps.Clone(s.searchAttributes)
		s.env.CancelWorkflow()
	}, time.Second)
	execute(s.env, input())
	s.NoError(result.err)

	s.Require().Len(s.probes, 1)
	s.Equal(time.Date(2026, 11, 29, 9, 0, 0, 0, time.UTC), s.probes[0].RegisteredBy.UTC(),
		"only cases registered by the workflow's start count")
	s.Require().Len(applied, 1, "the recurrence's event is written within the first task")
	s.Equal(int64(2), applied[0].Event.Seq)
	s.Equal(complaint.EventRecurrenceFound, applied[0].Event.Kind)
	s.JSONEq(`{"recurrence_of":["CMP-2026-000007","CMP-2026-000009"]}`, string(applied[0].Event.Payload))
	s.Equal(1, upserts, "one upsert of the case's own")
	s.Equal(int64(2), attrs["Recurrence"])
	s.Equal("CMP-2026-000042", attrs["CaseNumber"])
	i := slices.IndexFunc(notices, func(n activities.NotifyInput) bool { return n.Kind == complaint.NotificationRecurrence })
	s.Require().GreaterOrEqual(i, 0, "the recurrence is told")
	s.Equal("CMP-2026-000007, CMP-2026-000009", notices[i].Facts["recurrence_of"])
	var departments []string
	for _, r := range notices[i].Recipients {
		departments = append(departments, r.Department)
	}
	s.Equal([]string{complaint.DepartmentQuality, complaint.DepartmentProduction}, departments)
}

func (s *complaintSuite) TestRegistrationRetriesUntilTheStoreTakesIt() {
	calls := 0
	s.env.OnActivity(mocked.RegisterCase, mock.Anything, mock.Anything).Return(
		func(context.Context, activities.CaseEvent) (string, error) {
			calls++
			if calls < 8 {
				return "", context.DeadlineExceeded
			}
			return "CMP-2026-000001", nil
		})
	var result updateResult
	s.env.RegisterDelayedCallback(func() { s.sendRegistrationUpdate(&result) }, 0)
	s.env.RegisterDelayedCallback(func() { s.env.CancelWorkflow() }, time.Hour)
	execute(s.env, input())

	// Past the first task's few quick attempts, the activity goes on.
	s.Equal(8, calls)
	s.NoError(result.err)
	s.Equal("CMP-2026-000001", result.value.CaseNumber)
}

func (s *complaintSuite) queryCase() complaint.Case {
	v, err := s.env.QueryWorkflow(workflows.QueryCase.Name)
	require.NoError(s.T(), err)
	var cs complaint.Case
	require.NoError(s.T(), v.Get(&cs))
	return cs
}

func TestSearchAttributesListsEveryKey(t *testing.T) {
	attrs := workflows.SearchAttributes()
	require.Len(t, attrs, 21)
	require.Contains(t, attrs, "RmaStage")
	require.Equal(t, enumspb.INDEXED_VALUE_TYPE_KEYWORD_LIST, attrs["CapaStage"], "SQL visibility has no Keyword slot left")
	require.Equal(t, enumspb.INDEXED_VALUE_TYPE_INT, attrs["Recurrence"])
	require.Contains(t, attrs, "CaseStage")
	require.Contains(t, attrs, "ResolveDueAt")
}
