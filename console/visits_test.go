package console_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/caseflow/caseflow/auth"
	"github.com/caseflow/caseflow/complaint"
	"github.com/caseflow/caseflow/store/storetest"
)

// fieldServiceCase has a visit in every state: V1 planned, V2 on site, V3
// checked out (its record due), V4 recorded (two versions), V5 waived; the
// technical engineer is on V1 to V4, the production engineer on none.
func fieldServiceCase(c *complaint.Case) {
	at := c.ReceivedAt.Add(time.Hour)
	due := at.Add(72 * time.Hour)
	eng := "technical-engineer"
	agent := complaint.Actor{UserID: "after_sales-agent", Name: "Chen Jing", Department: complaint.DepartmentAfterSales}
	me := complaint.Actor{UserID: eng, Name: "Liu Yang", Department: complaint.DepartmentTechnical}
	c.Stage = complaint.StageRemediate
	c.AssignedEngineers = []string{eng, "after_sales-engineer"}
	c.Site = &complaint.CaseSite{ID: "S-1", Name: "Ningbo Eye Hospital, building 2", Address: "88 Zhongshan Road"}
	signOff := complaint.SignOff{SignerName: "赵磊", SignerTitle: "Head of equipment", Opinion: complaint.OpinionPartly,
		Comment: "came late", SignedAt: at.Add(5 * time.Hour).Format(time.RFC3339)}
	c.Visits = []complaint.Visit{
		{ID: "V1", State: complaint.VisitPlanned, Engineers: []string{eng}, PlannedAt: at.Add(48 * time.Hour), PlannedBy: agent},
		{ID: "V2", State: complaint.VisitOnSite, Engineers: []string{eng}, PlannedAt: at, PlannedBy: agent,
			CheckedInAt: &at, CheckedInBy: &me},
		{ID: "V3", State: complaint.VisitCheckedOut, Engineers: []string{eng, "after_sales-engineer"}, PlannedAt: at,
			PlannedBy: agent, CheckedInAt: &at, CheckedInBy: &me, CheckedOutAt: &at, RecordDueAt: &due,
			WorkDone: "replaced the pump seal", Findings: "worn seal",
			PartsUsed:    []complaint.PartUsed{{PartNumber: "P-2040", Quantity: 2, Serials: []string{"SN-881", "SN-882"}}},
			UnitPickedUp: "LZ-0815"},
		{ID: "V4", State: complaint.VisitRecorded, Engineers: []string{eng}, PlannedAt: at, PlannedBy: agent,
			CheckedInAt: &at, CheckedOutAt: &at, WorkDone: "calibrated", Records: []complaint.ServiceRecord{
				{Number: "SVC-2026-000007", Version: 1, SignOff: signOff, SignatureSHA256: "ab", FiledBy: me, FiledAt: at},
				{Number: "SVC-2026-000007", Version: 2, SignOff: signOff, SignatureSHA256: "cd", FiledBy: me, FiledAt: at},
			}},
		{ID: "V5", State: complaint.VisitRecordWaived, Engineers: []string{"after_sales-engineer"}, PlannedAt: at,
			PlannedBy: agent, RecordWaiver: &complaint.Waiver{Note: "the customer was away", Actor: agent, At: at}},
	}
	c.Clocks = &complaint.Clocks{ServiceRecord: &complaint.Clock{State: complaint.ClockRunning, DueAt: &due}}
	c.AllowedSteps = []string{complaint.StepProgress, complaint.StepEngineers, complaint.StepVisits, complaint.StepCheckIn,
		complaint.StepCheckOut, complaint.StepServiceRecord, complaint.StepRecordWaiver}
}

// fieldServiceEvents are the timeline's field-service events (at least one
// is needed for the store to project the visits).
var fieldServiceEvents = []string{complaint.EventEngineersAssigned, complaint.EventVisitPlanned, complaint.EventCheckedIn,
	complaint.EventCheckedOut, complaint.EventServiceRecordFiled, complaint.EventServiceRecordWaived,
	complaint.EventServiceRecordWarned, complaint.EventServiceRecordLate}

