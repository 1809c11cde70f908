package console

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"

	"github.com/caseflow/caseflow/complaint"
)

// A follow-up's page: what it is about (kind, customer, equipment, the
// case), who owns it and when it is due, the outcome or the cancellation,
// the survey and its answer, the complaint it raised and the follow-up
// whose low score opened it, its timeline, and as forms the steps it takes
// that the user may take (followup_steps.go).

type followupData struct {
	Followup                                   complaint.Followup
	Events                                     []complaint.Event
	Overdue                                    bool
	CaseHref, RaisedHref, SourceHref, CustHref string
	Forms                                      []form
}

func (c *Console) followupPage(r *request) { c.showFollowup(r, http.StatusOK, "", nil) }

// showFollowup draws the page; failed, when set, is the refused form of
// step failedStep, shown again with its problems in place of its blank one.
func (c *Console) showFollowup(r *request, status int, failedStep string, failed *retry) {
	id := r.Param("id")
	var f complaint.Followup
	if err := r.call(http.MethodGet, followupAPIPath(id), nil, "", &f); err != nil {
		r.failCall(err)
		return
	}
	var tl timeline
	if err := r.call(http.MethodGet, followupAPIPath(id)+"/timeline", nil, "", &tl); err != nil {
		r.failCall(err)
		return
	}
	d := followupData{Followup: f, Events: tl.Events, Overdue: followupOverdue(f, c.now()),
		CustHref: "/console/customers/" + url.PathEscape(f.CustomerID)}
	if f.ComplaintID != "" {
		d.CaseHref = casePath(f.ComplaintID)
	}
	if f.RaisedComplaintID != "" {
		d.RaisedHref = casePath(f.RaisedComplaintID)
	}
	if f.SourceID != "" {
		d.SourceHref = followupPath(f.SourceID)
	}
	for _, step := range complaint.FollowupSteps() {
		if failed != nil && step == failedStep {
			// Shown even when the follow-up no longer takes the step: its
			// refusal says so.
			fm := followupStepForm(r, f, step)
			failed.apply(r.lang, &fm)
			d.Forms = append(d.Forms, fm)
			continue
		}
		if slices.Contains(f.AllowedSteps, step) && mayTakeFollowupStep(r, f, step) {
			d.Forms = append(d.Forms, followupStepForm(r, f, step))
		}
	}
	p := r.page("followups.title")
	p.Title = r.lang.Enum("followup_kind", f.Kind) + " · " + f.CustomerID
	switch done := r.Query("done"); {
	case done == "opened":
		p.Flash = r.lang.T("followups.opened")
	case slices.Contains(complaint.FollowupSteps(), done):
		p.Flash = fmt.Sprintf(r.lang.T("case.step.done"), r.lang.T("followup_step."+done))
	default:
		p.Flash = ""
	}
	p.Data = d
	r.renderPage(status, "followup", p)
}
