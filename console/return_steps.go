package console

import (
	"fmt"
	"net/http"
	"reflect"
	"strconv"
	"strings"

	"github.com/google/uuid"

	"github.com/caseflow/caseflow/complaint"
)

// The steps of a return or exchange as forms of its page, built from the
// bodies the API's routes decode (POST /returns/{id}/<step>), so their
// fields and rules are the API's own.

// returnStepForms lists the steps in the order of the process.
var returnStepForms = []stepForm{
	{complaint.RMAStepApprove, reflect.TypeFor[complaint.RMANoteBody]()},
	{complaint.RMAStepReject, reflect.TypeFor[complaint.RMARejectBody]()},
	{complaint.RMAStepReceive, reflect.TypeFor[complaint.RMAReceiveBody]()},
	{complaint.RMAStepInspect, reflect.TypeFor[complaint.RMAInspectBody]()},
	{complaint.RMAStepComplete, reflect.TypeFor[complaint.RMACompleteBody]()},
}

// returnStepFields are a step form's controls: the body's, the warehouse
// labelled for what the step does with it.
func returnStepFields(l Lang, st stepForm) []field {
	fields := fieldsOf(l, st.body)
	for i := range fields {
		if fields[i].Name != "warehouse" {
			continue
		}
		switch st.name {
		case complaint.RMAStepReceive:
			fields[i].Label = l.T("rma.receipt_warehouse")
		case complaint.RMAStepComplete:
			fields[i].Label = l.T("rma.replacement_warehouse")
		}
	}
	return fields
}

// returnStepForm is a step's blank form for the RMA: the receipt starts
// from what the request names (its warehouse, quantity and serials), and a
// warehouse is a choice of those there are.
func returnStepForm(r *request, rm complaint.RMA, st stepForm) form {
	fields := returnStepFields(r.lang, st)
	for i := range fields {
		f := &fields[i]
		if st.name == complaint.RMAStepReceive {
			switch f.Name {
			case "warehouse":
				f.Value = rm.Warehouse
			case "quantity":
				f.Value = strconv.Itoa(rm.Quantity)
			case "serials":
				f.Value = strings.Join(rm.Serials, "\n")
			}
		}
		if f.Name == "warehouse" {
			r.fitWarehouse(f)
		}
	}
	return form{Step: "rma-" + st.name, Title: r.lang.T("rma_step." + st.name),
		Action: returnPath(rm.ID) + "/steps/" + st.name, Fields: fields, Help: r.lang.T("rma_help." + st.name),
		Submit: r.lang.T("rma_step." + st.name), Key: uuid.NewString(), CSRF: r.session.csrf, Lang: r.lang}
}

// takeReturnStep posts a step's form to the API's route for the RMA and
// shows its page again; a refusal (its rules, a stage the RMA has left, a
// shortage, a forbidden actor) shows on the step's form with what was typed.
func (c *Console) takeReturnStep(st stepForm) func(*request) {
	return func(r *request) {
		if err := r.Request.ParseForm(); err != nil {
			r.fail(http.StatusBadRequest, "error.fields")
			return
		}
		id := r.Param("id")
		values := formValues(r.Request.PostForm)
		key := r.PostForm("idempotency_key")
		err := r.call(http.MethodPost, returnAPIPath(id)+"/"+st.name,
			jsonBody(returnStepFields(r.lang, st), values), key, nil)
		if err == nil {
			r.seeOther(returnPath(id) + "?done=" + st.name)
			return
		}
		status, msg, problems := r.stockRefusal(err)
		if status == http.StatusNotFound {
			r.failCall(err)
			return
		}
		if e, ok := err.(*apiError); ok && status == http.StatusConflict && e.Stage != "" && len(problems) == 0 {
			msg = fmt.Sprintf(r.lang.T("returns.wrong_stage"), r.lang.Enum("rma_stage", e.Stage))
		}
		c.showReturn(r, status, st.name, &retry{values: values, problems: problems, msg: msg, key: keyToRetry(status, key)})
	}
}