func (s *site) chinese(t *testing.T, user string) *browser {
	b := s.browser(t)
	b.signIn(s.users[user])
	b.client.Jar.SetCookies(mustURL(t, b.base), []*http.Cookie{{Name: "caseflow_lang", Value: "zh-CN"}})
	return b
}

// section is the part of a page from the element with marker to its end tag.
func section(t *testing.T, page, marker, end string) string {
	t.Helper()
	_, rest, ok := strings.Cut(page, marker)
	require.True(t, ok, "no %s", marker)
	part, _, _ := strings.Cut(rest, end)
	return part
}

// TestTheFieldServiceFormsShowForWhoMayTakeThem: after-sales dispatches and
// plans, an engineer plans, checks in and out of the visits that take it
// and has the customer sign the records of their own visits, a supervisor
// waives; each form's visit is a choice of the visits in the step's state.
func TestTheFieldServiceFormsShowForWhoMayTakeThem(t *testing.T) {
	s := newSite(t, storetest.SQLite(t).URL, true)
	s.putCase(t, "visits", fieldServiceCase, fieldServiceEvents...)

	for _, tc := range []struct {
		user     string
		see, not []string
		signs    []string // the visits whose signing page the user is offered
	}{
		{"after_sales/agent", []string{"engineers", "visits"}, []string{"check-in", "check-out", "record-waiver"}, nil},
		{"technical/engineer", []string{"visits", "check-in", "check-out"}, []string{"engineers", "record-waiver"}, []string{"V3", "V4"}},
		{"production/engineer", []string{"visits", "check-in"}, []string{"engineers", "record-waiver"}, nil},
		{"after_sales/supervisor", []string{"engineers", "visits", "record-waiver"}, []string{"check-in", "check-out"}, nil},
		{"quality/approver", nil, []string{"engineers", "visits", "check-in", "check-out", "record-waiver"}, nil},
	} {
		t.Run(tc.user, func(t *testing.T) {
			b := s.browser(t)
			b.signIn(s.users[tc.user])
			status, page := b.get("/console/cases/visits")
			require.Equal(t, http.StatusOK, status)
			for _, step := range tc.see {
				require.Contains(t, page, `action="/console/cases/visits/steps/`+step+`"`)
			}
			for _, step := range tc.not {
				require.NotContains(t, page, `id="form-`+step+`"`)
			}
			require.NotContains(t, page, `id="form-service-record"`, "the record is signed on its own page")
			for _, v := range []string{"V1", "V2", "V3", "V4", "V5"} {
				href := `href="/console/cases/visits/visits/` + v + `/sign"`
				if contains(strings.Join(tc.signs, " "), v) {
					require.Contains(t, page, href)
				} else {
					require.NotContains(t, page, href)
				}
			}
		})
	}

	b := s.browser(t)
	b.signIn(s.users["technical/engineer"])
	_, page := b.get("/console/cases/visits")
	checkIn := formOf(t, page, "check-in")
	require.True(t, contains(checkIn, `<select id="check-in-visit" name="visit"`, `<option value="V1" selected>V1 · Planned · `))
	require.NotContains(t, checkIn, `value="V2"`)
	checkOut := formOf(t, page, "check-out")
	require.True(t, contains(checkOut, `<option value="V2" selected>`, `name="work_done"`, `name="parts_used"`,
		"One part a line", `name="unit_picked_up"`))
	require.NotContains(t, checkOut, `value="V1"`)
	plan := formOf(t, page, "visits")
	require.True(t, contains(plan, `name="planned_at"`, `type="datetime-local"`, `data-offset="planned_at_offset"`,
		`<input type="hidden" name="planned_at_offset"`, ">technical-engineer\nafter_sales-engineer</textarea>",
		"Plan a visit"))

	sup := s.browser(t)
	sup.signIn(s.users["after_sales/supervisor"])
	_, page = sup.get("/console/cases/visits")
	waiver := formOf(t, page, "record-waiver")
	require.True(t, contains(waiver, `<option value="V1">`, `<option value="V2">`, `<option value="V3">`, `name="reason"`))
	require.False(t, contains(waiver, `value="V4"`) || contains(waiver, `value="V5"`), "a recorded or waived visit owes nothing")

	zh := s.chinese(t, "after_sales/supervisor")
	_, page = zh.get("/console/cases/visits")
	require.True(t, contains(page, "派工（指定工程师）", "安排上门", "免除上门服务记录单", "工程师（用户编号，每行一个）",
		"计划上门时间", "主管可免除"))
}

