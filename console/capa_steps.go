package console

import (
	"fmt"
	"net/http"
	"reflect"

	"github.com/google/uuid"

	"github.com/caseflow/caseflow/auth"
	"github.com/caseflow/caseflow/capa"
	"github.com/caseflow/caseflow/complaint"
)

// The steps of a corrective action as forms of its page, built from the
// bodies the API's routes decode (POST /capas/{id}/<step>), so their
// fields and rules are the API's own.

// capaStepForms lists the steps in the order of the process.
var capaStepForms = []stepForm{
	{complaint.CapaStepDone, reflect.TypeFor[complaint.CapaDoneBody]()},
	{complaint.CapaStepVerify, reflect.TypeFor[complaint.CapaVerifyBody]()},
}

// capaStepFields are a step form's controls: the body's, labelled for what
// the step records (the catalog's "result" is an RMA inspection's).
func capaStepFields(l Lang, st stepForm) []field {
	fields := fieldsOf(l, st.body)
	for i := range fields {
		switch {
		case fields[i].Name == "result":
			fields[i].Label = l.T("capa.verdict")
		case fields[i].Name == "note" && st.name == complaint.CapaStepDone:
			fields[i].Label = l.T("capa.done_note")
		}
	}
	return fields
}

func capaStepForm(r *request, ca complaint.Capa, st stepForm) form {
	return form{Step: "capa-" + st.name, Title: r.lang.T("capa_step." + st.name),
		Action: capaPath(ca.ID) + "/steps/" + st.name, Fields: capaStepFields(r.lang, st),
		Help: r.lang.T("capa_help." + st.name), Submit: r.lang.T("capa_step." + st.name), Key: uuid.NewString(),
		CSRF: r.session.csrf, Lang: r.lang}
}

// mayTakeCapaStep: the route's action, and for done the owner department,
// as the action's rules check it (capa.MayTake).
func mayTakeCapaStep(p auth.Principal, ca complaint.Capa, step string) bool {
	return auth.Authorize(p, auth.CapaAction(step)) == nil && capa.MayTake(step, ca, p.Actor())
}

// takeCapaStep posts a step's form to the API's route for the action and
// shows its page again; a refusal (its rules, a stage the action has left,
// a forbidden actor) shows on the step's form with what was typed.
func (c *Console) takeCapaStep(st stepForm) func(*request) {
	return func(r *request) {
		if err := r.Request.ParseForm(); err != nil {
			r.fail(http.StatusBadRequest, "error.fields")
			return
		}
		id := r.Param("id")
		values := formValues(r.Request.PostForm)
		key := r.PostForm("idempotency_key")
		err := r.call(http.MethodPost, capaAPIPath(id)+"/"+st.name,
			jsonBody(capaStepFields(r.lang, st), values), key, nil)
		if err == nil {
			r.seeOther(capaPath(id) + "?done=" + st.name)
			return
		}
		status, msg, problems := r.stockRefusal(err)
		if status == http.StatusNotFound {
			r.failCall(err)
			return
		}
		if e, ok := err.(*apiError); ok && status == http.StatusConflict && e.Stage != "" && len(problems) == 0 {
			msg = fmt.Sprintf(r.lang.T("capas.wrong_stage"), r.lang.Enum("capa_stage", e.Stage))
		}
		c.showCapa(r, status, st.name, &retry{values: values, problems: problems, msg: msg, key: keyToRetry(status, key)})
	}
}
