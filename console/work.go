package console

import (
	"fmt"
	"net/http"
	"slices"
	"sort"

	"github.com/caseflow/caseflow/auth"
	"github.com/caseflow/caseflow/complaint"
	"github.com/caseflow/caseflow/complaint/rules"
	"github.com/caseflow/caseflow/store"
)

// workSteps are, per stage, the steps that move a case on: a case waits
// for whoever may take one of them (the approvals also only for a
// department its open round still needs).
var workSteps = []struct {
	stage complaint.Stage
	key   string
	steps []string
}{
	{complaint.StageConfirm, "mywork.confirm", []string{complaint.StepContact, complaint.StepConfirm}},
	{complaint.StageAnalyze, "mywork.analyses", []string{complaint.StepAnalysis}},
	{complaint.StageNegotiate, "mywork.proposals", []string{complaint.StepProposals}},
	{complaint.StageNegotiate, "mywork.negotiate", []string{complaint.StepAgreement}},
	{complaint.StageApprove, "mywork.approvals", []string{complaint.StepApprovals}},
	{complaint.StageRemediate, "mywork.remediate", []string{complaint.StepResolve, complaint.StepClose}},
}

// paidServiceWork are the paid-service matters that wait, in whichever open
// stage, for whoever may take the step: a quote to make (none yet, or the
// last declined) and a quote awaiting the customer's decision.
var paidServiceWork = []struct {
	key    string
	step   string
	states []string
}{
	{"mywork.quote", complaint.StepQuote, []string{complaint.PaidServiceRequired, complaint.PaidServiceDeclined}},
	{"mywork.quote_decision", complaint.StepQuoteDecision, []string{complaint.PaidServiceQuoted}},
}

type workGroup struct {
	Key   string
	Title string
	Rows  []caseRow
}

// waitsFor reports whether the case waits for p at one of steps.
func waitsFor(cs complaint.Case, p auth.Principal, steps []string) bool {
	for _, st := range steps {
		if !slices.Contains(cs.AllowedSteps, st) || auth.Authorize(p, auth.StepAction(st)) != nil {
			continue
		}
		if st == complaint.StepApprovals {
			return needsDecision(cs, string(p.Department))
		}
		return true
	}
	return false
}

// needsDecision: the case's open approval round names dept, which has not
// decided in it yet.
func needsDecision(cs complaint.Case, dept string) bool {
	n := len(cs.ApprovalRounds)
	if n == 0 || cs.ApprovalRounds[n-1].Outcome != complaint.RoundPending {
		return false
	}
	round := cs.ApprovalRounds[n-1]
	if !slices.Contains(round.Agreement.ApprovingDepartments, dept) {
		return false
	}
	return !slices.ContainsFunc(round.Decisions, func(d complaint.ApprovalDecision) bool { return d.Department == dept })
}

// openStages are the stages a case waits in for someone.
var openStages = []complaint.Stage{complaint.StageConfirm, complaint.StageAnalyze, complaint.StageNegotiate,
	complaint.StageApprove, complaint.StageRemediate}

// stageLists reads each stage's cases once per request, however many groups
// of My work look at it.
type stageLists struct {
	r     *request
	lists map[complaint.Stage][]complaint.Case
}

func (l *stageLists) of(stage complaint.Stage) ([]complaint.Case, error) {
	if list, ok := l.lists[stage]; ok {
		return list, nil
	}
	var page store.CasePage
	if err := l.r.call(http.MethodGet, "/api/v1/complaints?limit=200&stage="+string(stage), nil, "", &page); err != nil {
		return nil, err
	}
	l.lists[stage] = page.Cases
	return page.Cases, nil
}