// TestTheCasePageShowsTheVisits: engineers, times, work, parts, states,
// the records with their PDFs, a waiver, the record's clock and the new
// events, in both languages.
func TestTheCasePageShowsTheVisits(t *testing.T) {
	s := newSite(t, storetest.SQLite(t).URL, true)
	s.putCase(t, "visits", fieldServiceCase, fieldServiceEvents...)

	b := s.browser(t)
	b.signIn(s.users["after_sales/agent"])
	status, page := b.get("/console/cases/visits")
	require.Equal(t, http.StatusOK, status)
	require.Contains(t, page, `<dd data-engineers>technical-engineer, after_sales-engineer</dd>`)
	visits := section(t, page, `<section class="card" id="visits">`, "</section>")
	for _, v := range []string{"V1", "V2", "V3", "V4", "V5"} {
		require.Contains(t, visits, `id="visit-`+v+`"`)
	}
	v3 := section(t, visits, `id="visit-V3"`, "</article>")
	require.True(t, contains(v3, `data-state="checked_out"`, "Checked out, record due", "replaced the pump seal", "worn seal",
		`<tr data-part="P-2040"><td>P-2040</td><td>2</td><td>SN-881, SN-882</td></tr>`, "LZ-0815",
		"Service record due", "data-countdown=", "technical-engineer, after_sales-engineer", "Chen Jing"))
	v4 := section(t, visits, `id="visit-V4"`, "</article>")
	require.True(t, contains(v4, "Record filed",
		`<a href="/console/service-records/SVC-2026-000007.pdf?version=1" type="application/pdf">SVC-2026-000007 · version 1 (PDF)</a>`,
		`href="/console/service-records/SVC-2026-000007.pdf?version=2"`, "赵磊, Head of equipment",
		`<span data-opinion="partly_satisfied">Partly satisfied</span>`, "came late", "Liu Yang"))
	v5 := section(t, visits, `id="visit-V5"`, "</article>")
	require.True(t, contains(v5, "Record waived", "Service record waived", `<p data-record-waiver class="text">the customer was away</p>`))
	require.Contains(t, section(t, visits, `id="visit-V1"`, "</article>"), "Planned")
	require.Contains(t, section(t, visits, `id="visit-V2"`, "</article>"), "On site")
	require.True(t, contains(page, `data-clock="service_record" data-state="running"`, "Service record filing"))
	require.True(t, contains(page, `data-kind="visit_planned"`, "Visit planned", "Engineers assigned", "Checked in on site",
		"Service record filed", "Service record due soon", "Service record overdue"))

	zh := s.chinese(t, "after_sales/agent")
	_, page = zh.get("/console/cases/visits")
	require.True(t, contains(page, "上门服务", "工程师", "已离场，待交记录单", "记录单已提交", "记录单已免除",
		"第 1 版", "基本满意", "服务记录单期限", "使用的备件", "序列号", "服务记录单提交", "已安排上门", "已到场签到",
		"已提交服务记录单", "服务记录单已逾期"))
}

