package fuzz

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"io"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.temporal.io/api/workflowservice/v1"
	"go.temporal.io/sdk/client"

	"github.com/caseflow/caseflow/auth"
	"github.com/caseflow/caseflow/complaint"
	"github.com/caseflow/caseflow/followup"
	"github.com/caseflow/caseflow/review"
	"github.com/caseflow/caseflow/server"
	"github.com/caseflow/caseflow/store"
	"github.com/caseflow/caseflow/workflows"
)

// fixture says how to call a route so that a fuzzed part of the request
// meets a state where the rest of it would be accepted.
type fixture struct {
	// caller is "department/role"; empty means the first grant of the
	// route's action in auth.Policy.
	caller string
	// kind is the case a complaint's :id names (see caseKinds).
	kind string
	// param is the value of another path parameter.
	param func(w *world) string
	// body and query are valid, the seeds of the fuzz targets.
	body, query string
	// rma is the stage of the RMA a returns route's :id names (see
	// rmaStages).
	rma string
	// capa is the stage of the corrective action a capas route's :id
	// names (see capaStages).
	capa string
	// more are the values of the path parameters after the first, which
	// inputs leave as they are.
	more map[string]string
}

// Names the fixtures use. Cases the harness registers belong to fuzzCustomer,
// which no fuzzed write names; fuzzed customer, contract and policy writes go
// to their own names, so they cannot change the fixtures' service levels.
const (
	fuzzCustomer = "C-FUZZ"
	lateCustomer = "C-FUZZ-LATE"
	putCustomer  = "C-FUZZ-PUT"
	putContract  = "K-FUZZ"
	// eraseCustomer has no case: the erasure fixture erases it (once; then
	// it answers that erasure).
	eraseCustomer = "C-FUZZ-ERASE"
	// fuzzSerial is equipment of policyCustomer that fuzzed equipment
	// writes replace.
	fuzzSerial = "SN-FUZZ"
	// oldSerial is policyCustomer's equipment out of warranty.
	oldSerial = "SN-FUZZ-OLD"
	putPolicy = "fuzz-target"
	// fuzzWarehouse keeps fuzzPart, with stock on hand that no run of the
	// fuzzer's issues uses up; fuzzed warehouse writes go to putWarehouse.
	fuzzWarehouse = "W-FUZZ"
	putWarehouse  = "W-FUZZ-PUT"
	fuzzPart      = "P-FUZZ"
	// fuzzUnit is a backup unit of fuzzModel in fuzzWarehouse, lent on
	// fuzzLoan and returned into repair: bringing it back answers 200
	// however often.
	fuzzModel = "BK-FUZZ"
	fuzzUnit  = "SN-BK-FUZZ"
	fuzzLoan  = "c-fuzz-L1"
	// policyCustomer is under putPolicy whatever fuzzed writes do to
	// putCustomer, so a registration for it meets the last fuzzed policy.
	policyCustomer = "C-FUZZ-POLICY"
	fixtureMarker  = "{fixture}"
	// engineerMarker in a body stands for the user id of fieldEngineer, the
	// demo engineer the field-service fixtures plan visits for and call as.
	engineerMarker = "{engineer}"
	fieldEngineer  = "technical/engineer"
	// complaintMarker in a body stands for the id of the case prepare
	// registers, which corrective actions name.
	complaintMarker = "{complaint}"
)

const validRegistration = `{"customer_id":"C-FUZZ","customer_name":"Fuzz Hospital","contact_name":"Wang Fang",` +
	`"contact_phone":"+86 21 5555 0101","channel":"phone","description":"infusion pump alarms",` +
	`"customer_demand":"replace the pump","category":"quality","severity":"severe","order_number":"SO-1",` +
	`"part_number":"P-1","ship_date":"2026-01-15","quantity":10,"defective_quantity":2,` +
	`"new_customer":{"name":"Fuzz Hospital","sla_policy":"standard"}}`

// Field-service bodies: a visit for fieldEngineer, and its record signed
// with a small PNG.
const (
	planVisit = `{"engineers":["` + engineerMarker + `"],"planned_at":"2030-01-01T09:00:00+08:00","note":"bring the seal kit"}`
	checkOut  = `{"visit":"V1","work_done":"replaced the seal","findings":"a worn seal",` +
		`"parts_used":[{"part_number":"P-778","quantity":2,"serials":["S-1","S-2"]}],"unit_picked_up":"SN-1"}`
)

var serviceRecord = `{"visit":"V1","signer_name":"王芳","signer_title":"设备科科长","opinion":"satisfied",` +
	`"comment":"满意","signed_at":"2026-01-15T10:00:00+08:00","signature":"data:image/png;base64,` + signature() + `"}`

// signature is a signature-like PNG in base64.
func signature() string {
	img := image.NewGray(image.Rect(0, 0, 120, 40))
	for x := range 120 {
		img.SetGray(x, 20+x%10-5, color.Gray{})
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		panic(err)
	}
	return base64.StdEncoding.EncodeToString(buf.Bytes())
}

