// Package notify delivers one service-level notification (a warning before a
// deadline or an escalation after a breach) to one recipient over one channel.
//
// Notifications are written once to an outbox by the caller; this package only
// delivers. Delivery runs inside a Temporal activity that Temporal retries, so
// every Send may run more than once for the same notification. Channels pass
// the notification's stable ID along (SMTP Message-ID, webhook
// X-Caseflow-Delivery / Idempotency-Key headers) so receivers can drop
// duplicates.
//
// Error contract of Channel.Send:
//
//   - nil: delivered (accepted by the SMTP server / answered 2xx by the webhook).
//   - an error matching ErrNotApplicable: the channel does not apply to this
//     notification (no e-mail address, no webhook URL). ErrNotApplicable wraps
//     ErrPermanent, so a caller that only checks ErrPermanent stops retrying;
//     a caller that wants to record "skipped" checks ErrNotApplicable first.
//   - an error matching ErrPermanent: retrying cannot help (recipient refused,
//     invalid address, 4xx other than 408/429). Stop retrying, e.g. by
//     returning temporal.NewNonRetryableApplicationError from the activity.
//   - any other error: transient; let Temporal retry the activity.
package notify

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/caseflow/caseflow/complaint"
)

// Channel delivers notifications. See the package documentation for the
// meaning of the returned error. Send must be safe to call again for the same
// notification (Temporal retries); it must not be called concurrently on a
// Channel that says otherwise (all channels in this package are safe for
// concurrent use).
type Channel interface {
	Name() string
	Send(ctx context.Context, n complaint.Notification) error
}

// ErrPermanent marks a delivery failure that retrying cannot fix.
var ErrPermanent = errors.New("permanent delivery failure")

// ErrNotApplicable is returned (wrapped) when a channel does not apply to a
// notification, e.g. the recipient has no e-mail address. It wraps
// ErrPermanent: retrying the same notification on the same channel cannot
// succeed.
var ErrNotApplicable = fmt.Errorf("channel does not apply to this notification: %w", ErrPermanent)

// IsPermanent reports whether err is a delivery failure that should not be
// retried (this includes ErrNotApplicable).
func IsPermanent(err error) bool { return errors.Is(err, ErrPermanent) }

