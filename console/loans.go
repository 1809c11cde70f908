package console

import (
	"net/http"
	"net/url"
	"reflect"

	"github.com/google/uuid"

	"github.com/caseflow/caseflow/auth"
	"github.com/caseflow/caseflow/complaint"
	"github.com/caseflow/caseflow/store"
)

// The loans list: the backup units lent to customers [4.(6)], filtered as
// the API's GET /loans allows, each open loan with the form that takes its
// unit back (POST /loans/{id}/return, which goes through the case's
// loan-return step), for who may take that step.

var unitReturnBody = reflect.TypeFor[complaint.UnitReturn]()

// loansPath is the loans list; serial, when set, keeps it to one unit's.
func loansPath(serial string) string {
	if serial == "" {
		return "/console/loans"
	}
	return "/console/loans?" + url.Values{"serial": {serial}}.Encode()
}

// loanRowView is a loan as the list shows it.
type loanRowView struct {
	store.LoanRow
	Overdue  bool
	CaseHref string
	// Return is the form returning the unit, for an open loan and who may
	// return it; Open shows it unfolded (a refused return).
	Return *form
	Open   bool
}

type loansData struct {
	State, Serial, ComplaintID string
	OverdueOnly                bool
	States                     []option
	Loans                      []loanRowView
	NextHref                   string
	// Failed is a refused return of a loan the list does not show (one
	// that is not there), with its refusal.
	Failed *form
}

func (c *Console) loans(r *request) { c.showLoans(r, http.StatusOK, "", nil) }

// showLoans draws the list; failed, when set, is the refused return of
// loan failedLoan, whose form shows again with its problems.
func (c *Console) showLoans(r *request, status int, failedLoan string, failed *retry) {
	d := loansData{State: r.Query("state"), Serial: r.Query("serial"), ComplaintID: r.Query("complaint_id"),
		OverdueOnly: r.Query("overdue") == "true"}
	for _, s := range complaint.LoanStates() {
		d.States = append(d.States, option{Value: s, Label: r.lang.Enum("loan_state", s), Selected: s == d.State})
	}
	q := url.Values{"limit": {"50"}}
	for name, v := range map[string]string{"state": d.State, "serial": d.Serial, "complaint_id": d.ComplaintID,
		"cursor": r.Query("cursor")} {
		if v != "" {
			q.Set(name, v)
		}
	}
	if d.OverdueOnly {
		q.Set("overdue", "true")
	}
	var page store.LoanPage
	if err := r.call(http.MethodGet, "/api/v1/loans?"+q.Encode(), nil, "", &page); err != nil {
		r.failCall(err)
		return
	}
	mayReturn := auth.Authorize(r.session.principal, auth.StepAction(complaint.StepLoanReturn)) == nil
	now := c.now()
	placed := false
	for _, l := range page.Loans {
		row := loanRowView{LoanRow: l, Overdue: overdue(l.State, l.OverdueAt, now),
			CaseHref: "/console/cases/" + url.PathEscape(l.ComplaintID) + "#loan-" + l.ID}
		if mayReturn && l.State == complaint.LoanOnLoan {
			f := loanReturnForm(r, l.ID)
			if l.ID == failedLoan {
				failed.apply(r.lang, &f)
				row.Open, placed = true, true
			}
			row.Return = &f
		}
		d.Loans = append(d.Loans, row)
	}
	if failed != nil && !placed {
		f := loanReturnForm(r, failedLoan)
		f.Title += " · " + failedLoan
		failed.apply(r.lang, &f)
		d.Failed = &f
	}
	if page.NextCursor != "" {
		next := r.Request.URL.Query()
		next.Set("cursor", page.NextCursor)
		d.NextHref = "/console/loans?" + next.Encode()
	}
	p := r.page("loans.title")
	if r.Query("done") == "returned" {
		p.Flash = r.lang.T("loans.returned")
	}
	p.Data = d
	r.renderPage(status, "loans", p)
}

// loanReturnForm is the form returning a loan's unit: where it goes (to
// stock or into repair) and a note.
func loanReturnForm(r *request, id string) form {
	fields := fieldsOf(r.lang, unitReturnBody)
	for i := range fields {
		if fields[i].Name == "to" {
			fields[i].Control = controlRadios
		}
	}
	return form{Step: "loan-return-" + id, Title: r.lang.T("loans.return"),
		Action: "/console/loans/" + url.PathEscape(id) + "/return", Fields: fields,
		Submit: r.lang.T("loans.return.submit"), Help: r.lang.T("help.loan-return"),
		Key: uuid.NewString(), CSRF: r.session.csrf, Lang: r.lang}
}

// returnLoan posts a return form to the API and shows the list again; a
// refusal (an unknown loan among them) shows on the loan's form.
func (c *Console) returnLoan(r *request) {
	if err := r.Request.ParseForm(); err != nil {
		r.fail(http.StatusBadRequest, "error.fields")
		return
	}
	id := r.Param("id")
	values := formValues(r.Request.PostForm)
	key := r.PostForm("idempotency_key")
	err := r.call(http.MethodPost, "/api/v1/loans/"+url.PathEscape(id)+"/return",
		jsonBody(fieldsOf(r.lang, unitReturnBody), values), key, nil)
	if err == nil {
		r.seeOther("/console/loans?done=returned#loan-" + url.PathEscape(id))
		return
	}
	status, msg, problems := r.stockRefusal(err)
	if status == http.StatusNotFound {
		msg = r.lang.T("loans.notfound")
	}
	c.showLoans(r, status, id, &retry{values: values, problems: problems, msg: msg, key: key})
}
