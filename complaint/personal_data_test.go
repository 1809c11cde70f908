package complaint_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/caseflow/caseflow/complaint"
)

func TestWhichWorkflowsCarryPersonalData(t *testing.T) {
	tests := []struct {
		workflowID string
		personal   bool
	}{
		{complaint.WorkflowID("c1"), true},
		{complaint.FollowupWorkflowID("f1"), true},
		{complaint.FeedbackWorkflowID("b1"), true},
		{complaint.RMAWorkflowID("r1"), true},
		// Written by staff about the product, or figures: the keyring seals them.
		{complaint.CapaWorkflowID("a1"), false},
		{complaint.ReviewWorkflowID("2026-11"), false},
		{"caseflow-reconcile", false},
	}
	for _, tt := range tests {
		require.Equal(t, tt.personal, complaint.CarriesPersonalData(tt.workflowID), tt.workflowID)
	}
}
