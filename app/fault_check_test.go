//go:build fault

package app_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/api/workflowservice/v1"
	"go.temporal.io/sdk/client"
	sdklog "go.temporal.io/sdk/log"

	"github.com/caseflow/caseflow/app"
	"github.com/caseflow/caseflow/complaint"
	"github.com/caseflow/caseflow/notify"
	"github.com/caseflow/caseflow/payloadcrypt"
	"github.com/caseflow/caseflow/store"
	"github.com/caseflow/caseflow/workflows"
)

// faultDue is one notification a fast case's clocks owe.
type faultDue struct {
	caseID, clock, kind string
	level               int
	recipient           string
	email               bool // the recipient has an address, so SMTP applies
}

func (n faultDue) key() string {
	return fmt.Sprintf("%s|%s|%s|%d|%s", n.caseID, n.clock, n.kind, n.level, n.recipient)
}

// faultDueNotifications derives, from the policy of seconds and the users alone,
// what every accepted fast case's clocks owe by now: each clock's warning
// to after-sales agents and engineers (no engineer is assigned and no
// department is responsible yet) and both escalation levels to the quality
// admins. The contact, sent once every response event is due, stops
// nothing that is still owed.
func faultDueNotifications(cases []*faultCase, users []store.User) []faultDue {
	with := func(role, department string) []store.User {
		var out []store.User
		for _, u := range users {
			if u.Department == department && slices.Contains(u.Roles, role) {
				out = append(out, u)
			}
		}
		return out
	}
	warned := append(with("agent", "after_sales"), with("engineer", "after_sales")...)
	escalated := with("admin", "quality")
	var due []faultDue
	for _, c := range cases {
		if !c.fast || c.id == "" {
			continue
		}
		for _, clock := range []string{complaint.ClockResponse, complaint.ClockResolution} {
			for _, u := range warned {
				due = append(due, faultDue{c.id, clock, complaint.NotificationWarning, 1, u.ID, u.Email != ""})
			}
			for level := 1; level <= 2; level++ {
				for _, u := range escalated {
					due = append(due, faultDue{c.id, clock, complaint.NotificationEscalation, level, u.ID, u.Email != ""})
				}
			}
		}
	}
	return due
}

// faultOutboxRow is a notification as the store recorded it.
type faultOutboxRow struct {
	ID          string `db:"id"`
	ComplaintID string `db:"complaint_id"`
	Clock       string `db:"clock"`
	Kind        string `db:"kind"`
	Level       int    `db:"level"`
	Recipient   string `db:"recipient"`
	Delivery    string `db:"delivery"`
}

func (r faultOutboxRow) key() string {
	return fmt.Sprintf("%s|%s|%s|%d|%s", r.ComplaintID, r.Clock, r.Kind, r.Level, r.Recipient)
}

// faultNotifications compares what is owed with the outbox and with what
// reached the receivers.
type faultNotifications struct {
	due, recorded, missing, unexpected int
	byDelivery                         map[string]int
	// per channel: notifications owed over it, reached at least once,
	// raw messages received, and messages of no recorded notification.
	hookOwed, hookReached, hookRaw, hookStray int
	mailOwed, mailReached, mailRaw, mailStray int
	// what is missing or unfinished, for the failure message
	problems []string
}

func (s faultNotifications) settled() bool { return s.missing == 0 && s.deliveredAll() }

// deliveredAll: what is recorded went out over every channel it owes.
func (s faultNotifications) deliveredAll() bool {
	return s.byDelivery[complaint.DeliveryPending] == 0 && s.hookReached == s.hookOwed && s.mailReached == s.mailOwed
}

