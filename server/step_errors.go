package server

import (
	"errors"
	"net/http"

	"github.com/gin-gonic/gin"
	"go.temporal.io/api/serviceerror"
	"go.temporal.io/sdk/temporal"

	"github.com/caseflow/caseflow/complaint"
	"github.com/caseflow/caseflow/store"
	"github.com/caseflow/caseflow/workflows"
)

// stepError maps a refused or failed step to its answer: the workflow's
// validators refuse with typed application errors.
func (h *handlers) stepError(c *gin.Context, err error, caseID string) {
	var appErr *temporal.ApplicationError
	var notFound *serviceerror.NotFound
	var precondition *serviceerror.FailedPrecondition
	switch {
	case errors.As(err, &appErr) && appErr.Type() == workflows.ErrTypeWrongStage:
		var conflict complaint.StageConflict
		_ = appErr.Details(&conflict)
		stageConflict(c, conflict, appErr.Message())
	case errors.As(err, &appErr) && appErr.Type() == workflows.ErrTypeForbidden:
		abortWithError(c, http.StatusForbidden, CodeForbidden, appErr.Message(), nil)
	case errors.As(err, &appErr) && appErr.Type() == workflows.ErrTypeInvalid:
		// With fields the body does not fit the case (422); without, the
		// case lacks something first, such as the proposals (409).
		var problems complaint.FieldProblems
		if appErr.Details(&problems) == nil && len(problems.Fields) > 0 {
			abortWithError(c, http.StatusUnprocessableEntity, CodeUnprocessable, appErr.Message(), problems.Fields)
			return
		}
		abortWithError(c, http.StatusConflict, CodeConflict, appErr.Message(), nil)
	case errors.As(err, &notFound), errors.As(err, &precondition),
		errors.As(err, &appErr) && appErr.Type() == acceptedUpdateCompletedWorkflow:
		// No such workflow, or it has completed (before the update, or
		// before the update it had accepted completed): the store tells an
		// unknown case (404) from an ended one, which takes no step (409).
		current, gerr := h.store.GetCase(c.Request.Context(), caseID)
		if errors.Is(gerr, store.ErrNotFound) {
			abortWithError(c, http.StatusNotFound, CodeNotFound, "no complaint with id "+caseID, nil)
			return
		}
		if gerr != nil {
			h.temporalError(c, gerr, caseID)
			return
		}
		ended := current.Stage == complaint.StageClosed || current.Stage == complaint.StageTerminated
		if errors.As(err, &precondition) && !ended {
			// Not the refusal of an ended workflow: the outcome is unknown.
			h.temporalError(c, err, caseID)
			return
		}
		stageConflict(c, complaint.StageConflict{Stage: current.Stage, AllowedSteps: []string{}}, endedMessage(current))
	default:
		h.temporalError(c, err, caseID)
	}
}

// acceptedUpdateCompletedWorkflow is the failure type of an update that the
// workflow accepted but completed (or was terminated) before applying.
const acceptedUpdateCompletedWorkflow = "AcceptedUpdateCompletedWorkflow"

func stageConflict(c *gin.Context, conflict complaint.StageConflict, message string) {
	if conflict.AllowedSteps == nil {
		conflict.AllowedSteps = []string{}
	}
	c.AbortWithStatusJSON(http.StatusConflict, gin.H{"error": gin.H{
		"code":          CodeConflict,
		"message":       message,
		"stage":         conflict.Stage,
		"allowed_steps": conflict.AllowedSteps,
	}})
}