// TestMyVisitsListsTheEngineersOwnVisits: the engineer's planned and open
// visits, or all of them, with their cases, states and times; the signing
// page for a visit whose record is due; the page in the nav of engineers
// only.
func TestMyVisitsListsTheEngineersOwnVisits(t *testing.T) {
	s := newSite(t, storetest.SQLite(t).URL, true)
	s.putCase(t, "visits", fieldServiceCase, fieldServiceEvents...)
	number := regexp.MustCompile(`CMP-\d{4}-\d{6}`)

	b := s.browser(t)
	b.signIn(s.users["technical/engineer"])
	status, page := b.get("/console/visits")
	require.Equal(t, http.StatusOK, status)
	require.Contains(t, page, `<a href="/console/visits" aria-current="page">My visits</a>`)
	listed := func(page string) []string {
		var out []string
		for _, m := range regexp.MustCompile(`data-case="visits" data-visit="(V\d)"`).FindAllStringSubmatch(page, -1) {
			out = append(out, m[1])
		}
		return out
	}
	require.ElementsMatch(t, []string{"V1", "V2", "V3"}, listed(page), "the open visits")
	row := section(t, page, `data-visit="V3"`, "</tr>")
	require.True(t, contains(row, `href="/console/cases/visits#visit-V3"`, "Checked out, record due", "<time datetime=",
		"data-countdown=", `href="/console/cases/visits/visits/V3/sign"`, "Customer sign-off"))
	require.Regexp(t, number, row)
	require.NotContains(t, section(t, page, `data-visit="V1"`, "</tr>"), "/sign")
	require.Contains(t, page, `href="/console/visits?all=true"`)

	_, page = b.get("/console/visits?all=true")
	require.ElementsMatch(t, []string{"V1", "V2", "V3", "V4"}, listed(page), "all the engineer's visits")
	require.Contains(t, page, `href="/console/visits" data-show="open"`)

	other := s.browser(t)
	other.signIn(s.users["production/engineer"])
	_, page = other.get("/console/visits")
	require.Empty(t, listed(page))
	require.Contains(t, page, "No visits.")

	agent := s.browser(t)
	agent.signIn(s.users["after_sales/agent"])
	status, page = agent.get("/console/visits")
	require.Equal(t, http.StatusOK, status, "the page reads what the API's /me/visits allows")
	require.NotContains(t, page, `href="/console/visits"`+">", "only an engineer's nav names it")
	_, page = agent.get("/console/")
	require.NotContains(t, page, "My visits")

	zh := s.chinese(t, "technical/engineer")
	_, page = zh.get("/console/visits")
	require.True(t, contains(page, "我的上门服务", "上门服务", "状态", "计划时间", "服务记录单期限", "已安排", "在现场",
		"已离场，待交记录单", "客户签字", "显示我的全部上门服务"))
}

var keyPattern = regexp.MustCompile(`name="idempotency_key" value="([^"]+)"`)

