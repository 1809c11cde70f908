package notify

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/caseflow/caseflow/complaint"
	"github.com/stretchr/testify/require"
)

func TestRenderPaidServiceInChineseAndEnglish(t *testing.T) {
	subject, text := Render(complaint.Notification{CaseNumber: "CMP-2026-000042",
		Kind: complaint.NotificationPaidService, Level: 1, DueAt: time.Date(2026, 5, 1, 10, 0, 0, 0, time.UTC)})
	require.Equal(t, "[付费服务 paid service] CMP-2026-000042 设备已过保修期，请报价 / out of warranty, a quote is needed", subject)
	require.Contains(t, text, "投诉 CMP-2026-000042 的设备已过保修期")
	require.Contains(t, text, "The equipment of case CMP-2026-000042 is out of warranty")
	require.NotContains(t, text, "Clock:", "no clock sent it")
	require.NotContains(t, text, "Due:")
}

func TestRender(t *testing.T) {
	due := time.Date(2026, 5, 1, 10, 0, 0, 0, time.UTC)
	tests := []struct {
		name        string
		n           complaint.Notification
		wantSubject string
		wantLead    string
	}{
		{
			name:        "warning",
			n:           complaint.Notification{ID: "n1", CaseNumber: "CMP-2026-000123", Clock: complaint.ClockResponse, Kind: complaint.NotificationWarning, Level: 1, DueAt: due},
			wantSubject: "[warning W1] CMP-2026-000123 response deadline approaching (due 2026-05-01T10:00:00Z)",
			wantLead:    "The response deadline of case CMP-2026-000123 is due at 2026-05-01T10:00:00Z and has not been met yet (warning 1).",
		},
		{
			name:        "escalation",
			n:           complaint.Notification{ID: "n2", CaseNumber: "CMP-2026-000123", Clock: complaint.ClockOnsite, Kind: complaint.NotificationEscalation, Level: 3, DueAt: due},
			wantSubject: "[escalation L3] CMP-2026-000123 on-site deadline breached (due 2026-05-01T10:00:00Z)",
			wantLead:    "The on-site deadline of case CMP-2026-000123 was due at 2026-05-01T10:00:00Z and has been breached; escalated to level 3.",
		},
		{
			name:        "due time keeps its zone",
			n:           complaint.Notification{CaseNumber: "CMP-1", Clock: complaint.ClockResolution, Kind: complaint.NotificationWarning, Level: 2, DueAt: due.In(time.FixedZone("CST", 8*3600))},
			wantSubject: "[warning W2] CMP-1 resolution deadline approaching (due 2026-05-01T18:00:00+08:00)",
			wantLead:    "The resolution deadline of case CMP-1 is due at 2026-05-01T18:00:00+08:00 and has not been met yet (warning 2).",
		},
		{
			name:        "no due time",
			n:           complaint.Notification{CaseNumber: "CMP-1", Clock: complaint.ClockResolution, Kind: complaint.NotificationEscalation, Level: 1},
			wantSubject: "[escalation L1] CMP-1 resolution deadline breached",
			wantLead:    "The resolution deadline of case CMP-1 has been breached; escalated to level 1.",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			subject, text := Render(tc.n)
			require.Equal(t, tc.wantSubject, subject)
			require.True(t, strings.HasPrefix(text, tc.wantLead+"\n\n"), text)
			require.Contains(t, text, "Case:         "+tc.n.CaseNumber)
			require.Contains(t, text, "Clock:        "+tc.n.Clock)
			require.Contains(t, text, "Kind:         "+tc.n.Kind)
			require.Contains(t, text, fmt.Sprintf("Level:        %d", tc.n.Level))
		})
	}
}

func TestSummaryIsOneLine(t *testing.T) {
	n := complaint.Notification{Subject: "[warning W1] CMP-1\r\nBcc: evil@example.com", Text: "first line\nsecond line"}
	require.Equal(t, "[warning W1] CMP-1 Bcc: evil@example.com — first line", Summary(n))
}

