package capa_test

import (
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/caseflow/caseflow/capa"
	"github.com/caseflow/caseflow/complaint"
	"github.com/caseflow/caseflow/complaint/rules"
)

var (
	shanghai = mustZone("Asia/Shanghai")
	// 09:00 in Shanghai on 2 March 2026.
	now     = time.Date(2026, 3, 2, 1, 0, 0, 0, time.UTC)
	quality = complaint.Actor{UserID: "q1", Name: "Zhou", Department: complaint.DepartmentQuality,
		Roles: []string{complaint.RoleAgent}}
	production = complaint.Actor{UserID: "p1", Name: "Chen", Department: complaint.DepartmentProduction,
		Roles: []string{complaint.RoleAgent}}
	desk = complaint.Actor{UserID: "as1", Name: "Zhang", Department: complaint.DepartmentAfterSales,
		Roles: []string{complaint.RoleAgent}}
	sales = complaint.Actor{UserID: "s1", Name: "Li", Department: complaint.DepartmentSales,
		Roles: []string{complaint.RoleAgent}}
	system = complaint.Actor{UserID: "caseflow", Name: "recurrence"}
)

func mustZone(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return loc
}

func body() complaint.CapaOpenBody {
	return complaint.CapaOpenBody{ComplaintIDs: []string{"c1"}, PartNumber: "P-778", RootCause: "seal batch",
		Action: "change the seal supplier", OwnerDepartment: complaint.DepartmentProduction, DueDate: "2026-03-20"}
}

func opened(t *testing.T) *complaint.Capa {
	t.Helper()
	c, err := capa.Open("a1", quality, body(), false, now, shanghai)
	require.NoError(t, err)
	c.Number = "CAPA-2026-000001"
	return &c
}

func take[B any](t *testing.T, c *complaint.Capa, st capa.Step[B], a complaint.Actor, b B, at time.Time) string {
	t.Helper()
	require.NoError(t, st.Admit(c, a, b, at, shanghai))
	return st.Take(c, a, b, at, shanghai)
}

func refusal(t *testing.T, err error) *rules.Refusal {
	t.Helper()
	var r *rules.Refusal
	require.True(t, errors.As(err, &r), "want a refusal, got %v", err)
	return r
}

func TestOpening(t *testing.T) {
	c := opened(t)
	require.Equal(t, complaint.CapaOpen, c.Stage)
	require.Equal(t, []string{complaint.CapaStepDone}, c.AllowedSteps)
	require.Equal(t, complaint.DefaultEffectivenessDays, c.EffectivenessDays, "checked 30 days after done by default")
	require.Equal(t, 1, c.Round)

	tests := []struct {
		name  string
		actor complaint.Actor
		body  func(*complaint.CapaOpenBody)
		kind  rules.RefusalKind
		field string
	}{
		{"sales opens no action on its own", sales, nil, rules.Forbidden, ""},
		{"an action needs a complaint", quality, func(b *complaint.CapaOpenBody) { b.ComplaintIDs = nil },
			rules.Invalid, "complaint_ids"},
		{"an action's owner is a department", quality, func(b *complaint.CapaOpenBody) { b.OwnerDepartment = "hr" },
			rules.Invalid, "owner_department"},
		{"yesterday in Shanghai is past", quality, func(b *complaint.CapaOpenBody) { b.DueDate = "2026-03-01" },
			rules.Invalid, "due_date"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := body()
			if tt.body != nil {
				tt.body(&b)
			}
			_, err := capa.Open("a1", tt.actor, b, false, now, shanghai)
			r := refusal(t, err)
			require.Equal(t, tt.kind, r.Kind)
			if tt.field != "" {
				require.Contains(t, r.Fields, tt.field)
			}
		})
	}
	_, err := capa.Open("a1", production, body(), true, now, shanghai)
	require.NoError(t, err, "a case's corrective-actions step opens one with the step's own rights")
	today := body()
	today.DueDate = "2026-03-02"
	_, err = capa.Open("a1", quality, today, false, now, shanghai)
	require.NoError(t, err, "today in Shanghai is not past")
}

func TestTheOwnerDepartmentReportsItDone(t *testing.T) {
	c := opened(t)
	done := complaint.CapaDoneBody{Note: "supplier changed", Evidence: []string{"PO-123"}}
	r := refusal(t, capa.Done.Admit(c, desk, done, now, shanghai))
	require.Equal(t, rules.Forbidden, r.Kind, "after-sales does not report production's action done")
	r = refusal(t, capa.Verify.Admit(c, desk, complaint.CapaVerifyBody{Result: "effective", Note: "ok"}, now, shanghai))
	require.Equal(t, rules.WrongStage, r.Kind, "an open action is not verified")

	require.Equal(t, complaint.EventCapaDone, take(t, c, capa.Done, production, done, now))
	require.Equal(t, complaint.CapaDone, c.Stage)
	require.Empty(t, c.AllowedSteps, "nothing until the effectiveness check comes")
	require.Equal(t, now.Add(30*24*time.Hour), *c.CheckAt)
}

