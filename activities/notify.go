package activities

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/caseflow/caseflow/notify"
	"github.com/caseflow/caseflow/store"
)

// Recipient is one user, or a role in a department resolved to that
// department's users.
type Recipient struct {
	UserID     string `json:"user_id,omitempty"`
	Role       string `json:"role,omitempty"`
	Department string `json:"department,omitempty"`
}

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
}

// RecordNotifications writes the notification of every recipient to the
// outbox, once: the outbox is keyed by case, clock, kind, level and
// recipient. It is quick, so the workflow runs it as a local activity in the
// same workflow task as the timer that fired. It answers whether anything is
// left to deliver over a configured channel.
func (a *Activities) RecordNotifications(ctx context.Context, in NotifyInput) (bool, error) {
	var ns []notify.Notification
	for _, r := range in.Recipients {
		users, err := a.recipients(ctx, r)
		if err != nil {
			return false, err
		}
		for _, u := range users {
			n := notify.Notification{
				ID:          notificationID(in, u.ID),
				ComplaintID: in.ComplaintID, CaseNumber: in.CaseNumber, Clock: in.Clock, Kind: in.Kind, Level: in.Level,
				Recipient: u.ID, Name: u.Name, Email: u.Email, WebhookURL: u.WebhookURL,
				DueAt: in.DueAt, CreatedAt: in.At,
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
// event over the configured channels. A transient failure fails the
// activity so Temporal retries it with backoff; what was delivered is not
// sent again.
func (a *Activities) DeliverNotifications(ctx context.Context, in NotifyInput) error {
	if a.Channel == nil {
		return nil // no channel configured: the outbox and the API are the channel
	}
	pending, err := a.Store.PendingNotifications(ctx, in.ComplaintID, in.Clock, in.Kind, in.Level)
	if err != nil {
		return err
	}
	var retry []error
	for _, n := range pending {
		err := a.Channel.Send(ctx, n)
		delivery := store.DeliveryDelivered
		switch {
		case err == nil:
		case errors.Is(err, notify.ErrNotApplicable):
			delivery = store.DeliverySkipped
		case notify.IsPermanent(err):
			delivery = store.DeliveryFailed
		default:
			retry = append(retry, fmt.Errorf("notify %s: %w", n.Recipient, err))
			continue
		}
		if err := a.Store.MarkDelivery(ctx, n.ID, delivery, err); err != nil {
			return err
		}
	}
	return errors.Join(retry...)
}

// notificationID is stable across retries, so receivers can de-duplicate.
func notificationID(in NotifyInput, recipient string) string {
	sum := sha256.Sum256([]byte(in.ComplaintID + "|" + in.Clock + "|" + in.Kind + "|" + strconv.Itoa(in.Level) + "|" + recipient))
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
