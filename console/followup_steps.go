package console

import (
	"fmt"
	"net/http"
	"reflect"
	"slices"
	"strings"

	"github.com/google/uuid"

	"github.com/caseflow/caseflow/auth"
	"github.com/caseflow/caseflow/complaint"
	"github.com/caseflow/caseflow/followup"
)

// The steps of a follow-up as forms of its page, built from the bodies the
// API's routes decode (POST /followups/{id}/done and /cancel), fitted to
// the follow-up's kind: a key-customer visit's report, the survey for the
// calls that send one, and the complaint to raise from what was found.

var (
	followupDoneBody      = reflect.TypeFor[complaint.FollowupDoneBody]()
	followupCancelBody    = reflect.TypeFor[complaint.FollowupCancelBody]()
	followupComplaintBody = reflect.TypeFor[complaint.FollowupComplaint]()
)

// raiseField prefixes the raise_complaint sub-form's controls, as the
// API's problems name its fields ("raise_complaint.description");
// raiseSwitch is the checkbox that sends it.
const (
	raiseField  = "raise_complaint"
	raiseSwitch = "raise"
)

// followupStepFields are a step form's controls for a follow-up of kind.
func followupStepFields(l Lang, kind, step string) []field {
	if step == complaint.FollowupStepCancel {
		return fieldsOf(l, followupCancelBody)
	}
	var out []field
	for _, fd := range fieldsOf(l, followupDoneBody) {
		switch fd.Name {
		case "raised_complaint_id": // the API's to set, never the client's
			continue
		case "report":
			if kind != complaint.FollowupKeyCustomerVisit {
				continue
			}
			fd.Required = true
		case "send_survey":
			if !slices.Contains(complaint.FollowupSurveyKinds(), kind) {
				continue
			}
		case "note":
			fd.Label = l.T("followup.done_note")
		}
		out = append(out, fd)
	}
	out = append(out, field{Name: raiseSwitch, Label: l.T("field.raise"), Control: controlCheckbox})
	// The complaint's controls: required only when it is raised, which
	// their labels say (the API names a missing one).
	for _, fd := range fieldsOf(l, followupComplaintBody) {
		key := "followup.raise_field"
		if fd.Required {
			key = "followup.raise_required"
		}
		fd.Name, fd.Label, fd.Required = raiseField+"."+fd.Name, fmt.Sprintf(l.T(key), fd.Label), false
		out = append(out, fd)
	}
	return out
}

// followupStepBody is the API's body of a step form's values: the
// sub-form goes as raise_complaint only when its checkbox is ticked.
func followupStepBody(fields []field, values formValues) map[string]any {
	var main, sub []field
	for _, fd := range fields {
		name, nested := strings.CutPrefix(fd.Name, raiseField+".")
		switch {
		case fd.Name == raiseSwitch:
		case nested:
			fd.Name = name
			sub = append(sub, fd)
		default:
			main = append(main, fd)
		}
	}
	body := jsonBody(main, values)
	if len(values[raiseSwitch]) > 0 {
		nested := formValues{}
		for k, v := range values {
			if name, ok := strings.CutPrefix(k, raiseField+"."); ok {
				nested[name] = v
			}
		}
		body[raiseField] = jsonBody(sub, nested)
	}
	return body
}

func followupStepForm(r *request, f complaint.Followup, step string) form {
	return form{Step: "followup-" + step, Title: r.lang.T("followup_step." + step),
		Action: followupPath(f.ID) + "/steps/" + step, Fields: followupStepFields(r.lang, f.Kind, step),
		Help: r.lang.T("followup_help." + step), Submit: r.lang.T("followup_step." + step), Key: uuid.NewString(),
		CSRF: r.session.csrf, Lang: r.lang}
}

// mayTakeFollowupStep: the route's action, and the owner or the owner
// department, as the follow-up's rules check it (followup.MayTake).
func mayTakeFollowupStep(r *request, f complaint.Followup, step string) bool {
	p := r.session.principal
	return authorized(p, auth.FollowupAction(step)) && followup.MayTake(step, f, p.Actor())
}

// takeFollowupStep posts a step's form to the API's route for the
// follow-up and shows its page again; a refusal shows on the step's form
// with what was typed.
func (c *Console) takeFollowupStep(step string) func(*request) {
	return func(r *request) {
		if err := r.Request.ParseForm(); err != nil {
			r.fail(http.StatusBadRequest, "error.fields")
			return
		}
		id := r.Param("id")
		values := formValues(r.Request.PostForm)
		key := r.PostForm("idempotency_key")
		var f complaint.Followup
		if err := r.call(http.MethodGet, followupAPIPath(id), nil, "", &f); err != nil {
			r.failCall(err)
			return
		}
		err := r.call(http.MethodPost, followupAPIPath(id)+"/"+step,
			followupStepBody(followupStepFields(r.lang, f.Kind, step), values), key, nil)
		if err == nil {
			r.seeOther(followupPath(id) + "?done=" + step)
			return
		}
		status, msg, problems := r.stockRefusal(err)
		if status == http.StatusNotFound {
			r.failCall(err)
			return
		}
		if p, ok := problems[raiseField]; ok {
			// "needs issues_found to be true": said on the checkbox.
			problems[raiseSwitch] = p
			delete(problems, raiseField)
		}
		if e, ok := err.(*apiError); ok && status == http.StatusConflict && e.Stage != "" && len(problems) == 0 {
			msg = fmt.Sprintf(r.lang.T("followups.wrong_stage"), r.lang.Enum("followup_stage", e.Stage))
		}
		c.showFollowup(r, status, step, &retry{values: values, problems: problems, msg: msg,
			key: keyToRetry(status, key)})
	}
}
