package console

import (
	"net/http"
	"reflect"

	"github.com/google/uuid"

	"github.com/caseflow/caseflow/complaint"
)

// Opening a corrective action: the API's POST /capas body as a form on the
// list, for quality (capa.Grants). A case's page links it with the case's
// id filled in.

var capaOpenBody = reflect.TypeFor[complaint.CapaOpenBody]()

// capaOpenForm is the opening form, the complaint filled in when the list
// is a case's.
func capaOpenForm(r *request, complaintID string) form {
	fields := fieldsOf(r.lang, capaOpenBody)
	for i := range fields {
		if fields[i].Name == "complaint_ids" {
			fields[i].Value = complaintID
		}
	}
	return form{Step: "capa-open", Title: r.lang.T("capas.open"), Action: capasPath, Fields: fields,
		Help: r.lang.T("capas.open.help"), Submit: r.lang.T("capas.open.submit"),
		Key: uuid.NewString(), CSRF: r.session.csrf, Lang: r.lang}
}

// openCapa posts the form to the API and goes to the new action's page; a
// refusal shows the form again on the list with the API's problems.
func (c *Console) openCapa(r *request) {
	if err := r.Request.ParseForm(); err != nil {
		r.fail(http.StatusBadRequest, "error.fields")
		return
	}
	values := formValues(r.Request.PostForm)
	key := r.PostForm("idempotency_key")
	var ca complaint.Capa
	err := r.call(http.MethodPost, "/api/v1/capas", jsonBody(fieldsOf(r.lang, capaOpenBody), values), key, &ca)
	if err == nil {
		r.seeOther(capaPath(ca.ID) + "?done=opened")
		return
	}
	status, msg, problems := r.stockRefusal(err)
	c.showCapas(r, status, &retry{values: values, problems: problems, msg: msg, key: keyToRetry(status, key)})
}
