package console_test

import (
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/caseflow/caseflow/archive"
	"github.com/caseflow/caseflow/store"
	"github.com/caseflow/caseflow/store/storetest"
)

// TestAnErasedCustomersRefusalIsWorded: registering a complaint for an
// erased customer from the console answers the API's 409 in the reader's
// language, and nothing is registered.
func TestAnErasedCustomersRefusalIsWorded(t *testing.T) {
	s := newSite(t, storetest.SQLite(t).URL, true)
	ctx := t.Context()
	_, err := s.store.PutCustomer(ctx, store.Customer{ID: "C-1", CustomerBody: archive.CustomerBody{
		Name: "Acme", SLAPolicy: "standard"}})
	require.NoError(t, err)
	_, err = s.store.EraseCustomer(ctx, "C-1", "u-admin", "asked to be forgotten", time.Now())
	require.NoError(t, err)
	form := registerForm("")
	form.Set("description", "the pump sparks")
	form.Set("category", "quality")
	form.Set("channel", "phone")
	for _, tc := range []struct{ lang, want string }{
		{"en", "caseflow takes no new personal data for it"},
		{"zh", "该客户的个人数据已被删除，caseflow 不再为其录入新的个人数据。"},
	} {
		t.Run(tc.lang, func(t *testing.T) {
			b := s.browser(t)
			b.signIn(s.users["after_sales/agent"])
			u, err := url.Parse(b.base)
			require.NoError(t, err)
			b.client.Jar.SetCookies(u, []*http.Cookie{{Name: "caseflow_lang", Value: tc.lang}})
			form.Set("csrf_token", b.csrf())
			status, page := b.post("/console/register", form)
			require.Equal(t, http.StatusConflict, status, page)
			require.Contains(t, page, tc.want)
			require.Zero(t, countCases(t, s))
		})
	}
}

// TestAnErasedCustomersPageShowsTheErasure: once erased, the customer's
// page shows the Erased badge with the date, in the reader's language, and
// [erased] where the personal fields were.
func TestAnErasedCustomersPageShowsTheErasure(t *testing.T) {
	s := newSite(t, storetest.SQLite(t).URL, true)
	ctx := t.Context()
	_, err := s.store.PutCustomer(ctx, store.Customer{ID: "C-1", CustomerBody: archive.CustomerBody{
		Name: "Acme Eye Hospital", SLAPolicy: "standard",
		Contacts: []archive.Contact{{Name: "Zhao Lei", Phone: "+86 574 8888 0101"}}}})
	require.NoError(t, err)

	b := s.browser(t)
	b.signIn(s.users["sales/agent"])
	status, page := b.get("/console/customers/C-1")
	require.Equal(t, http.StatusOK, status, page)
	require.True(t, contains(page, "Acme Eye Hospital", "Zhao Lei"))
	require.NotContains(t, page, "data-erased-at")

	_, err = s.store.EraseCustomer(ctx, "C-1", "u-admin", "asked to be forgotten",
		time.Date(2026, 6, 1, 9, 0, 0, 0, time.UTC))
	require.NoError(t, err)
	for _, tc := range []struct{ lang, badge string }{{"en", "Erased"}, {"zh", "已删除个人数据"}} {
		t.Run(tc.lang, func(t *testing.T) {
			b := s.browser(t)
			b.signIn(s.users["sales/agent"])
			b.client.Jar.SetCookies(mustURL(t, b.base), []*http.Cookie{{Name: "caseflow_lang", Value: tc.lang}})
			status, page := b.get("/console/customers/C-1")
			require.Equal(t, http.StatusOK, status, page)
			require.True(t, contains(page, `class="badge erased" data-erased-at="2026-06-01T09:00:00Z">`+tc.badge+" ",
				"[erased]"), page)
			require.NotContains(t, page, "Acme Eye Hospital")
			require.NotContains(t, page, "Zhao Lei")
		})
	}
}