func readFaultNotifications(ctx context.Context, st *store.Store, due []faultDue, recv *receivers) (faultNotifications, error) {
	var rows []faultOutboxRow
	if err := st.DB().SelectContext(ctx, &rows,
		`SELECT id, complaint_id, clock, kind, level, recipient, delivery FROM notifications`); err != nil {
		return faultNotifications{}, err
	}
	s := faultNotifications{due: len(due), recorded: len(rows), byDelivery: map[string]int{}}
	byKey := map[string]faultOutboxRow{}
	for _, r := range rows {
		byKey[r.key()] = r
	}
	recv.mu.Lock()
	hooks, mails := map[string]int{}, map[string]int{}
	for _, d := range recv.webhooks {
		hooks[d.ID]++
	}
	for _, d := range recv.mails {
		mails[d.ID]++
	}
	s.hookRaw, s.mailRaw = len(recv.webhooks), len(recv.mails)
	recv.mu.Unlock()

	owed := map[string]bool{}
	for _, n := range due {
		owed[n.key()] = true
		r, ok := byKey[n.key()]
		if !ok {
			s.missing++
			s.problems = append(s.problems, "not recorded: "+n.key())
			continue
		}
		s.byDelivery[r.Delivery]++
		if r.Delivery != complaint.DeliveryDelivered {
			s.problems = append(s.problems, r.Delivery+": "+n.key())
		}
		s.hookOwed++ // every recipient has the default webhook
		if hooks[r.ID] > 0 {
			s.hookReached++
		} else {
			s.problems = append(s.problems, "no webhook: "+n.key())
		}
		if n.email {
			s.mailOwed++
			if mails[notify.MessageID(r.ID, "localhost")] > 0 {
				s.mailReached++
			} else {
				s.problems = append(s.problems, "no e-mail: "+n.key())
			}
		}
	}
	known := map[string]bool{}
	for _, r := range rows {
		if !owed[r.key()] {
			s.unexpected++
			s.problems = append(s.problems, "owed by no one: "+r.key())
		}
		known[r.ID], known[notify.MessageID(r.ID, "localhost")] = true, true
	}
	for id, n := range hooks {
		if !known[id] {
			s.hookStray += n
		}
	}
	for id, n := range mails {
		if !known[id] {
			s.mailStray += n
		}
	}
	return s, nil
}

// faultCaseState is one accepted case as the store and its workflow see it.
type faultCaseState struct {
	fc       *faultCase
	inStore  bool
	stored   complaint.Case
	timeline []complaint.Event
	status   enumspb.WorkflowExecutionStatus
	workflow complaint.Case
	err      error
}

func readFaultCaseState(ctx context.Context, st *store.Store, tc client.Client, fc *faultCase) faultCaseState {
	cs := faultCaseState{fc: fc}
	var err error
	cs.stored, err = st.GetCase(ctx, fc.id)
	if errors.Is(err, store.ErrNotFound) {
		return cs
	}
	if err != nil {
		cs.err = err
		return cs
	}
	cs.inStore = true
	if cs.timeline, err = st.Timeline(ctx, fc.id); err != nil {
		cs.err = err
		return cs
	}
	desc, err := tc.DescribeWorkflowExecution(ctx, complaint.WorkflowID(fc.id), "")
	if err != nil {
		cs.err = err
		return cs
	}
	cs.status = desc.GetWorkflowExecutionInfo().GetStatus()
	switch cs.status {
	case enumspb.WORKFLOW_EXECUTION_STATUS_RUNNING:
		var err error
		cs.workflow, err = workflows.QueryCase.Ask(ctx, tc, complaint.WorkflowID(fc.id))
		cs.err = err
	case enumspb.WORKFLOW_EXECUTION_STATUS_COMPLETED:
		cs.err = tc.GetWorkflow(ctx, complaint.WorkflowID(fc.id), "").Get(ctx, &cs.workflow)
	}
	return cs
}

// faultApplied counts the timeline events of the keyed request.
func faultApplied(key string, timeline []complaint.Event) int {
	n := 0
	for _, ev := range timeline {
		if bytes.Contains(ev.Payload, []byte(`"`+key+`"`)) {
			n++
		}
	}
	return n
}

// faultStepVerdict judges one keyed step against the timeline.
func faultStepVerdict(key string, statuses []int, timeline []complaint.Event) string {
	applied := faultApplied(key, timeline)
	ok, unknown := slices.Contains(statuses, http.StatusOK), false
	for _, s := range statuses {
		unknown = unknown || s == 0 || s >= 500
	}
	switch {
	case applied > 1:
		return fmt.Sprintf("applied %d times", applied)
	case ok && applied == 0:
		return "answered 200 but not applied"
	case applied == 1 && !ok && !unknown:
		return fmt.Sprintf("applied though only refused (%v)", statuses)
	}
	return ""
}

