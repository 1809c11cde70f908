package console

import (
	"net/http"
	"net/url"

	"github.com/caseflow/caseflow/review"
)

// A month's review as the API renders it: the printable page (tables and
// charts) and the CSV, in the user's language.

// reviewLang is the language code the API's renderings take.
func reviewLang(l Lang) string {
	if l == Chinese {
		return string(review.LangZH)
	}
	return string(review.LangEN)
}

// reviewPrint shows the API's printable page of the review (its tables
// and charts) in the user's language: a plain link to the API would want
// a bearer token.
func (c *Console) reviewPrint(r *request) {
	rec, err := r.send(http.MethodGet, reviewAPIPath(r.Param("month")+".html")+"?"+r.reviewLangQuery(), nil, "")
	if err != nil {
		r.failCall(err)
		return
	}
	// The page carries its own style and no script: the console's policy
	// ('self' only) would refuse its inline style sheet.
	r.Header("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; img-src data:; "+
		"base-uri 'none'; form-action 'none'; frame-ancestors 'none'")
	r.Header("Cache-Control", "no-store")
	r.Header("X-Content-Type-Options", "nosniff")
	r.Data(http.StatusOK, "text/html; charset=utf-8", rec.Body.Bytes())
}

// reviewCSV downloads the API's CSV of the review in the user's language.
func (c *Console) reviewCSV(r *request) {
	rec, err := r.send(http.MethodGet, reviewAPIPath(r.Param("month")+".csv")+"?"+r.reviewLangQuery(), nil, "")
	if err != nil {
		r.failCall(err)
		return
	}
	r.Header("Cache-Control", "no-store")
	r.Header("X-Content-Type-Options", "nosniff")
	if cd := rec.Header().Get("Content-Disposition"); cd != "" {
		r.Header("Content-Disposition", cd)
	}
	r.Data(http.StatusOK, "text/csv; charset=utf-8", rec.Body.Bytes())
}

// reviewLangQuery is the rendering's language: the link's, else the user's.
func (r *request) reviewLangQuery() string {
	l := reviewLang(r.lang)
	if v, err := review.ParseLang(r.Query("lang")); err == nil {
		l = string(v)
	}
	return url.Values{"lang": {l}}.Encode()
}
