package console_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/caseflow/caseflow/complaint"
	"github.com/caseflow/caseflow/store/storetest"
)

// putCase registers a case straight in the store, as the workflow's
// projection would leave it, with its timeline's further events.
func (s *site) putCase(t *testing.T, id string, edit func(*complaint.Case), kinds ...string) {
	t.Helper()
	now := time.Now().UTC()
	c := complaint.Case{ID: id, Stage: complaint.StageNegotiate, ReceivedAt: now, RegisteredAt: now,
		Register: complaint.Register{CustomerID: "C-2002", CustomerName: "宁波眼科医院", ContactName: "赵磊",
			Description: "the laser does not fire", Category: complaint.CategoryOther, Severity: complaint.SeverityMinor,
			EquipmentSerial: "LZ-0815"}}
	edit(&c)
	number, err := s.store.RegisterCase(t.Context(), c, complaint.Event{Seq: 1, Kind: complaint.EventRegistered,
		OccurredAt: now, Payload: []byte(`{}`)})
	require.NoError(t, err)
	c.CaseNumber = number // as the workflow's snapshots carry it
	var evs []complaint.Event
	for i, k := range kinds {
		evs = append(evs, complaint.Event{Seq: int64(i + 2), Kind: k, OccurredAt: now,
			Actor: complaint.Actor{UserID: "sales-agent", Name: "Test sales agent", Department: complaint.DepartmentSales}})
	}
	require.NoError(t, s.store.ApplyEvents(t.Context(), c, evs))
}

var (
	salesAgent          = complaint.Actor{UserID: "sales-agent", Name: "Wang Fang", Department: complaint.DepartmentSales}
	outOfWarrantyAtEast = func(c *complaint.Case) {
		c.Customer = &complaint.CaseCustomer{Name: "宁波眼科医院", Region: "east", BranchOffice: "Ningbo",
			KeyCustomer: true, Class: complaint.CustomerClassA}
		c.Warranty = &complaint.Warranty{Status: complaint.WarrantyOut, EndsOn: "2025-06-30"}
	}
)

// declinedCase is out of warranty, its first quote declined.
func declinedCase(c *complaint.Case) {
	outOfWarrantyAtEast(c)
	at := c.ReceivedAt.Add(time.Hour)
	c.PaidService = complaint.PaidServiceDeclined
	c.Quotes = []complaint.Quote{{QuoteBody: complaint.QuoteBody{Amount: 1200.5, Currency: complaint.CurrencyCNY,
		Note: "seal and labour"}, Actor: salesAgent, At: at, Decision: &complaint.QuoteDecision{Accepted: false,
		Note: "too dear", Actor: salesAgent, At: at.Add(time.Hour)}}}
	c.AllowedSteps = []string{complaint.StepContact, complaint.StepProposals, complaint.StepAgreement,
		complaint.StepWithdraw, complaint.StepQuote, complaint.StepWaiver, complaint.StepCloseDeclined}
}

// quotedCase waits for the customer's answer to its quote.
func quotedCase(c *complaint.Case) {
	outOfWarrantyAtEast(c)
	c.PaidService = complaint.PaidServiceQuoted
	c.Quotes = []complaint.Quote{{QuoteBody: complaint.QuoteBody{Amount: 150000, Currency: complaint.CurrencyJPY},
		Actor: salesAgent, At: c.ReceivedAt}}
	c.AllowedSteps = []string{complaint.StepContact, complaint.StepProposals, complaint.StepAgreement,
		complaint.StepWithdraw, complaint.StepQuote, complaint.StepQuoteDecision, complaint.StepWaiver}
}