func checkFaultInvariants(t *testing.T, run *faultRun, cases []*faultCase, l *faultLedger, recv *receivers) {
	ctx := t.Context()
	// PostgreSQL may be short of connections a moment while the processes'
	// pools drain.
	st, err := store.Open(ctx, run.env["DATABASE_URL"])
	for deadline := time.Now().Add(time.Minute); err != nil && time.Now().Before(deadline); {
		time.Sleep(time.Second)
		st, err = store.Open(ctx, run.env["DATABASE_URL"])
	}
	require.NoError(t, err)
	defer st.Close()
	// The processes' keyring and data keys open what the workflows answer.
	ring, err := payloadcrypt.ParseKeyring(run.env["CASEFLOW_KEYRING"])
	require.NoError(t, err)
	dc := payloadcrypt.NewCodec(ring, payloadcrypt.Options{DataKeys: app.StoreDataKeys(st), DataKeyFor: complaint.CarriesPersonalData}).DataConverter()
	tc, err := client.DialContext(ctx, client.Options{HostPort: run.env["TEMPORAL_ADDRESS"], Namespace: "caseflow",
		Logger:        sdklog.NewStructuredLogger(slog.New(slog.NewTextHandler(io.Discard, nil))),
		DataConverter: dc, FailureConverter: payloadcrypt.FailureConverter(dc)})
	require.NoError(t, err)
	defer tc.Close()

	users, err := st.ListUsers(ctx)
	require.NoError(t, err)
	due := faultDueNotifications(cases, users)
	var ns faultNotifications
	// Wait until everything owed is delivered or, when something owed never
	// comes, until the outbox has not grown for a while and what is in it
	// went out.
	settling, grew, recorded := time.Now(), time.Now(), -1
	for deadline := time.Now().Add(settleFor); ; {
		ns, err = readFaultNotifications(ctx, st, due, recv)
		if err == nil && ns.recorded != recorded {
			grew, recorded = time.Now(), ns.recorded
		}
		if err == nil && (ns.settled() || ns.deliveredAll() && time.Since(grew) > 20*time.Second) ||
			time.Now().After(deadline) {
			break
		}
		time.Sleep(2 * time.Second)
	}
	require.NoError(t, err)
	t.Logf("notifications settled=%v after %s", ns.settled(), time.Since(settling).Round(time.Second))

	keys := l.byKey()
	var states []faultCaseState
	var accepted, unanswered, fast, stepsSent, stepsOK int
	for _, fc := range cases {
		if fc.regStatus == http.StatusCreated {
			accepted++
			if fc.fast {
				fast++
			}
			states = append(states, readFaultCaseState(ctx, st, tc, fc))
		} else {
			unanswered++
		}
		for _, s := range fc.steps {
			stepsSent++
			if s.status == http.StatusOK {
				stepsOK++
			}
		}
	}
	var stored int
	require.NoError(t, st.DB().GetContext(ctx, &stored, `SELECT COUNT(*) FROM complaints`))

	run.mu.Lock()
	t.Logf("cases: %d started, %d accepted (%d fast, %d walked to closed), %d without an answer, %d in the store",
		len(cases), accepted, fast, accepted-fast, unanswered, stored)
	t.Logf("steps: %d sent, %d answered 200", stepsSent, stepsOK)
	t.Logf("kills: %d SIGKILLs (%d worker, %d whole process), %d graceful Temporal restarts; starts: dev %d, workers %d+%d",
		run.workerKills+run.devKills, run.workerKills, run.devKills, run.restarts, run.dev.starts,
		run.workers[0].starts, run.workers[1].starts)
	run.mu.Unlock()
	t.Logf("answers by status: %v", l.byStatus())
	t.Logf("store errors in the processes' logs: %d", run.storeErrors())
	t.Logf("notifications: %d due, %d recorded (%d missing, %d unexpected), delivery %v",
		ns.due, ns.recorded, ns.missing, ns.unexpected, ns.byDelivery)
	t.Logf("webhook: %d owed, %d reached, %d received (%d duplicates, %d stray); e-mail: %d owed, %d reached, %d received (%d duplicates, %d stray)",
		ns.hookOwed, ns.hookReached, ns.hookRaw, ns.hookRaw-ns.hookReached-ns.hookStray, ns.hookStray,
		ns.mailOwed, ns.mailReached, ns.mailRaw, ns.mailRaw-ns.mailReached-ns.mailStray, ns.mailStray)

	t.Run("the faults happened", func(t *testing.T) {
		require.GreaterOrEqual(t, run.workerKills+run.devKills, 10, "SIGKILLs")
		require.Positive(t, run.workerKills, "worker kills")
		require.Positive(t, run.devKills, "whole-process kills")
		require.Equal(t, 1, run.restarts, "graceful Temporal restarts")
	})

	t.Run("every registration accepted once, present with a running or finished workflow", func(t *testing.T) {
		for _, fc := range cases {
			require.Equal(t, http.StatusCreated, fc.regStatus, "%s: registration's last answer (all: %v)", fc.label, keys[fc.regKey])
		}
		require.Equal(t, accepted, stored, "cases in the store")
		for _, cs := range states {
			require.True(t, cs.inStore, "%s: case %s in the store", cs.fc.label, cs.fc.id)
			require.NoError(t, cs.err, "%s", cs.fc.label)
			require.Contains(t, []enumspb.WorkflowExecutionStatus{enumspb.WORKFLOW_EXECUTION_STATUS_RUNNING,
				enumspb.WORKFLOW_EXECUTION_STATUS_COMPLETED}, cs.status, "%s: workflow status", cs.fc.label)
		}
	})

	t.Run("store and workflow agree", func(t *testing.T) {
		for _, cs := range states {
			if !cs.inStore || cs.err != nil {
				continue // reported above
			}
			require.Equal(t, cs.workflow.Stage, cs.stored.Stage, "%s: stage", cs.fc.label)
			require.Equal(t, cs.workflow.Version, cs.stored.Version, "%s: version", cs.fc.label)
			require.Len(t, cs.timeline, int(cs.stored.Version), "%s: timeline events", cs.fc.label)
			if cs.status == enumspb.WORKFLOW_EXECUTION_STATUS_COMPLETED {
				require.Equal(t, complaint.StageClosed, cs.stored.Stage, "%s", cs.fc.label)
			}
		}
	})

	// A step answered 200 but missing from the store was how orphaned
	// local-activity writes of the clocks showed (see NOTES, Decisions).
	t.Run("every step applied once if answered 200, never if only refused", func(t *testing.T) {
		for _, cs := range states {
			sent := map[string]bool{}
			for _, s := range cs.fc.steps {
				sent[s.key] = true
				if v := faultStepVerdict(s.key, keys[s.key], cs.timeline); v != "" {
					t.Logf("%s timeline:\n%s\nhistory:\n%s", cs.fc.label, faultTimeline(cs.timeline), faultHistory(ctx, tc, cs.fc.id))
					require.Empty(t, v, "%s %s: answers %v", cs.fc.label, s.name, keys[s.key])
				}
			}
			// Whatever a person did is one of the keyed requests.
			for _, ev := range cs.timeline {
				if ev.Kind == complaint.EventRegistered || ev.Actor.UserID == "caseflow" {
					continue
				}
				require.True(t, slices.ContainsFunc(cs.fc.steps, func(s faultSentStep) bool {
					return strings.Contains(string(ev.Payload), `"`+s.key+`"`)
				}), "%s: event %d (%s) is no request of its client", cs.fc.label, ev.Seq, ev.Kind)
			}
		}
	})

	t.Run("every case walked to its end", func(t *testing.T) {
		for _, cs := range states {
			want := len(faultStraightThrough)
			if cs.fc.fast {
				want = 1
			}
			require.Len(t, cs.fc.steps, want, "%s: steps sent (answers %v)", cs.fc.label, faultStepAnswers(cs.fc, keys))
			for _, s := range cs.fc.steps {
				require.Equal(t, 1, faultApplied(s.key, cs.timeline), "%s %s: applied (answers %v)", cs.fc.label, s.name, keys[s.key])
			}
			if !cs.fc.fast {
				require.Equal(t, complaint.StageClosed, cs.stored.Stage, "%s", cs.fc.label)
			}
		}
	})

	// A keyed retry of a close that was applied must not meet the closed
	// case in the store and answer 409.
	t.Run("a retry with its key answers the step's outcome", func(t *testing.T) {
		for _, cs := range states {
			for _, s := range cs.fc.steps {
				require.Equal(t, http.StatusOK, s.status, "%s %s: last answer (all: %v)", cs.fc.label, s.name, keys[s.key])
			}
		}
	})

	t.Run("no request answered 500", func(t *testing.T) {
		require.Zero(t, l.byStatus()["500"], "an unknown outcome is 503 with Retry-After")
	})

	if len(ns.problems) > 0 {
		t.Logf("notification problems (case|clock|kind|level|recipient), case labels %v:\n%s",
			faultCaseLabels(cases), strings.Join(ns.problems[:min(len(ns.problems), 20)], "\n"))
	}
	for _, cs := range states {
		if slices.ContainsFunc(ns.problems, func(p string) bool { return strings.Contains(p, cs.fc.id) }) {
			t.Logf("%s (received %s) timeline:\n%s", cs.fc.label, cs.fc.receivedAt.Format(time.StampMilli), faultTimeline(cs.timeline))
		}
	}
	t.Run("no notification recorded that nobody owed", func(t *testing.T) {
		require.Zero(t, ns.unexpected, "notifications nobody owed")
	})

	// A clock's events that were due must not be dropped when a step
	// stopping the clock is applied first, in the same workflow task (after
	// a worker died or the store was down).
	t.Run("every due notification recorded exactly once", func(t *testing.T) {
		require.Zero(t, ns.missing, "due notifications missing from the outbox")
		require.Equal(t, ns.due, ns.recorded)
	})

	t.Run("every notification delivered once per channel", func(t *testing.T) {
		require.Equal(t, map[string]int{complaint.DeliveryDelivered: ns.due - ns.missing}, ns.byDelivery, "outbox delivery states")
		require.Equal(t, ns.hookOwed, ns.hookReached, "notifications that reached the webhook receiver")
		require.Equal(t, ns.mailOwed, ns.mailReached, "notifications that reached the SMTP server")
		require.Zero(t, ns.hookStray+ns.mailStray, "messages of no recorded notification")
	})
}