// TestTheSigningPage: on a phone, with a canvas pad for the signature
// (nothing without JavaScript), for the visit's engineers while the visit
// takes a record; a post sends the API the service record's body and shows
// the API's problems next to the fields.
func TestTheSigningPage(t *testing.T) {
	s := newSite(t, storetest.SQLite(t).URL, true)
	s.putCase(t, "visits", fieldServiceCase, fieldServiceEvents...)
	const path = "/console/cases/visits/visits/V3/sign"

	b := s.browser(t)
	b.signIn(s.users["technical/engineer"])
	status, page := b.get(path)
	require.Equal(t, http.StatusOK, status)
	require.True(t, contains(page, `<meta name="viewport" content="width=device-width, initial-scale=1">`,
		`<form method="post" action="/console/cases/visits/visits/V3/sign"`, `name="csrf_token" value="`,
		`name="idempotency_key" value="`,
		`<div class="signature-pad" data-signature-pad data-target="service-record-signature" hidden>`,
		`<canvas id="service-record-signature-canvas"`, `data-signature-clear>Clear</button>`,
		`<input type="hidden" id="service-record-signature" name="signature" value="">`,
		`<noscript><p class="field-error" data-nojs>The signature needs JavaScript`,
		`name="signer_name"`, `name="signer_title"`, `type="radio" name="opinion" value="satisfied"`,
		`type="radio" name="opinion" value="partly_satisfied"`, `type="radio" name="opinion" value="dissatisfied"`,
		`name="comment"`, "Sign and file", "Hand the phone to the customer",
		// What the customer signs for.
		"replaced the pump seal", `<tr data-part="P-2040">`, "Ningbo Eye Hospital, building 2", "88 Zhongshan Road", "LZ-0815"))
	require.False(t, contains(page, `name="visit"`) || contains(page, `name="signed_at"`), "the page fills them itself")
	require.Regexp(t, `<title>Service record · CMP-\d{4}-\d{6} · `, page)

	// The phone-width style and the pad's script.
	_, css := b.get("/console/static/console.css")
	require.True(t, contains(css, "@media (max-width: 480px)", ".signature-pad canvas { display:block; width:100%;", "touch-action:none"))
	_, js := b.get("/console/static/console.js")
	require.True(t, contains(js, `canvas.toDataURL("image/png")`, "pointerdown", "touchstart", "data-signature-clear",
		"getTimezoneOffset"))

	zh := s.chinese(t, "technical/engineer")
	_, page = zh.get(path)
	require.True(t, contains(page, "服务记录单", "客户签字确认", "签字并提交", "清除", "签名需要 JavaScript",
		"客户签字人", "签字人职务", "客户对服务的评价", "满意", "基本满意", "不满意", "签名"))

	t.Run("a visit that takes no record, or none", func(t *testing.T) {
		status, page := b.get("/console/cases/visits/visits/V1/sign")
		require.Equal(t, http.StatusConflict, status)
		require.Contains(t, page, "Visit V1 takes no service record now: it is Planned.")
		require.NotContains(t, page, "<canvas")
		status, _ = b.get("/console/cases/visits/visits/V9/sign")
		require.Equal(t, http.StatusNotFound, status)
		status, _ = b.get("/console/cases/nowhere/visits/V3/sign")
		require.Equal(t, http.StatusNotFound, status)
		status, page = b.get("/console/cases/visits/visits/V4/sign")
		require.Equal(t, http.StatusOK, status)
		require.Contains(t, page, "signing again files a corrected version")
	})

	t.Run("only an engineer signs", func(t *testing.T) {
		agent := s.browser(t)
		agent.signIn(s.users["after_sales/agent"])
		status, page := agent.get(path)
		require.Equal(t, http.StatusForbidden, status)
		require.Contains(t, page, "You may not do this")
	})

	token := b.csrf()
	_, page = b.get(path)
	key := keyPattern.FindStringSubmatch(page)[1]

	t.Run("the API's problems show next to the fields", func(t *testing.T) {
		status, page := b.post(path, url.Values{"csrf_token": {token}, "idempotency_key": {key},
			"signer_title": {"Head of equipment"}, "opinion": {"so-so"}, "signature": {"data:image/png;base64,bm90IGEgcG5n"}})
		require.Equal(t, http.StatusBadRequest, status)
		require.True(t, contains(page, "Please correct the fields marked below.",
			`<div class="field invalid" data-field="signer_name">`, `<div class="field invalid" data-field="opinion">`,
			"must be one of: satisfied, partly_satisfied, dissatisfied",
			`<div class="field invalid" data-field="signature">`, "must be a PNG image",
			`value="Head of equipment"`, `value="data:image/png;base64,bm90IGEgcG5n"`, `value="`+key+`"`, "<canvas"))

		_, page = zh.post(path, url.Values{"csrf_token": {zh.csrf()}, "signer_name": {"赵磊"}})
		require.True(t, contains(page, "请修改下方标出的字段。", "必填"))
	})

	t.Run("without the CSRF token nothing is sent", func(t *testing.T) {
		status, page := b.post(path, url.Values{"signer_name": {"赵磊"}})
		require.Equal(t, http.StatusForbidden, status)
		require.Contains(t, page, "This form has expired")
	})

	t.Run("the post sends the service record's body", func(t *testing.T) {
		var sent map[string]any
		var sentKey string
		var sentBy auth.Principal
		s.tap.answer(t, func(w http.ResponseWriter, r *http.Request) bool {
			if r.Method != http.MethodPost || r.URL.Path != "/api/v1/complaints/visits/service-record" {
				return false
			}
			raw, _ := io.ReadAll(r.Body)
			require.NoError(t, json.Unmarshal(raw, &sent))
			sentKey = r.Header.Get("Idempotency-Key")
			sentBy, _ = auth.PrincipalFrom(r.Context())
			w.Header().Set("Content-Type", "application/json")
			_, _ = w.Write([]byte(`{}`))
			return true
		})
		const png = "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAAAAAA6fptVAAAACklEQVR4nGNgAAAAAgABSK+kcQAAAABJRU5ErkJggg=="
		before := time.Now().Add(-time.Second)
		resp, err := b.client.PostForm(b.base+path, url.Values{"csrf_token": {token}, "idempotency_key": {key},
			"signer_name": {"赵磊"}, "signer_title": {"Head of equipment"}, "opinion": {"satisfied"},
			"comment": {"fixed\r\nthank you"}, "signature": {png}, "visit": {"V1"}})
		require.NoError(t, err)
		resp.Body.Close()
		require.Equal(t, http.StatusSeeOther, resp.StatusCode)
		require.Equal(t, "/console/cases/visits?done=service-record#visit-V3", resp.Header.Get("Location"))

		signedAt, err := time.Parse(time.RFC3339, sent["signed_at"].(string))
		require.NoError(t, err)
		require.WithinRange(t, signedAt, before.Truncate(time.Second), time.Now().Add(time.Second))
		delete(sent, "signed_at")
		require.Equal(t, map[string]any{"visit": "V3", "signer_name": "赵磊", "signer_title": "Head of equipment",
			"opinion": "satisfied", "comment": "fixed\nthank you", "signature": png}, sent)
		require.Equal(t, key, sentKey, "a double submit is one record")
		require.Equal(t, "technical-engineer", sentBy.UserID, "sent as the signed-in engineer")

		_, page := b.get(resp.Header.Get("Location"))
		require.Contains(t, page, "Done: Service record signed by the customer.")
	})
}

