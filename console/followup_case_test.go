package console_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/caseflow/caseflow/complaint"
	"github.com/caseflow/caseflow/store/storetest"
)

// TestTheCasePageListsItsFollowups: the case's JSON names its follow-ups
// (its post-close call, and the one whose findings raised it); the page
// links each with its stage and due time, the list of them, and for the
// desks the form opening one for the case's customer and equipment.
func TestTheCasePageListsItsFollowups(t *testing.T) {
	s := newSite(t, storetest.SQLite(t).URL, true)
	followupFixtures(s.fakeAPI(t))
	s.putCase(t, "fucase", func(c *complaint.Case) {})
	s.putCase(t, "raised", func(c *complaint.Case) {})
	s.putCase(t, "plain", func(c *complaint.Case) {})

	b := s.browser(t)
	b.signIn(s.users["after_sales/agent"])
	status, page := b.get("/console/cases/fucase")
	require.Equal(t, http.StatusOK, status)
	fu := section(t, page, `<section class="card" id="followups">`, "</section>")
	require.True(t, contains(fu, "<h2>Follow-ups</h2>",
		`<li data-followup="f-call" data-stage="open"><a href="/console/followups/f-call">Call after the case closed</a> <span class="badge followup-open">Open</span>`,
		`<li data-followup="f-done" data-stage="done"><a href="/console/followups/f-done">Recovery call (low score)</a>`,
		`<a href="/console/followups?complaint_id=fucase" data-followups-list>All of this case&#39;s follow-ups</a>`,
		`href="/console/followups/new?complaint_id=fucase&amp;customer_id=C-2002&amp;serial=LZ-0815" data-open-followup>`), fu)
	require.Equal(t, 2, strings.Count(fu, "<li data-followup="))
	require.NotContains(t, fu, "data-raised")

	_, page = b.get("/console/cases/raised")
	fu = section(t, page, `<section class="card" id="followups">`, "</section>")
	require.True(t, contains(fu, `<li data-followup="f-done" data-stage="done" data-raised>`, "raised this case"), fu)

	sales := s.browser(t)
	sales.signIn(s.users["sales/agent"])
	_, page = sales.get("/console/cases/fucase")
	fu = section(t, page, `<section class="card" id="followups">`, "</section>")
	require.NotContains(t, fu, "data-open-followup", "sales opens none")
	_, page = sales.get("/console/cases/plain")
	require.NotContains(t, page, `id="followups"`, "none to show and none to open: no section")

	zh := s.chinese(t, "branch_office/supervisor")
	_, page = zh.get("/console/cases/plain")
	fu = section(t, page, `<section class="card" id="followups">`, "</section>")
	require.True(t, contains(fu, "回访", "为本案新建回访", "complaint_id=plain"), fu)
	require.NotContains(t, fu, "data-followups-list", "no follow-up to list yet")
	_, page = zh.get("/console/cases/raised")
	require.True(t, contains(page, "由此回访登记本案", "低分挽回回访", "已完成"), page)
}
