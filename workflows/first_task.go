package workflows

import "go.temporal.io/sdk/workflow"

// firstTaskWorkVersion marks the change that runs a new case's notices
// (sales told, engineers dispatched) and its recurrence search as local
// activities in its first workflow task, beside the case's own write,
// where each was an activity task and the answers another workflow task:
// on one SQLite connection those Temporal writes were most of what a
// registration cost beyond a bare update-with-start (issue 10, NOTES.md).
// The outbox is keyed and the search only reads, so a retried first task
// repeating them changes nothing.
const (
	firstTaskWorkChangeID = "first-task-work"
	firstTaskWorkVersion  = 1
)

// storeCall runs a store activity: in the current workflow task when
// inTask (a few quick attempts, registerLocalContext), else, or when those
// failed, as an activity retried until the store takes it.
func storeCall(ctx workflow.Context, inTask bool, activity, arg, result any) error {
	err := errNotTried
	if inTask {
		err = workflow.ExecuteLocalActivity(registerLocalContext(ctx), activity, arg).Get(ctx, result)
	}
	if err != nil {
		err = workflow.ExecuteActivity(storeContext(ctx), activity, arg).Get(ctx, result)
	}
	return err
}
