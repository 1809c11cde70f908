package rules

import "github.com/caseflow/caseflow/complaint"

// AllowedSteps are the steps a case takes in its stage and state, in the
// order of the lifecycle, then the service-level steps, then the
// paid-service, field-service and loan steps. A closed case takes none.
func AllowedSteps(c complaint.Case) []string {
	steps := append(append(lifecycleSteps(c), clockSteps(c)...), paidServiceSteps(c)...)
	return append(append(steps, visitSteps(c)...), loanSteps(c)...)
}

func lifecycleSteps(c complaint.Case) []string {
	switch c.Stage {
	case complaint.StageConfirm:
		return []string{complaint.StepContact, complaint.StepConfirm, complaint.StepWithdraw}
	case complaint.StageAnalyze:
		return []string{complaint.StepContact, complaint.StepAnalysis, complaint.StepWithdraw}
	case complaint.StageNegotiate:
		return []string{complaint.StepContact, complaint.StepProposals, complaint.StepAgreement, complaint.StepWithdraw}
	case complaint.StageApprove:
		return []string{complaint.StepContact, complaint.StepApprovals, complaint.StepWithdraw}
	case complaint.StageRemediate:
		// Resolve once; then close, which needs the remediation done.
		last := complaint.StepResolve
		if c.Resolution != nil {
			last = complaint.StepClose
		}
		return []string{complaint.StepContact, complaint.StepProgress, complaint.StepCorrectiveActions, last,
			complaint.StepWithdraw}
	}
	return []string{}
}

// clockSteps are the service-level steps a case takes now.
func clockSteps(c complaint.Case) []string {
	if c.Clocks == nil || c.Stage == complaint.StageClosed {
		return nil
	}
	var steps []string
	if open(c.Clocks.Onsite) {
		steps = append(steps, complaint.StepOnsite)
	}
	switch {
	case c.Paused != nil:
		steps = append(steps, complaint.StepResume)
	case c.Clocks.Resolution.State == complaint.ClockRunning:
		steps = append(steps, complaint.StepPause)
	}
	// An interim solution is owed while the late case is not yet resolved.
	if c.InterimRequired && c.Interim == nil && c.Clocks.Resolution.StoppedAt == nil {
		steps = append(steps, complaint.StepInterim)
	}
	return steps
}

// open reports whether a clock still runs (on time or late).
func open(c complaint.Clock) bool {
	return c.StoppedAt == nil && (c.State == complaint.ClockRunning || c.State == complaint.ClockBreached)
}
