package console_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/caseflow/caseflow/complaint"
	"github.com/caseflow/caseflow/store/storetest"
)

// TestTheCasePageLinksItsReturns: the case's JSON names no RMA, its
// timeline does (each RMA's events name it); the page links each RMA once,
// their list, and for who may request one the request form filled in for
// the case.
func TestTheCasePageLinksItsReturns(t *testing.T) {
	s := returnsSite(t, storetest.SQLite(t).URL)
	s.putCase(t, "plain", func(c *complaint.Case) {})
	req, done := s.rmaNumber(t, "r-req"), s.rmaNumber(t, "r-done")

	b := s.browser(t)
	b.signIn(s.users["branch_office/agent"])
	status, page := b.get("/console/cases/rmacase")
	require.Equal(t, http.StatusOK, status)
	returns := section(t, page, `<section class="card" id="returns">`, "</section>")
	require.True(t, contains(returns, "Returns and exchanges",
		`<li data-rma="r-req"><a href="/console/returns/r-req">`+req+`</a></li>`,
		`<li data-rma="r-done"><a href="/console/returns/r-done">`+done+`</a></li>`,
		`<a href="/console/returns?complaint_id=rmacase" data-returns-list>`,
		`href="/console/returns?complaint_id=rmacase&amp;customer_id=C-2002&amp;request=1#request" data-request-return>`), returns)
	require.Equal(t, 2, strings.Count(returns, "<li data-rma="), "each RMA once, however many its events")
	timeline := section(t, page, `<ol class="timeline">`, "</ol>")
	require.True(t, contains(timeline, `<li data-kind="rma_completed">`, "Return or exchange completed",
		`<a href="/console/returns/r-done" data-rma-event>`+done+`</a>`), timeline)
	require.Equal(t, 6, strings.Count(timeline, "data-rma-event"), "r-req's request and r-done's five events")

	sales := s.browser(t)
	sales.signIn(s.users["sales/agent"])
	_, page = sales.get("/console/cases/rmacase")
	returns = section(t, page, `<section class="card" id="returns">`, "</section>")
	require.Contains(t, returns, `href="/console/returns/r-req"`)
	require.NotContains(t, returns, "data-request-return", "sales requests no RMA")
	_, page = sales.get("/console/cases/plain")
	require.NotContains(t, page, `id="returns"`, "no RMA and none to request: no section")

	zh := s.chinese(t, "after_sales/agent")
	_, page = zh.get("/console/cases/plain")
	returns = section(t, page, `<section class="card" id="returns">`, "</section>")
	require.True(t, contains(returns, "退换货", "为本案申请退换货", "customer_id=C-2002"), returns)
	require.NotContains(t, returns, "data-returns-list", "no RMA to list yet")
	_, page = zh.get("/console/cases/rmacase")
	require.True(t, contains(page, "本案的全部退换货", "已申请退换货", "退换货已完成"))
}
