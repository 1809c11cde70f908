package activities

import (
	"context"

	"github.com/caseflow/caseflow/complaint"
	"github.com/caseflow/caseflow/store"
)

// FeedbackEvent is feedback's snapshot together with the event that
// produced it.
type FeedbackEvent struct {
	Feedback complaint.Feedback `json:"feedback"`
	Event    complaint.Event    `json:"event"`
}

// FeedbackNumber is feedback's number and the serial in it.
type FeedbackNumber = store.FeedbackNumber

// RegisterFeedback records new feedback and returns its number; a retry
// returns the number allocated the first time.
func (a *Activities) RegisterFeedback(ctx context.Context, in FeedbackEvent) (FeedbackNumber, error) {
	return a.Store.RegisterFeedback(ctx, in.Feedback, in.Event)
}

// ApplyFeedbackEvent appends an event to feedback's timeline and updates
// its projection; a retry or a stale snapshot changes nothing.
func (a *Activities) ApplyFeedbackEvent(ctx context.Context, in FeedbackEvent) error {
	return a.Store.ApplyFeedbackEvent(ctx, in.Feedback, in.Event)
}