// Render builds an English subject and plain-text body from the structured
// fields of n (case number, clock, kind, level, due time in RFC 3339 in the
// location DueAt carries). The caller stores the result in n.Subject and
// n.Text before writing the notification to the outbox.
func Render(n complaint.Notification) (subject, text string) {
	clock := clockLabel(n.Clock)
	due := ""
	if !n.DueAt.IsZero() {
		due = n.DueAt.Format(time.RFC3339)
	}
	var lead string
	prevention := false
	if subject, lead, prevention = preventionText(n); !prevention {
		subject, lead, prevention = followupText(n)
	}
	if prevention {
		due = ""
	}
	switch {
	case prevention:
	case n.Clock == complaint.ClockLoan:
		subject, lead = loanText(n)
		due = ""
	case n.Kind == complaint.NotificationPaidService:
		// Sales reads this one, in Chinese first as the plant does, then
		// in English; the clocks' notices are English only (NOTES.md).
		subject = fmt.Sprintf("[付费服务 paid service] %s 设备已过保修期，请报价 / out of warranty, a quote is needed", n.CaseNumber)
		lead = fmt.Sprintf("投诉 %s 的设备已过保修期：请与客户商定付费服务并在系统中录入报价。\n"+
			"The equipment of case %s is out of warranty: agree paid service with the customer and record the quote.",
			n.CaseNumber, n.CaseNumber)
		due = ""
	case n.Kind == complaint.NotificationDispatch:
		subject = fmt.Sprintf("[派工 dispatch] %s 需要上门服务 / you are needed on site", n.CaseNumber)
		lead = fmt.Sprintf("投诉 %s 需要上门服务，请尽快联系客户安排。\n"+
			"Case %s needs a site visit: contact the customer and plan it.", n.CaseNumber, n.CaseNumber)
		if due != "" {
			subject += " (" + due + ")"
			lead += fmt.Sprintf("\n到场时限 / on site by: %s", due)
		}
	case n.Kind == complaint.NotificationRMAReceipt:
		subject, lead = rmaReceiptText(n)
		due = ""
	case n.Kind == complaint.NotificationReorder:
		subject = fmt.Sprintf("[补货 reorder] %s @ %s 低于再订货点 / below its reorder level (%s < %s)",
			n.Facts["part"], n.Facts["warehouse"], n.Facts["on_hand"], n.Facts["reorder_level"])
		lead = "库存已低于再订货点，请安排补货。\nThe stock has fallen below its reorder level: order more."
		due = ""
	case n.Kind == complaint.NotificationWarning:
		subject = fmt.Sprintf("[warning W%d] %s %s deadline approaching", n.Level, n.CaseNumber, clock)
		if due != "" {
			subject += " (due " + due + ")"
			lead = fmt.Sprintf("The %s deadline of case %s is due at %s and has not been met yet (warning %d).", clock, n.CaseNumber, due, n.Level)
		} else {
			lead = fmt.Sprintf("The %s deadline of case %s has not been met yet (warning %d).", clock, n.CaseNumber, n.Level)
		}
	case n.Kind == complaint.NotificationEscalation:
		subject = fmt.Sprintf("[escalation L%d] %s %s deadline breached", n.Level, n.CaseNumber, clock)
		if due != "" {
			subject += " (due " + due + ")"
			lead = fmt.Sprintf("The %s deadline of case %s was due at %s and has been breached; escalated to level %d.", clock, n.CaseNumber, due, n.Level)
		} else {
			lead = fmt.Sprintf("The %s deadline of case %s has been breached; escalated to level %d.", clock, n.CaseNumber, n.Level)
		}
	default:
		subject = fmt.Sprintf("[%s %d] %s %s deadline", orDefault(n.Kind, "notice"), n.Level, n.CaseNumber, clock)
		lead = fmt.Sprintf("Notice about the %s deadline of case %s.", clock, n.CaseNumber)
		if due != "" {
			subject += " (due " + due + ")"
			lead = fmt.Sprintf("Notice about the %s deadline of case %s, due at %s.", clock, n.CaseNumber, due)
		}
	}

	var b strings.Builder
	b.WriteString(lead)
	b.WriteString("\n\n")
	row := func(k, v string) {
		if v != "" {
			fmt.Fprintf(&b, "%-13s %s\n", k+":", v)
		}
	}
	for _, f := range dispatchFacts {
		if v := n.Facts[f.key]; v != "" {
			fmt.Fprintf(&b, "%s / %s: %s\n", f.zh, f.en, v)
		}
	}
	if len(n.Facts) > 0 {
		b.WriteString("\n")
	}
	row("Case", n.CaseNumber)
	row("Complaint ID", n.ComplaintID)
	row("Clock", n.Clock)
	row("Kind", n.Kind)
	row("Level", strconv.Itoa(n.Level))
	row("Due", due)
	to := n.Name
	if n.Recipient != "" {
		if to != "" {
			to += " (" + n.Recipient + ")"
		} else {
			to = n.Recipient
		}
	}
	row("Recipient", to)
	row("Notification", n.ID)
	return subject, strings.TrimRight(b.String(), "\n")
}

// dispatchFacts are the facts a dispatch (or a reorder alert) carries, in the order it shows
// them, with their labels in Chinese and English.
var dispatchFacts = []struct{ key, zh, en string }{
	{"customer", "客户", "Customer"}, {"site", "地点", "Site"}, {"contact", "联系人", "Contact"},
	{"phone", "电话", "Phone"}, {"equipment", "设备", "Equipment"}, {"demand", "客户要求", "Demand"},
	{"part", "备件", "Part"}, {"warehouse", "仓库", "Warehouse"}, {"on_hand", "现有库存", "On hand"},
	{"reorder_level", "再订货点", "Reorder level"},
	{"loan", "借用单", "Loan"}, {"serial", "序列号", "Serial"}, {"due_back", "应还日期", "Due back"},
}

func clockLabel(clock string) string {
	if clock == "" {
		return "service-level"
	}
	return complaint.ClockLabel(clock)
}

// Summary is the one-line human message used by chat-style channels, e.g.
// "[escalation L2] CMP-2026-000123 resolution deadline breached (due …) — The
// resolution deadline …". It uses n.Subject and the first line of n.Text,
// falling back to Render for whichever is empty.
func Summary(n complaint.Notification) string {
	subject, text := n.Subject, n.Text
	if subject == "" || text == "" {
		rs, rt := Render(n)
		subject = orDefault(subject, rs)
		text = orDefault(text, rt)
	}
	subject = oneLine(subject)
	first := text
	if i := strings.IndexAny(first, "\r\n"); i >= 0 {
		first = first[:i]
	}
	first = oneLine(first)
	if first == "" || first == subject {
		return subject
	}
	return subject + " — " + first
}

