package activities

import (
	"context"
	"time"

	"github.com/caseflow/caseflow/complaint"
	"github.com/caseflow/caseflow/review"
)

// ReviewRun names the month a review covers, and the company's time zone
// its months are in.
type ReviewRun struct {
	Month    string `json:"month"`
	TimeZone string `json:"time_zone"`
}

// ComputeReview computes the month's figures from the store and stores the
// review with one accountability row per department; a review already
// stored is answered as it is (a retry, or a month run twice), so its
// decisions are never lost.
func (a *Activities) ComputeReview(ctx context.Context, in ReviewRun) (review.Review, error) {
	if r, err := a.Store.GetReview(ctx, in.Month); err == nil {
		return r, nil
	}
	loc, err := time.LoadLocation(in.TimeZone)
	if err != nil {
		return review.Review{}, err
	}
	f, err := a.Store.MonthFigures(ctx, in.Month, loc, time.Now().UTC())
	if err != nil {
		return review.Review{}, err
	}
	return a.Store.SaveReview(ctx, f)
}

// ReviewDecision is a department's decision on its row, with who decided
// and when.
type ReviewDecision struct {
	Month    string                           `json:"month"`
	Decision complaint.AccountabilityDecision `json:"decision"`
	By       complaint.Actor                  `json:"by"`
	At       time.Time                        `json:"at"`
}

// DecideAccountability records the decision (the last one stands) and
// answers the review after it.
func (a *Activities) DecideAccountability(ctx context.Context, in ReviewDecision) (review.Review, error) {
	d := in.Decision
	return a.Store.DecideAccountability(ctx, in.Month, d.Department, d.Decision, d.Note, in.By.UserID, in.At)
}

// CloseReview marks the review closed, once.
func (a *Activities) CloseReview(ctx context.Context, in ReviewRun) error {
	return a.Store.CloseReview(ctx, in.Month, time.Now().UTC())
}
