package activities_test

import (
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.temporal.io/sdk/temporal"

	"github.com/caseflow/caseflow/activities"
	"github.com/caseflow/caseflow/complaint"
	"github.com/caseflow/caseflow/store"
)

// requireStockRefusal checks that err is the non-retryable application
// error of a stock refusal, whose details the workflow reads back.
func requireStockRefusal(t *testing.T, err error, want store.StockRefusal) {
	t.Helper()
	var app *temporal.ApplicationError
	require.ErrorAs(t, err, &app)
	require.Equal(t, activities.StockRefusalType, app.Type())
	require.True(t, app.NonRetryable())
	require.Equal(t, want.Message, app.Message())
	require.True(t, app.HasDetails())
	var got store.StockRefusal
	require.NoError(t, app.Details(&got))
	require.Equal(t, want, got)
	// As the workflow reads it: through a failure on the wire.
	conv := temporal.GetDefaultFailureConverter()
	require.ErrorAs(t, conv.FailureToError(conv.ErrorToFailure(err)), &app)
	require.Equal(t, activities.StockRefusalType, app.Type())
	got = store.StockRefusal{}
	require.NoError(t, app.Details(&got))
	require.Equal(t, want, got)
}

func TestStockActivitiesRefuse(t *testing.T) {
	ctx := t.Context()
	s, a := sqliteActivities(t)
	clerk := complaint.Actor{UserID: "u-1", Name: "Wang"}

	_, err := s.CreateStockItem(ctx, complaint.StockItemBody{PartNumber: "P-1", Warehouse: "main", Name: "Seal",
		Kind: complaint.ItemSparePart})
	require.NoError(t, err)
	_, err = s.CreateStockItem(ctx, complaint.StockItemBody{PartNumber: "BK-1", Warehouse: "main", Name: "Backup pump",
		Kind: complaint.ItemBackupUnit})
	require.NoError(t, err)
	_, err = s.RegisterUnit(ctx, complaint.BackupUnitBody{Serial: "S-1", Model: "BK-1"}, clerk, "")
	require.NoError(t, err)

	_, err = a.IssueParts(ctx, store.PartsIssue{ComplaintID: "c-1", Visit: "V1", Actor: clerk,
		Parts: []complaint.PartUsed{{PartNumber: "P-1", Quantity: 2}}})
	requireStockRefusal(t, err, store.StockRefusal{Conflict: true, Message: "parts_used[0] (P-1): issue of 2: only 0 available"})
	_, err = a.IssueParts(ctx, store.PartsIssue{ComplaintID: "c-1", Visit: "V1", Actor: clerk,
		Parts: []complaint.PartUsed{{PartNumber: "P-9", Quantity: 1}}})
	requireStockRefusal(t, err, store.StockRefusal{Field: "parts_used[0].part_number", Message: "is not stocked in warehouse main"})

	lend := store.Lending{LoanID: "c-1-L1", ComplaintID: "c-1", Actor: clerk,
		Request:   complaint.BackupRequest{Serial: "S-404", DueBack: "2026-06-01"},
		OverdueAt: time.Date(2026, 6, 1, 16, 0, 0, 0, time.UTC)}
	_, err = a.LendUnit(ctx, lend)
	requireStockRefusal(t, err, store.StockRefusal{Field: "backup.serial", Message: "is not a backup unit"})
	lend.Request.Serial = "S-1"
	unit, err := a.LendUnit(ctx, lend)
	require.NoError(t, err)
	require.Equal(t, complaint.LentUnit{Serial: "S-1", Model: "BK-1", Warehouse: "main"}, unit)
	lend.LoanID = "c-2-L1"
	_, err = a.LendUnit(ctx, lend)
	requireStockRefusal(t, err, store.StockRefusal{Conflict: true, Message: "unit S-1 is on_loan"})

	require.NoError(t, a.ConvertLoan(ctx, activities.ConvertLoanInput{LoanID: "c-1-L1",
		Conversion: complaint.ConversionReplacement, Note: "keeps it", Actor: clerk}))
	err = a.ReturnLoan(ctx, activities.ReturnLoanInput{LoanID: "c-1-L1", To: complaint.UnitBackToStock, Actor: clerk})
	requireStockRefusal(t, err, store.StockRefusal{Conflict: true, Message: "loan c-1-L1 is converted"})
	err = a.ReturnLoan(ctx, activities.ReturnLoanInput{LoanID: "c-9-L1", To: complaint.UnitBackToStock, Actor: clerk})
	requireStockRefusal(t, err, store.StockRefusal{Field: "loan", Message: "is not a loan"})

	// Anything else is not the stock's refusal: returned as is, retried.
	require.NoError(t, s.Close())
	err = a.ReturnLoan(ctx, activities.ReturnLoanInput{LoanID: "c-1-L1", To: complaint.UnitBackToStock, Actor: clerk})
	require.Error(t, err)
	var app *temporal.ApplicationError
	require.False(t, errors.As(err, &app), "%v", err)
}
