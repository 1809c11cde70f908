package activities

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"sync"
	"time"

	"go.temporal.io/sdk/activity"

	"github.com/caseflow/caseflow/complaint"
	"github.com/caseflow/caseflow/complaint/rules"
	"github.com/caseflow/caseflow/notify"
	"github.com/caseflow/caseflow/store"
)

// Recipient is one user, or a role in a department resolved to that
// department's users, as the case's rules name them.
type Recipient = rules.Recipient

// NotifyInput is one warning or escalation of one clock of one case.
type NotifyInput struct {
	ComplaintID string      `json:"complaint_id"`
	CaseNumber  string      `json:"case_number"`
	Clock       string      `json:"clock"`
	Kind        string      `json:"kind"`
	Level       int         `json:"level"`
	DueAt       time.Time   `json:"due_at"`
	At          time.Time   `json:"at"` // when the workflow's timer fired
	Recipients  []Recipient `json:"recipients"`
	// Facts go into each notification (a dispatch's customer, site, …).
	Facts map[string]string `json:"facts,omitempty"`
}

// RecordNotifications writes the notification of every recipient to the
// outbox, once: the outbox is keyed by case, clock, kind, level and
// recipient. It is quick, so the workflow runs it as a local activity in the
// same workflow task as the timer that fired. It answers whether anything is
// left to deliver over a configured channel.
func (a *Activities) RecordNotifications(ctx context.Context, in NotifyInput) (bool, error) {
	var ns []complaint.Notification
	for _, r := range in.Recipients {
		users, err := a.recipients(ctx, r)
		if err != nil {
			return false, err
		}
		for _, u := range users {
			n := complaint.Notification{
				ID:          notificationID(in, u.ID),
				ComplaintID: in.ComplaintID, CaseNumber: in.CaseNumber, Clock: in.Clock, Kind: in.Kind, Level: in.Level,
				Recipient: u.ID, Name: u.Name, Email: u.Email, WebhookURL: u.WebhookURL,
				DueAt: in.DueAt, CreatedAt: in.At, Facts: in.Facts,
			}
			n.Subject, n.Text = notify.Render(n)
			ns = append(ns, n)
		}
	}
	if err := a.Store.RecordNotifications(ctx, ns); err != nil {
		return false, err
	}
	return a.Channel != nil && len(ns) > 0, nil
}

// DeliverNotifications sends the outbox's pending notifications of one
// event over each configured channel on its own: a channel that delivered
// (or does not apply) is recorded and never sent again, so a retry after one
// channel failed re-sends nothing over the others. A transient failure fails
// the activity so Temporal retries it (the workflow bounds the attempts and
// then runs FailNotifications); a permanent one marks the channel failed.
func (a *Activities) DeliverNotifications(ctx context.Context, in NotifyInput) error {
	if a.Channel == nil {
		return nil // no channel configured: the outbox and the API are the channel
	}
	pending, err := a.Store.PendingNotifications(ctx, complaint.OutboxKey(in.ComplaintID, in.CaseNumber), in.Clock, in.Kind, in.Level)
	if err != nil {
		return err
	}
	var retry []error
	defer heartbeat(ctx)()
	for _, n := range pending {
		if err := a.deliver(ctx, n); err != nil {
			retry = append(retry, fmt.Errorf("notify %s: %w", n.Recipient, err))
		}
	}
	return errors.Join(retry...)
}

// deliver sends one notification over the channels it has not yet gone
// through, records each channel's outcome, and then the notification's:
// pending while a channel failed transiently (the error says which), failed
// when one failed for good, delivered when one delivered, else skipped.
func (a *Activities) deliver(ctx context.Context, n complaint.Notification) error {
	states, err := a.Store.ChannelStates(ctx, n.ID)
	if err != nil {
		return err
	}
	var todo []notify.Channel
	for _, ch := range channels(a.Channel) {
		if st, ok := states[ch.Name()]; !ok || st == complaint.DeliveryPending {
			todo = append(todo, ch)
		}
	}
	errs := make([]error, len(todo))
	var wg sync.WaitGroup
	for i, ch := range todo {
		wg.Go(func() { errs[i] = ch.Send(ctx, n) })
	}
	wg.Wait()
	var transient, permanent []error
	for i, ch := range todo {
		state := complaint.DeliveryDelivered
		switch err := errs[i]; {
		case err == nil:
		case errors.Is(err, notify.ErrNotApplicable):
			state = complaint.DeliverySkipped
		case notify.IsPermanent(err):
			state = complaint.DeliveryFailed
			permanent = append(permanent, &notify.ChannelError{Channel: ch.Name(), Err: err})
		default:
			state = complaint.DeliveryPending
			transient = append(transient, &notify.ChannelError{Channel: ch.Name(), Err: err})
		}
		if err := a.Store.MarkChannel(ctx, n.ID, ch.Name(), state, errs[i]); err != nil {
			return err
		}
		if state == complaint.DeliveryFailed {
			countFailed(ctx, ch.Name(), n.Kind)
		}
		states[ch.Name()] = state
	}
	if len(transient) > 0 {
		err := errors.Join(transient...)
		if mErr := a.Store.MarkDelivery(ctx, n.ID, complaint.DeliveryPending, err); mErr != nil {
			return mErr
		}
		return err
	}
	return a.Store.MarkDelivery(ctx, n.ID, overall(states), errors.Join(permanent...))
}

