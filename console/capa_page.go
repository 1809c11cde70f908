package console

import (
	"fmt"
	"net/http"
	"slices"

	"github.com/caseflow/caseflow/complaint"
)

// A corrective action's page: what it is and who owns it, its due date and
// overdue mark, the owner's report, every effectiveness check, the
// complaints that came back, its timeline, and as forms the steps its stage
// takes that the user may take (capa_steps.go).

type capaData struct {
	Capa    complaint.Capa
	Events  []complaint.Event
	Cases   []caseLink
	Overdue bool
	Forms   []form
}

func (c *Console) capaPage(r *request) { c.showCapa(r, http.StatusOK, "", nil) }

// showCapa draws the action's page; failed, when set, is the refused form
// of step failedStep, shown again with its problems in place of its blank
// one.
func (c *Console) showCapa(r *request, status int, failedStep string, failed *retry) {
	id := r.Param("id")
	var ca complaint.Capa
	if err := r.call(http.MethodGet, capaAPIPath(id), nil, "", &ca); err != nil {
		r.failCall(err)
		return
	}
	var tl timeline
	if err := r.call(http.MethodGet, capaAPIPath(id)+"/timeline", nil, "", &tl); err != nil {
		r.failCall(err)
		return
	}
	row := capaRowOf(ca, c.now(), c.zone)
	d := capaData{Capa: ca, Events: tl.Events, Cases: row.Cases, Overdue: row.Overdue}
	for _, st := range capaStepForms {
		if failed != nil && st.name == failedStep {
			// Shown even when the action no longer takes the step: its
			// refusal says so.
			f := capaStepForm(r, ca, st)
			failed.apply(r.lang, &f)
			d.Forms = append(d.Forms, f)
			continue
		}
		if slices.Contains(ca.AllowedSteps, st.name) && mayTakeCapaStep(r.session.principal, ca, st.name) {
			d.Forms = append(d.Forms, capaStepForm(r, ca, st))
		}
	}
	p := r.page("capas.title")
	p.Title = ca.Number
	// The steps' flash is the action's, not a case step's of the same name.
	switch done := r.Query("done"); {
	case done == "opened":
		p.Flash = fmt.Sprintf(r.lang.T("capas.opened"), ca.Number)
	case slices.Contains(complaint.CapaSteps(), done):
		p.Flash = fmt.Sprintf(r.lang.T("case.step.done"), r.lang.T("capa_step."+done))
	default:
		p.Flash = ""
	}
	p.Data = d
	r.renderPage(status, "capa", p)
}
