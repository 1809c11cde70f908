package app_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/temporal"

	"github.com/caseflow/caseflow/actorsig"
	"github.com/caseflow/caseflow/app"
	"github.com/caseflow/caseflow/complaint"
	"github.com/caseflow/caseflow/store"
	"github.com/caseflow/caseflow/workflows"
)

// TestWorkflowTrustsOnlyActorsTheAPISigned goes around the API as the Web UI
// or any Temporal client can: straight to the workflow, with forged actors,
// unsigned or signed with a key that is not the API's.
func TestWorkflowTrustsOnlyActorsTheAPISigned(t *testing.T) {
	for _, b := range stackBackends() {
		t.Run(b.name, func(t *testing.T) {
			stack := startStack(t, devConfig(t.TempDir(), b.env(t)))
			other, err := actorsig.Generate()
			require.NoError(t, err)

			t.Run("steps", func(t *testing.T) { forgedSteps(t, stack, other) })
			t.Run("start", func(t *testing.T) { forgedStarts(t, stack, other) })
		})
	}
}

func forgedSteps(t *testing.T, stack *app.Stack, other *actorsig.Keyring) {
	w := newCase(t, stack, map[string]any{"category": "quality", "severity": "severe"})
	w.confirmAndAnalyse("technical", "company")
	w.step("production", "agent", "proposals", map[string]any{"measures": "replace the seal batch"})
	w.step("technical", "agent", "proposals", map[string]any{"measures": "redesign the seal seat"})
	w.step("after_sales", "agent", "agreement", map[string]any{"type": "replace", "description": "new pump",
		"approving_departments": []string{"quality"}})
	require.Equal(t, "approve", w.stage())
	ctx := t.Context()
	before, err := stack.Store.GetCase(ctx, w.id)
	require.NoError(t, err)
	timeline, err := stack.Store.Timeline(ctx, w.id)
	require.NoError(t, err)

	mallory := workflows.ApprovalRequest{
		Actor: complaint.Actor{UserID: "mallory", Name: "Mallory (forged)", Department: complaint.DepartmentQuality,
			Roles: []string{complaint.RoleApprover}},
		Body: complaint.ApprovalBody{Decision: complaint.DecisionApprove},
	}
	invented := workflows.WithdrawRequest{
		Actor: complaint.Actor{UserID: "nobody", Name: "Invented", Department: complaint.DepartmentAfterSales,
			Roles: []string{"agent"}},
		Body: complaint.NoteBody{Note: "closed by no one"},
	}
	tests := []struct {
		name, update string
		arg          func(id string) any
	}{
		{"forged approval, unsigned", workflows.UpdateApprovals.Name, func(string) any { return mallory }},
		{"forged approval, another key", workflows.UpdateApprovals.Name,
			func(id string) any { return signStep(t, other, mallory, workflows.UpdateApprovals.Name, id) }},
		{"invented withdraw, unsigned", workflows.UpdateWithdraw.Name, func(string) any { return invented }},
		{"invented withdraw, another key", workflows.UpdateWithdraw.Name,
			func(id string) any { return signStep(t, other, invented, workflows.UpdateWithdraw.Name, id) }},
		{"withdraw signed by the API's key for another update", workflows.UpdateWithdraw.Name,
			func(string) any {
				return signStep(t, stack.ActorKeys, invented, workflows.UpdateWithdraw.Name, "another")
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			id := uuid.NewString()
			err := update(ctx, stack, w.id, tt.update, id, tt.arg(id))
			var appErr *temporal.ApplicationError
			require.True(t, errors.As(err, &appErr), "not refused by the workflow: %v", err)
			require.Equal(t, workflows.ErrTypeForbidden, appErr.Type())
			require.Contains(t, appErr.Message(), "not verified")

			after, err := stack.Store.GetCase(ctx, w.id)
			require.NoError(t, err)
			require.Equal(t, before, after, "the store's case did not change")
			got, err := stack.Store.Timeline(ctx, w.id)
			require.NoError(t, err)
			require.Equal(t, timeline, got, "nothing was added to the timeline")
		})
	}

	status, answer := agent(t, stack).do(http.MethodGet, "/api/v1/complaints/"+w.id, nil, nil)
	require.Equal(t, http.StatusOK, status)
	require.Equal(t, "approve", answer["stage"], "the API shows no forged approval: %v", answer["approval_rounds"])

	// The very same approval signed with the API's key goes through: the
	// signature, nothing else, is what the workflow refused above.
	id := uuid.NewString()
	require.NoError(t, update(ctx, stack, w.id, workflows.UpdateApprovals.Name, id,
		signStep(t, stack.ActorKeys, mallory, workflows.UpdateApprovals.Name, id)))
	// Sent past the API, the step reaches the store by the workflow's own
	// write, which follows the answer.
	eventually(t, func() bool {
		stored, err := stack.Store.GetCase(ctx, w.id)
		return err == nil && stored.Stage == complaint.StageRemediate
	}, "the signed approval reaches the store")
}

