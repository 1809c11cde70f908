package console

import (
	"net/http"
	"net/url"
	"reflect"
	"slices"

	"github.com/google/uuid"

	"github.com/caseflow/caseflow/complaint"
)

// Opening a follow-up by hand: the API's POST /followups body as a form on
// a page of its own, for the after-sales and branch-office desks
// (followup.Grants). A case's page links it with the case, its customer and
// its equipment filled in.

var followupOpenBody = reflect.TypeFor[complaint.FollowupOpenBody]()

// followupNewPath is the opening form, filled in from q's values.
func followupNewPath(q url.Values) string {
	for k, v := range q {
		if len(v) == 0 || v[0] == "" {
			q.Del(k)
		}
	}
	if len(q) == 0 {
		return followupsPath + "/new"
	}
	return followupsPath + "/new?" + q.Encode()
}

// followupOpenFields are the body's controls; its due time, a time the
// flat form does not derive, is typed as a local date and time before the
// note.
func followupOpenFields(l Lang) []field {
	fields := fieldsOf(l, followupOpenBody)
	for i := range fields {
		if fields[i].Name == "kind" {
			fields[i].Label = l.T("followup.kind")
		}
	}
	due := field{Name: "due_at", Label: l.T("field.due_at"), Control: controlDatetime, Required: true}
	at := slices.IndexFunc(fields, func(f field) bool { return f.Name == "note" })
	if at < 0 {
		at = len(fields)
	}
	return slices.Insert(fields, at, due)
}

func followupOpenForm(r *request) form {
	return form{Step: "followup-open", Title: r.lang.T("followups.open"), Action: followupsPath,
		Fields: followupOpenFields(r.lang), Help: r.lang.T("followups.open.help"),
		Submit: r.lang.T("followups.open.submit"), Key: uuid.NewString(), CSRF: r.session.csrf, Lang: r.lang}
}

func (c *Console) followupNew(r *request) { c.showFollowupNew(r, http.StatusOK, nil) }

// showFollowupNew draws the opening form, filled in from the query (a
// case page's link); failed, when set, is a refused opening shown again
// with its problems.
func (c *Console) showFollowupNew(r *request, status int, failed *retry) {
	f := followupOpenForm(r)
	if failed == nil {
		f.Fields = fill(r.lang, f.Fields, formValues(r.Request.URL.Query()), nil)
	}
	failed.apply(r.lang, &f)
	r.render(status, "followup_new", "followups.open", f)
}

// openFollowup posts the form to the API and goes to the new follow-up's
// page; a refusal shows the form again with the API's problems.
func (c *Console) openFollowup(r *request) {
	if err := r.Request.ParseForm(); err != nil {
		r.fail(http.StatusBadRequest, "error.fields")
		return
	}
	values := formValues(r.Request.PostForm)
	key := r.PostForm("idempotency_key")
	var f complaint.Followup
	err := r.call(http.MethodPost, "/api/v1/followups", jsonBody(followupOpenFields(r.lang), values), key, &f)
	if err == nil {
		r.seeOther(followupPath(f.ID) + "?done=opened")
		return
	}
	status, msg, problems := r.stockRefusal(err)
	c.showFollowupNew(r, status, &retry{values: values, problems: problems, msg: msg, key: keyToRetry(status, key)})
}