// fixtures has one entry per route of server.Routes(); TestEveryRouteIsFuzzed
// fails for a route without one.
var fixtures = map[string]fixture{
	"GET /healthz":      {},
	"GET /readyz":       {},
	"GET /openapi.yaml": {},

	"POST /api/v1/complaints": {body: validRegistration},
	"GET /api/v1/complaints": {query: "stage=confirm&category=quality&severity=severe&customer_id=C-FUZZ" +
		"&responsible_department=quality&opened_from=2026-01-01&opened_to=2030-01-01T00:00:00Z" +
		"&due_before=2030-01-01&breached=false&limit=5"},
	"GET /api/v1/complaints/:id":                     {kind: "read"},
	"GET /api/v1/complaints/:id/timeline":            {kind: "read"},
	"POST /api/v1/complaints/:id/contact":            {kind: "open", body: `{"note":"called the customer"}`},
	"POST /api/v1/complaints/:id/confirm":            {kind: "open", body: `{"note":"checked","order_number":"SO-2"}`},
	"POST /api/v1/complaints/:id/analysis":           {kind: "analyze", body: `{"root_cause":"seal","responsible_department":"production","liability":"company"}`},
	"POST /api/v1/complaints/:id/proposals":          {kind: "negotiate_quality", body: `{"measures":"replace the seal"}`},
	"POST /api/v1/complaints/:id/agreement":          {kind: "negotiate", body: `{"type":"repair","description":"fix","approving_departments":["after_sales"]}`},
	"POST /api/v1/complaints/:id/approvals":          {kind: "approve", body: `{"decision":"approve"}`},
	"POST /api/v1/complaints/:id/progress":           {kind: "remediate", body: `{"note":"on the way"}`},
	"POST /api/v1/complaints/:id/corrective-actions": {kind: "remediate", body: `{"action":"inspect","owner_department":"quality","due_date":"2030-01-01"}`},
	"POST /api/v1/complaints/:id/resolve":            {kind: "remediate", body: `{"note":"done"}`},
	"POST /api/v1/complaints/:id/close":              {kind: "resolved", body: `{"customer_confirmed":true,"satisfaction":5}`},
	"POST /api/v1/complaints/:id/withdraw":           {kind: "open", body: `{"note":"the customer withdrew"}`},
	"POST /api/v1/complaints/:id/onsite":             {kind: "open", body: `{"note":"arrived"}`},
	"POST /api/v1/complaints/:id/pause":              {kind: "open", body: `{"reason":"waiting for photos"}`},
	"POST /api/v1/complaints/:id/resume":             {kind: "paused", body: `{"note":"photos came"}`},
	"POST /api/v1/complaints/:id/interim":            {kind: "late", body: `{"kind":"workaround","description":"loan pump"}`},
	// The loan steps on a case that lent nothing: every body meets a
	// refusal (the matrix and the end-to-end tests take them for real).
	"POST /api/v1/complaints/:id/loan-return": {kind: "late", body: `{"loan":"C-FUZZ-L1","to":"stock","note":"back"}`},
	"POST /api/v1/complaints/:id/loan-convert": {kind: "late", caller: "after_sales/approver",
		body: `{"loan":"C-FUZZ-L1","conversion":"sale","note":"the customer keeps it"}`},
	// fuzzLoan's case has no workflow: the return reaches Temporal and
	// answers 404.
	"POST /api/v1/loans/:id/return":              {param: func(*world) string { return fuzzLoan }, body: `{"to":"repair","note":"leaks"}`},
	"POST /api/v1/complaints/:id/reopen":         {kind: "terminated", body: `{"reason":"terminated by mistake"}`},
	"POST /api/v1/complaints/:id/quote":          {kind: "paid", body: `{"amount":1200.5,"currency":"CNY","note":"seal kit"}`},
	"POST /api/v1/complaints/:id/quote-decision": {kind: "quoted", body: `{"accepted":true,"note":"agreed"}`},
	"POST /api/v1/complaints/:id/waiver":         {kind: "paid", body: `{"note":"key customer"}`},
	"POST /api/v1/complaints/:id/close-declined": {kind: "declined", body: `{"note":"the warranty ended"}`},
	// Field service: the visit's engineer checks in and out and files the
	// record; any supervisor waives it.
	"POST /api/v1/complaints/:id/engineers":      {kind: "open", body: `{"engineers":["` + engineerMarker + `"]}`},
	"POST /api/v1/complaints/:id/visits":         {kind: "open", body: planVisit},
	"GET /api/v1/complaints/:id/visits":          {kind: "planned"},
	"POST /api/v1/complaints/:id/check-in":       {caller: fieldEngineer, kind: "planned", body: `{"visit":"V1","note":"at the ward"}`},
	"POST /api/v1/complaints/:id/check-out":      {caller: fieldEngineer, kind: "on_site", body: checkOut},
	"POST /api/v1/complaints/:id/service-record": {caller: fieldEngineer, kind: "checked_out", body: serviceRecord},
	"POST /api/v1/complaints/:id/record-waiver":  {kind: "planned", body: `{"visit":"V1","reason":"fixed before the visit"}`},
	"GET /api/v1/service-records/:number": {param: func(w *world) string { return w.recordNumber },
		query: "version=1&lang=en"},
	"GET /api/v1/me/visits": {caller: fieldEngineer, query: "all=true"},

	// A supervisor reads everyone's notifications, so every filter reaches the store.
	"GET /api/v1/notifications": {caller: "after_sales/supervisor",
		query: "recipient=u-1&delivery=pending&kind=warning&complaint_id=c-1&since=2026-01-01T00:00:00Z&limit=10"},
	"GET /api/v1/sla-policies":       {},
	"GET /api/v1/sla-policies/:name": {param: func(*world) string { return "standard" }},
	"PUT /api/v1/sla-policies/:name": {param: func(*world) string { return putPolicy },
		body: `{"response":"100h","onsite":"200h","resolution":"400h"}`},
	"POST /api/v1/imports/customers": {body: "id,name,sla_policy,region,key_customer,contacts,sites\n" +
		"C-FUZZ-IMP,导入客户,fuzz-target,east,true,赵磊|+86 1|z@example.com|科长,S-1|厂区|宁波\n"},
	"POST /api/v1/imports/equipment": {body: "serial,customer_id,site_id,model,delivered_on,warranty_end,consumables\n" +
		"SN-FUZZ-IMP,C-FUZZ-POLICY,,P-100,2026-01-10,2028-01-10,F-1; F-2\n"},
	"GET /api/v1/customers": {query: "q=fuzz&name=fuzz&region=east&branch_office=ningbo&key_customer=true&class=A&limit=5"},
	"POST /api/v1/customers": {body: `{"id":"C-FUZZ-NEW","name":"Fuzz New","sla_policy":"fuzz-target","region":"east",` +
		`"class":"A","key_customer":true,"contacts":[{"name":"Li","phone":"1","email":"li@example.com"}],` +
		`"sites":[{"id":"S-1","name":"Plant 1"}]}`},
	"PATCH /api/v1/customers/:id": {param: func(*world) string { return putCustomer },
		body: `{"region":"north","sites":[{"id":"S-1","name":"Plant 1"}]}`},
	"GET /api/v1/customers/:id/equipment": {param: func(*world) string { return policyCustomer },
		query: "model=P-100&status=in_service&limit=5"},
	"GET /api/v1/equipment":         {query: "customer_id=C-FUZZ-POLICY&model=P-100&status=in_service&limit=5"},
	"POST /api/v1/equipment":        {body: `{"serial":"SN-FUZZ-NEW","customer_id":"C-FUZZ-POLICY","model":"P-100"}`},
	"GET /api/v1/equipment/:serial": {param: func(*world) string { return fuzzSerial }},
	"PUT /api/v1/equipment/:serial": {param: func(*world) string { return fuzzSerial },
		body: `{"customer_id":"C-FUZZ-POLICY","model":"P-200","delivered_on":"2026-01-10","warranty_end":"2028-01-10"}`},
	"GET /api/v1/customers/:id": {param: func(*world) string { return putCustomer }},
	"POST /api/v1/customers/:id/erase": {param: func(*world) string { return eraseCustomer },
		body: `{"reason":"the customer asked to be forgotten"}`},
	"PUT /api/v1/customers/:id": {param: func(*world) string { return putCustomer },
		body: `{"name":"Fuzz Ltd","sla_policy":"fuzz-target"}`},
	"PUT /api/v1/contracts/:number": {param: func(*world) string { return putContract },
		body: `{"customer_id":"C-FUZZ-PUT","sla_policy":"fuzz-target"}`},

	"GET /api/v1/stock/warehouses": {},
	"PUT /api/v1/stock/warehouses/:warehouse": {param: func(*world) string { return putWarehouse },
		body: `{"name":"Fuzz store 2"}`},
	"GET /api/v1/stock/items": {query: "part_number=P-FUZZ&warehouse=W-FUZZ&kind=spare_part&below_reorder=false&limit=5"},
	"POST /api/v1/stock/items": {body: `{"part_number":"P-FUZZ-NEW","warehouse":"W-FUZZ","name":"Backup pump",` +
		`"kind":"backup_unit","reorder_level":1}`},
	"GET /api/v1/stock/items/:part_number": {param: func(*world) string { return fuzzPart }},
	"POST /api/v1/stock/movements": {body: `{"part_number":"P-FUZZ","warehouse":"W-FUZZ","kind":"issue","quantity":1,` +
		`"reference":{"kind":"case","id":"c-1"},"note":"for the seal"}`},
	"GET /api/v1/stock/units": {query: "model=" + fuzzModel + "&warehouse=W-FUZZ&state=in_repair"},
	"POST /api/v1/stock/units": {body: `{"serial":"SN-BK-FUZZ-NEW","model":"` + fuzzModel +
		`","warehouse":"W-FUZZ","note":"demo unit"}`},
	"POST /api/v1/stock/units/:serial/repaired": {param: func(*world) string { return fuzzUnit },
		body: `{"note":"fan replaced"}`},
	"GET /api/v1/loans":     {query: "state=returned&complaint_id=c-fuzz&serial=" + fuzzUnit + "&overdue=true&limit=5"},
	"GET /api/v1/loans/:id": {param: func(*world) string { return fuzzLoan }},

	// Corrective actions, each on the case prepare registers and owned by
	// after-sales, whose agent (the first grant of done) reports it done.
	"POST /api/v1/capas": {body: validCapa},
	"GET /api/v1/capas": {query: "stage=open&owner_department=after_sales&complaint_id=c-1&part_number=" + fuzzPart +
		"&overdue=false&due_before=2031-01-01&limit=5"},
	"GET /api/v1/capas/:id":          {capa: "open"},
	"GET /api/v1/capas/:id/timeline": {capa: "open"},
	"POST /api/v1/capas/:id/done":    {capa: "open", body: `{"note":"supplier changed","evidence":["PO-1"]}`},
	// An action is verified a month after done at the soonest: every
	// input meets an open one, which refuses it.
	"POST /api/v1/capas/:id/verify": {capa: "open", body: `{"result":"ineffective","note":"leaks again",` +
		`"new_due_date":"2030-06-01"}`},
	// Follow-ups and feedback after-sales opened for policyCustomer, each
	// still open (followupFor, feedbackFor open another once a step has
	// moved it on); after-sales' agent takes their steps.
	"POST /api/v1/followups": {body: validFollowup},
	"GET /api/v1/followups": {query: "kind=delivery_call&owner=u-1&owner_department=after_sales&stage=open" +
		"&overdue=false&customer_id=" + policyCustomer + "&complaint_id=c-1&due_from=2026-01-01T00:00:00Z" +
		"&due_to=2031-01-01T00:00:00Z&limit=5"},
	"GET /api/v1/followups/:id":          {param: followupParam("GET /api/v1/followups/:id")},
	"GET /api/v1/followups/:id/timeline": {param: followupParam("GET /api/v1/followups/:id/timeline")},
	"POST /api/v1/followups/:id/done": {param: followupParam("POST /api/v1/followups/:id/done"),
		body: `{"note":"called; the pump runs well","satisfaction":5,"issues_found":false}`},
	"POST /api/v1/followups/:id/cancel": {param: followupParam("POST /api/v1/followups/:id/cancel"),
		body: `{"reason":"the customer sold the pump"}`},
	"POST /api/v1/feedback": {body: validFeedback},
	"GET /api/v1/feedback": {query: "kind=suggestion&stage=open&routed_to=after_sales&customer_id=" + policyCustomer +
		"&overdue=false&limit=5"},
	"GET /api/v1/feedback/:id":          {param: feedbackParam("GET /api/v1/feedback/:id")},
	"GET /api/v1/feedback/:id/timeline": {param: feedbackParam("GET /api/v1/feedback/:id/timeline")},
	"POST /api/v1/feedback/:id/answer": {param: feedbackParam("POST /api/v1/feedback/:id/answer"),
		body: `{"answer":"a bigger display comes with the next model"}`},
	// The survey page, on a link of a follow-up whose survey the workflow
	// does not wait for: the page shows the form, an answer meets 410.
	// Fuzzed bodies are form-encoded or not; both must answer below 500.
	"GET /survey/:token":  {param: (*world).surveyToken, query: "lang=zh"},
	"POST /survey/:token": {param: (*world).surveyToken, body: "satisfaction=5&would_recommend=9&comment=%E5%BE%88%E5%A5%BD"},
	// The review of a month that has ended, which prepare runs; each
	// after-sales supervisor decides on after-sales' row.
	"GET /api/v1/reviews":             {},
	"GET /api/v1/reviews/:month":      {param: func(w *world) string { return w.month }},
	"POST /api/v1/reviews/:month/run": {param: func(w *world) string { return w.month }},
	"PUT /api/v1/reviews/:month/departments/:department": {param: func(w *world) string { return w.month },
		more: map[string]string{":department": "after_sales"}, body: `{"decision":"warning","note":"two answers late"}`},

	// Returns and exchanges, of policyCustomer's part in fuzzWarehouse.
	"POST /api/v1/returns": {body: validReturn},
	"GET /api/v1/returns": {query: "stage=requested&branch_office=Fuzz&complaint_id=c-1&customer_id=" +
		policyCustomer + "&limit=5"},
	"GET /api/v1/returns/:id":           {rma: "requested"},
	"GET /api/v1/returns/:id/timeline":  {rma: "requested"},
	"POST /api/v1/returns/:id/approve":  {rma: "requested", body: `{"note":"within the return period"}`},
	"POST /api/v1/returns/:id/reject":   {rma: "requested", body: `{"reason":"outside the return period"}`},
	"POST /api/v1/returns/:id/receive":  {rma: "approved", body: `{"quantity":1,"warehouse":"W-FUZZ","note":"in"}`},
	"POST /api/v1/returns/:id/inspect":  {rma: "received", body: `{"result":"no_fault_found","note":"works"}`},
	"POST /api/v1/returns/:id/complete": {rma: "inspected", body: `{"disposition":"replace","warehouse":"W-FUZZ"}`},

	"GET /api/v1/admin/users":             {},
	"POST /api/v1/admin/users":            {body: `{"name":"Fuzz Engineer","department":"technical","roles":["engineer"]}`},
	"GET /api/v1/admin/users/:id/tokens":  {param: func(w *world) string { return w.userID }},
	"POST /api/v1/admin/users/:id/tokens": {param: func(w *world) string { return w.userID }},
	"DELETE /api/v1/admin/tokens/:id":     {param: func(w *world) string { return w.tokenID }},

	// The codec server: a JSON payload ("fuzz") to encode, and to decode
	// (one that is not encrypted comes back as it is). The preflights take
	// no body, query or parameter.
	"POST /codec/encode":    {body: plainPayloads},
	"POST /codec/decode":    {body: plainPayloads},
	"OPTIONS /codec/encode": {},
	"OPTIONS /codec/decode": {},
}

