package store

import (
	"context"
	"time"

	"github.com/caseflow/caseflow/review"
)

// MonthFigures computes a month's review figures from the store's facts as
// of now: what the monthly review saves, and what an erasure must leave as
// it was.
func (s *Store) MonthFigures(ctx context.Context, month string, loc *time.Location, now time.Time) (review.Figures, error) {
	from, to, err := review.MonthRange(month, loc)
	if err != nil {
		return review.Figures{}, err
	}
	cases, err := s.ReviewFacts(ctx, from, to)
	if err != nil {
		return review.Figures{}, err
	}
	capas, err := s.ReviewCapaFacts(ctx, to)
	if err != nil {
		return review.Figures{}, err
	}
	answers, err := s.SurveyAnswers(ctx, from, to)
	if err != nil {
		return review.Figures{}, err
	}
	// Of the surveys, ids, kind and scores: never the customer.
	surveys := make([]review.SurveyFacts, len(answers))
	for i, a := range answers {
		surveys[i] = review.SurveyFacts{FollowupID: a.FollowupID, Kind: a.Kind, ComplaintID: a.ComplaintID,
			Satisfaction: a.Satisfaction, WouldRecommend: a.WouldRecommend, AnsweredAt: a.AnsweredAt}
	}
	return review.Compute(month, loc, cases, capas, now, surveys...)
}
