package console

import (
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/caseflow/caseflow/auth"
	"github.com/caseflow/caseflow/review"
)

// The monthly reviews [3.(4)]: each month reviewed, newest first, with
// where it stands and how many departments have decided, and for the
// after-sales and quality supervisors the form running a month's review
// (POST /reviews/{month}/run, which runs it once and answers it after).

// reviewsPath is the reviews list.
const reviewsPath = "/console/reviews"

// reviewPath is a month's review page.
func reviewPath(month string) string { return reviewsPath + "/" + url.PathEscape(month) }

// reviewAPIPath is a month's review in the API.
func reviewAPIPath(month string) string { return "/api/v1/reviews/" + url.PathEscape(month) }

// reviewRow is a review as the list shows it.
type reviewRow struct {
	Month, State, Href string
	Decided, Rows      int
}

type reviewsData struct {
	Reviews []reviewRow
	// Run is the form running a month's review, for who may.
	Run *form
}

func (c *Console) reviews(r *request) { c.showReviews(r, http.StatusOK, nil) }

// showReviews draws the list; failed, when set, is a refused run whose
// form shows again with its problems.
func (c *Console) showReviews(r *request, status int, failed *retry) {
	var out struct {
		Reviews []review.Review `json:"reviews"`
	}
	if err := r.call(http.MethodGet, "/api/v1/reviews", nil, "", &out); err != nil {
		r.failCall(err)
		return
	}
	var d reviewsData
	for _, rv := range out.Reviews {
		row := reviewRow{Month: rv.Month, State: rv.State, Href: reviewPath(rv.Month), Rows: len(rv.Accountability)}
		for _, a := range rv.Accountability {
			if a.Decision != "" {
				row.Decided++
			}
		}
		d.Reviews = append(d.Reviews, row)
	}
	if auth.Authorize(r.session.principal, auth.RunReview) == nil {
		f := reviewRunForm(r, lastMonth(c.now(), c.zone))
		failed.apply(r.lang, &f)
		d.Run = &f
	}
	r.render(status, "reviews", "reviews.title", d)
}

// lastMonth is the month before now's in zone (the company's, whose
// months the reviews count), the one a review normally covers.
func lastMonth(now time.Time, zone *time.Location) string {
	y, m, _ := now.In(zone).Date()
	return time.Date(y, m-1, 1, 0, 0, 0, 0, zone).Format(review.MonthLayout)
}

// reviewRunForm offers the month last.
func reviewRunForm(r *request, last string) form {
	return form{Step: "review-run", Title: r.lang.T("reviews.run"), Action: reviewsPath,
		Fields: []field{{Name: "month", Label: r.lang.T("field.month"), Control: controlMonth, Required: true, Value: last}},
		Help:   r.lang.T("reviews.run.help"), Submit: r.lang.T("reviews.run.submit"), Key: uuid.NewString(),
		CSRF: r.session.csrf, Lang: r.lang}
}

// runReview asks the API to run the month's review and goes to its page; a
// refusal (a month not yet ended, one that is no month) shows on the form.
func (c *Console) runReview(r *request) {
	if err := r.Request.ParseForm(); err != nil {
		r.fail(http.StatusBadRequest, "error.fields")
		return
	}
	values := formValues(r.Request.PostForm)
	month := strings.TrimSpace(r.PostForm("month"))
	if month == "" {
		// The month is the API's path, which cannot be blank: said as the
		// API says a missing field.
		c.showReviews(r, http.StatusBadRequest, &retry{values: values, msg: r.lang.T("error.fields"),
			problems: map[string]string{"month": "is required"}})
		return
	}
	var rv review.Review
	if err := r.call(http.MethodPost, reviewAPIPath(month)+"/run", nil, "", &rv); err != nil {
		status, msg, problems := r.stockRefusal(err)
		c.showReviews(r, status, &retry{values: values, problems: problems, msg: msg})
		return
	}
	r.seeOther(reviewPath(rv.Month) + "?done=run")
}