// TestTheStepFormsPostTheAPIsBodies: the check-out's parts lines and the
// plan's local time reach the API as its list and RFC 3339.
func TestTheStepFormsPostTheAPIsBodies(t *testing.T) {
	s := newSite(t, storetest.SQLite(t).URL, true)
	s.putCase(t, "visits", fieldServiceCase, fieldServiceEvents...)
	sent := map[string]map[string]any{}
	s.tap.answer(t, func(w http.ResponseWriter, r *http.Request) bool {
		step, ok := strings.CutPrefix(r.URL.Path, "/api/v1/complaints/visits/")
		if r.Method != http.MethodPost || !ok {
			return false
		}
		var body map[string]any
		require.NoError(t, json.NewDecoder(r.Body).Decode(&body))
		sent[step] = body
		_, _ = w.Write([]byte(`{}`))
		return true
	})
	b := s.browser(t)
	b.signIn(s.users["technical/engineer"])
	token := b.csrf()

	status, _ := b.post("/console/cases/visits/steps/check-out", url.Values{"csrf_token": {token},
		"visit": {"V2"}, "work_done": {"replaced the seal"}, "parts_used": {"P-2040 2 SN-881 SN-882\r\nP-7\r\n"}})
	require.Equal(t, http.StatusSeeOther, status)
	require.Equal(t, map[string]any{"visit": "V2", "work_done": "replaced the seal", "parts_used": []any{
		map[string]any{"part_number": "P-2040", "quantity": 2.0, "serials": []any{"SN-881", "SN-882"}},
		map[string]any{"part_number": "P-7", "quantity": 1.0},
	}}, sent["check-out"])

	status, _ = b.post("/console/cases/visits/steps/visits", url.Values{"csrf_token": {token},
		"engineers": {"technical-engineer"}, "planned_at": {"2026-03-05T14:30"}, "planned_at_offset": {"480"}})
	require.Equal(t, http.StatusSeeOther, status)
	require.Equal(t, map[string]any{"engineers": []any{"technical-engineer"}, "planned_at": "2026-03-05T14:30:00+08:00"},
		sent["visits"])
}

