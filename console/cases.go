package console

import (
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/caseflow/caseflow/complaint"
	"github.com/caseflow/caseflow/store"
)

// caseRow is a case in a list.
type caseRow struct {
	ID, Number, CustomerID, CustomerName  string
	Stage, Category, Severity, Department string
	ReceivedAt                            time.Time
	Clocks                                []clockView
	Urgency                               int
	NextDue                               time.Time
}

func rowOf(cs complaint.Case, now time.Time) caseRow {
	rank, due := urgency(cs, now)
	return caseRow{ID: cs.ID, Number: cs.CaseNumber, CustomerID: cs.CustomerID, CustomerName: cs.CustomerName,
		Stage: string(cs.Stage), Category: string(cs.Category), Severity: string(cs.Severity),
		Department: cs.ResponsibleDepartment, ReceivedAt: cs.ReceivedAt, Clocks: clocksOf(cs, now),
		Urgency: rank, NextDue: due}
}

// listFilters are the API's list filters the cases page offers: the query
// parameter, its label and its values' vocabulary.
var listFilters = []struct {
	name, label, vocabulary string
	values                  func() []string
}{
	{"stage", "col.stage", "stage", complaint.Stages},
	{"category", "field.category", "category", complaint.Categories},
	{"severity", "field.severity", "severity", complaint.Severities},
	{"responsible_department", "col.department", "department", complaint.Departments},
	{"warranty", "case.warranty", "warranty", complaint.WarrantyStatuses},
	{"key_customer", "field.key_customer", "key_customer", func() []string { return []string{"true", "false"} }},
}

// textFilters are the API's list filters the cases page takes as typed:
// the archive's words for where a customer is.
var textFilters = []struct{ name, label string }{
	{"region", "field.region"},
	{"branch_office", "field.branch_office"},
}

type filterView struct {
	Name, Label string
	Options     []option
	Value       string // a text filter's
}

type casesData struct {
	Filters     []filterView
	TextFilters []filterView
	Query       string
	Breached    bool
	Rows        []caseRow
	NextHref    string
	FieldError  map[string]string
}

// cases lists cases with the API's filters; the search box takes a case
// number or a customer id.
func (c *Console) cases(r *request) {
	q := url.Values{}
	d := casesData{Query: r.Query("q"), Breached: r.Query("breached") == "true"}
	for _, f := range listFilters {
		v := r.Query(f.name)
		fv := filterView{Name: f.name, Label: r.lang.T(f.label)}
		for _, o := range f.values() {
			fv.Options = append(fv.Options, option{Value: o, Label: r.lang.Enum(f.vocabulary, o), Selected: o == v})
		}
		d.Filters = append(d.Filters, fv)
		if v != "" {
			q.Set(f.name, v)
		}
	}
	for _, f := range textFilters {
		v := strings.TrimSpace(r.Query(f.name))
		d.TextFilters = append(d.TextFilters, filterView{Name: f.name, Label: r.lang.T(f.label), Value: v})
		if v != "" {
			q.Set(f.name, v)
		}
	}
	if d.Breached {
		q.Set("breached", "true")
	}
	if cur := r.Query("cursor"); cur != "" {
		q.Set("cursor", cur)
	}
	now := c.now()
	var page store.CasePage
	if d.Query != "" {
		// A case number finds one case; anything else is a customer id.
		var cs complaint.Case
		if err := r.call(http.MethodGet, "/api/v1/complaints/"+url.PathEscape(d.Query), nil, "", &cs); err == nil {
			page.Cases = []complaint.Case{cs}
		} else {
			q.Set("customer_id", d.Query)
		}
	}
	if page.Cases == nil {
		q.Set("limit", "50")
		if err := r.call(http.MethodGet, "/api/v1/complaints?"+q.Encode(), nil, "", &page); err != nil {
			r.failCall(err)
			return
		}
	}
	for _, cs := range page.Cases {
		d.Rows = append(d.Rows, rowOf(cs, now))
	}
	if page.NextCursor != "" {
		next := r.Request.URL.Query()
		next.Set("cursor", page.NextCursor)
		d.NextHref = "/console/cases?" + next.Encode()
	}
	r.render(http.StatusOK, "cases", "cases.title", d)
}

// registerFields is the register form: the API's register body.
func registerFields(l Lang) []field { return fieldsOf(l, registerBody) }

func (c *Console) registerPage(r *request) {
	r.render(http.StatusOK, "register", "register.title", form{
		Title: r.lang.T("register.title"), Action: "/console/register", Fields: registerFields(r.lang),
		Key: uuid.NewString(), CSRF: r.session.csrf, Lang: r.lang,
	})
}

// register posts the form to the API's registration; its field problems
// come back next to the fields.
func (c *Console) register(r *request) {
	if err := r.Request.ParseForm(); err != nil {
		r.fail(http.StatusBadRequest, "error.fields")
		return
	}
	values := formValues(r.Request.PostForm)
	fields := registerFields(r.lang)
	var cs complaint.Case
	err := r.call(http.MethodPost, "/api/v1/complaints", jsonBody(fields, values), r.PostForm("idempotency_key"), &cs)
	if err == nil {
		r.seeOther("/console/cases/" + url.PathEscape(cs.ID) + "?registered=1")
		return
	}
	f := form{Title: r.lang.T("register.title"), Action: "/console/register", Key: r.PostForm("idempotency_key"),
		CSRF: r.session.csrf, Lang: r.lang}
	status, msg, problems := r.refusal(err)
	f.Fields = fill(r.lang, fields, values, problems)
	f.Error = msg
	if status == http.StatusUnprocessableEntity || status == http.StatusConflict {
		f.Key = uuid.NewString()
	}
	r.render(status, "register", "register.title", f)
}
