package console

import (
	"fmt"
	"net/http"
	"net/url"
	"reflect"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/caseflow/caseflow/auth"
	"github.com/caseflow/caseflow/complaint"
	"github.com/caseflow/caseflow/store"
)

// Field service in the console: an engineer's own visits, the page on
// which the customer signs a visit's service record (on the engineer's
// phone), and the record's PDF fetched for the signed-in user.

var serviceRecordBody = reflect.TypeFor[complaint.ServiceRecordBody]()

// signPath is the signing page of a visit's service record.
func signPath(caseID, visitID string) string {
	return "/console/cases/" + url.PathEscape(caseID) + "/visits/" + url.PathEscape(visitID) + "/sign"
}

// visitRow is one of the engineer's visits in their list.
type visitRow struct {
	CaseID, CaseNumber, VisitID, State string
	PlannedAt, RecordDueAt             time.Time
	// SignHref is the signing page of a visit that owes its record, for
	// who may file one.
	SignHref string
}

type visitsData struct {
	All  bool
	Rows []visitRow
}

// myVisits lists the user's planned and open visits (all of them with
// ?all=true), as the API's /me/visits answers them.
func (c *Console) myVisits(r *request) {
	d := visitsData{All: r.Query("all") == "true"}
	path := "/api/v1/me/visits"
	if d.All {
		path += "?all=true"
	}
	var out struct {
		Visits []store.EngineerVisit `json:"visits"`
	}
	if err := r.call(http.MethodGet, path, nil, "", &out); err != nil {
		r.failCall(err)
		return
	}
	mayFile := auth.Authorize(r.session.principal, auth.StepAction(complaint.StepServiceRecord)) == nil
	for _, v := range out.Visits {
		row := visitRow{CaseID: v.CaseID, CaseNumber: v.CaseNumber, VisitID: v.VisitID, State: v.State,
			PlannedAt: v.PlannedAt}
		if v.RecordDueAt != nil {
			row.RecordDueAt = *v.RecordDueAt
		}
		if mayFile && v.State == complaint.VisitCheckedOut {
			row.SignHref = signPath(v.CaseID, v.VisitID)
		}
		d.Rows = append(d.Rows, row)
	}
	r.render(http.StatusOK, "visits", "visits.title", d)
}

// signFields are the signing page's controls: the service record's body
// less the visit (the page's own) and the signing time (the time of the
// post); the opinion as radio buttons and the signature as a pad.
func signFields(l Lang) []field {
	var out []field
	for _, f := range fieldsOf(l, serviceRecordBody) {
		switch f.Name {
		case "visit", "signed_at":
			continue
		case "opinion":
			f.Control = controlRadios
		case "signature":
			f.Control = controlSignature
		}
		out = append(out, f)
	}
	return out
}

// signBody is the API's service-record body of a posted signing form: the
// typed fields, the page's visit and the time it was signed.
func signBody(fields []field, values formValues, visit string, now time.Time) map[string]any {
	body := jsonBody(fields, values)
	body["visit"] = visit
	body["signed_at"] = now.Format(time.RFC3339)
	return body
}

// signData is the signing page: the visit the customer signs for and, while
// it takes a record, the form.
type signData struct {
	Case  complaint.Case
	Visit complaint.Visit
	Form  *form
}

func (c *Console) signForm(r *request, caseID, visitID string) form {
	return form{Step: complaint.StepServiceRecord, Title: r.lang.T("sign.form"), Action: signPath(caseID, visitID),
		Fields: signFields(r.lang), Help: r.lang.T("help." + complaint.StepServiceRecord), Submit: r.lang.T("sign.submit"),
		Key: uuid.NewString(), CSRF: r.session.csrf, Lang: r.lang}
}

// signPage shows what the visit did and the form the customer signs.
func (c *Console) signPage(r *request) { c.showSign(r, http.StatusOK, nil) }

