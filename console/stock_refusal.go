package console

import (
	"net/http"
	"strings"
)

// A refused stock form shows again on its page, with the API's problems.

// stockRefusal is refusal, save that a conflict or an unprocessable body
// whose problems name fields says so in the user's language: the fields
// show the problems.
func (r *request) stockRefusal(err error) (int, string, map[string]string) {
	status, msg, problems := r.refusal(err)
	if (status == http.StatusConflict || status == http.StatusUnprocessableEntity) && len(problems) > 0 {
		msg = r.lang.T("error.fields")
	}
	return status, msg, problems
}

// retry is a refused form post, to show the form again.
type retry struct {
	values   formValues
	problems map[string]string
	msg, key string
}

// apply fills the form with what was typed and the problems; one that no
// control shows joins the form's message. The Idempotency-Key stays: a
// post the API did apply (and answered an error after) is not applied twice.
func (rt *retry) apply(l Lang, f *form) {
	if rt == nil {
		return
	}
	f.Fields = fill(l, f.Fields, rt.values, rt.problems)
	f.Error = rt.msg
	if rest := unplaced(l, f.Fields, rt.problems); len(rest) > 0 {
		f.Error += " " + strings.Join(rest, "; ")
	}
	if rt.key != "" {
		f.Key = rt.key
	}
}
