package console

import (
	"fmt"
	"net/http"
	"net/url"
	"reflect"
	"slices"
	"strings"

	"github.com/google/uuid"

	"github.com/caseflow/caseflow/auth"
	"github.com/caseflow/caseflow/complaint"
	"github.com/caseflow/caseflow/complaint/rules"
)

var registerBody = reflect.TypeFor[complaint.Register]()

type caseData struct {
	Case        complaint.Case
	Row         caseRow
	Events      []complaint.Event
	Forms       []form
	WorkflowURL string
	Registered  bool
	// Field service: the case's engineers and its visits.
	Engineers []string
	Visits    []visitView
	// The backup units lent to the customer (loan_forms.go).
	Loans []loanView
	// The returns and exchanges linked to the case (case_returns.go).
	Returns *caseReturnsView
	// Its corrective actions and the cases it repeats (case_capas.go).
	Capas *caseCapasView
	// Its follow-ups (followup_case.go).
	Followups *caseFollowupsView
}

// visitView is a visit as the case page shows it.
type visitView struct {
	complaint.Visit
	// SignHref is the page where the customer signs the visit's service
	// record, for an engineer of the visit who may file it now.
	SignHref string
}

type timeline struct {
	Events []complaint.Event `json:"events"`
}

// casePage shows a case and, as forms, the allowed steps the user may take.
func (c *Console) casePage(r *request) {
	c.showCase(r, http.StatusOK, nil)
}

// showCase draws the case page; failed, when set, is a step form shown again
// with its problems in place of its blank one.
func (c *Console) showCase(r *request, status int, failed *form) {
	id := r.Param("id")
	var cs complaint.Case
	if err := r.call(http.MethodGet, "/api/v1/complaints/"+url.PathEscape(id), nil, "", &cs); err != nil {
		r.failCall(err)
		return
	}
	var tl timeline
	if err := r.call(http.MethodGet, "/api/v1/complaints/"+url.PathEscape(id)+"/timeline", nil, "", &tl); err != nil {
		r.failCall(err)
		return
	}
	d := caseData{Case: cs, Row: rowOf(cs, c.now()), Events: tl.Events, Registered: r.Query("registered") == "1"}
	d.WorkflowURL = c.workflowURL(cs.ID)
	d.Engineers = rules.EngineersOf(cs)
	d.Visits = visitViews(cs, r.session.principal)
	d.Loans = loanViews(cs, c.now())
	d.Returns = caseReturns(cs, tl.Events, r.session.principal)
	d.Capas = caseCapas(cs, r.session.principal)
	d.Followups = caseFollowups(cs, r.session.principal, c.now())
	for _, st := range stepForms {
		if !slices.Contains(cs.AllowedSteps, st.name) ||
			auth.Authorize(r.session.principal, auth.StepAction(st.name)) != nil {
			continue
		}
		if failed != nil && failed.Step == st.name {
			f := *failed
			fitToCase(r.lang, &f, cs, false)
			d.Forms = append(d.Forms, f)
			continue
		}
		f := c.stepForm(r, cs.ID, st)
		fitToCase(r.lang, &f, cs, true)
		d.Forms = append(d.Forms, f)
	}
	title := cs.CaseNumber
	p := r.page("nav.cases")
	p.Title = title
	p.Data = d
	if d.Registered {
		p.Flash = fmt.Sprintf(r.lang.T("register.done"), cs.CaseNumber)
	}
	r.renderPage(status, "case", p)
}

// visitViews are the case's visits, each with its signing page for whom
// may file its record now.
func visitViews(cs complaint.Case, p auth.Principal) []visitView {
	mayFile := slices.Contains(cs.AllowedSteps, complaint.StepServiceRecord) &&
		auth.Authorize(p, auth.StepAction(complaint.StepServiceRecord)) == nil
	out := make([]visitView, 0, len(cs.Visits))
	for _, v := range cs.Visits {
		vv := visitView{Visit: v}
		if mayFile && v.HasEngineer(p.UserID) && slices.Contains(visitStates[complaint.StepServiceRecord], v.State) {
			vv.SignHref = signPath(cs.ID, v.ID)
		}
		out = append(out, vv)
	}
	return out
}

// fitToCase gives a step's form what the case knows: a visit field becomes
// a choice of the case's visits that take the step (the only one chosen on
// a fresh form), and a fresh engineers list starts from the case's
// engineers, which the step replaces.
func fitToCase(l Lang, f *form, cs complaint.Case, fresh bool) {
	for i := range f.Fields {
		fd := &f.Fields[i]
		switch {
		case fd.Name == "visit":
			states, ok := visitStates[f.Step]
			if !ok {
				continue
			}
			fd.Control, fd.Options = controlSelect, nil
			for _, v := range cs.Visits {
				if slices.Contains(states, v.State) {
					fd.Options = append(fd.Options, option{Value: v.ID, Label: visitLabel(l, v), Selected: v.ID == fd.Value})
				}
			}
			if fresh && len(fd.Options) == 1 {
				fd.Options[0].Selected = true
			}
		case fd.Name == "engineers" && fresh:
			fd.Value = strings.Join(rules.EngineersOf(cs), "\n")
		case fd.Name == "loan" && (f.Step == complaint.StepLoanReturn || f.Step == complaint.StepLoanConvert):
			fitLoan(l, fd, cs, fresh)
		}
	}
}

