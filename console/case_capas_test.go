package console_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/caseflow/caseflow/store/storetest"
)

// TestTheCasePageListsItsCorrectiveActions: the case's JSON names its
// actions with their stage and the earlier cases it repeats; the page
// links each, and for quality the opening form filled in for the case.
func TestTheCasePageListsItsCorrectiveActions(t *testing.T) {
	s := capasSite(t, storetest.SQLite(t).URL)
	open, late := s.capaNumber(t, "k-open"), s.capaNumber(t, "k-late")

	q := s.browser(t)
	q.signIn(s.users["quality/agent"])
	status, page := q.get("/console/cases/capacase")
	require.Equal(t, http.StatusOK, status)
	capas := section(t, page, `<section class="card" id="capas">`, "</section>")
	require.True(t, contains(capas, "<h2>Corrective actions</h2>",
		`<p data-recurrence-of>Repeats earlier cases (the 10 most recent at most): <a href="/console/cases/CF-2025-000007" data-recurrence>CF-2025-000007</a></p>`,
		`<li data-capa="k-open" data-stage="open"><a href="/console/capas/k-open">`+open+`</a> <span class="badge capa-open">Open</span></li>`,
		`<a href="/console/capas/k-late">`+late+`</a>`,
		`<a href="/console/capas?complaint_id=capacase" data-capas-list>`,
		`href="/console/capas?complaint_id=capacase&amp;open=1#open" data-open-capa>Open a corrective action for this case</a>`), capas)
	require.Equal(t, 2, strings.Count(capas, "<li data-capa="))
	timeline := section(t, page, `<ol class="timeline">`, "</ol>")
	require.Contains(t, timeline, "Repeats an earlier complaint")

	sales := s.browser(t)
	sales.signIn(s.users["sales/agent"])
	_, page = sales.get("/console/cases/capacase")
	capas = section(t, page, `<section class="card" id="capas">`, "</section>")
	require.True(t, contains(capas, `href="/console/capas/k-open"`, "data-recurrence-of"), capas)
	require.NotContains(t, capas, "data-open-capa", "sales opens no action")
	_, page = sales.get("/console/cases/plain")
	require.NotContains(t, page, `id="capas"`, "no action, no recurrence and none to open: no section")

	zh := s.chinese(t, "quality/engineer")
	_, page = zh.get("/console/cases/plain")
	capas = section(t, page, `<section class="card" id="capas">`, "</section>")
	require.True(t, contains(capas, "纠正措施", "为本案开启纠正措施", "complaint_id=plain"), capas)
	require.NotContains(t, capas, "data-capas-list", "no action to list yet")
	_, page = zh.get("/console/cases/capacase")
	require.True(t, contains(page, "与以下以往案件重复（至多列出最近 10 件）：", "本案的全部纠正措施", "进行中", "与以往客诉重复"), page)
}