// showSign draws the signing page; failed, when set, is the form shown
// again with its problems.
func (c *Console) showSign(r *request, status int, failed *form) {
	id, visitID := r.Param("id"), r.Param("visit")
	var cs complaint.Case
	if err := r.call(http.MethodGet, "/api/v1/complaints/"+url.PathEscape(id), nil, "", &cs); err != nil {
		r.failCall(err)
		return
	}
	i := slices.IndexFunc(cs.Visits, func(v complaint.Visit) bool { return v.ID == visitID })
	if i < 0 {
		r.fail(http.StatusNotFound, "error.notfound")
		return
	}
	d := signData{Case: cs, Visit: cs.Visits[i]}
	p := r.page("sign.title")
	p.Title = r.lang.T("sign.title") + " · " + cs.CaseNumber
	p.Data = d
	if !slices.Contains(visitStates[complaint.StepServiceRecord], d.Visit.State) {
		p.Error = fmt.Sprintf(r.lang.T("sign.closed"), d.Visit.ID, r.lang.Enum("visit_state", d.Visit.State))
		if status < 400 {
			status = http.StatusConflict
		}
		r.renderPage(status, "sign", p)
		return
	}
	if failed != nil {
		d.Form = failed
	} else {
		f := c.signForm(r, cs.ID, visitID)
		d.Form = &f
	}
	p.Data = d
	r.renderPage(status, "sign", p)
}

// sign posts the signed record to the API's service-record step; its
// problems come back next to the fields.
func (c *Console) sign(r *request) {
	if err := r.Request.ParseForm(); err != nil {
		r.fail(http.StatusBadRequest, "error.fields")
		return
	}
	id, visitID := r.Param("id"), r.Param("visit")
	values := formValues(r.Request.PostForm)
	fields := signFields(r.lang)
	key := r.PostForm("idempotency_key")
	err := r.call(http.MethodPost, "/api/v1/complaints/"+url.PathEscape(id)+"/"+complaint.StepServiceRecord,
		signBody(fields, values, visitID, c.now()), key, nil)
	if err == nil {
		r.seeOther("/console/cases/" + url.PathEscape(id) + "?done=" + complaint.StepServiceRecord + "#visit-" + url.PathEscape(visitID))
		return
	}
	status, msg, problems := r.refusal(err)
	if status == http.StatusNotFound {
		r.failCall(err)
		return
	}
	f := c.signForm(r, id, visitID)
	if status == http.StatusBadRequest {
		f.Key = key // nothing was applied: the same key stays free
	}
	f.Fields = fill(r.lang, f.Fields, values, problems)
	// A problem of a field the page fills itself (the visit, the time)
	// shows with the form's message.
	if rest := unplaced(r.lang, f.Fields, problems); len(rest) > 0 {
		msg += " " + strings.Join(rest, "; ")
	}
	f.Error = msg
	c.showSign(r, status, &f)
}

// unplaced words the problems that no control of the form shows, as
// "field: problem".
func unplaced(l Lang, fields []field, problems map[string]string) []string {
	var out []string
	for k, msg := range problems {
		if slices.ContainsFunc(fields, func(f field) bool {
			return k == f.Name || strings.HasPrefix(k, f.Name+"[") || strings.HasPrefix(k, f.Name+".")
		}) {
			continue
		}
		out = append(out, l.T("field."+k)+": "+translateProblem(l, msg))
	}
	sort.Strings(out)
	return out
}

// serviceRecordPDF streams a service record's PDF, which the API makes for
// the signed-in user in their language (?version=N for an earlier
// version): a plain link to the API would want a bearer token.
func (c *Console) serviceRecordPDF(r *request) {
	number := strings.TrimSuffix(r.Param("number"), ".pdf")
	q := url.Values{"lang": {"en"}}
	if r.lang == Chinese {
		q.Set("lang", "zh")
	}
	if v := r.Query("version"); v != "" {
		q.Set("version", v)
	}
	rec, err := r.send(http.MethodGet, "/api/v1/service-records/"+url.PathEscape(number)+".pdf?"+q.Encode(), nil, "")
	if err != nil {
		r.failCall(err)
		return
	}
	// A browser shows a PDF in its viewer, which the pages' policy
	// (object-src 'none') could refuse; the document may still not be framed.
	r.Header("Content-Security-Policy", "frame-ancestors 'none'")
	r.Header("Cache-Control", "no-store")
	r.Header("X-Content-Type-Options", "nosniff")
	if cd := rec.Header().Get("Content-Disposition"); cd != "" {
		r.Header("Content-Disposition", cd)
	}
	r.Data(http.StatusOK, "application/pdf", rec.Body.Bytes())
}