// visitLabel names a visit in a choice: its id, state, planned time and
// engineers.
func visitLabel(l Lang, v complaint.Visit) string {
	return v.ID + " · " + l.Enum("visit_state", v.State) + " · " + formatTime(l, v.PlannedAt) + " · " +
		strings.Join(v.Engineers, ", ")
}

// workflowURL links a case to its workflow in the Temporal Web UI; "" when
// there is none to link to.
func (c *Console) workflowURL(caseID string) string {
	if c.webUIURL == "" {
		return ""
	}
	return fmt.Sprintf("%s/namespaces/%s/workflows/%s", c.webUIURL, url.PathEscape(c.namespace),
		url.PathEscape(complaint.WorkflowID(caseID)))
}

func (c *Console) stepForm(r *request, caseID string, st stepForm) form {
	f := form{Step: st.name, Title: r.lang.T("step." + st.name),
		Action: "/console/cases/" + url.PathEscape(caseID) + "/steps/" + st.name,
		Fields: stepFieldsOf(r.lang, st), Key: uuid.NewString(), CSRF: r.session.csrf, Lang: r.lang}
	if _, ok := catalog["help."+st.name]; ok {
		f.Help = r.lang.T("help." + st.name)
	}
	r.fitToStock(&f)
	return f
}

// takeStep posts a step's form to the API's step route for the case.
func (c *Console) takeStep(st stepForm) func(*request) {
	return func(r *request) {
		if err := r.Request.ParseForm(); err != nil {
			r.fail(http.StatusBadRequest, "error.fields")
			return
		}
		id := r.Param("id")
		values := formValues(r.Request.PostForm)
		fields := stepFieldsOf(r.lang, st)
		key := r.PostForm("idempotency_key")
		err := r.call(http.MethodPost, "/api/v1/complaints/"+url.PathEscape(id)+"/"+st.name,
			stepBody(st.name, fields, values), key, nil)
		if err == nil {
			r.seeOther("/console/cases/" + url.PathEscape(id) + "?done=" + st.name)
			return
		}
		f := c.stepForm(r, id, st)
		status, msg, problems := r.refusal(err)
		if status == http.StatusBadRequest {
			f.Key = key // nothing was applied: the same key stays free
		}
		f.Fields = fill(r.lang, f.Fields, values, problems)
		f.Error = msg
		// A problem no control shows (the interim's "backup" object as a
		// whole) joins the form's message rather than vanish.
		if rest := unplaced(r.lang, f.Fields, problems); len(rest) > 0 {
			f.Error += " " + strings.Join(rest, "; ")
		}
		if status == http.StatusNotFound {
			r.failCall(err)
			return
		}
		c.showCase(r, status, &f)
	}
}

// caseVersion answers the case's version, which the page polls to show a
// step taken elsewhere.
func (c *Console) caseVersion(r *request) {
	var cs complaint.Case
	if err := r.call(http.MethodGet, "/api/v1/complaints/"+url.PathEscape(r.Param("id")), nil, "", &cs); err != nil {
		if e, ok := err.(*apiError); ok {
			r.AbortWithStatus(e.Status)
			return
		}
		r.AbortWithStatus(http.StatusInternalServerError)
		return
	}
	r.Header("Cache-Control", "no-store")
	r.JSON(http.StatusOK, map[string]any{"version": cs.Version, "stage": cs.Stage})
}

// refusal words an API refusal for a form: its status, a message for the
// top of the form and the field problems.
func (r *request) refusal(err error) (int, string, map[string]string) {
	e, ok := err.(*apiError)
	if !ok {
		r.console.logger.Error("console api call", "err", err)
		return http.StatusInternalServerError, r.lang.T("error.internal"), nil
	}
	switch {
	case e.Status == http.StatusBadRequest:
		return e.Status, r.lang.T("error.fields"), e.Fields
	case e.Status == http.StatusServiceUnavailable:
		r.Header("Retry-After", "5")
		return e.Status, r.lang.T("error.unavailable"), nil
	case e.Status >= 500:
		return e.Status, r.lang.T("error.internal"), nil
	case e.Status == http.StatusForbidden:
		return e.Status, fmt.Sprintf(r.lang.T("error.forbidden"), e.Message), e.Fields
	case e.Code == codeCustomerErased:
		return e.Status, r.lang.T("error.erased"), nil
	}
	return e.Status, fmt.Sprintf(r.lang.T("error.refused"), e.Message), e.Fields
}