// plainPayloads is a codec-server body: one json/plain payload.
const plainPayloads = `{"payloads":[{"metadata":{"encoding":"anNvbi9wbGFpbg=="},"data":"ImZ1enoi"}]}`

func routeKey(r server.Route) string { return r.Method + " " + r.Path }

// pathParam is the first parameter of a route's path ("" for none), the
// one inputs fuzz; a fixture's more has the others.
func pathParam(path string) string {
	for _, seg := range strings.Split(path, "/") {
		if strings.HasPrefix(seg, ":") {
			return seg
		}
	}
	return ""
}

// caller is the demo user the input is sent as: a user the route's action
// allows, the admin for admin routes.
func (fx fixture) callerOf(r server.Route) string {
	if r.Action == "" {
		return ""
	}
	if fx.caller != "" {
		return fx.caller
	}
	g := auth.Policy[r.Action][0]
	department := auth.AfterSales
	if len(g.Departments) > 0 {
		department = g.Departments[0]
	}
	return string(department) + "/" + string(g.Roles[0])
}

// validReturn is an RMA request the fuzzer's stack accepts.
const validReturn = `{"kind":"exchange","customer_id":"` + policyCustomer + `","branch_office":"Fuzz",` +
	`"part_number":"` + fuzzPart + `","serials":["S-1"],"quantity":1,"reason":"leaks","warehouse":"` + fuzzWarehouse + `"}`

