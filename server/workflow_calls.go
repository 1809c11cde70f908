package server

import (
	"context"
	"errors"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/google/uuid"
	"go.temporal.io/api/enums/v1"
	"go.temporal.io/api/serviceerror"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/converter"

	"github.com/caseflow/caseflow/workflows"
)

// The two calls every durable process of the API makes: a registration
// that starts its workflow (complaints, RMAs), and a step sent as a keyed,
// signed update.

// startRegistered starts a process's workflow with its registration update
// in one call and answers what the registration answered, once the
// workflow has recorded it. With a fingerprint (the request had an
// Idempotency-Key) the workflow keeps it in its memo. A retry finds the
// workflow there: it must bring the same fingerprint (errKeyReused
// otherwise, see checkStarted), and is answered by the running workflow's
// registration again, or by ended (the store's record) once it ended.
func startRegistered[R any](ctx context.Context, h *handlers, opts client.StartWorkflowOptions, workflow, in any,
	registration workflows.UpdateNoArg[R], fingerprint string, ended func(context.Context) (R, error),
) (R, error) {
	var zero R
	opts.TaskQueue = h.taskQueue
	// FAIL, not USE_EXISTING: a call that starts the workflow then knows it
	// did, and the first attempt, nearly every call, needs no describe to
	// check its fingerprint (issue 10).
	opts.WorkflowIDConflictPolicy = enums.WORKFLOW_ID_CONFLICT_POLICY_FAIL
	opts.WorkflowIDReusePolicy = enums.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE
	if fingerprint != "" {
		opts.Memo = map[string]any{fingerprintMemo: fingerprint}
	}
	if err := h.ensureDataKey(ctx, opts.ID); err != nil {
		return zero, err
	}
	start := h.temporal.NewWithStartWorkflowOperation(opts, workflow, in)
	update, err := h.temporal.UpdateWithStartWorkflow(ctx, client.UpdateWithStartWorkflowOptions{
		StartWorkflowOperation: start,
		UpdateOptions: registration.Options(client.UpdateWorkflowOptions{
			WaitForStage: client.WorkflowUpdateStageCompleted,
		}),
	})
	var alreadyStarted *serviceerror.WorkflowExecutionAlreadyStarted
	switch {
	case err == nil:
		return registration.Get(ctx, update)
	case !errors.As(err, &alreadyStarted):
		return zero, err
	}
	// An earlier attempt with this key started it.
	running, err := h.checkStarted(ctx, opts.ID, fingerprint)
	if err != nil {
		return zero, err
	}
	if !running {
		return ended(ctx)
	}
	update, err = h.temporal.UpdateWorkflow(ctx, registration.Options(client.UpdateWorkflowOptions{
		WorkflowID: opts.ID, WaitForStage: client.WorkflowUpdateStageCompleted,
	}))
	var gone *serviceerror.NotFound
	switch {
	case errors.As(err, &gone):
		return ended(ctx) // it ended since the describe
	case err != nil:
		return zero, err
	}
	return registration.Get(ctx, update)
}

// checkStarted describes a workflow that an earlier attempt of a
// registration started, and reports whether it still runs. With a
// fingerprint, the one it was started with must be the same
// (errKeyReused otherwise).
func (h *handlers) checkStarted(ctx context.Context, workflowID, fingerprint string) (running bool, _ error) {
	desc, err := h.temporal.DescribeWorkflowExecution(ctx, workflowID, "")
	if err != nil {
		return false, err
	}
	info := desc.GetWorkflowExecutionInfo()
	running = info.GetStatus() == enums.WORKFLOW_EXECUTION_STATUS_RUNNING
	field, ok := info.GetMemo().GetFields()[fingerprintMemo]
	if fingerprint == "" || !ok {
		return running, nil // no key now, or started before fingerprints were kept
	}
	var first string
	if err := h.dataConverter().FromPayload(field, &first); err != nil {
		return false, err
	}
	if first != fingerprint {
		return false, errKeyReused
	}
	return running, nil
}

// keyedUpdate says how a step goes to its workflow: the workflow, what its
// update ids are prefixed with (keeping one process's apart from
// another's), the kind of its collapsed concurrent retries, and how long
// the caller waits.
type keyedUpdate struct {
	workflowID string
	idPrefix   string // "" for a complaint's steps, as their ids always were
	flight     string
	timeout    time.Duration
}

// sendUpdate sends a step's update and answers its result and update id.
// The Idempotency-Key, scoped by caller and update name, is the update id,
// so Temporal applies it once and answers a repeat with the first outcome;
// concurrent retries of one key become one call (Temporal takes only a few
// updates in flight per workflow). Without a key the update id is random.
// The workflow trusts only an actor the API signed for this update id.
func sendUpdate[B, R any](h *handlers, c *gin.Context, ctx context.Context, call keyedUpdate,
	update workflows.Update[workflows.Step[B], R], req workflows.Step[B],
) (result R, id string, err error) {
	opts := client.UpdateWorkflowOptions{WorkflowID: call.workflowID, WaitForStage: client.WorkflowUpdateStageCompleted}
	key := c.GetHeader("Idempotency-Key")
	if key != "" {
		opts.UpdateID = updateID(principalOf(c).UserID, call.idPrefix+update.Name, key)
	} else {
		opts.UpdateID = uuid.NewString()
	}
	arg, err := req.Signed(h.actorKeys, opts.UpdateID, update.Name)
	if err != nil {
		return result, opts.UpdateID, errSigning{err}
	}
	send := func(ctx context.Context) (R, error) { return update.Send(ctx, h.temporal, opts, arg) }
	if key != "" {
		result, err = collapse(ctx, h.flights, call.flight, call.workflowID+"\x00"+opts.UpdateID, call.timeout, send)
	} else {
		result, err = send(ctx)
	}
	return result, opts.UpdateID, err
}

// errSigning is a step the API could not sign: its own fault (500).
type errSigning struct{ error }

func (e errSigning) Unwrap() error { return e.error }

// dataConverter reads what the API finds in Temporal outside a call's
// result (a memo, a workflow's input): sealed payloads need the codec.
func (h *handlers) dataConverter() converter.DataConverter {
	if h.payloads == nil {
		return converter.GetDefaultDataConverter()
	}
	return h.payloads.DataConverter()
}

// ensureDataKey makes the data key of a workflow about to start, so that
// its first payload and all after it are sealed with it.
func (h *handlers) ensureDataKey(ctx context.Context, workflowID string) error {
	if h.payloads == nil {
		return nil
	}
	return h.payloads.EnsureDataKey(ctx, workflowID)
}
