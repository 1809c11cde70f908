package server

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/gin-gonic/gin"
	"go.temporal.io/api/enums/v1"
	"go.temporal.io/api/serviceerror"
	"golang.org/x/sync/errgroup"

	"github.com/caseflow/caseflow/complaint"
	"github.com/caseflow/caseflow/followup"
	"github.com/caseflow/caseflow/store"
)

// Customer erasure: an admin erases a customer's personal data from the
// case store and destroys the data keys of its workflows, so that their
// histories in Temporal can no longer be read (store/erase.go). Nothing
// personal is logged here, nor the reason.

// eraseTimeout bounds an erasure: asking Temporal about each of the
// customer's workflows, then one store transaction.
const eraseTimeout = 60 * time.Second

// eraseDescribes is how many workflows are described at once.
const eraseDescribes = 8

// eraseBody is the body of POST /api/v1/customers/{id}/erase.
type eraseBody struct {
	Reason string `json:"reason" validate:"required,max=10000" text:"multiline"`
}

// erasureAnswer is what an erasure answers.
type erasureAnswer struct {
	CustomerID string    `json:"customer_id"`
	ErasedAt   time.Time `json:"erased_at"`
	ErasedBy   string    `json:"erased_by"`
	// Workflows counts the workflows whose data keys were destroyed.
	Workflows int  `json:"workflows"`
	Repeated  bool `json:"repeated"`
}

func (h *handlers) eraseCustomer(c *gin.Context) {
	var body eraseBody
	problems, ok := bindJSON(c, &body)
	if !ok {
		return
	}
	if len(problems) > 0 {
		badRequest(c, problems)
		return
	}
	id := c.Param("id")
	ctx, cancel := context.WithTimeout(c.Request.Context(), eraseTimeout)
	defer cancel()
	// A customer erased before answers that erasure, whatever runs now.
	e, err := h.store.CustomerErasure(ctx, id)
	switch {
	case err == nil:
		e.Repeated = true
	case errors.Is(err, store.ErrNotFound):
		e, err = h.erase(ctx, id, principalOf(c).UserID, body.Reason)
	}
	var open *store.OpenProcessesError
	switch {
	case errors.As(err, &open):
		openProcesses(c, open.WorkflowIDs)
		return
	case errors.Is(err, store.ErrNotFound):
		abortWithError(c, http.StatusNotFound, CodeNotFound, "no customer with id "+id, nil)
		return
	case err != nil:
		// One transaction: it happened entirely or not at all, and a retry
		// finishes or answers it.
		h.temporalError(c, err, "")
		return
	}
	if h.payloads != nil {
		h.payloads.Forget(e.WorkflowIDs...)
	}
	if !e.Repeated {
		h.logger.Info("customer erased", "customer_id", id, "by", e.ErasedBy, "workflows", len(e.WorkflowIDs))
	}
	c.JSON(http.StatusOK, erasureAnswer{CustomerID: e.CustomerID, ErasedAt: e.ErasedAt, ErasedBy: e.ErasedBy,
		Workflows: len(e.WorkflowIDs), Repeated: e.Repeated})
}

// erase erases the customer once Temporal runs none of its workflows: the
// store's stages lag behind a workflow that closed its case and still
// writes (deliveries, the last projection), and a running workflow would
// write the personal data back.
func (h *handlers) erase(ctx context.Context, customerID, by, reason string) (store.Erasure, error) {
	ids, err := h.store.CustomerWorkflowIDs(ctx, customerID)
	if err != nil {
		return store.Erasure{}, err
	}
	running, err := h.running(ctx, append(ids, postCloseCalls(ids)...))
	if err != nil {
		return store.Erasure{}, err
	}
	if len(running) > 0 {
		return store.Erasure{}, &store.OpenProcessesError{WorkflowIDs: running}
	}
	return h.store.EraseCustomer(ctx, customerID, by, reason, h.now())
}

// postCloseCalls are the post-close calls the complaints among the
// workflows start when they close: each waits days before it appears in the
// store (workflows/followup_case.go), and runs all the while.
func postCloseCalls(workflowIDs []string) []string {
	var calls []string
	for _, id := range workflowIDs {
		if caseID, ok := strings.CutPrefix(id, complaint.WorkflowID("")); ok {
			calls = append(calls, complaint.FollowupWorkflowID(followup.PostCloseID(caseID, 1)))
		}
	}
	return calls
}

// running answers those of the workflows whose latest run is running,
// sorted; a workflow Temporal no longer knows (past retention) is not.
func (h *handlers) running(ctx context.Context, workflowIDs []string) ([]string, error) {
	var (
		mu      sync.Mutex
		running = []string{}
	)
	workflowIDs = slices.Compact(slices.Sorted(slices.Values(workflowIDs)))
	g, ctx := errgroup.WithContext(ctx)
	g.SetLimit(eraseDescribes)
	for _, id := range workflowIDs {
		g.Go(func() error {
			d, err := h.temporal.DescribeWorkflowExecution(ctx, id, "")
			var notFound *serviceerror.NotFound
			switch {
			case errors.As(err, &notFound):
				return nil
			case err != nil:
				return err
			}
			if d.GetWorkflowExecutionInfo().GetStatus() == enums.WORKFLOW_EXECUTION_STATUS_RUNNING {
				mu.Lock()
				running = append(running, id)
				mu.Unlock()
			}
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	slices.Sort(running)
	return running, nil
}

// openProcesses refuses an erasure while the customer's workflows run,
// naming them.
func openProcesses(c *gin.Context, workflowIDs []string) {
	c.AbortWithStatusJSON(http.StatusConflict, gin.H{"error": gin.H{
		"code":         CodeOpenProcesses,
		"message":      "the customer's processes are still running; erase the customer once they have ended",
		"workflow_ids": workflowIDs,
	}})
}

// customerView is a customer as GET answers it: with when it was erased.
type customerView struct {
	store.Customer
	ErasedAt *time.Time `json:"erased_at,omitempty"`
}

// answerCustomer answers a customer read from the store, with its erasure
// if it was erased.
func (h *handlers) answerCustomer(c *gin.Context, cu store.Customer) {
	view := customerView{Customer: cu}
	e, err := h.store.CustomerErasure(c.Request.Context(), cu.ID)
	switch {
	case err == nil:
		view.ErasedAt = &e.ErasedAt
	case !errors.Is(err, store.ErrNotFound):
		h.internalError(c, err)
		return
	}
	c.JSON(http.StatusOK, view)
}
