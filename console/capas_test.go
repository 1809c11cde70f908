package console_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/caseflow/caseflow/auth"
	"github.com/caseflow/caseflow/complaint"
	"github.com/caseflow/caseflow/console"
	"github.com/caseflow/caseflow/store/storetest"
)

var (
	capaOpener = complaint.Actor{UserID: "quality-agent", Name: "Qian Li", Department: complaint.DepartmentQuality,
		Roles: []string{complaint.RoleAgent}}
	capaOwner = complaint.Actor{UserID: "technical-engineer", Name: "Hu Bo", Department: complaint.DepartmentTechnical,
		Roles: []string{complaint.RoleEngineer}}
	capaChecker = complaint.Actor{UserID: "after_sales-agent", Name: "Xu Jing", Department: complaint.DepartmentAfterSales,
		Roles: []string{complaint.RoleAgent}}
)

// capasSite is a site with four corrective actions made through the store
// as their workflows make them, newest first: k-good effective in its
// second round after a recurrence, k-check awaiting its effectiveness
// check, k-late open and overdue, k-open open (both production's, linked
// to case "capacase", which repeats case CF-2025-000007); and case "plain"
// with none.
func capasSite(t *testing.T, dbURL string) *site {
	s := newSite(t, dbURL, true)
	ctx := t.Context()
	now := time.Now().UTC().Truncate(time.Second)
	day := func(days int) string { return now.Local().AddDate(0, 0, days).Format(time.DateOnly) }
	numbers := map[string]string{}
	put := func(c complaint.Capa, kinds ...string) {
		t.Helper()
		c.OpenedBy, c.RoundStartedAt, c.UpdatedAt = capaOpener, c.OpenedAt, c.OpenedAt
		c.Action, c.EffectivenessDays = "replace the seal supplier", 30
		if c.Round == 0 {
			c.Round = 1
		}
		n, err := s.store.RegisterCapa(ctx, c, complaint.Event{Seq: 1, Kind: complaint.EventCapaOpened, Actor: capaOpener,
			OccurredAt: c.OpenedAt})
		require.NoError(t, err)
		c.Number, numbers[c.ID] = n.Number, n.Number
		for i, k := range kinds {
			actor := capaChecker
			if k == complaint.EventCapaDone {
				actor = capaOwner
			}
			require.NoError(t, s.store.ApplyCapaEvent(ctx, c, complaint.Event{Seq: int64(i + 2), Kind: k, Actor: actor,
				OccurredAt: c.OpenedAt.Add(time.Duration(i+1) * time.Minute)}))
		}
	}
	put(complaint.Capa{ID: "k-open", Stage: complaint.CapaOpen, ComplaintIDs: []string{"capacase"},
		PartNumber: "LZ-SEAL-01", RootCause: "seal lip too thin", OwnerDepartment: complaint.DepartmentProduction,
		Owner: "production-engineer", DueDate: day(10), OpenedAt: now.Add(-4 * time.Hour),
		AllowedSteps: []string{complaint.CapaStepDone}})
	put(complaint.Capa{ID: "k-late", Stage: complaint.CapaOpen, ComplaintIDs: []string{"capacase", "other"},
		OwnerDepartment: complaint.DepartmentProduction, DueDate: day(-5), Overdue: true,
		OpenedAt: now.Add(-3 * time.Hour), AllowedSteps: []string{complaint.CapaStepDone}},
		complaint.EventCapaDueSoon, complaint.EventCapaOverdue)
	doneAt := now.Add(-40 * 24 * time.Hour)
	checkAt := doneAt.Add(30 * 24 * time.Hour)
	put(complaint.Capa{ID: "k-check", Stage: complaint.CapaVerifying, ComplaintIDs: []string{"other"},
		OwnerDepartment: complaint.DepartmentTechnical, DueDate: day(-41), OpenedAt: now.Add(-2 * time.Hour),
		Done:    &complaint.CapaReport{Note: "new drawing issued", Evidence: []string{"ECN-118"}, By: capaOwner, At: doneAt},
		CheckAt: &checkAt, AllowedSteps: []string{complaint.CapaStepVerify}},
		complaint.EventCapaDone, complaint.EventCapaVerifying)
	first := complaint.CapaVerification{By: capaChecker, At: doneAt, Result: complaint.VerdictEffective, Note: "no repeat"}
	again := complaint.CapaVerification{By: complaint.Actor{UserID: "system", Name: "caseflow"}, At: doneAt.Add(time.Hour),
		Result: complaint.VerdictIneffective, Note: "came back", Recurrence: "CF-2025-000042"}
	last := complaint.CapaVerification{By: capaChecker, At: now.Add(-time.Hour), Result: complaint.VerdictEffective,
		Note: "quiet for a month"}
	put(complaint.Capa{ID: "k-good", Stage: complaint.CapaEffective, ComplaintIDs: []string{"other"},
		OwnerDepartment: complaint.DepartmentQuality, DueDate: day(-30), Round: 2, OpenedAt: now.Add(-time.Hour),
		Done:         &complaint.CapaReport{Note: "supplier audited", By: capaOwner, At: doneAt},
		Verification: &last, Verifications: []complaint.CapaVerification{first, again, last},
		Recurrences: []string{"CF-2025-000042"}, AllowedSteps: []string{}},
		complaint.EventCapaDone, complaint.EventCapaVerifying, complaint.EventCapaVerified, complaint.EventCapaRecurrence,
		complaint.EventCapaReopened, complaint.EventCapaDone, complaint.EventCapaVerified)
	s.putCase(t, "capacase", func(c *complaint.Case) {
		c.RecurrenceOf = []string{"CF-2025-000007"}
		c.Capas = []complaint.CaseCapa{{ID: "k-open", Number: numbers["k-open"], Stage: complaint.CapaOpen},
			{ID: "k-late", Number: numbers["k-late"], Stage: complaint.CapaOpen}}
	}, complaint.EventRecurrenceFound)
	s.putCase(t, "plain", func(c *complaint.Case) {})
	return s
}

