package console

import (
	"net/http"
	"reflect"

	"github.com/google/uuid"

	"github.com/caseflow/caseflow/complaint"
)

// Requesting a return or exchange: the API's POST /returns body as a form
// on the returns list, for a branch office or after-sales.

var rmaRequestBody = reflect.TypeFor[complaint.RMARequestBody]()

// returnRequestFields are the request form's controls: the API's body, its
// kind labelled as the RMA's.
func returnRequestFields(l Lang) []field {
	fields := fieldsOf(l, rmaRequestBody)
	for i := range fields {
		if fields[i].Name == "kind" {
			fields[i].Label = l.T("rma.kind")
		}
	}
	return fields
}

// returnRequestForm is the request form, the complaint and customer filled
// in when the list is a case's (the case page links it so), the warehouse
// a choice of those there are.
func returnRequestForm(r *request, complaintID, customerID string) form {
	fields := returnRequestFields(r.lang)
	for i := range fields {
		f := &fields[i]
		switch f.Name {
		case "complaint_id":
			f.Value = complaintID
		case "customer_id":
			f.Value = customerID
		case "warehouse":
			r.fitWarehouse(f)
		}
	}
	return form{Step: "rma-request", Title: r.lang.T("returns.request"), Action: returnsPath, Fields: fields,
		Help: r.lang.T("returns.request.help"), Submit: r.lang.T("returns.request.submit"),
		Key: uuid.NewString(), CSRF: r.session.csrf, Lang: r.lang}
}

// requestReturn posts the form to the API and goes to the new RMA's page; a
// refusal shows the form again on the list with the API's problems.
func (c *Console) requestReturn(r *request) {
	if err := r.Request.ParseForm(); err != nil {
		r.fail(http.StatusBadRequest, "error.fields")
		return
	}
	values := formValues(r.Request.PostForm)
	key := r.PostForm("idempotency_key")
	var rm complaint.RMA
	err := r.call(http.MethodPost, "/api/v1/returns", jsonBody(returnRequestFields(r.lang), values), key, &rm)
	if err == nil {
		r.seeOther(returnPath(rm.ID) + "?done=requested")
		return
	}
	status, msg, problems := r.stockRefusal(err)
	c.showReturns(r, status, &retry{values: values, problems: problems, msg: msg, key: keyToRetry(status, key)})
}

// keyToRetry is the Idempotency-Key a refused form keeps: the one it was
// posted with when nothing reached the workflow (400) or the outcome is
// unknown (503 and the like), so a retry is applied at most once; a fresh
// one after a refusal, so that a corrected post is not taken for the
// refused one's key reused with another body.
func keyToRetry(status int, key string) string {
	if status == http.StatusBadRequest || status >= 500 {
		return key
	}
	return ""
}
