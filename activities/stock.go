package activities

import (
	"context"
	"errors"
	"time"

	"go.temporal.io/sdk/temporal"

	"github.com/caseflow/caseflow/complaint"
	"github.com/caseflow/caseflow/store"
)

// The stock's activities of a case: the parts fitted on a visit, the backup
// unit lent, returned or converted. Each is idempotent in the store (keyed
// by the visit or the loan), so a retry answers what the first try did.

// StockRefusalType is the type of the non-retryable application error a
// stock activity fails with when the stock refuses (a *store.StockRefusal,
// its details): the step is refused, nothing retried.
const StockRefusalType = "StockRefusal"

// stockError turns a *store.StockRefusal into a non-retryable application
// error of StockRefusalType carrying the refusal as its details; every
// other error is returned as is, and retried. The details are the
// refusal's value, not a pointer: read back as a store.StockRefusal whether
// they crossed the wire (JSON) or not (tests' local errors).
func stockError(err error) error {
	var ref *store.StockRefusal
	if errors.As(err, &ref) {
		return temporal.NewNonRetryableApplicationError(ref.Message, StockRefusalType, nil, *ref)
	}
	return err
}

// IssueParts issues the parts fitted on a visit, all or nothing, and
// answers the reorder alerts it raised.
// A visit whose parts were issued before as another list (ErrKeyReused)
// is refused too: retrying could not change it.
func (a *Activities) IssueParts(ctx context.Context, in store.PartsIssue) (store.PartsIssued, error) {
	out, err := a.Store.IssueParts(ctx, in)
	if errors.Is(err, store.ErrKeyReused) {
		err = &store.StockRefusal{Conflict: true,
			Message: "the parts of visit " + in.Visit + " were issued already, as another list"}
	}
	return out, stockError(err)
}

// LendUnit lends a backup unit on a case's loan and answers the unit.
func (a *Activities) LendUnit(ctx context.Context, in store.Lending) (complaint.LentUnit, error) {
	out, err := a.Store.LendUnit(ctx, in)
	return out, stockError(err)
}

// ReturnLoanInput returns a lent unit to stock or into repair.
type ReturnLoanInput struct {
	LoanID string          `json:"loan_id"`
	To     string          `json:"to"`
	Note   string          `json:"note,omitempty"`
	Actor  complaint.Actor `json:"actor"`
	At     time.Time       `json:"at"`
}

// ReturnLoan ends a loan with the unit's return. A loan the store does not
// have is refused (field loan), not retried.
func (a *Activities) ReturnLoan(ctx context.Context, in ReturnLoanInput) error {
	_, err := a.Store.ReturnLoan(ctx, in.LoanID, in.To, in.Note, in.Actor, in.At)
	return stockError(unknownLoan(err))
}

// unknownLoan words ErrNotFound as the refusal of the body's loan.
func unknownLoan(err error) error {
	if errors.Is(err, store.ErrNotFound) {
		return &store.StockRefusal{Field: "loan", Message: "is not a loan"}
	}
	return err
}

// ConvertLoanInput converts a loan into a sale or a permanent replacement.
type ConvertLoanInput struct {
	LoanID     string          `json:"loan_id"`
	Conversion string          `json:"conversion"`
	Note       string          `json:"note,omitempty"`
	Actor      complaint.Actor `json:"actor"`
	At         time.Time       `json:"at"`
}

// ConvertLoan ends a loan: the customer keeps the unit. A loan the store
// does not have is refused (field loan), not retried.
func (a *Activities) ConvertLoan(ctx context.Context, in ConvertLoanInput) error {
	_, err := a.Store.ConvertLoan(ctx, in.LoanID, in.Conversion, in.Note, in.Actor, in.At)
	return stockError(unknownLoan(err))
}
