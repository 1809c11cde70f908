package console_test

import (
	"net/http"
	"net/url"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/caseflow/caseflow/archive"
	"github.com/caseflow/caseflow/sla"
	"github.com/caseflow/caseflow/store"
	"github.com/caseflow/caseflow/store/storetest"
)

func TestCustomerPagesShowTheArchiveInTheUsersLanguage(t *testing.T) {
	for _, backend := range storetest.Backends(t) {
		t.Run(backend.Name, func(t *testing.T) {
			s := newSite(t, backend.URL, true)
			ctx := t.Context()
			require.NoError(t, s.store.EnsurePolicies(ctx, sla.Standard()))
			_, err := s.store.CreateCustomer(ctx, store.Customer{ID: "C-2002", CustomerBody: archive.CustomerBody{
				Name: "宁波眼科医院", SLAPolicy: "standard", Region: "east", KeyCustomer: true, Class: "A",
				Contacts: []archive.Contact{{Name: "赵磊", Phone: "+86 574 8888 0101"}},
				Sites:    []archive.Site{{ID: "S-1", Name: "门诊楼"}}}})
			require.NoError(t, err)
			_, err = s.store.PutEquipment(ctx, store.Equipment{Serial: "LZ-0815", EquipmentBody: archive.EquipmentBody{
				CustomerID: "C-2002", SiteID: "S-1", Model: "LZ-300", WarrantyEnd: "2026-08-15", Status: "under_repair"}}, false)
			require.NoError(t, err)

			b := s.browser(t)
			b.signIn(s.users["sales/agent"])
			status, page := b.get("/console/customers?q=" + url.QueryEscape("赵磊") + "&key_customer=true")
			require.Equal(t, http.StatusOK, status)
			require.True(t, contains(page, `data-customer="C-2002"`, "宁波眼科医院"))
			status, page = b.get("/console/customers?class=B")
			require.Equal(t, http.StatusOK, status)
			require.NotContains(t, page, `data-customer="C-2002"`)

			zh := s.browser(t)
			zh.signIn(s.users["technical/engineer"])
			zh.client.Jar.SetCookies(mustURL(t, zh.base), []*http.Cookie{{Name: "caseflow_lang", Value: "zh-CN"}})
			status, page = zh.get("/console/customers/C-2002")
			require.Equal(t, http.StatusOK, status)
			require.True(t, contains(page, `lang="zh-CN"`, `data-serial="LZ-0815"`, "维修中", "门诊楼", "在用设备"))

			admin := s.browser(t)
			admin.signIn(s.users["after_sales/admin"])
			status, _ = admin.get("/console/customers/C-2002")
			require.Equal(t, http.StatusForbidden, status, "admins manage users only")
		})
	}
}

func mustURL(t *testing.T, raw string) *url.URL {
	u, err := url.Parse(raw)
	require.NoError(t, err)
	return u
}
