package workflows

import (
	"context"

	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/workflow"
)

// Update is one update of a workflow, typed by its argument and result. The
// API sends it and the workflow handles it through the same value, so the
// compiler checks that both sides agree, and a reader goes from a route to
// its handler in one jump.
type Update[A, R any] struct{ Name string }

// Send sends the update with arg and waits for its result; opts carries the
// workflow, the update id and the stage to wait for.
func (u Update[A, R]) Send(ctx context.Context, c client.Client, opts client.UpdateWorkflowOptions, arg A) (R, error) {
	opts.UpdateName, opts.Args = u.Name, []any{arg}
	handle, err := c.UpdateWorkflow(ctx, opts)
	return result[R](ctx, handle, err)
}

// Handle registers the workflow's handler and validator of the update.
func (u Update[A, R]) Handle(ctx workflow.Context, handler func(workflow.Context, A) (R, error),
	validator func(workflow.Context, A) error,
) error {
	return workflow.SetUpdateHandlerWithOptions(ctx, u.Name, handler, workflow.UpdateHandlerOptions{Validator: validator})
}

// UpdateNoArg is an update that takes no argument, typed by its result.
type UpdateNoArg[R any] struct{ Name string }

// Options are opts for this update, as update-with-start takes them.
func (u UpdateNoArg[R]) Options(opts client.UpdateWorkflowOptions) client.UpdateWorkflowOptions {
	opts.UpdateName, opts.Args = u.Name, nil
	return opts
}

// Get waits for the result of the update sent with Options.
func (u UpdateNoArg[R]) Get(ctx context.Context, handle client.WorkflowUpdateHandle) (R, error) {
	return result[R](ctx, handle, nil)
}

// Handle registers the workflow's handler and validator (nil: none).
func (u UpdateNoArg[R]) Handle(ctx workflow.Context, handler func(workflow.Context) (R, error),
	validator func(workflow.Context) error,
) error {
	opts := workflow.UpdateHandlerOptions{}
	if validator != nil {
		opts.Validator = validator
	}
	return workflow.SetUpdateHandlerWithOptions(ctx, u.Name, handler, opts)
}

// Query is one query of a workflow, typed by its result.
type Query[R any] struct{ Name string }

// Ask queries the workflow's latest run.
func (q Query[R]) Ask(ctx context.Context, c client.Client, workflowID string) (R, error) {
	var r R
	v, err := c.QueryWorkflow(ctx, workflowID, "", q.Name)
	if err == nil {
		err = v.Get(&r)
	}
	return r, err
}

// Handle registers the workflow's handler of the query.
func (q Query[R]) Handle(ctx workflow.Context, handler func() (R, error)) error {
	return workflow.SetQueryHandler(ctx, q.Name, handler)
}

func result[R any](ctx context.Context, handle client.WorkflowUpdateHandle, err error) (R, error) {
	var r R
	if err == nil {
		err = handle.Get(ctx, &r)
	}
	return r, err
}