// TestChannelsSkipWithoutAddress: a notification with neither e-mail nor
// webhook URL is not applicable to either channel, nor to Multi, and nothing
// is sent.
func TestChannelsSkipWithoutAddress(t *testing.T) {
	b := &smtpBackend{}
	mail, err := NewSMTP(SMTPConfig{Addr: startSMTP(t, b, nil, false), From: "noreply@caseflow.example"})
	require.NoError(t, err)
	hook := startHook(t, 200)
	wh := NewWebhook(WebhookConfig{Secret: testSecret, Targets: loopback}, nil)

	n := testNotification()
	n.Email, n.WebhookURL = "", ""
	for _, ch := range []Channel{mail, wh, NewMulti(mail, wh)} {
		t.Run(ch.Name(), func(t *testing.T) {
			err := ch.Send(t.Context(), n)
			require.ErrorIs(t, err, ErrNotApplicable)
			require.ErrorIs(t, err, ErrPermanent)
			require.True(t, IsPermanent(err))
		})
	}
	require.Empty(t, b.messages())
	require.Empty(t, hook.requests())
}

func TestMultiOverRealChannels(t *testing.T) {
	b := &smtpBackend{}
	mail, err := NewSMTP(SMTPConfig{Addr: startSMTP(t, b, nil, false), From: "noreply@caseflow.example"})
	require.NoError(t, err)
	hook := startHook(t, 200)
	m := NewMulti(mail, nil, NewWebhook(WebhookConfig{Secret: testSecret, Targets: loopback}, nil))
	require.Equal(t, "multi(email,webhook)", m.Name())

	n := testNotification()
	n.WebhookURL = hook.URL
	require.NoError(t, m.Send(t.Context(), n))
	require.Len(t, b.messages(), 1)
	require.Len(t, hook.requests(), 1)

	// only e-mail applies: still delivered
	n.WebhookURL = ""
	require.NoError(t, m.Send(t.Context(), n))
	require.Len(t, b.messages(), 2)
	require.Len(t, hook.requests(), 1)
}

// fakeChannel returns a fixed error and counts calls.
type fakeChannel struct {
	name  string
	err   error
	calls atomic.Int32
}

func (f *fakeChannel) Name() string { return f.name }
func (f *fakeChannel) Send(context.Context, complaint.Notification) error {
	f.calls.Add(1)
	return f.err
}

func TestMultiErrors(t *testing.T) {
	transient := errors.New("connection reset")
	permanent := fmt.Errorf("recipient refused: %w", ErrPermanent)
	skip := fmt.Errorf("no address: %w", ErrNotApplicable)
	status := fmt.Errorf("wrapped: %w", &StatusError{StatusCode: 503})
	tests := []struct {
		name          string
		errs          []error
		wantErr       bool
		wantPermanent bool
		wantNotAppl   bool
		wantIs        error
	}{
		{name: "all delivered", errs: []error{nil, nil}},
		{name: "delivered and skipped", errs: []error{nil, skip}},
		{name: "all skipped", errs: []error{skip, skip}, wantErr: true, wantPermanent: true, wantNotAppl: true},
		{name: "no channels", errs: nil, wantErr: true, wantPermanent: true, wantNotAppl: true},
		{name: "one transient", errs: []error{nil, transient}, wantErr: true, wantIs: transient},
		{name: "one permanent", errs: []error{nil, permanent}, wantErr: true, wantPermanent: true},
		{name: "permanent and transient stays retryable", errs: []error{permanent, transient}, wantErr: true, wantIs: transient},
		{name: "permanent, transient and skipped", errs: []error{permanent, status, skip}, wantErr: true},
		{name: "all permanent", errs: []error{permanent, permanent}, wantErr: true, wantPermanent: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var chans []Channel
			var fakes []*fakeChannel
			for i, e := range tc.errs {
				f := &fakeChannel{name: fmt.Sprintf("c%d", i), err: e}
				fakes = append(fakes, f)
				chans = append(chans, f)
			}
			err := NewMulti(chans...).Send(t.Context(), complaint.Notification{ID: "n1"})
			for _, f := range fakes {
				require.EqualValues(t, 1, f.calls.Load(), "every channel is tried once")
			}
			if !tc.wantErr {
				require.NoError(t, err)
				return
			}
			require.Error(t, err)
			require.Equal(t, tc.wantPermanent, errors.Is(err, ErrPermanent), "permanent: %v", err)
			require.Equal(t, tc.wantNotAppl, errors.Is(err, ErrNotApplicable), "not applicable: %v", err)
			if tc.wantIs != nil {
				require.ErrorIs(t, err, tc.wantIs)
			}
		})
	}

	t.Run("errors.As reaches a channel's error", func(t *testing.T) {
		err := NewMulti(&fakeChannel{name: "a", err: transient}, &fakeChannel{name: "b", err: status}).Send(t.Context(), complaint.Notification{})
		var se *StatusError
		require.ErrorAs(t, err, &se)
		require.Equal(t, http.StatusServiceUnavailable, se.StatusCode)
		var me *MultiError
		require.ErrorAs(t, err, &me)
		require.Len(t, me.Failed, 2)
		require.Equal(t, "a", me.Failed[0].Channel)
		require.Contains(t, err.Error(), "b: wrapped: HTTP 503")
	})
}