func TestTheEffectivenessCheck(t *testing.T) {
	tests := []struct {
		name      string
		verdict   complaint.CapaVerifyBody
		stage     string
		round     int
		due       string
		refusedOn string
	}{
		{"an effective action is done with", complaint.CapaVerifyBody{Result: "effective", Note: "no new cases"},
			complaint.CapaEffective, 1, "2026-03-20", ""},
		{"an ineffective one reopens with its new due date",
			complaint.CapaVerifyBody{Result: "ineffective", Note: "seals still leak", NewDueDate: "2026-05-01"},
			complaint.CapaOpen, 2, "2026-05-01", ""},
		{"an ineffective verdict needs a new due date",
			complaint.CapaVerifyBody{Result: "ineffective", Note: "seals still leak"}, "", 0, "", "new_due_date"},
		{"the new due date is not past",
			complaint.CapaVerifyBody{Result: "ineffective", Note: "x", NewDueDate: "2026-03-01"}, "", 0, "", "new_due_date"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := opened(t)
			take(t, c, capa.Done, production, complaint.CapaDoneBody{Note: "done"}, now)
			check := *c.CheckAt
			_, ok := capa.StartVerifying(c, check)
			require.True(t, ok)
			require.Equal(t, []string{complaint.CapaStepVerify}, c.AllowedSteps)
			require.Equal(t, rules.Forbidden, refusal(t, capa.Verify.Admit(c, production, tt.verdict, check, shanghai)).Kind,
				"the owner does not judge its own action")
			if tt.refusedOn != "" {
				r := refusal(t, capa.Verify.Admit(c, quality, tt.verdict, check, shanghai))
				require.Contains(t, r.Fields, tt.refusedOn)
				return
			}
			require.Equal(t, complaint.EventCapaVerified, take(t, c, capa.Verify, desk, tt.verdict, check))
			require.Equal(t, tt.stage, c.Stage)
			require.Equal(t, tt.round, c.Round)
			require.Equal(t, tt.due, c.DueDate)
			require.Len(t, c.Verifications, 1)
		})
	}
}

func TestClocks(t *testing.T) {
	c := opened(t) // due 2026-03-20
	a, ok := capa.NextAlarm(*c, false, shanghai)
	require.True(t, ok)
	require.Equal(t, complaint.NotificationCapaDueSoon, a.Kind)
	require.Equal(t, time.Date(2026, 3, 17, 0, 0, 0, 0, shanghai), a.At, "three days before the due date")
	a, ok = capa.NextAlarm(*c, true, shanghai)
	require.True(t, ok)
	require.Equal(t, complaint.NotificationCapaOverdue, a.Kind)
	require.Equal(t, time.Date(2026, 3, 21, 0, 0, 0, 0, shanghai), a.At, "overdue at the end of the due day")
	require.Equal(t, complaint.EventCapaOverdue, capa.Ring(c, a, a.At))
	require.True(t, c.Overdue)
	_, ok = capa.NextAlarm(*c, true, shanghai)
	require.False(t, ok, "an overdue action owes no more alarms")

	soon := body()
	soon.DueDate = "2026-03-03"
	s, err := capa.Open("a2", quality, soon, false, now, shanghai)
	require.NoError(t, err)
	a, _ = capa.NextAlarm(s, false, shanghai)
	require.Equal(t, complaint.NotificationCapaOverdue, a.Kind, "no reminder is owed when opened inside its days")

	require.Equal(t, []rules.Recipient{{Role: complaint.RoleSupervisor, Department: complaint.DepartmentProduction}},
		capa.AlarmRecipients(*c, complaint.NotificationCapaOverdue), "overdue goes to the owner's supervisors")
}

func TestARecurrenceReopensAnEffectiveAction(t *testing.T) {
	c := opened(t)
	_, ok := capa.Recur(c, "CMP-2026-000009", system, now, shanghai)
	require.False(t, ok, "an open action is already being worked on")
	take(t, c, capa.Done, production, complaint.CapaDoneBody{Note: "done"}, now)
	capa.StartVerifying(c, *c.CheckAt)
	take(t, c, capa.Verify, quality, complaint.CapaVerifyBody{Result: "effective", Note: "ok"}, *c.CheckAt)

	later := c.CheckAt.Add(24 * time.Hour)
	kind, ok := capa.Recur(c, "CMP-2026-000009", system, later, shanghai)
	require.True(t, ok)
	require.Equal(t, complaint.EventCapaReopened, kind)
	require.Equal(t, complaint.CapaOpen, c.Stage)
	require.Equal(t, 2, c.Round)
	require.Equal(t, complaint.VerdictIneffective, c.Verification.Result)
	require.Equal(t, "CMP-2026-000009", c.Verification.Recurrence)
	require.Equal(t, []string{"CMP-2026-000009"}, c.Recurrences)
	_, ok = capa.Recur(c, "CMP-2026-000009", system, later, shanghai)
	require.False(t, ok, "the same complaint reopens it once")
}