// TestThePaidServiceFormsShowForWhoMayTakeThem: sales quotes, either desk
// records the customer's answer and closes a declined case, an approver
// waives; nobody else sees the forms.
func TestThePaidServiceFormsShowForWhoMayTakeThem(t *testing.T) {
	s := newSite(t, storetest.SQLite(t).URL, true)
	s.putCase(t, "declined", declinedCase)
	s.putCase(t, "quoted", quotedCase)

	for _, tc := range []struct {
		user, id string
		see, not []string
	}{
		{"sales/agent", "declined", []string{"quote", "close-declined"}, []string{"waiver", "quote-decision"}},
		{"sales/supervisor", "quoted", []string{"quote", "quote-decision"}, []string{"waiver", "close-declined"}},
		{"after_sales/agent", "declined", []string{"close-declined"}, []string{"quote", "waiver"}},
		{"after_sales/agent", "quoted", []string{"quote-decision"}, []string{"quote", "waiver"}},
		{"quality/approver", "declined", []string{"waiver"}, []string{"quote", "close-declined"}},
		{"technical/engineer", "quoted", nil, []string{"quote", "quote-decision", "waiver", "close-declined"}},
		{"sales/engineer", "declined", nil, []string{"quote", "waiver", "close-declined"}},
	} {
		t.Run(tc.user+" "+tc.id, func(t *testing.T) {
			b := s.browser(t)
			b.signIn(s.users[tc.user])
			status, page := b.get("/console/cases/" + tc.id)
			require.Equal(t, http.StatusOK, status)
			for _, step := range tc.see {
				require.Contains(t, page, `id="form-`+step+`"`)
				require.Contains(t, page, `action="/console/cases/`+tc.id+`/steps/`+step+`"`)
			}
			for _, step := range tc.not {
				require.NotContains(t, page, `id="form-`+step+`"`)
			}
		})
	}

	t.Run("the forms' controls", func(t *testing.T) {
		b := s.browser(t)
		b.signIn(s.users["sales/agent"])
		_, page := b.get("/console/cases/quoted")
		quote := formOf(t, page, "quote")
		require.True(t, contains(quote, `name="amount"`, `type="number"`, `step="0.01"`,
			`<option value="CNY">CNY (yuan)</option>`, `name="note"`, "The equipment is out of warranty"))
		decision := formOf(t, page, "quote-decision")
		require.True(t, contains(decision, `type="radio" name="accepted" value="true"`,
			`type="radio" name="accepted" value="false"`, "Did the customer accept the quote?"))
		require.NotContains(t, decision, `type="checkbox"`)

		zh := s.browser(t)
		zh.signIn(s.users["sales/agent"])
		zh.client.Jar.SetCookies(mustURL(t, zh.base), []*http.Cookie{{Name: "caseflow_lang", Value: "zh-CN"}})
		_, page = zh.get("/console/cases/quoted")
		require.True(t, contains(formOf(t, page, "quote"), "有偿服务报价", "金额", "币种", "人民币（CNY）"))
		require.True(t, contains(formOf(t, page, "quote-decision"), "客户是否接受报价？", "> 是</label>", "> 否</label>"))
	})
}

// formOf is a step's form on a case page.
func formOf(t *testing.T, page, step string) string {
	t.Helper()
	_, rest, ok := strings.Cut(page, `id="form-`+step+`"`)
	require.True(t, ok, "no form for %s", step)
	form, _, _ := strings.Cut(rest, "</form>")
	return form
}