// capaNumber is the number the store gave an action.
func (s *site) capaNumber(t *testing.T, id string) string {
	c, err := s.store.GetCapa(t.Context(), id)
	require.NoError(t, err)
	return c.Number
}

// TestTheCapaListFiltersAndShowsTheOverdue: every action with its number,
// stage, owner department, due date and overdue mark, complaints and round,
// filtered as the API allows; in both languages.
func TestTheCapaListFiltersAndShowsTheOverdue(t *testing.T) {
	for _, backend := range storetest.Backends(t) {
		t.Run(backend.Name, func(t *testing.T) {
			s := capasSite(t, backend.URL)
			b := s.browser(t)
			b.signIn(s.users["sales/agent"])
			status, page := b.get("/console/capas")
			require.Equal(t, http.StatusOK, status)
			require.True(t, contains(page, `href="/console/capas" aria-current="page"`, "<h1>Corrective actions</h1>",
				`id="capa-k-open" data-capa="k-open" data-stage="open">`,
				`<a href="/console/capas/k-open">`+s.capaNumber(t, "k-open")+`</a>`,
				`<span class="badge capa-open">Open</span>`, "Production <span class=\"muted\">production-engineer</span>",
				`<a href="/console/cases/capacase" data-case-link>capacase</a>, <a href="/console/cases/other" data-case-link>other</a>`,
				`id="capa-k-late" data-capa="k-late" data-stage="open" data-overdue>`,
				`<span class="badge overdue">Overdue</span>`, "Effectiveness check due", "Effective",
				`<td class="num">2</td>`, "<td>LZ-SEAL-01</td>"), page)
			require.Equal(t, 1, strings.Count(page, `<span class="badge overdue">`))
			require.Less(t, strings.Index(page, `data-capa="k-good"`), strings.Index(page, `data-capa="k-open"`), "newest first")
			require.NotContains(t, page, `id="form-capa-open"`, "sales reads the actions but opens none")

			for query, want := range map[string][]string{
				"stage=verifying":                          {"k-check"},
				"owner_department=production":              {"k-open", "k-late"},
				"overdue=true":                             {"k-late"},
				"overdue=false":                            {"k-open", "k-check", "k-good"},
				"complaint_id=capacase":                    {"k-open", "k-late"},
				"owner_department=quality&stage=effective": {"k-good"},
				"owner_department=sales":                   nil,
			} {
				status, page = b.get("/console/capas?" + query)
				require.Equal(t, http.StatusOK, status, query)
				require.Equal(t, len(want), strings.Count(page, `<tr id="capa-`), query)
				for _, id := range want {
					require.Contains(t, page, `data-capa="`+id+`"`, query)
				}
			}
			_, page = b.get("/console/capas?owner_department=sales&overdue=true")
			require.True(t, contains(page, "No corrective actions match.", `<option value="sales" selected>Sales</option>`,
				`<option value="true" selected>Overdue only</option>`), page)
			status, _ = b.get("/console/capas?stage=lost")
			require.Equal(t, http.StatusBadRequest, status, "the API's refusal of a filter")

			zh := s.chinese(t, "production/engineer")
			status, page = zh.get("/console/capas")
			require.Equal(t, http.StatusOK, status)
			require.True(t, contains(page, ">纠正措施<", "纠正预防措施", "纠正措施编号", "负责部门", "完成期限", "关联客诉", "轮次",
				"进行中", "已逾期", "待验证有效性", "有效", "生产部", "全部阶段", "仅逾期"), page)
		})
	}
}

