package console

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"

	"github.com/caseflow/caseflow/auth"
	"github.com/caseflow/caseflow/complaint"
)

// A return or exchange's page: its request, stage, receipt due time and
// overdue mark, inspection and disposition, its timeline, and as forms the
// steps its stage takes that the user may take (return_steps.go).

type returnData struct {
	RMA    complaint.RMA
	Events []complaint.Event
	// Overdue: approved goods not received by their due time.
	Overdue                          bool
	CaseHref, CustomerHref, PartHref string
	Forms                            []form
}

func (c *Console) returnPage(r *request) { c.showReturn(r, http.StatusOK, "", nil) }

// showReturn draws the RMA's page; failed, when set, is the refused form of
// step failedStep, shown again with its problems in place of its blank one.
func (c *Console) showReturn(r *request, status int, failedStep string, failed *retry) {
	id := r.Param("id")
	var rm complaint.RMA
	if err := r.call(http.MethodGet, returnAPIPath(id), nil, "", &rm); err != nil {
		r.failCall(err)
		return
	}
	var tl timeline
	if err := r.call(http.MethodGet, returnAPIPath(id)+"/timeline", nil, "", &tl); err != nil {
		r.failCall(err)
		return
	}
	d := returnData{RMA: rm, Events: tl.Events, Overdue: receiptOverdue(rm, c.now()),
		CustomerHref: "/console/customers/" + url.PathEscape(rm.CustomerID), PartHref: stockItemPath(rm.PartNumber)}
	if rm.ComplaintID != "" {
		d.CaseHref = "/console/cases/" + url.PathEscape(rm.ComplaintID)
	}
	for _, st := range returnStepForms {
		if failed != nil && st.name == failedStep {
			// Shown even when the RMA no longer takes the step: its
			// refusal says so.
			f := returnStepForm(r, rm, st)
			failed.apply(r.lang, &f)
			d.Forms = append(d.Forms, f)
			continue
		}
		if slices.Contains(rm.AllowedSteps, st.name) &&
			auth.Authorize(r.session.principal, auth.ReturnAction(st.name)) == nil {
			d.Forms = append(d.Forms, returnStepForm(r, rm, st))
		}
	}
	p := r.page("returns.title")
	p.Title = rm.Number
	// The steps' flash is the RMA's, not a case step's of the same name.
	switch done := r.Query("done"); {
	case done == "requested":
		p.Flash = fmt.Sprintf(r.lang.T("returns.requested"), rm.Number)
	case slices.Contains(complaint.RMASteps(), done):
		p.Flash = fmt.Sprintf(r.lang.T("case.step.done"), r.lang.T("rma_step."+done))
	default:
		p.Flash = ""
	}
	p.Data = d
	r.renderPage(status, "return", p)
}