// TestServiceRecordPDFsComeThroughTheConsole: the case page's link fetches
// the PDF from the API for the session's user, in their language.
func TestServiceRecordPDFsComeThroughTheConsole(t *testing.T) {
	s := newSite(t, storetest.SQLite(t).URL, true)
	b := s.browser(t)
	b.signIn(s.users["after_sales/agent"])

	status, page := b.get("/console/service-records/SVC-2026-000404.pdf")
	require.Equal(t, http.StatusNotFound, status, "the API's answer for a number it lacks")
	require.Contains(t, page, "Not found.")

	var asked *url.URL
	var askedBy auth.Principal
	s.tap.answer(t, func(w http.ResponseWriter, r *http.Request) bool {
		if !strings.HasPrefix(r.URL.Path, "/api/v1/service-records/") {
			return false
		}
		asked = r.URL
		askedBy, _ = auth.PrincipalFrom(r.Context())
		w.Header().Set("Content-Type", "application/pdf")
		w.Header().Set("Content-Disposition", `inline; filename="SVC-2026-000007-v2.pdf"`)
		_, _ = w.Write([]byte("%PDF-1.7 a service record"))
		return true
	})
	resp, err := b.client.Get(b.base + "/console/service-records/SVC-2026-000007.pdf?version=2")
	require.NoError(t, err)
	raw, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, resp.StatusCode)
	require.Equal(t, "%PDF-1.7 a service record", string(raw))
	require.Equal(t, "application/pdf", resp.Header.Get("Content-Type"))
	require.Equal(t, `inline; filename="SVC-2026-000007-v2.pdf"`, resp.Header.Get("Content-Disposition"))
	require.Equal(t, "no-store", resp.Header.Get("Cache-Control"))
	require.Equal(t, "/api/v1/service-records/SVC-2026-000007.pdf", asked.Path)
	require.Equal(t, url.Values{"lang": {"en"}, "version": {"2"}}, asked.Query())
	require.Equal(t, "after_sales-agent", askedBy.UserID)

	zh := s.chinese(t, "quality/approver")
	status, _ = zh.get("/console/service-records/SVC-2026-000007.pdf")
	require.Equal(t, http.StatusOK, status)
	require.Equal(t, url.Values{"lang": {"zh"}}, asked.Query())

	admin := s.browser(t)
	admin.signIn(s.users["after_sales/admin"])
	status, _ = admin.get("/console/service-records/SVC-2026-000007.pdf")
	require.Equal(t, http.StatusForbidden, status, "reading a record reads complaints")
}

// TestDispatchNotificationsNameTheirKind: a dispatch reads as such in both
// languages.
func TestDispatchNotificationsNameTheirKind(t *testing.T) {
	s := newSite(t, storetest.SQLite(t).URL, true)
	u := s.users["technical/engineer"]
	now := time.Now().UTC()
	require.NoError(t, s.store.RecordNotifications(t.Context(), []complaint.Notification{{ID: "n-1",
		ComplaintID: "visits", CaseNumber: "CMP-2026-000001", Kind: complaint.NotificationDispatch, Level: 1,
		Recipient: u.ID, Name: u.Name, Subject: "CMP-2026-000001: you are dispatched", DueAt: now, CreatedAt: now}}))
	b := s.browser(t)
	b.signIn(u)
	_, page := b.get("/console/notifications")
	require.Contains(t, page, `data-kind="dispatch">Dispatch to a site</td>`)
	_, page = s.chinese(t, "technical/engineer").get("/console/notifications")
	require.Contains(t, page, "派工通知")
}