func update(ctx context.Context, stack *app.Stack, caseID, name, id string, arg any) error {
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	h, err := stack.Client.UpdateWorkflow(ctx, client.UpdateWorkflowOptions{
		WorkflowID: complaint.WorkflowID(caseID), UpdateID: id, UpdateName: name,
		Args: []any{arg}, WaitForStage: client.WorkflowUpdateStageCompleted,
	})
	if err != nil {
		return err
	}
	return h.Get(ctx, nil)
}

func forgedStarts(t *testing.T, stack *app.Stack, other *actorsig.Keyring) {
	ctx := t.Context()
	complaints := countRows(t, stack, "complaints")
	for _, keys := range []*actorsig.Keyring{nil, other} {
		id := uuid.NewString()
		wid := complaint.WorkflowID(id)
		in := workflows.ComplaintInput{
			ID: id,
			Register: complaint.Register{CustomerID: "C-1001", CustomerName: "Forged Ltd", ContactName: "Mallory",
				Description: "registered around the API", Channel: complaint.ChannelPhone,
				Category: complaint.CategoryQuality, Severity: complaint.SeveritySevere},
			ReceivedAt:   time.Now().UTC(),
			RegisteredBy: complaint.Actor{UserID: "nobody", Name: "Invented", Department: complaint.DepartmentAfterSales},
		}
		if keys != nil {
			var err error
			in, err = in.Signed(keys, wid)
			require.NoError(t, err)
		}
		run, err := stack.Client.ExecuteWorkflow(ctx, client.StartWorkflowOptions{ID: wid, TaskQueue: stack.Config.TaskQueue},
			workflows.ComplaintWorkflow, in)
		require.NoError(t, err)
		err = run.Get(ctx, nil)
		var appErr *temporal.ApplicationError
		require.True(t, errors.As(err, &appErr), "the start did not fail: %v", err)
		require.Equal(t, workflows.ErrTypeForbidden, appErr.Type())
		require.True(t, appErr.NonRetryable())

		_, err = stack.Store.GetCase(ctx, id)
		require.ErrorIs(t, err, store.ErrNotFound, "nothing reached the store")
	}
	require.Equal(t, complaints, countRows(t, stack, "complaints"))
}

// TestDevKeepsItsActorKey: `caseflow dev` generates its key on the first
// start and keeps it, so a case started before a restart takes steps after.
func TestDevKeepsItsActorKey(t *testing.T) {
	dir := t.TempDir()
	first, err := app.StartDev(t.Context(), devConfig(dir, nil), slog.New(slog.NewTextHandler(io.Discard, nil)))
	require.NoError(t, err)
	w := newCase(t, first, map[string]any{"category": "non_quality", "severity": "minor"})
	token := agent(t, first).token
	ids := first.ActorKeys.KeyIDs()
	require.Len(t, ids, 1)
	require.NoError(t, first.Close())

	info, err := os.Stat(filepath.Join(dir, app.ActorKeysFile))
	require.NoError(t, err)
	require.Equal(t, os.FileMode(0o600), info.Mode().Perm(), "the key is readable by its owner only")

	second := startStack(t, devConfig(dir, nil))
	require.Equal(t, ids, second.ActorKeys.KeyIDs())
	api := apiClient{t: t, base: second.APIURL(), token: token}
	status, got := api.do(http.MethodPost, "/api/v1/complaints/"+w.id+"/contact", note("called back after the restart"), nil)
	require.Equal(t, http.StatusOK, status, "%v", got)
}

// signStep signs a step for the update id and name with keys.
func signStep[B any](t *testing.T, keys *actorsig.Keyring, s workflows.Step[B], update, id string) any {
	t.Helper()
	arg, err := s.Signed(keys, id, update)
	require.NoError(t, err)
	return arg
}