func TestRenderDispatchWithItsFacts(t *testing.T) {
	subject, text := Render(complaint.Notification{CaseNumber: "CMP-2026-000042", Kind: complaint.NotificationDispatch,
		Level: 1, DueAt: time.Date(2026, 5, 1, 10, 0, 0, 0, time.UTC),
		Facts: map[string]string{"customer": "上海市第一人民医院", "site": "主院区", "contact": "王芳", "equipment": "SN-1"}})
	require.Equal(t, "[派工 dispatch] CMP-2026-000042 需要上门服务 / you are needed on site (2026-05-01T10:00:00Z)", subject)
	for _, want := range []string{"投诉 CMP-2026-000042 需要上门服务", "Case CMP-2026-000042 needs a site visit",
		"客户 / Customer: 上海市第一人民医院", "地点 / Site: 主院区", "联系人 / Contact: 王芳", "设备 / Equipment: SN-1"} {
		require.Contains(t, text, want)
	}
}

func TestRenderReorderInChineseAndEnglish(t *testing.T) {
	subject, text := Render(complaint.Notification{Kind: complaint.NotificationReorder, Level: 3,
		Facts: map[string]string{"part": "P-778 密封圈", "warehouse": "main", "on_hand": "4", "reorder_level": "5"}})
	require.Equal(t, "[补货 reorder] P-778 密封圈 @ main 低于再订货点 / below its reorder level (4 < 5)", subject)
	require.Contains(t, text, "库存已低于再订货点")
	require.Contains(t, text, "The stock has fallen below its reorder level")
	require.Contains(t, text, "现有库存 / On hand: 4")
}

func TestRenderRMAReceiptInChineseAndEnglish(t *testing.T) {
	subject, text := Render(complaint.Notification{Kind: complaint.NotificationRMAReceipt, Level: 7,
		CaseNumber: "RMA-2026-000007", DueAt: time.Date(2026, 12, 2, 9, 1, 0, 0, time.UTC),
		Facts: map[string]string{"rma": "RMA-2026-000007", "customer": "C-1001", "branch_office": "Ningbo",
			"part": "P-778", "quantity": "2"}})
	require.Equal(t, "[退换货逾期 RMA overdue] RMA-2026-000007 退回货物未按期到货 / returned goods not received "+
		"(due 2026-12-02T09:01:00Z)", subject)
	require.Contains(t, text, "退换货单 RMA-2026-000007（Ningbo，2 × P-778）已批准")
	require.Contains(t, text, "were approved for return but not received by 2026-12-02T09:01:00Z")
}
