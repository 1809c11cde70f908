package activities_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/caseflow/caseflow/activities"
	"github.com/caseflow/caseflow/complaint"
	"github.com/caseflow/caseflow/complaint/rules"
)

// TestFindRecurrenceNamesTheLatestCases: a part that failed more often than
// a recurrence names gives the most recent earlier cases, and the
// corrective action of the oldest still; the action's own check
// (ConfirmRecurrence) still sees every earlier case.
func TestFindRecurrenceNamesTheLatestCases(t *testing.T) {
	ctx := t.Context()
	s, a := sqliteActivities(t)
	start := time.Date(2026, 6, 1, 8, 0, 0, 0, time.UTC)
	agent := complaint.Actor{UserID: "u1", Name: "Agent", Department: "after_sales"}
	var numbers []string
	var last complaint.Case
	for i := range rules.RecurrenceLinks + 3 {
		at := start.Add(time.Duration(i) * time.Hour)
		last = complaint.Case{ID: fmt.Sprintf("c%02d", i), Stage: complaint.StageConfirm, ReceivedAt: at, RegisteredAt: at,
			RegisteredBy: agent, Register: complaint.Register{CustomerID: "C-1", CustomerName: "Acme",
				Category: complaint.CategoryQuality, Severity: complaint.SeveritySevere, PartNumber: "P-778"}}
		n, err := s.RegisterCase(ctx, last, complaint.Event{Seq: 1, Kind: complaint.EventRegistered, Actor: agent, OccurredAt: at})
		require.NoError(t, err)
		last.CaseNumber = n
		numbers = append(numbers, n)
	}
	_, err := s.RegisterCapa(ctx, complaint.Capa{ID: "a1", Stage: complaint.CapaEffective, ComplaintIDs: []string{"c00"},
		PartNumber: "P-778", OwnerDepartment: "production", OpenedBy: agent, OpenedAt: start, UpdatedAt: start},
		complaint.Event{Seq: 1, Kind: complaint.EventCapaOpened, Actor: agent, OccurredAt: start})
	require.NoError(t, err)

	found, err := a.FindRecurrence(ctx, activities.RecurrenceProbe(last))
	require.NoError(t, err)
	var got []string
	for _, c := range found.Cases {
		got = append(got, c.CaseNumber)
	}
	latest := numbers[len(numbers)-1-rules.RecurrenceLinks : len(numbers)-1]
	require.Equal(t, latest, got, "the most recent earlier cases, oldest first")
	require.Len(t, found.Capas, 1, "the first case's action, though that case is not named")

	confirmed, err := a.ConfirmRecurrence(ctx, activities.CapaRecurrence{ComplaintID: last.ID, Version: 1, ComplaintIDs: []string{"c00"}})
	require.NoError(t, err)
	require.Equal(t, last.CaseNumber, confirmed, "the action's check sees every earlier case")
}