// validCapa is a corrective action the fuzzer's stack opens.
const validCapa = `{"complaint_ids":["` + complaintMarker + `"],"part_number":"` + fuzzPart + `",` +
	`"root_cause":"worn seal","action":"change the seal supplier","owner_department":"after_sales",` +
	`"due_date":"2030-01-01","effectiveness_days":30}`

// validFollowup and validFeedback are what the fuzzer's stack opens and
// logs: an annual survey needs no equipment, which fuzzed writes could
// move to another customer.
const (
	validFollowup = `{"kind":"annual_survey","customer_id":"` + policyCustomer + `","owner_department":"after_sales",` +
		`"due_at":"2030-01-01T09:00:00Z","note":"ask about the seal"}`
	validFeedback = `{"kind":"suggestion","from_customer_id":"` + policyCustomer + `","text":"a bigger display",` +
		`"routed_to":"after_sales"}`
	// fuzzSurveyToken is the token of the survey link surveyToken puts in the store.
	fuzzSurveyToken = "fuzz-survey-token-0123456789abcdef"
)

// followupParam is the param of a follow-up route: an open follow-up.
func followupParam(route string) func(*world) string {
	return func(w *world) string { return w.openFor(route, "/api/v1/followups", validFollowup, w.followupOpen) }
}