// myWork lists what waits for the user, by role, most urgent first.
func (c *Console) myWork(r *request) {
	p := r.session.principal
	if auth.Authorize(p, auth.ReadComplaints) != nil {
		// An admin works users, not cases.
		r.seeOther("/console/users")
		return
	}
	now := c.now()
	lists := &stageLists{r: r, lists: map[complaint.Stage][]complaint.Case{}}
	var groups []workGroup
	add := func(g workGroup) {
		if len(g.Rows) > 0 {
			sortByUrgency(g.Rows)
			groups = append(groups, g)
		}
	}
	for _, w := range workSteps {
		if !slices.ContainsFunc(w.steps, func(st string) bool {
			return auth.Authorize(p, auth.StepAction(st)) == nil
		}) {
			continue
		}
		list, err := lists.of(w.stage)
		if err != nil {
			r.failCall(err)
			return
		}
		g := workGroup{Key: w.key, Title: r.lang.T(w.key)}
		if w.stage == complaint.StageApprove {
			g.Title = fmt.Sprintf(r.lang.T(w.key), r.lang.Enum("department", string(p.Department)))
		}
		for _, cs := range list {
			if waitsFor(cs, p, w.steps) {
				g.Rows = append(g.Rows, rowOf(cs, now))
			}
		}
		add(g)
	}
	for _, w := range paidServiceWork {
		if auth.Authorize(p, auth.StepAction(w.step)) != nil {
			continue
		}
		g := workGroup{Key: w.key, Title: r.lang.T(w.key)}
		for _, stage := range openStages {
			list, err := lists.of(stage)
			if err != nil {
				r.failCall(err)
				return
			}
			for _, cs := range list {
				if slices.Contains(w.states, cs.PaidService) && waitsFor(cs, p, []string{w.step}) {
					g.Rows = append(g.Rows, rowOf(cs, now))
				}
			}
		}
		add(g)
	}
	if p.Has(auth.Engineer) {
		// The engineer's own cases, wherever they stand.
		g := workGroup{Key: "mywork.assigned", Title: r.lang.T("mywork.assigned")}
		for _, stage := range openStages {
			list, err := lists.of(stage)
			if err != nil {
				r.failCall(err)
				return
			}
			for _, cs := range list {
				if slices.Contains(rules.EngineersOf(cs), p.UserID) {
					g.Rows = append(g.Rows, rowOf(cs, now))
				}
			}
		}
		add(g)
	}
	r.render(http.StatusOK, "mywork", "mywork.title", groups)
}
func sortByUrgency(rows []caseRow) {
	sort.SliceStable(rows, func(i, j int) bool {
		a, b := rows[i], rows[j]
		if a.Urgency != b.Urgency {
			return a.Urgency < b.Urgency
		}
		if a.NextDue.IsZero() != b.NextDue.IsZero() {
			return !a.NextDue.IsZero()
		}
		return a.NextDue.Before(b.NextDue)
	})
}

type boardData struct {
	Stages      []string
	Departments []string
	Counts      map[string]map[string]int // stage → department → open cases
	Totals      map[string]int
	Attention   []caseRow
	// WebUI is the Temporal Web UI's address of a case's workflow, less the case id.
	WebUI string
}

// board shows the open cases by stage and department, and the breached and
// at-risk ones first, linked to their cases and workflows.
func (c *Console) board(r *request) {
	counts, err := c.store.OpenCaseCounts(r.Request.Context())
	if err != nil {
		c.logger.Error("console board", "err", err)
		r.fail(http.StatusServiceUnavailable, "error.unavailable")
		return
	}
	d := boardData{Counts: map[string]map[string]int{}, Totals: map[string]int{}, WebUI: c.workflowURL("")}
	for _, s := range complaint.Stages() {
		if s != string(complaint.StageClosed) && s != string(complaint.StageTerminated) {
			d.Stages = append(d.Stages, s)
		}
	}
	d.Departments = append([]string{""}, complaint.Departments()...)
	for _, sc := range counts {
		if d.Counts[sc.Stage] == nil {
			d.Counts[sc.Stage] = map[string]int{}
		}
		d.Counts[sc.Stage][sc.Department] += sc.Count
		d.Totals[sc.Stage] += sc.Count
	}
	now := c.now()
	seen := map[string]bool{}
	for _, q := range []string{"breached=true&limit=100", "due_before=" + urlQueryEscape(now.Add(atRiskWithin).UTC().Format("2006-01-02T15:04:05Z")) + "&limit=100"} {
		var page store.CasePage
		if err := r.call(http.MethodGet, "/api/v1/complaints?"+q, nil, "", &page); err != nil {
			r.failCall(err)
			return
		}
		for _, cs := range page.Cases {
			if !seen[cs.ID] && cs.Stage != complaint.StageClosed && cs.Stage != complaint.StageTerminated {
				seen[cs.ID] = true
				d.Attention = append(d.Attention, rowOf(cs, now))
			}
		}
	}
	sortByUrgency(d.Attention)
	r.render(http.StatusOK, "board", "board.title", d)
}