// TestTheCasePageShowsTheArchivesFactsAndPaidService renders from the case
// the store holds, in both languages.
func TestTheCasePageShowsTheArchivesFactsAndPaidService(t *testing.T) {
	s := newSite(t, storetest.SQLite(t).URL, true)
	s.putCase(t, "declined", declinedCase, complaint.EventQuoted, complaint.EventQuoteDecided)
	s.putCase(t, "waived", func(c *complaint.Case) {
		declinedCase(c)
		c.PaidService = complaint.PaidServiceWaived
		c.Waiver = &complaint.Waiver{Note: "a key customer: free of charge", At: c.ReceivedAt,
			Actor: complaint.Actor{UserID: "sales-approver", Name: "Li Na", Department: complaint.DepartmentSales}}
		c.AllowedSteps = []string{complaint.StepContact}
	}, complaint.EventQuoted, complaint.EventQuoteDecided, complaint.EventPaidServiceWaived)
	s.putCase(t, "closed", func(c *complaint.Case) {
		declinedCase(c)
		c.Stage = complaint.StageClosed
		c.AllowedSteps = []string{}
		c.Closure = &complaint.Closure{Outcome: complaint.OutcomeQuoteDeclined, Note: "the warranty ended in June 2025"}
	}, complaint.EventClosed)
	s.putCase(t, "in-warranty", func(c *complaint.Case) {
		c.Warranty = &complaint.Warranty{Status: complaint.WarrantyIn, EndsOn: "2027-01-31"}
		c.Customer = &complaint.CaseCustomer{Name: "宁波眼科医院", Region: "east"}
	})
	s.putCase(t, "before-the-archive", func(*complaint.Case) {})

	en := s.browser(t)
	en.signIn(s.users["after_sales/agent"])
	zh := s.browser(t)
	zh.signIn(s.users["after_sales/agent"])
	zh.client.Jar.SetCookies(mustURL(t, zh.base), []*http.Cookie{{Name: "caseflow_lang", Value: "zh-CN"}})
	get := func(b *browser, id string) string {
		t.Helper()
		status, page := b.get("/console/cases/" + id)
		require.Equal(t, http.StatusOK, status)
		return page
	}

	page := get(en, "declined")
	require.True(t, contains(page, `data-region="east"`, `data-branch-office="Ningbo"`, `data-class="A"`,
		`data-key-customer>Key customer</span>`, "LZ-0815",
		`data-warranty="out_of_warranty">Out of warranty · ends 2025-06-30`,
		`id="paid-service" data-paid-service="declined"`, "Quote declined",
		"<strong>1,200.50</strong> CNY (yuan)", "Wang Fang", "seal and labour",
		`data-decision="declined"><strong>Declined by the customer</strong>`, "too dear",
		`data-kind="quoted"`, "Paid service quoted", "Customer decided on the quote"))
	page = get(zh, "declined")
	require.True(t, contains(page, "区域", "办事处", "客户等级", "重点客户", "已过保修期 · 截止 2025-06-30",
		"有偿服务", "客户已拒绝报价", "人民币（CNY）", "客户已拒绝", "已报价", "客户已答复报价"))

	page = get(en, "waived")
	require.True(t, contains(page, `data-paid-service="waived"`, "Charge waived", "<p data-waiver class=\"text\">a key customer: free of charge</p>",
		"Li Na"))
	require.True(t, contains(get(zh, "waived"), "已免除费用", "费用已免除"))

	page = get(en, "closed")
	require.True(t, contains(page, `data-outcome="quote_declined">Paid service declined: <span class="text">the warranty ended in June 2025</span>`))
	require.Contains(t, get(zh, "closed"), "客户拒绝有偿服务")

	page = get(en, "in-warranty")
	require.True(t, contains(page, `data-warranty="in_warranty">In warranty · ends 2027-01-31`, `data-region="east"`))
	require.NotContains(t, page, `id="paid-service"`, "a case in warranty needs no paid service")
	require.NotContains(t, page, "data-key-customer")

	page = get(en, "before-the-archive")
	require.False(t, strings.Contains(page, `id="warranty"`) || strings.Contains(page, `data-region=`) ||
		strings.Contains(page, `id="paid-service"`), "a case from before the archive shows no facts it lacks")
}

// TestTheCasesListFiltersByTheArchivesFacts passes region, key customer and
// warranty to the API's list.
func TestTheCasesListFiltersByTheArchivesFacts(t *testing.T) {
	s := newSite(t, storetest.SQLite(t).URL, true)
	facts := func(region string, key bool, warranty string) func(*complaint.Case) {
		return func(c *complaint.Case) {
			c.Customer = &complaint.CaseCustomer{Name: "Acme", Region: region, BranchOffice: region + "-office", KeyCustomer: key}
			c.Warranty = &complaint.Warranty{Status: warranty}
		}
	}
	s.putCase(t, "east-key-out", facts("east", true, complaint.WarrantyOut))
	s.putCase(t, "east-other-in", facts("east", false, complaint.WarrantyIn))
	s.putCase(t, "north-key-out", facts("north", true, complaint.WarrantyOut))

	b := s.browser(t)
	b.signIn(s.users["sales/agent"])
	list := func(q url.Values) string {
		t.Helper()
		status, page := b.get("/console/cases?" + q.Encode())
		require.Equal(t, http.StatusOK, status)
		return page
	}
	page := list(url.Values{"region": {"east"}, "key_customer": {"true"}, "warranty": {"out_of_warranty"}})
	require.Contains(t, page, `data-case="east-key-out"`)
	require.NotContains(t, page, `data-case="east-other-in"`)
	require.NotContains(t, page, `data-case="north-key-out"`)
	require.True(t, contains(page, `name="region" type="text" value="east"`,
		`<option value="true" selected>Key customers</option>`,
		`<option value="out_of_warranty" selected>Out of warranty</option>`))

	page = list(url.Values{"key_customer": {"false"}})
	require.Contains(t, page, `data-case="east-other-in"`)
	require.NotContains(t, page, `data-case="east-key-out"`)
	page = list(url.Values{"branch_office": {"north-office"}})
	require.Contains(t, page, `data-case="north-key-out"`)
	require.NotContains(t, page, `data-case="east-key-out"`)

	zh := s.browser(t)
	zh.signIn(s.users["sales/agent"])
	zh.client.Jar.SetCookies(mustURL(t, zh.base), []*http.Cookie{{Name: "caseflow_lang", Value: "zh-CN"}})
	_, page = zh.get("/console/cases")
	require.True(t, contains(page, "区域", "重点客户", "非重点客户", "保修", "已过保修期", "保修期内"))
}