// feedbackParam is the param of a feedback route: open feedback.
func feedbackParam(route string) func(*world) string {
	return func(w *world) string { return w.openFor(route, "/api/v1/feedback", validFeedback, w.feedbackOpen) }
}

func (w *world) followupOpen(ctx context.Context, id string) bool {
	f, err := w.stack.Store.GetFollowup(ctx, id)
	return err == nil && f.Stage == complaint.FollowupOpen
}

func (w *world) feedbackOpen(ctx context.Context, id string) bool {
	fb, err := w.stack.Store.GetFeedback(ctx, id)
	return err == nil && fb.Stage == complaint.FeedbackOpen
}

// openFor answers the route's follow-up or feedback while it is still
// open, else a new one after-sales' agent opens (posting body to path). A
// stack that cannot open one fails the input.
func (w *world) openFor(route, path, body string, open func(context.Context, string) bool) string {
	ctx := context.Background()
	if id, ok := w.cases[route]; ok && open(ctx, id) {
		return id
	}
	status, answer, err := w.call(ctx, "after_sales/agent", http.MethodPost, path, []byte(body))
	var created struct{ ID string }
	if err != nil || status != http.StatusCreated || json.Unmarshal(answer, &created) != nil {
		panic(fmt.Sprintf("%s: POST %s: %d %s %v", w.name, path, status, answer, err))
	}
	w.cases[route] = created.ID
	w.settled, w.quiet = false, nil
	return created.ID
}

// surveyToken puts a survey link of an open follow-up in the store, once,
// and answers its token.
func (w *world) surveyToken() string {
	const key = "survey link"
	if _, ok := w.cases[key]; !ok {
		id := w.openFor(key, "/api/v1/followups", validFollowup, w.followupOpen)
		if err := w.stack.Store.PutSurveyLink(context.Background(), id, followup.TokenHash(fuzzSurveyToken),
			time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC), time.Now()); err != nil {
			panic(fmt.Sprintf("%s: put a survey link: %v", w.name, err))
		}
	}
	return fuzzSurveyToken
}

// capaStages are the stages a corrective action is opened in for a
// fixture: open only, as the clock moves it on (a month after done).
var capaStages = map[string]bool{"open": true}

// capaAt opens a corrective action as quality's agent; it answers its id.
func (w *world) capaAt(ctx context.Context, stage string) (string, error) {
	if !capaStages[stage] {
		return "", fmt.Errorf("no corrective action stage %q", stage)
	}
	status, answer, err := w.call(ctx, "quality/agent", http.MethodPost, "/api/v1/capas", w.withMarkers([]byte(validCapa)))
	if err != nil || status != http.StatusCreated {
		return "", fmt.Errorf("open a corrective action: %d %s %v", status, answer, err)
	}
	var created struct{ ID string }
	if err := json.Unmarshal(answer, &created); err != nil {
		return "", err
	}
	return created.ID, nil
}

// rmaSteps walk a new RMA through its stages, in order; rmaStages says how
// many of them each stage takes.
var (
	rmaSteps = []caseStep{
		{"after_sales/approver", "approve", `{}`},
		{"after_sales/agent", "receive", `{"quantity":1}`},
		{"quality/agent", "inspect", `{"result":"defect_confirmed","note":"torn"}`},
	}
	rmaStages = map[string]int{"requested": 0, "approved": 1, "received": 2, "inspected": 3}
)

// rmaAt requests an RMA and walks it to stage; it answers its id.
func (w *world) rmaAt(ctx context.Context, stage string) (string, error) {
	status, answer, err := w.call(ctx, "branch_office/agent", http.MethodPost, "/api/v1/returns", []byte(validReturn))
	if err != nil || status != http.StatusCreated {
		return "", fmt.Errorf("request an RMA: %d %s %v", status, answer, err)
	}
	var created struct{ ID string }
	if err := json.Unmarshal(answer, &created); err != nil {
		return "", err
	}
	for _, s := range rmaSteps[:rmaStages[stage]] {
		status, answer, err := w.call(ctx, s.caller, http.MethodPost, "/api/v1/returns/"+created.ID+"/"+s.name,
			[]byte(s.body))
		if err != nil || status != http.StatusOK {
			return "", fmt.Errorf("%s: %d %s %v", s.name, status, answer, err)
		}
	}
	return created.ID, nil
}

// caseSteps walk a new case to where a step is allowed.
type caseStep struct {
	caller, name, body string
}

var (
	confirm   = caseStep{"after_sales/agent", "confirm", `{"note":"checked"}`}
	analysis  = caseStep{"technical/agent", "analysis", `{"root_cause":"seal","responsible_department":"production","liability":"company"}`}
	agreement = caseStep{"after_sales/agent", "agreement", `{"type":"repair","description":"fix","approving_departments":["after_sales"]}`}
	credit    = caseStep{"after_sales/agent", "agreement", `{"type":"credit","description":"credit note"}`}
	quote     = caseStep{"sales/agent", "quote", `{"amount":800,"currency":"CNY"}`}
	plan      = caseStep{"after_sales/agent", "visits", planVisit}
	checkIn   = caseStep{fieldEngineer, "check-in", `{"visit":"V1"}`}
	leave     = caseStep{fieldEngineer, "check-out", checkOut}
	// outOfWarranty registers on oldSerial.
	outOfWarranty = map[string]any{"customer_id": policyCustomer, "equipment_serial": oldSerial}
)

