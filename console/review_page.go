package console

import (
	"fmt"
	"net/http"
	"net/url"
	"reflect"
	"slices"

	"github.com/google/uuid"

	"github.com/caseflow/caseflow/auth"
	"github.com/caseflow/caseflow/complaint"
	"github.com/caseflow/caseflow/review"
)

// A month's review page: its key figures, the accountability table with
// each department's decision, links to the printable page (with the
// charts) and the CSV in the user's language, and for a supervisor the
// decision form of their own department while the review is open.

var accountabilityBody = reflect.TypeFor[complaint.AccountabilityBody]()

type reviewData struct {
	Review review.Review
	// Rows are the accountability rows, their liabilities in the
	// vocabulary's order.
	Rows               []accountabilityRow
	Liabilities        []string
	PrintHref, CSVHref string
	// Decide is the signed-in supervisor's own department's form.
	Decide *form
}

type accountabilityRow struct {
	review.Accountability
	Counts []int
	// Own marks the signed-in user's department.
	Own bool
}

func (c *Console) reviewPage(r *request) { c.showReview(r, http.StatusOK, nil) }

// showReview draws the month's review; failed, when set, is a refused
// decision shown again on its form.
func (c *Console) showReview(r *request, status int, failed *retry) {
	month := r.Param("month")
	var rv review.Review
	if err := r.call(http.MethodGet, reviewAPIPath(month), nil, "", &rv); err != nil {
		r.failCall(err)
		return
	}
	p := r.session.principal
	lang := url.Values{"lang": {reviewLang(r.lang)}}.Encode()
	d := reviewData{Review: rv, Liabilities: complaint.Liabilities(),
		PrintHref: reviewPath(month) + "/print?" + lang, CSVHref: reviewPath(month) + "/csv?" + lang}
	for _, a := range rv.Accountability {
		row := accountabilityRow{Accountability: a, Own: a.Department == string(p.Department)}
		for _, l := range d.Liabilities {
			row.Counts = append(row.Counts, a.Liability[l])
		}
		d.Rows = append(d.Rows, row)
	}
	i := slices.IndexFunc(rv.Accountability, func(a review.Accountability) bool {
		return a.Department == string(p.Department)
	})
	if failed != nil || (rv.State == complaint.ReviewOpen && i >= 0 && review.MayDecide(p.Actor(), string(p.Department)) &&
		auth.Authorize(p, auth.DecideAccountability) == nil) {
		f := decisionForm(r, month)
		if i >= 0 && rv.Accountability[i].Decision != "" {
			// A decision already recorded is the one a new one replaces.
			f.Fields = fill(r.lang, f.Fields, formValues{"decision": {rv.Accountability[i].Decision},
				"note": {rv.Accountability[i].Note}}, nil)
		}
		failed.apply(r.lang, &f)
		d.Decide = &f
	}
	pg := r.page("reviews.title")
	pg.Title = fmt.Sprintf(r.lang.T("review.title"), rv.Month)
	switch r.Query("done") {
	case "run":
		pg.Flash = fmt.Sprintf(r.lang.T("review.ran"), rv.Month)
	case "decided":
		pg.Flash = r.lang.T("review.decided")
	default:
		pg.Flash = ""
	}
	pg.Data = d
	r.renderPage(status, "review", pg)
}

func decisionForm(r *request, month string) form {
	dept := string(r.session.principal.Department)
	return form{Step: "review-decide", Title: fmt.Sprintf(r.lang.T("review.decide"), r.lang.Enum("department", dept)),
		Action: reviewPath(month) + "/decision", Fields: fieldsOf(r.lang, accountabilityBody),
		Help: r.lang.T("review.decide.help"), Submit: r.lang.T("review.decide.submit"), Key: uuid.NewString(),
		CSRF: r.session.csrf, Lang: r.lang}
}

// decide records the signed-in supervisor's department's decision
// (PUT /reviews/{month}/departments/{own department}); the API checks the
// rest: a supervisor of that department, a review still open.
func (c *Console) decide(r *request) {
	if err := r.Request.ParseForm(); err != nil {
		r.fail(http.StatusBadRequest, "error.fields")
		return
	}
	month := r.Param("month")
	values := formValues(r.Request.PostForm)
	key := r.PostForm("idempotency_key")
	path := reviewAPIPath(month) + "/departments/" + url.PathEscape(string(r.session.principal.Department))
	err := r.call(http.MethodPut, path, jsonBody(fieldsOf(r.lang, accountabilityBody), values), key, nil)
	if err == nil {
		r.seeOther(reviewPath(month) + "?done=decided")
		return
	}
	status, msg, problems := r.stockRefusal(err)
	if status == http.StatusNotFound {
		r.failCall(err)
		return
	}
	if e, ok := err.(*apiError); ok && status == http.StatusConflict && e.Stage != "" && len(problems) == 0 {
		msg = r.lang.T("review.closed_now")
	}
	c.showReview(r, status, &retry{values: values, problems: problems, msg: msg, key: keyToRetry(status, key)})
}