// overall is a notification's state once no channel is left to retry.
func overall(states map[string]string) string {
	delivered := false
	for _, st := range states {
		if st == complaint.DeliveryFailed {
			return complaint.DeliveryFailed
		}
		delivered = delivered || st == complaint.DeliveryDelivered
	}
	if delivered {
		return complaint.DeliveryDelivered
	}
	return complaint.DeliverySkipped
}

// channels splits a Multi into the channels it holds.
func channels(c notify.Channel) []notify.Channel {
	if m, ok := c.(interface{ Channels() []notify.Channel }); ok {
		return m.Channels()
	}
	return []notify.Channel{c}
}

// DeliveryFailure is an event whose delivery ran out of attempts, with the
// last attempt's error.
type DeliveryFailure struct {
	Event     NotifyInput `json:"event"`
	LastError string      `json:"last_error"`
}

// FailNotifications marks the event's notifications still pending failed,
// keeping each one's last error, and counts them per channel and kind in
// caseflow_notifications_failed; run again, it changes and counts nothing.
func (a *Activities) FailNotifications(ctx context.Context, in DeliveryFailure) error {
	e := in.Event
	failed, err := a.Store.FailUndelivered(ctx, complaint.OutboxKey(e.ComplaintID, e.CaseNumber), e.Clock, e.Kind, e.Level, in.LastError)
	if err != nil {
		return err
	}
	for _, f := range failed {
		countFailed(ctx, f.Channel, f.Kind)
	}
	return nil
}

// countFailed counts a notification given up on over a channel; the labels
// are the channel and the kind only, never whom it was for.
func countFailed(ctx context.Context, channel, kind string) {
	if channel == "" {
		channel = "none" // never tried: every attempt failed before sending
	}
	activity.GetMetricsHandler(ctx).WithTags(map[string]string{"channel": channel, "kind": kind}).
		Counter("caseflow_notifications_failed").Inc(1)
}

// notificationID is stable across retries, so receivers can de-duplicate.
func notificationID(in NotifyInput, recipient string) string {
	sum := sha256.Sum256([]byte(complaint.OutboxKey(in.ComplaintID, in.CaseNumber) + "|" + in.Clock + "|" + in.Kind + "|" + strconv.Itoa(in.Level) + "|" + recipient))
	return hex.EncodeToString(sum[:16])
}

func (a *Activities) recipients(ctx context.Context, r Recipient) ([]store.User, error) {
	if r.UserID == "" {
		return a.Store.UsersWithRole(ctx, r.Role, r.Department)
	}
	u, err := a.Store.GetUser(ctx, r.UserID)
	if errors.Is(err, store.ErrNotFound) {
		return nil, nil // a user removed since the assignment gets nothing
	}
	if err != nil {
		return nil, err
	}
	return []store.User{u}, nil
}

// heartbeat tells Temporal every few seconds that the delivery is alive, so
// an attempt lost with its worker is retried after the heartbeat timeout
// rather than the whole start-to-close timeout; one send may take longer
// than that timeout, so the beat does not wait for sends. Call the returned
// function to stop.
func heartbeat(ctx context.Context) (stop func()) {
	if !activity.IsActivity(ctx) {
		return func() {}
	}
	done := make(chan struct{})
	go func() {
		tick := time.NewTicker(5 * time.Second)
		defer tick.Stop()
		for {
			select {
			case <-done:
				return
			case <-ctx.Done():
				return
			case <-tick.C:
				activity.RecordHeartbeat(ctx)
			}
		}
	}()
	return func() { close(done) }
}
