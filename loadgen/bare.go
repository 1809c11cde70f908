package loadgen

import (
	"context"
	"fmt"
	"sync"
	"time"

	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/worker"
	"go.temporal.io/sdk/workflow"
)

// The bare counterparts run on their own task queue, served by loadgen's own
// worker, so that they share the server, not the case worker.
const (
	bareTaskQueue = "caseflow-loadgen-bare"
	bareWorkflow  = "loadgen-bare"
	bareUpdate    = "step"
	// bareTimeout closes a bare workflow that loadgen left open (it was
	// stopped midway) without a worker to run it.
	bareTimeout = time.Hour
)

// The bare calls, as the report names them.
const (
	BareStart  = "bare start"  // ExecuteWorkflow
	BareUWS    = "bare uws"    // update-with-start whose update completes at once
	BareUpdate = "bare update" // an update on a waiting workflow
)

// bareSteps is how many updates a bare lifecycle sends after its
// update-with-start, as many as a case's lifecycle has steps.
var bareSteps = len(lifecycle(0, time.Time{})) - 1

// bareStep is an update's argument; the last one ends the workflow.
type bareStep struct{ Last bool }

// bareLifecycle waits for updates, each of which completes at once, until
// the last.
func bareLifecycle(ctx workflow.Context) (int, error) {
	taken, done := 0, false
	err := workflow.SetUpdateHandler(ctx, bareUpdate, func(_ workflow.Context, s bareStep) (int, error) {
		taken++
		done = done || s.Last
		return taken, nil
	})
	if err != nil {
		return 0, err
	}
	err = workflow.Await(ctx, func() bool { return done && workflow.AllHandlersFinished(ctx) })
	return taken, err
}

// bareLoad runs the bare calls and records them.
type bareLoad struct {
	client client.Client
	run    string
	rec    *recorder
}

// startBareWorker serves the bare workflows until stop is called.
func startBareWorker(c client.Client) (stop func(), err error) {
	w := worker.New(c, bareTaskQueue, worker.Options{})
	w.RegisterWorkflowWithOptions(bareLifecycle, workflow.RegisterOptions{Name: bareWorkflow})
	w.RegisterWorkflowWithOptions(bareTimer, workflow.RegisterOptions{Name: bareTimerWorkflow})
	if err := w.Start(); err != nil {
		return nil, fmt.Errorf("bare worker: %w", err)
	}
	return w.Stop, nil
}

func (b *bareLoad) options(id string) client.StartWorkflowOptions {
	return client.StartWorkflowOptions{
		ID: id, TaskQueue: bareTaskQueue, WorkflowExecutionTimeout: bareTimeout,
		WorkflowIDConflictPolicy: enumspb.WORKFLOW_ID_CONFLICT_POLICY_FAIL,
	}
}

// start times ExecuteWorkflow and returns the workflow's id, "" on failure.
func (b *bareLoad) start(ctx context.Context, n int) string {
	id := fmt.Sprintf("loadgen-bare-start-%s-%d", b.run, n)
	started := time.Now()
	if _, err := b.client.ExecuteWorkflow(ctx, b.options(id), bareWorkflow); err != nil {
		b.rec.failed(BareStart, reason(err))
		return ""
	}
	b.rec.ok(BareStart, time.Since(started))
	return id
}

// lifecycle times an update-with-start and the updates that follow it, the
// last of which ends the workflow, as a case's steps do.
func (b *bareLoad) lifecycle(ctx context.Context, n int) bool {
	id := fmt.Sprintf("loadgen-bare-%s-%d", b.run, n)
	if !b.updateWithStart(ctx, BareUWS, id) {
		return false
	}
	for i := range bareSteps {
		started := time.Now()
		if err := b.update(ctx, id, i == bareSteps-1); err != nil {
			b.rec.failed(BareUpdate, reason(err))
			return false
		}
		b.rec.ok(BareUpdate, time.Since(started))
	}
	return true
}

// updateWithStart times an update-with-start of workflow id, whose update
// completes at once, as op, and reports whether it succeeded.
func (b *bareLoad) updateWithStart(ctx context.Context, op, id string) bool {
	started := time.Now()
	start := b.client.NewWithStartWorkflowOperation(b.options(id), bareWorkflow)
	handle, err := b.client.UpdateWithStartWorkflow(ctx, client.UpdateWithStartWorkflowOptions{
		StartWorkflowOperation: start,
		UpdateOptions: client.UpdateWorkflowOptions{
			UpdateName: bareUpdate, Args: []any{bareStep{}}, WaitForStage: client.WorkflowUpdateStageCompleted,
		},
	})
	if err == nil {
		err = handle.Get(ctx, nil)
	}
	if err != nil {
		b.rec.failed(op, reason(err))
		return false
	}
	b.rec.ok(op, time.Since(started))
	return true
}

func (b *bareLoad) update(ctx context.Context, id string, last bool) error {
	handle, err := b.client.UpdateWorkflow(ctx, client.UpdateWorkflowOptions{
		WorkflowID: id, UpdateName: bareUpdate, Args: []any{bareStep{Last: last}},
		WaitForStage: client.WorkflowUpdateStageCompleted,
	})
	if err != nil {
		return err
	}
	return handle.Get(ctx, nil)
}

// startThenClose times n starts (start answers the workflow's id, "" on
// failure), concurrency at a time, then ends the workflows untimed; a
// failure to end one is recorded as op's.
func (b *bareLoad) startThenClose(ctx context.Context, cfg Config, n int, op string, start func(context.Context, int) string) Phase {
	var mu sync.Mutex
	var started []string
	p := phase(pace(ctx, n, 0, cfg.Rate), cfg.Concurrency, func(i int) bool {
		id := start(ctx, i)
		if id == "" {
			return false
		}
		mu.Lock()
		defer mu.Unlock()
		started = append(started, id)
		return true
	})
	b.closeAll(ctx, op, started, cfg.Concurrency)
	return p
}

// closeAll ends the workflows of ids, untimed, concurrency at a time; a
// failure is recorded as op's.
func (b *bareLoad) closeAll(ctx context.Context, op string, ids []string, concurrency int) {
	var wg sync.WaitGroup
	next := make(chan string)
	for range concurrency {
		wg.Go(func() {
			for id := range next {
				if err := b.update(ctx, id, true); err != nil {
					b.rec.failed(op, "close: "+reason(err))
				}
			}
		})
	}
	for _, id := range ids {
		next <- id
	}
	close(next)
	wg.Wait()
}

// reason names a failed Temporal call by its error's type, never its text,
// which may carry ids.
func reason(err error) string { return fmt.Sprintf("%T", err) }