// caseKinds are the cases fixtures name: what changes in the registration,
// the steps after it, and a step to wait for (one a clock allows).
var caseKinds = map[string]struct {
	register map[string]any
	steps    []caseStep
	waitFor  string
	// terminate ends the workflow outside the API, and waits until the
	// reconciler has marked the case terminated.
	terminate bool
}{
	"read":              {},
	"open":              {},
	"analyze":           {steps: []caseStep{confirm}},
	"negotiate_quality": {steps: []caseStep{confirm, analysis}},
	"negotiate":         {register: map[string]any{"category": "non_quality"}, steps: []caseStep{confirm, analysis}},
	"approve":           {register: map[string]any{"category": "non_quality"}, steps: []caseStep{confirm, analysis, agreement}},
	"remediate": {register: map[string]any{"category": "non_quality", "severity": "minor"},
		steps: []caseStep{confirm, analysis, credit}},
	"resolved": {register: map[string]any{"category": "non_quality", "severity": "minor"},
		steps: []caseStep{confirm, analysis, credit, {"after_sales/agent", "resolve", `{"note":"done"}`}}},
	"paused": {steps: []caseStep{{"after_sales/agent", "pause", `{"reason":"waiting"}`}}},
	// Its resolution target is a second, so the resolution clock has
	// breached (and interim is owed) before any input meets it.
	"late": {register: map[string]any{"customer_id": lateCustomer}, waitFor: "interim"},
	// On equipment whose warranty ended years ago: paid service.
	"paid":       {register: outOfWarranty},
	"quoted":     {register: outOfWarranty, steps: []caseStep{quote}},
	"declined":   {register: outOfWarranty, steps: []caseStep{quote, {"after_sales/agent", "quote-decision", `{"accepted":false}`}}},
	"terminated": {terminate: true},
	// A quality case, which needs a visit, with one for fieldEngineer.
	"planned":     {steps: []caseStep{plan}},
	"on_site":     {steps: []caseStep{plan, checkIn}},
	"checked_out": {steps: []caseStep{plan, checkIn, leave}},
	// Its record filed: prepare files one for the record routes to read.
	"recorded": {steps: []caseStep{plan, checkIn, leave, {fieldEngineer, "service-record", serviceRecord}}},
}

// param returns the value of the route's path parameter for a valid call,
// registering the case it names if need be.
func (w *world) param(t *testing.T, r server.Route) string {
	t.Helper()
	fx := fixtures[routeKey(r)]
	if fx.param != nil {
		return fx.param(w)
	}
	if fx.rma != "" {
		key := routeKey(r)
		if id, ok := w.cases[key]; ok {
			return id
		}
		id, err := w.rmaAt(t.Context(), fx.rma)
		require.NoError(t, err, "%s: an RMA %s", w.name, fx.rma)
		w.cases[key] = id
		w.settled, w.quiet = false, nil
		return id
	}
	if fx.capa != "" {
		key := routeKey(r)
		if id, ok := w.cases[key]; ok {
			return id
		}
		id, err := w.capaAt(t.Context(), fx.capa)
		require.NoError(t, err, "%s: a corrective action %s", w.name, fx.capa)
		w.cases[key] = id
		w.settled, w.quiet = false, nil
		return id
	}
	if fx.kind == "" {
		return ""
	}
	key := routeKey(r)
	if id, ok := w.cases[key]; ok {
		return id
	}
	kind, ok := caseKinds[fx.kind]
	require.True(t, ok, "no case kind %q", fx.kind)
	ctx := t.Context()
	var created struct{ ID string }
	answer, err := w.register(ctx, fx.kind)
	require.NoError(t, err, "%s: a %s case", w.name, fx.kind)
	require.NoError(t, json.Unmarshal(answer, &created))
	if kind.waitFor != "" {
		require.Eventually(t, func() bool {
			_, answer, err := w.call(ctx, "after_sales/agent", http.MethodGet, "/api/v1/complaints/"+created.ID, nil)
			var c struct {
				AllowedSteps []string `json:"allowed_steps"`
			}
			return err == nil && json.Unmarshal(answer, &c) == nil && slices.Contains(c.AllowedSteps, kind.waitFor)
		}, 30*time.Second, 100*time.Millisecond, "%s: the %s case allows %s", w.name, fx.kind, kind.waitFor)
	}
	if kind.terminate {
		w.terminate(t, created.ID)
	}
	w.cases[key] = created.ID
	w.settled, w.quiet = false, nil
	return created.ID
}

// register registers a case of a kind and takes its steps; it answers the
// last answer, the case.
func (w *world) register(ctx context.Context, kindName string) ([]byte, error) {
	kind := caseKinds[kindName]
	body := map[string]any{}
	if err := json.Unmarshal([]byte(validRegistration), &body); err != nil {
		return nil, err
	}
	body["received_at"] = time.Now().Add(-time.Minute).UTC().Format(time.RFC3339)
	// A part of its own, so that no case repeats another: a recurrence's
	// event reaches the store seconds later (see caughtUp).
	w.registered++
	body["part_number"] = fmt.Sprintf("P-CASE-%d", w.registered)
	for k, v := range kind.register {
		body[k] = v
	}
	raw, err := json.Marshal(body)
	if err != nil {
		return nil, err
	}
	status, answer, err := w.call(ctx, "after_sales/agent", http.MethodPost, "/api/v1/complaints", raw)
	if err != nil || status != http.StatusCreated {
		return nil, fmt.Errorf("register: %d %s %v", status, answer, err)
	}
	var created struct{ ID string }
	if err := json.Unmarshal(answer, &created); err != nil {
		return nil, err
	}
	w.touched[created.ID] = true
	for _, s := range kind.steps {
		status, answer, err = w.call(ctx, s.caller, http.MethodPost, "/api/v1/complaints/"+created.ID+"/"+s.name,
			w.withMarkers([]byte(s.body)))
		if err != nil || status != http.StatusOK {
			return nil, fmt.Errorf("%s: %d %s %v", s.name, status, answer, err)
		}
	}
	return answer, nil
}