// TestWhoMayNotReadCapasGetsNoLinkNorPage: an admin works no cases.
func TestWhoMayNotReadCapasGetsNoLinkNorPage(t *testing.T) {
	s := capasSite(t, storetest.SQLite(t).URL)
	b := s.browser(t)
	b.signIn(s.users["after_sales/admin"])
	_, page := b.get("/console/users")
	require.NotContains(t, page, `href="/console/capas"`)
	require.NotContains(t, page, `href="/console/reviews"`)
	for _, path := range []string{"/console/capas", "/console/capas/k-open", "/console/reviews"} {
		status, page := b.get(path)
		require.Equal(t, http.StatusForbidden, status, path)
		require.Contains(t, page, "You may not do this")
	}
}

// TestTheCapaAndReviewRoutesAreInTheTable: the lists, the pages, the forms'
// actions and the renderings are console routes, each needing the API
// route's own action, so the route matrix covers them.
func TestTheCapaAndReviewRoutesAreInTheTable(t *testing.T) {
	want := map[string]auth.Action{
		"GET /console/capas":                    auth.ReadCapas,
		"POST /console/capas":                   auth.OpenCapa,
		"GET /console/capas/:id":                auth.ReadCapas,
		"GET /console/reviews":                  auth.ReadReviews,
		"POST /console/reviews":                 auth.RunReview,
		"GET /console/reviews/:month":           auth.ReadReviews,
		"POST /console/reviews/:month/decision": auth.DecideAccountability,
		"GET /console/reviews/:month/print":     auth.ReadReviews,
		"GET /console/reviews/:month/csv":       auth.ReadReviews,
	}
	for _, step := range complaint.CapaSteps() {
		want["POST /console/capas/:id/steps/"+step] = auth.CapaAction(step)
	}
	var con console.Console
	got := map[string]auth.Action{}
	for _, rt := range con.Routes() {
		if strings.HasPrefix(rt.Path, "/console/capas") || strings.HasPrefix(rt.Path, "/console/reviews") {
			require.Equal(t, console.Signed, rt.Access, rt.Path)
			got[rt.Method+" "+rt.Path] = rt.Action
		}
	}
	require.Equal(t, want, got)
}
