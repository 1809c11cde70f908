package activities

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"strings"
	"time"

	"github.com/caseflow/caseflow/complaint"
	"github.com/caseflow/caseflow/followup"
	"github.com/caseflow/caseflow/notify"
	"github.com/caseflow/caseflow/store"
)

// FollowupEvent is a follow-up's snapshot together with the event that
// produced it.
type FollowupEvent struct {
	Followup complaint.Followup `json:"followup"`
	Event    complaint.Event    `json:"event"`
}

// RegisterFollowup records a new follow-up and its first event; a retry, or
// a plan opened twice, writes nothing more.
func (a *Activities) RegisterFollowup(ctx context.Context, in FollowupEvent) error {
	return a.Store.RegisterFollowup(ctx, in.Followup, in.Event)
}

// ApplyFollowupEvent appends an event to the follow-up's timeline and
// updates its projection; a retry or a stale snapshot changes nothing.
func (a *Activities) ApplyFollowupEvent(ctx context.Context, in FollowupEvent) error {
	return a.Store.ApplyFollowupEvent(ctx, in.Followup, in.Event)
}

// FollowupPolicy answers the company's follow-up policy, recorded in the
// history of the workflow that asks.
func (a *Activities) FollowupPolicy(context.Context) (followup.Policy, error) {
	if a.Followups == (followup.Policy{}) {
		return followup.DefaultPolicy(), nil
	}
	return a.Followups, nil
}

// SurveyRequest asks for a follow-up's survey link to be sent, valid for
// ValidFor.
type SurveyRequest struct {
	Followup complaint.Followup `json:"followup"`
	ValidFor time.Duration      `json:"valid_for"`
}

// SendSurvey makes a survey link for the follow-up, keeps only its token's
// hash, and e-mails the link to the customer. The token is in no result,
// log or outbox row: a retry makes a new one, whose hash replaces the
// last. With no e-mail channel or no address it answers why nothing went
// out; a refused e-mail likewise.
func (a *Activities) SendSurvey(ctx context.Context, r SurveyRequest) (followup.SurveyDelivery, error) {
	f := r.Followup
	mail := emailChannel(a.Channel)
	if mail == nil {
		return followup.SurveyDelivery{Reason: "no e-mail channel is configured"}, nil
	}
	address, err := a.Store.CustomerEmail(ctx, f.CustomerID)
	if err != nil {
		return followup.SurveyDelivery{}, err
	}
	if address == "" {
		return followup.SurveyDelivery{Reason: "the customer has no e-mail address in the archive"}, nil
	}
	caseNumber := ""
	if f.ComplaintID != "" {
		c, err := a.Store.GetCase(ctx, f.ComplaintID)
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			return followup.SurveyDelivery{}, err
		}
		caseNumber = c.CaseNumber
	}
	token, err := newSurveyToken()
	if err != nil {
		return followup.SurveyDelivery{}, err
	}
	hash := followup.TokenHash(token)
	now := time.Now().UTC()
	expires := now.Add(r.ValidFor)
	if err := a.Store.PutSurveyLink(ctx, f.ID, hash, expires, now); err != nil {
		return followup.SurveyDelivery{}, err
	}
	link := strings.TrimRight(a.PublicURL, "/") + "/survey/" + token
	n := complaint.Notification{ID: "survey-" + f.ID + "-" + hash[:12], CaseNumber: f.ID,
		Kind: complaint.NotificationSurveyInvitation, Recipient: "customer:" + f.CustomerID, Email: address,
		CreatedAt: now, DueAt: expires}
	shown := f // the e-mail dates the expiry in the company's zone
	localExpiry := expires
	if loc, err := a.location(); err == nil {
		localExpiry = expires.In(loc)
	}
	shown.Survey = &complaint.Survey{State: complaint.SurveySent, ExpiresAt: &localExpiry}
	n.Subject, n.Text = notify.SurveyInvitation(link, shown, caseNumber)
	if err := mail.Send(ctx, n); err != nil {
		if notify.IsPermanent(err) {
			return followup.SurveyDelivery{Reason: "the e-mail was refused"}, nil
		}
		return followup.SurveyDelivery{}, errors.New("send the survey e-mail: " + err.Error())
	}
	return followup.SurveyDelivery{Sent: true, SentAt: now, ExpiresAt: expires}, nil
}

// newSurveyToken is 256 random bits, URL-safe.
func newSurveyToken() (string, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}

// emailChannel is the configured e-mail channel: surveys go to customers,
// who have no webhook.
func emailChannel(c notify.Channel) notify.Channel {
	if c == nil {
		return nil
	}
	for _, ch := range channels(c) {
		if ch.Name() == "email" {
			return ch
		}
	}
	return nil
}

// PlanRequest asks for the follow-ups a planning run at Now owes, a page
// of customers after After at a time (the yearly plan).
type PlanRequest struct {
	Now   time.Time `json:"now"`
	After string    `json:"after,omitempty"`
	Limit int       `json:"limit,omitempty"`
}

// PlanPage is a page of plans, and the customer to continue after ("" at
// the end).
type PlanPage struct {
	Plans []followup.Plan `json:"plans"`
	Next  string          `json:"next,omitempty"`
}

// PlanDeliveryCalls answers the calls after delivery the daily run owes:
// equipment delivered DeliveryCallAfter before today (or up to
// followup.CatchUp earlier) in the company's zone.
func (a *Activities) PlanDeliveryCalls(ctx context.Context, r PlanRequest) (PlanPage, error) {
	loc, err := a.location()
	if err != nil {
		return PlanPage{}, err
	}
	policy, _ := a.FollowupPolicy(ctx)
	from, to := followup.DeliveryWindow(r.Now, loc, policy)
	deliveries, err := a.Store.DeliveredBetween(ctx, from, to)
	if err != nil {
		return PlanPage{}, err
	}
	return PlanPage{Plans: followup.DeliveryCalls(deliveries, r.Now, loc, policy)}, nil
}

// PlanYear answers a page of the yearly plan: the survey of every active
// customer and the visit every key customer is owed, for the year Now is
// in (in the company's zone), Limit customers after After.
func (a *Activities) PlanYear(ctx context.Context, r PlanRequest) (PlanPage, error) {
	loc, err := a.location()
	if err != nil {
		return PlanPage{}, err
	}
	policy, _ := a.FollowupPolicy(ctx)
	yearAgo := r.Now.AddDate(-1, 0, 0)
	customers, err := a.Store.ActiveCustomers(ctx, yearAgo)
	if err != nil {
		return PlanPage{}, err
	}
	var page []followup.Customer
	next := ""
	for _, c := range customers {
		if c.ID <= r.After {
			continue
		}
		if r.Limit > 0 && len(page) == r.Limit {
			next = page[len(page)-1].ID
			break
		}
		page = append(page, c)
	}
	visits, err := a.Store.LastVisits(ctx, yearAgo)
	if err != nil {
		return PlanPage{}, err
	}
	return PlanPage{Plans: followup.YearPlans(r.Now.In(loc).Year(), page, visits, r.Now, policy), Next: next}, nil
}

// location is the company's time zone.
func (a *Activities) location() (*time.Location, error) {
	name, _ := a.CompanyTimeZone(context.Background())
	return time.LoadLocation(name)
}
