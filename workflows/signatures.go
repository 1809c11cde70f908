package workflows

import (
	"sync/atomic"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/caseflow/caseflow/actorsig"
	"github.com/caseflow/caseflow/complaint"
)

// actorKeys verify the API's signatures on steps and registrations; the
// worker sets them at start (SetActorKeys). Without keys every step is refused.
var actorKeys atomic.Pointer[actorsig.Keyring]

// SetActorKeys adds keys the workflows verify actors with, before the
// worker starts. Keys add up rather than replace each other: the setting is
// process-wide, and several stacks in one process (tests start one per
// database) each sign with their own keys.
func SetActorKeys(k *actorsig.Keyring) {
	for {
		old := actorKeys.Load()
		if actorKeys.CompareAndSwap(old, k.With(old)) {
			return
		}
	}
}

// Signed returns a copy of the step carrying the API's signature over the
// update id and name, which the API knows only when it sends the step.
func (s Step[B]) Signed(keys *actorsig.Keyring, updateID, update string) (Step[B], error) {
	sig, err := keys.Sign(updateID, update, s.Actor, s.Body)
	if err != nil {
		return Step[B]{}, err
	}
	s.Signature = sig
	return s, nil
}

// verifyStep refuses a step whose actor the API did not sign for this very
// update. Only validators call it: they do not run on replay, where the key
// that signed may have been rotated away since.
func verifyStep[B any](ctx workflow.Context, name string, s Step[B]) error {
	info := workflow.GetCurrentUpdateInfo(ctx)
	if err := actorKeys.Load().Verify(s.Signature, info.ID, name, s.Actor, s.Body); err != nil {
		return forbidden("the step's actor is not verified: " + err.Error())
	}
	return nil
}

// signedRegistrationChangeID guards the check of the registration's
// signature: cases started before it had none.
const (
	signedRegistrationChangeID = "signed-registration"
	signedRegistrationVersion  = 1
)

// Signed returns the input with RegisteredBy signed for the workflow id
// (complaint.WorkflowID of the case), over the rest of the input.
func (in ComplaintInput) Signed(keys *actorsig.Keyring, workflowID string) (ComplaintInput, error) {
	in.Signature = nil
	sig, err := keys.Sign(workflowID, UpdateRegistration.Name, in.RegisteredBy, in)
	if err != nil {
		return in, err
	}
	in.Signature = sig
	return in, nil
}

// verifyRegistration fails a workflow started with an input the API did not
// sign, before anything reaches the store. The outcome is a side effect so
// that a replay, after the key may have been rotated away, reads it from the
// history.
func (w *complaintWorkflow) verifyRegistration(ctx workflow.Context, in ComplaintInput) error {
	if w.version(ctx, signedRegistrationChangeID) == workflow.DefaultVersion {
		return nil
	}
	sig := in.Signature
	in.Signature = nil
	return verifyOpener(ctx, "the registration's actor", UpdateRegistration.Name, in.RegisteredBy, sig, in)
}

// verifyOpener fails a workflow whose opening the API did not sign: sig
// must sign opener and unsigned (the input with its own signature
// cleared) for this workflow's id and the registration update's name. The
// outcome is a side effect, so that a replay after the key was rotated
// away reads it from the history. what names the opening in the error.
func verifyOpener(ctx workflow.Context, what, updateName string, opener complaint.Actor, sig *actorsig.Signature,
	unsigned any,
) error {
	wid := workflow.GetInfo(ctx).WorkflowExecution.ID
	var problem string
	if err := workflow.SideEffect(ctx, func(workflow.Context) any {
		if err := actorKeys.Load().Verify(sig, wid, updateName, opener, unsigned); err != nil {
			return err.Error()
		}
		return ""
	}).Get(&problem); err != nil {
		return err
	}
	if problem != "" {
		return temporal.NewNonRetryableApplicationError(what+" is not verified: "+problem, ErrTypeForbidden, nil)
	}
	return nil
}
