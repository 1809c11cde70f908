package activities

import (
	"context"
	"time"

	"github.com/caseflow/caseflow/complaint"
	"github.com/caseflow/caseflow/review"
	"github.com/caseflow/caseflow/store"
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
	from, to, err := review.MonthRange(in.Month, loc)
	if err != nil {
		return review.Review{}, err
	}
	cases, err := a.Store.ReviewFacts(ctx, from, to)
	if err != nil {
		return review.Review{}, err
	}
	capas, err := a.Store.ReviewCapaFacts(ctx, to)
	if err != nil {
		return review.Review{}, err
	}
	answers, err := a.Store.SurveyAnswers(ctx, from, to)
	if err != nil {
		return review.Review{}, err
	}
	f, err := review.Compute(in.Month, loc, cases, capas, time.Now().UTC(), surveyFacts(answers)...)
	if err != nil {
		return review.Review{}, err
	}
	return a.Store.SaveReview(ctx, f)
}

// surveyFacts is what the review reads of the surveys answered in the
// month: ids, kind and scores (not the customer).
func surveyFacts(answers []store.SurveyAnswer) []review.SurveyFacts {
	out := make([]review.SurveyFacts, len(answers))
	for i, a := range answers {
		out[i] = review.SurveyFacts{FollowupID: a.FollowupID, Kind: a.Kind, ComplaintID: a.ComplaintID,
			Satisfaction: a.Satisfaction, WouldRecommend: a.WouldRecommend, AnsweredAt: a.AnsweredAt}
	}
	return out
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