// oneLine collapses all whitespace runs (including CR/LF) into single spaces.
func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// Multi sends a notification over every channel it holds, concurrently.
//
// Result:
//   - nil when at least one channel delivered and no channel failed (channels
//     that do not apply are skipped);
//   - an error matching ErrNotApplicable when no channel applies;
//   - otherwise a *MultiError listing the failed channels. It matches
//     ErrPermanent only when every failure is permanent, so one transient
//     failure keeps the whole send retryable. A retry sends again on the
//     channels that already delivered; receivers de-duplicate by the
//     notification ID. To retry channels independently, run one activity per
//     channel instead.
type Multi struct {
	channels []Channel
}

// NewMulti returns a Multi over the given channels; nil channels are ignored.
func NewMulti(channels ...Channel) *Multi {
	m := &Multi{}
	for _, c := range channels {
		if c != nil {
			m.channels = append(m.channels, c)
		}
	}
	return m
}

// Channels returns the channels m sends over, so a caller can deliver over
// each on its own and retry only the one that failed.
func (m *Multi) Channels() []Channel { return m.channels }

// Name implements Channel.
func (m *Multi) Name() string {
	names := make([]string, len(m.channels))
	for i, c := range m.channels {
		names[i] = c.Name()
	}
	return "multi(" + strings.Join(names, ",") + ")"
}

// Send implements Channel.
func (m *Multi) Send(ctx context.Context, n complaint.Notification) error {
	errs := make([]error, len(m.channels))
	var wg sync.WaitGroup
	for i, c := range m.channels {
		wg.Go(func() { errs[i] = c.Send(ctx, n) })
	}
	wg.Wait()

	var failed []*ChannelError
	delivered := 0
	for i, err := range errs {
		switch {
		case err == nil:
			delivered++
		case errors.Is(err, ErrNotApplicable):
			// skipped
		default:
			failed = append(failed, &ChannelError{Channel: m.channels[i].Name(), Err: err})
		}
	}
	if len(failed) > 0 {
		return &MultiError{Failed: failed, Delivered: delivered}
	}
	if delivered == 0 {
		return fmt.Errorf("notify: notification %s: no configured channel applies (no e-mail address or webhook URL): %w", n.ID, ErrNotApplicable)
	}
	return nil
}

// ChannelError is the failure of one channel in a Multi send.
type ChannelError struct {
	Channel string
	Err     error
}

func (e *ChannelError) Error() string { return e.Channel + ": " + e.Err.Error() }
func (e *ChannelError) Unwrap() error { return e.Err }

// MultiError reports the channels that failed in Multi.Send.
//
// errors.Is(err, ErrPermanent) is true only if every failure is permanent;
// for any other target it is true if any failure matches. errors.As finds the
// first failure that matches.
type MultiError struct {
	Failed    []*ChannelError
	Delivered int // channels that delivered in the same call
}

func (e *MultiError) Error() string {
	parts := make([]string, len(e.Failed))
	for i, f := range e.Failed {
		parts[i] = f.Error()
	}
	return fmt.Sprintf("notify: %d channel(s) failed, %d delivered: %s", len(e.Failed), e.Delivered, strings.Join(parts, "; "))
}

// Is implements the matching rules described on MultiError. It deliberately
// has no Unwrap() []error, which would let errors.Is find ErrPermanent in a
// single failure and turn a partly transient failure into a permanent one.
func (e *MultiError) Is(target error) bool {
	if len(e.Failed) == 0 {
		return false
	}
	if target == ErrPermanent || target == ErrNotApplicable {
		for _, f := range e.Failed {
			if !errors.Is(f, target) {
				return false
			}
		}
		return true
	}
	for _, f := range e.Failed {
		if errors.Is(f, target) {
			return true
		}
	}
	return false
}

// As lets errors.As reach the individual failures.
func (e *MultiError) As(target any) bool {
	for _, f := range e.Failed {
		if errors.As(f, target) {
			return true
		}
	}
	return false
}