// TestMyWorkListsThePaidServiceThatWaits: sales sees the cases that want a
// quote (none yet, or the last declined) and the quotes awaiting the
// customer's answer, which after-sales may record too; a settled case waits
// for nobody's quote.
func TestMyWorkListsThePaidServiceThatWaits(t *testing.T) {
	s := newSite(t, storetest.SQLite(t).URL, true)
	s.putCase(t, "needs-quote", func(c *complaint.Case) {
		outOfWarrantyAtEast(c)
		c.Stage = complaint.StageAnalyze
		c.PaidService = complaint.PaidServiceRequired
		c.AllowedSteps = []string{complaint.StepContact, complaint.StepAnalysis, complaint.StepQuote, complaint.StepWaiver}
	})
	s.putCase(t, "declined", declinedCase)
	s.putCase(t, "quoted", quotedCase)
	s.putCase(t, "accepted", func(c *complaint.Case) {
		quotedCase(c)
		c.PaidService = complaint.PaidServiceAccepted
		c.AllowedSteps = []string{complaint.StepContact, complaint.StepProposals, complaint.StepAgreement}
	})

	for _, tc := range []struct {
		user   string
		groups map[string][]string // group → the cases it lists
		not    []string            // groups not shown
	}{
		{"sales/agent", map[string][]string{
			"mywork.quote":          {"needs-quote", "declined"},
			"mywork.quote_decision": {"quoted"},
		}, nil},
		{"after_sales/agent", map[string][]string{"mywork.quote_decision": {"quoted"}}, []string{"mywork.quote"}},
		{"quality/approver", nil, []string{"mywork.quote", "mywork.quote_decision"}},
		{"technical/engineer", nil, []string{"mywork.quote", "mywork.quote_decision"}},
	} {
		t.Run(tc.user, func(t *testing.T) {
			b := s.browser(t)
			b.signIn(s.users[tc.user])
			status, page := b.get("/console/")
			require.Equal(t, http.StatusOK, status)
			for group, ids := range tc.groups {
				_, rest, ok := strings.Cut(page, `data-group="`+group+`"`)
				require.True(t, ok, "no group %s", group)
				section, _, _ := strings.Cut(rest, "</section>")
				var listed []string
				for _, id := range []string{"needs-quote", "declined", "quoted", "accepted"} {
					if strings.Contains(section, `data-case="`+id+`"`) {
						listed = append(listed, id)
					}
				}
				require.ElementsMatch(t, ids, listed, group)
			}
			for _, group := range tc.not {
				require.NotContains(t, page, `data-group="`+group+`"`)
			}
		})
	}

	zh := s.browser(t)
	zh.signIn(s.users["sales/agent"])
	zh.client.Jar.SetCookies(mustURL(t, zh.base), []*http.Cookie{{Name: "caseflow_lang", Value: "zh-CN"}})
	_, page := zh.get("/console/")
	require.True(t, contains(page, "待报价的有偿服务", "待客户答复的报价"))
}

// TestNotificationsNameTheirKind: the paid-service notice to sales reads as
// such in both languages.
func TestNotificationsNameTheirKind(t *testing.T) {
	s := newSite(t, storetest.SQLite(t).URL, true)
	u := s.users["sales/agent"]
	now := time.Now().UTC()
	require.NoError(t, s.store.RecordNotifications(t.Context(), []complaint.Notification{{ID: "n-1",
		ComplaintID: "quoted", CaseNumber: "CMP-2026-000001", Kind: complaint.NotificationPaidService, Level: 1,
		Recipient: u.ID, Name: u.Name, Subject: "CMP-2026-000001 needs a quote", DueAt: now, CreatedAt: now}}))
	b := s.browser(t)
	b.signIn(u)
	status, page := b.get("/console/notifications")
	require.Equal(t, http.StatusOK, status)
	require.Contains(t, page, `data-kind="paid_service">Paid service needed</td>`)
	zh := s.browser(t)
	zh.signIn(u)
	zh.client.Jar.SetCookies(mustURL(t, zh.base), []*http.Cookie{{Name: "caseflow_lang", Value: "zh-CN"}})
	_, page = zh.get("/console/notifications")
	require.Contains(t, page, "需要有偿服务")
}
