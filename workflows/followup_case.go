package workflows

import (
	"go.temporal.io/sdk/workflow"

	"github.com/caseflow/caseflow/complaint"
	"github.com/caseflow/caseflow/followup"
)

// followupsVersion marks the change that makes a case, when it closes,
// start its post-close call [1.(2).F]: a follow-up of its own (a child the
// case abandons) that appears the policy's days later. Runs from before
// close without one.
const (
	followupsChangeID = "followups"
	followupsVersion  = 1
)

// applyFollowupRules asks the change at the run's start.
func (w *complaintWorkflow) applyFollowupRules(ctx workflow.Context) {
	w.followups = w.version(ctx, followupsChangeID) == followupsVersion
}

// startPostCloseCall starts the call after the case closed; the case waits
// until the server took it before it ends.
func (w *complaintWorkflow) startPostCloseCall() {
	s := w.state
	closed := followup.ClosedCase{ComplaintID: s.ID, CustomerID: s.CustomerID, Serial: s.EquipmentSerial,
		ClosedAt: workflow.Now(w.root), Closing: 1}
	if s.Customer != nil {
		closed.BranchOffice = s.Customer.BranchOffice
	}
	in := FollowupInput{Plan: followup.Plan{ID: followup.PostCloseID(s.ID, closed.Closing)},
		Closed: &closed, OpenedBy: complaint.Actor{UserID: "caseflow", Name: "case " + s.CaseNumber}, BySystem: true}
	startFollowup(w.root, in, &w.capaPending)
}
