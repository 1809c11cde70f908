package store_test

import (
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/caseflow/caseflow/complaint"
	"github.com/caseflow/caseflow/store"
	"github.com/caseflow/caseflow/store/storetest"
)

// The notification list filters by recipient, delivery, kind, case and
// creation time, and pages newest first by a cursor that stays stable when
// notifications share an instant.
func TestNotificationPage(t *testing.T) {
	for _, b := range storetest.Backends(t) {
		t.Run(b.Name, func(t *testing.T) {
			s := openStore(t, b)
			ctx := t.Context()
			t0 := time.Date(2026, 11, 29, 9, 0, 0, 0, time.UTC)
			n := func(id, caseID, kind, recipient string, at time.Time) complaint.Notification {
				return complaint.Notification{ID: id, ComplaintID: caseID, CaseNumber: "CMP-" + caseID, Clock: complaint.ClockResponse,
					Kind: kind, Level: len(id), Recipient: recipient, DueAt: at, CreatedAt: at}
			}
			// n2 and n3 share an instant; n4 is a microsecond later.
			require.NoError(t, s.RecordNotifications(ctx, []complaint.Notification{
				n("n1", "c1", complaint.NotificationWarning, "u1", t0),
				n("n2", "c1", complaint.NotificationEscalation, "u1", t0.Add(time.Hour)),
				n("n3", "c2", complaint.NotificationEscalation, "u2", t0.Add(time.Hour)),
				n("n4", "c2", complaint.NotificationWarning, "u2", t0.Add(time.Hour+time.Microsecond)),
				n("n5", "c3", complaint.NotificationEscalation, "u1", t0.Add(2*time.Hour)),
			}))
			require.NoError(t, s.MarkDelivery(ctx, "n1", complaint.DeliveryDelivered, nil))
			require.NoError(t, s.MarkDelivery(ctx, "n3", complaint.DeliveryFailed, errors.New("webhook: 410 Gone")))
			require.NoError(t, s.MarkDelivery(ctx, "n4", complaint.DeliverySkipped, nil))

			ids := func(es []store.OutboxEntry) []string {
				out := []string{}
				for _, e := range es {
					out = append(out, e.ID)
				}
				return out
			}
			for _, tc := range []struct {
				name string
				f    store.NotificationFilter
				want []string
			}{
				{"everyone's, newest first", store.NotificationFilter{}, []string{"n5", "n4", "n3", "n2", "n1"}},
				{"one recipient", store.NotificationFilter{Recipient: "u1"}, []string{"n5", "n2", "n1"}},
				{"failed", store.NotificationFilter{Delivery: complaint.DeliveryFailed}, []string{"n3"}},
				{"pending", store.NotificationFilter{Delivery: complaint.DeliveryPending}, []string{"n5", "n2"}},
				{"kind", store.NotificationFilter{Kind: complaint.NotificationWarning}, []string{"n4", "n1"}},
				{"case", store.NotificationFilter{ComplaintID: "c2"}, []string{"n4", "n3"}},
				{"since is inclusive", store.NotificationFilter{Since: t0.Add(time.Hour)}, []string{"n5", "n4", "n3", "n2"}},
				{"since in another zone", store.NotificationFilter{Since: t0.Add(time.Hour + time.Microsecond).In(time.FixedZone("CST", 8*3600))},
					[]string{"n5", "n4"}},
				{"all together", store.NotificationFilter{Recipient: "u1", Delivery: complaint.DeliveryPending, Kind: complaint.NotificationEscalation,
					ComplaintID: "c1", Since: t0}, []string{"n2"}},
				{"nothing matches", store.NotificationFilter{Recipient: "u2", Kind: complaint.NotificationEscalation, Delivery: complaint.DeliveryDelivered}, []string{}},
			} {
				t.Run(tc.name, func(t *testing.T) {
					tc.f.Limit = 10
					page, err := s.NotificationPage(ctx, tc.f)
					require.NoError(t, err)
					require.Equal(t, tc.want, ids(page.Notifications))
					require.Empty(t, page.NextCursor)
				})
			}

			failed, err := s.NotificationPage(ctx, store.NotificationFilter{Delivery: complaint.DeliveryFailed, Limit: 10})
			require.NoError(t, err)
			require.Equal(t, "webhook: 410 Gone", failed.Notifications[0].LastError)
			require.Equal(t, "u2", failed.Notifications[0].Recipient)

			// Pages of two walk everything once, in order, across the shared
			// instant; a notification recorded meanwhile (newer) does not
			// shift the pages that follow.
			for _, f := range []store.NotificationFilter{{}, {Recipient: "u1"}} {
				whole, err := s.NotificationPage(ctx, store.NotificationFilter{Recipient: f.Recipient, Limit: 10})
				require.NoError(t, err)
				var walked []string
				f.Limit = 2
				for pages := 0; ; pages++ {
					require.Less(t, pages, 5, "paging does not end")
					page, err := s.NotificationPage(ctx, f)
					require.NoError(t, err)
					require.LessOrEqual(t, len(page.Notifications), 2)
					walked = append(walked, ids(page.Notifications)...)
					if pages == 0 {
						require.NoError(t, s.RecordNotifications(ctx, []complaint.Notification{
							n("n9-"+f.Recipient, "c9", complaint.NotificationWarning, "u1", t0.Add(3*time.Hour))}))
					}
					if page.NextCursor == "" {
						break
					}
					f.Cursor = page.NextCursor
				}
				require.Equal(t, ids(whole.Notifications), walked)
			}

			for _, bad := range []string{"not-a-cursor", "e30", "!!"} {
				_, err := s.NotificationPage(ctx, store.NotificationFilter{Limit: 2, Cursor: bad})
				require.ErrorIs(t, err, store.ErrBadCursor, bad)
			}
		})
	}
}