// withMarkers puts fieldEngineer's user id for engineerMarker, and the
// prepared case's id for complaintMarker, in a body.
func (w *world) withMarkers(body []byte) []byte {
	body = bytes.ReplaceAll(body, []byte(engineerMarker), []byte(w.engineerID))
	return bytes.ReplaceAll(body, []byte(complaintMarker), []byte(w.complaintID))
}

// prepare makes what the fixtures name. Every policy a case can get has
// targets months away, so that no clock fires while inputs run and the
// fingerprint moves only with the inputs; the late case's policy fires all
// it has at once.
func (w *world) prepare(ctx context.Context) error {
	slow := `{"response":"2000h","onsite":"2000h","resolution":"4000h"}`
	late := `{"response":"2000h","onsite":"2000h","resolution":"1s","warning_points":[0.5],` +
		`"escalation":[{"level":1,"after":"0s","recipients":[{"role":"supervisor","department":"after_sales"}]}]}`
	const admin, agent = "after_sales/admin", "after_sales/agent"
	calls := []struct{ caller, method, path, body string }{
		{admin, http.MethodPut, "/api/v1/sla-policies/standard", slow},
		{admin, http.MethodPut, "/api/v1/sla-policies/medical", slow},
		{admin, http.MethodPut, "/api/v1/sla-policies/" + putPolicy, slow},
		{admin, http.MethodPut, "/api/v1/sla-policies/fuzz-late", late},
		{agent, http.MethodPut, "/api/v1/customers/" + lateCustomer, `{"name":"Late Ltd","sla_policy":"fuzz-late"}`},
		{agent, http.MethodPut, "/api/v1/customers/" + putCustomer, `{"name":"Fuzz Ltd","sla_policy":"fuzz-target"}`},
		{agent, http.MethodPut, "/api/v1/customers/" + policyCustomer, `{"name":"Policy Ltd","sla_policy":"fuzz-target"}`},
		{agent, http.MethodPut, "/api/v1/customers/" + eraseCustomer, `{"name":"Erase Ltd","sla_policy":"fuzz-target",` +
			`"contacts":[{"name":"Zhao Lei","phone":"+86 21 5555 0199"}]}`},
		{agent, http.MethodPut, "/api/v1/contracts/" + putContract, `{"customer_id":"C-FUZZ-PUT","sla_policy":"fuzz-target"}`},
		{agent, http.MethodPut, "/api/v1/equipment/" + fuzzSerial, `{"customer_id":"C-FUZZ-POLICY","model":"P-100"}`},
		{agent, http.MethodPut, "/api/v1/equipment/" + oldSerial, `{"customer_id":"C-FUZZ-POLICY","model":"P-50",` +
			`"delivered_on":"2019-01-10","warranty_end":"2021-01-10"}`},
		{agent, http.MethodPut, "/api/v1/stock/warehouses/" + fuzzWarehouse, `{"name":"Fuzz store"}`},
	}
	for _, c := range calls {
		status, answer, err := w.call(ctx, c.caller, c.method, c.path, []byte(c.body))
		if err != nil || status != http.StatusOK {
			return fmt.Errorf("%s %s: %d %s %v", c.method, c.path, status, answer, err)
		}
	}
	// An item with stock on hand, for the movements.
	for _, c := range []struct{ path, body string }{
		{"/api/v1/stock/items", `{"part_number":"` + fuzzPart + `","warehouse":"` + fuzzWarehouse +
			`","name":"Seal kit","kind":"spare_part"}`},
		{"/api/v1/stock/movements", `{"part_number":"` + fuzzPart + `","warehouse":"` + fuzzWarehouse +
			`","kind":"receive","quantity":1000000}`},
		// The part the check-outs fit (checkOut), in the main warehouse: a
		// check-out issues it.
		{"/api/v1/stock/items", `{"part_number":"P-778","warehouse":"main","name":"Seal kit","kind":"spare_part"}`},
		{"/api/v1/stock/movements", `{"part_number":"P-778","warehouse":"main","kind":"receive","quantity":1000000}`},
		{"/api/v1/stock/items", `{"part_number":"` + fuzzModel + `","warehouse":"` + fuzzWarehouse +
			`","name":"Backup pump","kind":"backup_unit"}`},
		{"/api/v1/stock/units", `{"serial":"` + fuzzUnit + `","model":"` + fuzzModel + `","warehouse":"` +
			fuzzWarehouse + `"}`},
	} {
		status, answer, err := w.call(ctx, agent, http.MethodPost, c.path, []byte(c.body))
		if err != nil || status != http.StatusCreated {
			return fmt.Errorf("POST %s: %d %s %v", c.path, status, answer, err)
		}
	}
	// The unit's loan and its return into repair (in the store: the loan
	// steps are a case's).
	lender := complaint.Actor{UserID: "u-fuzz", Name: "Fuzz"}
	if _, err := w.stack.Store.LendUnit(ctx, store.Lending{LoanID: fuzzLoan, ComplaintID: "c-fuzz", Actor: lender,
		Request:   complaint.BackupRequest{Serial: fuzzUnit, DueBack: "2030-01-01"},
		OverdueAt: time.Date(2030, 1, 1, 16, 0, 0, 0, time.UTC)}); err != nil {
		return fmt.Errorf("lend %s: %w", fuzzUnit, err)
	}
	if _, err := w.stack.Store.ReturnLoan(ctx, fuzzLoan, complaint.UnitToRepair, "", lender, time.Time{}); err != nil {
		return fmt.Errorf("return %s: %w", fuzzLoan, err)
	}
	status, answer, err := w.call(ctx, "after_sales/admin", http.MethodPost, "/api/v1/admin/users",
		[]byte(`{"name":"Fuzz Target","department":"technical","roles":["engineer"]}`))
	if err != nil || status != http.StatusCreated {
		return fmt.Errorf("create a user: %d %s %v", status, answer, err)
	}
	var created struct {
		User struct{ ID string }
	}
	if err := json.Unmarshal(answer, &created); err != nil {
		return err
	}
	w.userID = created.User.ID
	status, answer, err = w.call(ctx, "after_sales/admin", http.MethodGet, "/api/v1/admin/users/"+w.userID+"/tokens", nil)
	if err != nil || status != http.StatusOK {
		return fmt.Errorf("list tokens: %d %s %v", status, answer, err)
	}
	var tokens struct {
		Tokens []struct{ ID string }
	}
	if err := json.Unmarshal(answer, &tokens); err != nil || len(tokens.Tokens) == 0 {
		return fmt.Errorf("list tokens: %s %v", answer, err)
	}
	w.tokenID = tokens.Tokens[0].ID
	status, answer, err = w.call(ctx, "after_sales/admin", http.MethodGet, "/api/v1/admin/users", nil)
	if err != nil || status != http.StatusOK {
		return fmt.Errorf("list users: %d %s %v", status, answer, err)
	}
	var users struct {
		Users []struct{ ID, Name string }
	}
	if err := json.Unmarshal(answer, &users); err != nil {
		return err
	}
	for _, u := range users.Users {
		if u.Name == "Demo "+strings.ReplaceAll(fieldEngineer, "/", " ") {
			w.engineerID = u.ID
		}
	}
	if w.engineerID == "" {
		return fmt.Errorf("no demo user %s", fieldEngineer)
	}
	// A filed service record, for the routes that read one.
	answer, err = w.register(ctx, "recorded")
	if err != nil {
		return fmt.Errorf("a recorded case: %w", err)
	}
	var recorded struct {
		ID     string
		Visits []struct {
			Records []struct{ Number string }
		}
	}
	if err := json.Unmarshal(answer, &recorded); err != nil || len(recorded.Visits) == 0 || len(recorded.Visits[0].Records) == 0 {
		return fmt.Errorf("a recorded case: %s %v", answer, err)
	}
	w.recordNumber = recorded.Visits[0].Records[0].Number
	// Corrective actions name it.
	w.complaintID = recorded.ID
	// Last month's review, for the review routes.
	zone, err := time.LoadLocation(w.stack.Config.TimeZone)
	if err != nil {
		return err
	}
	w.month = review.PreviousMonth(time.Now(), zone)
	status, answer, err = w.call(ctx, "after_sales/supervisor", http.MethodPost, "/api/v1/reviews/"+w.month+"/run", nil)
	if err != nil || status != http.StatusOK {
		return fmt.Errorf("run the review of %s: %d %s %v", w.month, status, answer, err)
	}
	return w.probeTables(ctx)
}