func faultStepAnswers(fc *faultCase, keys map[string][]int) map[string][]int {
	out := map[string][]int{}
	for _, s := range fc.steps {
		out[s.name] = keys[s.key]
	}
	return out
}

// faultCaseLabels maps case ids to the labels of the clients' cases.
func faultCaseLabels(cases []*faultCase) map[string]string {
	out := map[string]string{}
	for _, c := range cases {
		if c.id != "" {
			out[c.id] = c.label
		}
	}
	return out
}

func faultTimeline(evs []complaint.Event) string {
	var b strings.Builder
	for _, ev := range evs {
		fmt.Fprintf(&b, "  %d %s %s %s\n", ev.Seq, ev.OccurredAt.Format(time.StampMilli), ev.Kind, ev.Payload)
	}
	return b.String()
}

// faultHistory lists a case workflow's runs and the events of its latest
// run, updates with their names and ids, for a failure message.
func faultHistory(ctx context.Context, tc client.Client, caseID string) string {
	var b strings.Builder
	runs, err := tc.ListWorkflow(ctx, &workflowservice.ListWorkflowExecutionsRequest{
		Query: fmt.Sprintf("WorkflowId = %q", complaint.WorkflowID(caseID))})
	if err == nil {
		for _, r := range runs.GetExecutions() {
			fmt.Fprintf(&b, "  run %s %s\n", r.GetExecution().GetRunId(), r.GetStatus())
		}
	}
	iter := tc.GetWorkflowHistory(ctx, complaint.WorkflowID(caseID), "", false, enumspb.HISTORY_EVENT_FILTER_TYPE_ALL_EVENT)
	for iter.HasNext() {
		ev, err := iter.Next()
		if err != nil {
			fmt.Fprintf(&b, "  %v\n", err)
			break
		}
		fmt.Fprintf(&b, "  %d %s %s", ev.GetEventId(), ev.GetEventTime().AsTime().Format(time.StampMilli), ev.GetEventType())
		if a := ev.GetWorkflowExecutionUpdateAcceptedEventAttributes(); a != nil {
			fmt.Fprintf(&b, " %s %s", a.GetAcceptedRequest().GetInput().GetName(), a.GetProtocolInstanceId())
		}
		if a := ev.GetWorkflowExecutionUpdateCompletedEventAttributes(); a != nil {
			fmt.Fprintf(&b, " %s failure=%v", a.GetMeta().GetUpdateId(), a.GetOutcome().GetFailure() != nil)
		}
		b.WriteString("\n")
	}
	return b.String()
}