// call sends one request as caller ("" for none) and reads the answer.
func (w *world) call(ctx context.Context, caller, method, path string, body []byte) (int, []byte, error) {
	return w.send(ctx, caller, method, path, "", body, body != nil, "")
}

func (w *world) send(ctx context.Context, caller, method, path, rawQuery string, body []byte, hasBody bool, key string) (int, []byte, error) {
	var rd io.Reader
	if hasBody {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, w.stack.APIURL()+path, rd)
	if err != nil {
		return 0, nil, err
	}
	req.URL.RawQuery = rawQuery
	if hasBody {
		req.Header.Set("Content-Type", "application/json")
	}
	if caller != "" {
		token, ok := w.tokens[caller]
		if !ok {
			return 0, nil, fmt.Errorf("no demo user %s", caller)
		}
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if key != "" {
		req.Header.Set("Idempotency-Key", key)
	}
	resp, err := w.client.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	answer, err := io.ReadAll(resp.Body)
	return resp.StatusCode, answer, err
}

// terminate ends a case's workflow as an operator would in the Web UI, and
// runs the reconciler's schedule at once instead of waiting a minute for it.
func (w *world) terminate(t *testing.T, caseID string) {
	t.Helper()
	ctx := t.Context()
	wid := "complaint-" + caseID
	require.NoError(t, w.stack.Client.TerminateWorkflow(ctx, wid, "", "fuzz fixture"))
	require.Eventually(t, func() bool {
		resp, err := w.stack.Client.WorkflowService().CountWorkflowExecutions(ctx, &workflowservice.CountWorkflowExecutionsRequest{
			Namespace: w.stack.Config.Namespace, Query: "WorkflowId = '" + wid + "' AND ExecutionStatus = 'Terminated'"})
		return err == nil && resp.GetCount() > 0
	}, 30*time.Second, 100*time.Millisecond, "%s: visibility shows the terminated workflow", w.name)
	require.NoError(t, w.stack.Client.ScheduleClient().GetHandle(ctx, workflows.ReconcileScheduleID).
		Trigger(ctx, client.ScheduleTriggerOptions{}))
	require.Eventually(t, func() bool {
		_, answer, err := w.call(ctx, "after_sales/agent", http.MethodGet, "/api/v1/complaints/"+caseID, nil)
		var c struct{ Stage string }
		return err == nil && json.Unmarshal(answer, &c) == nil && c.Stage == "terminated"
	}, 30*time.Second, 100*time.Millisecond, "%s: the reconciler marks the case terminated", w.name)
}
