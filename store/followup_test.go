package store_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/caseflow/caseflow/archive"
	"github.com/caseflow/caseflow/complaint"
	"github.com/caseflow/caseflow/followup"
	"github.com/caseflow/caseflow/store"
	"github.com/caseflow/caseflow/store/storetest"
)

var followupOpener = complaint.Actor{UserID: "a1", Name: "Qian", Department: "after_sales", Roles: []string{"agent"}}

func newFollowup(id, kind, customer string, due time.Time) complaint.Followup {
	opened := due.Add(-48 * time.Hour)
	return complaint.Followup{ID: id, Kind: kind, Stage: complaint.FollowupOpen, CustomerID: customer,
		OwnerDepartment: complaint.DepartmentAfterSales, DueAt: due, OpenedBy: followupOpener, OpenedAt: opened,
		UpdatedAt: opened, AllowedSteps: complaint.FollowupSteps()}
}

func followupEvent(seq int64, kind string, at time.Time, updateID string) complaint.Event {
	return complaint.Event{Seq: seq, Kind: kind, Actor: followupOpener, Payload: json.RawMessage(`{"note":"n"}`),
		OccurredAt: at, UpdateID: updateID}
}

// done marks f done at at, as its done step would.
func done(f complaint.Followup, at time.Time) complaint.Followup {
	f.Stage, f.AllowedSteps = complaint.FollowupDone, []string{}
	f.Outcome = &complaint.FollowupOutcome{Note: "called", By: followupOpener, At: at}
	return f
}

// TestFollowupProjection: a retried registration writes once; a stale
// snapshot never moves a follow-up back; the timeline and a step's payload
// by its update id are kept.
func TestFollowupProjection(t *testing.T) {
	for _, b := range storetest.Backends(t) {
		t.Run(b.Name, func(t *testing.T) {
			s := openStore(t, b)
			ctx := t.Context()
			due := time.Date(2026, 5, 1, 9, 0, 0, 0, time.UTC)
			f := newFollowup("f1", complaint.FollowupDeliveryCall, "C-001", due)
			f.Serial = "SN-1"
			require.NoError(t, s.RegisterFollowup(ctx, f, followupEvent(1, complaint.EventFollowupOpened, f.OpenedAt, "")))
			changed := f
			changed.Note = "a retry with another body"
			require.NoError(t, s.RegisterFollowup(ctx, changed, followupEvent(1, complaint.EventFollowupOpened, f.OpenedAt, "")))
			got, err := s.GetFollowup(ctx, "f1")
			require.NoError(t, err)
			require.Empty(t, got.Note, "a retried registration writes nothing")
			require.EqualValues(t, 1, got.Version)
			require.True(t, due.Equal(got.DueAt))

			at := due.Add(-time.Hour)
			require.NoError(t, s.ApplyFollowupEvent(ctx, done(f, at), followupEvent(2, complaint.EventFollowupDone, at, "u-2")))
			stale := f
			stale.Overdue = true
			require.NoError(t, s.ApplyFollowupEvent(ctx, stale, followupEvent(2, complaint.EventFollowupDone, at, "u-2")))
			got, err = s.GetFollowup(ctx, "f1")
			require.NoError(t, err)
			require.Equal(t, complaint.FollowupDone, got.Stage, "a stale retry leaves the row as it is")
			require.False(t, got.Overdue)
			require.EqualValues(t, 2, got.Version)
			overdue := true
			page, err := s.ListFollowups(ctx, store.FollowupFilter{Overdue: &overdue})
			require.NoError(t, err)
			require.Empty(t, page.Followups, "the columns are not moved back either")

			events, err := s.FollowupEvents(ctx, "f1")
			require.NoError(t, err)
			require.Len(t, events, 2)
			require.Equal(t, complaint.EventFollowupDone, events[1].Kind)
			payload, err := s.FollowupEventPayloadByUpdate(ctx, "f1", "u-2")
			require.NoError(t, err)
			require.JSONEq(t, `{"note":"n"}`, string(payload))
			_, err = s.FollowupEventPayloadByUpdate(ctx, "f1", "u-9")
			require.ErrorIs(t, err, store.ErrNotFound)
			_, err = s.GetFollowup(ctx, "nope")
			require.ErrorIs(t, err, store.ErrNotFound)
		})
	}
}

// TestListFollowups: soonest due first, every filter, paging, and a
// complaint finds the follow-ups about it and the one that raised it.
func TestListFollowups(t *testing.T) {
	for _, b := range storetest.Backends(t) {
		t.Run(b.Name, func(t *testing.T) {
			s := openStore(t, b)
			ctx := t.Context()
			day := time.Date(2026, 6, 1, 8, 0, 0, 0, time.UTC)
			register := func(f complaint.Followup) {
				require.NoError(t, s.RegisterFollowup(ctx, f, followupEvent(1, complaint.EventFollowupOpened, f.OpenedAt, "")))
			}
			a := newFollowup("a", complaint.FollowupDeliveryCall, "C-001", day.Add(72*time.Hour))
			a.OwnerDepartment, a.BranchOffice = complaint.DepartmentBranchOffice, "east-office"
			register(a)
			bb := newFollowup("b", complaint.FollowupPostCloseCall, "C-002", day)
			bb.ComplaintID, bb.Owner = "k1", "u7"
			register(bb)
			c := newFollowup("c", complaint.FollowupPostCloseCall, "C-001", day) // the same due time as b
			register(c)
			c = done(c, day)
			c.RaisedComplaintID = "k1"
			require.NoError(t, s.ApplyFollowupEvent(ctx, c, followupEvent(2, complaint.EventFollowupDone, day, "")))
			d := newFollowup("d", complaint.FollowupAnnualSurvey, "C-002", day.Add(24*time.Hour))
			register(d)
			d.Overdue = true
			require.NoError(t, s.ApplyFollowupEvent(ctx, d, followupEvent(2, complaint.EventFollowupOverdue, d.DueAt, "")))

			ids := func(f store.FollowupFilter) []string {
				page, err := s.ListFollowups(ctx, f)
				require.NoError(t, err)
				out := []string{}
				for _, f := range page.Followups {
					out = append(out, f.ID)
				}
				return out
			}
			yes, no := true, false
			from, to := day.Add(time.Hour), day.Add(72*time.Hour)
			for name, tc := range map[string]struct {
				f    store.FollowupFilter
				want []string
			}{
				"all, soonest first then by id": {store.FollowupFilter{}, []string{"b", "c", "d", "a"}},
				"kind":                          {store.FollowupFilter{Kind: complaint.FollowupPostCloseCall}, []string{"b", "c"}},
				"owner":                         {store.FollowupFilter{Owner: "u7"}, []string{"b"}},
				"owner department": {store.FollowupFilter{OwnerDepartment: complaint.DepartmentBranchOffice},
					[]string{"a"}},
				"stage":       {store.FollowupFilter{Stage: complaint.FollowupDone}, []string{"c"}},
				"customer":    {store.FollowupFilter{CustomerID: "C-002"}, []string{"b", "d"}},
				"complaint":   {store.FollowupFilter{ComplaintID: "k1"}, []string{"b", "c"}},
				"overdue":     {store.FollowupFilter{Overdue: &yes}, []string{"d"}},
				"not overdue": {store.FollowupFilter{Overdue: &no}, []string{"b", "c", "a"}},
				"due from":    {store.FollowupFilter{DueFrom: &from}, []string{"d", "a"}},
				"due to":      {store.FollowupFilter{DueTo: &to}, []string{"b", "c", "d"}},
				"due range":   {store.FollowupFilter{DueFrom: &from, DueTo: &to}, []string{"d"}},
				"due from, inclusive": {store.FollowupFilter{DueFrom: &day, Kind: complaint.FollowupPostCloseCall},
					[]string{"b", "c"}},
				"nothing": {store.FollowupFilter{Kind: complaint.FollowupRecoveryCall}, []string{}},
			} {
				require.Equal(t, tc.want, ids(tc.f), name)
			}

			var paged []string
			cur := ""
			for range 3 {
				page, err := s.ListFollowups(ctx, store.FollowupFilter{Limit: 2, Cursor: cur})
				require.NoError(t, err)
				for _, f := range page.Followups {
					paged = append(paged, f.ID)
				}
				if cur = page.NextCursor; cur == "" {
					break
				}
			}
			require.Equal(t, []string{"b", "c", "d", "a"}, paged)
			page, err := s.ListFollowups(ctx, store.FollowupFilter{Limit: 1, Stage: complaint.FollowupOpen})
			require.NoError(t, err)
			require.Equal(t, "b", page.Followups[0].ID)
			page, err = s.ListFollowups(ctx, store.FollowupFilter{Limit: 1, Stage: complaint.FollowupOpen,
				Cursor: page.NextCursor})
			require.NoError(t, err)
			require.Equal(t, "d", page.Followups[0].ID, "paging keeps the filter")
			_, err = s.ListFollowups(ctx, store.FollowupFilter{Cursor: "junk"})
			require.ErrorIs(t, err, store.ErrBadCursor)

			linked, err := s.FollowupsOfComplaint(ctx, "k1")
			require.NoError(t, err)
			require.Len(t, linked, 2)
			none, err := s.FollowupsOfComplaint(ctx, "k9")
			require.NoError(t, err)
			require.Empty(t, none)
		})
	}
}

// TestFollowupPlanning: what the daily and yearly plans read of the
// archive, the installed base, the cases and the visits done.
func TestFollowupPlanning(t *testing.T) {
	for _, b := range storetest.Backends(t) {
		t.Run(b.Name, func(t *testing.T) {
			s := openStore(t, b)
			ctx := t.Context()
			for _, c := range []store.Customer{
				archiveCustomer("C-001", "宁波眼科医院", "east", true, archive.Contact{Name: "赵磊", Phone: "1"},
					archive.Contact{Name: "Li Na", Email: "li.na@nbyk.example"}, archive.Contact{Name: "X", Email: "x@e"}),
				archiveCustomer("C-002", "Hangzhou Central", "", false, archive.Contact{Name: "Wu"}),
				archiveCustomer("C-003", "Retired Co", "west", false),
				archiveCustomer("C-004", "Complaining Co", "north", true),
			} {
				_, err := s.CreateCustomer(ctx, c)
				require.NoError(t, err)
			}
			for _, e := range []struct{ serial, customer, delivered, status string }{
				{"SN-1", "C-001", "2026-03-01", complaint.EquipmentInService},
				{"SN-2", "C-002", "2026-03-02", complaint.EquipmentUnderRepair},
				{"SN-3", "C-003", "2026-03-03", complaint.EquipmentScrapped},
				{"SN-4", "C-003", "", complaint.EquipmentScrapped},
				{"SN-5", "C-002", "2026-02-28", complaint.EquipmentOnLoanReplacement},
			} {
				_, err := s.PutEquipment(ctx, store.Equipment{Serial: e.serial, EquipmentBody: archive.EquipmentBody{
					CustomerID: e.customer, Model: "P-100", DeliveredOn: e.delivered, Status: e.status}}, false)
				require.NoError(t, err)
			}

			deliveries, err := s.DeliveredBetween(ctx, "2026-03-01", "2026-03-03")
			require.NoError(t, err)
			require.Equal(t, []followup.Delivery{
				{Serial: "SN-1", CustomerID: "C-001", BranchOffice: "east-office", DeliveredOn: "2026-03-01"},
				{Serial: "SN-2", CustomerID: "C-002", BranchOffice: "-office", DeliveredOn: "2026-03-02"},
			}, deliveries, "from is in, to is out")
			deliveries, err = s.DeliveredBetween(ctx, "", "2026-03-01")
			require.NoError(t, err)
			require.Len(t, deliveries, 1, "an unknown delivery day is never delivered")

			since := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
			old := newCase("k-old", since.Add(-time.Hour)) // received two hours before since
			old.CustomerID = "C-003"
			_, err = s.RegisterCase(ctx, old, registeredEvent(old.RegisteredAt))
			require.NoError(t, err)
			recent := newCase("k-new", since.Add(time.Hour)) // received at since
			recent.CustomerID = "C-004"
			_, err = s.RegisterCase(ctx, recent, registeredEvent(recent.RegisteredAt))
			require.NoError(t, err)
			active, err := s.ActiveCustomers(ctx, since)
			require.NoError(t, err)
			require.Equal(t, []followup.Customer{
				{ID: "C-001", KeyCustomer: true, BranchOffice: "east-office"},
				{ID: "C-002", BranchOffice: "-office"},
				{ID: "C-004", KeyCustomer: true, BranchOffice: "north-office"},
			}, active, "scrapped equipment and an old complaint do not make a customer active")

			visit := func(id, customer string, doneAt time.Time, finish bool) {
				f := newFollowup(id, complaint.FollowupKeyCustomerVisit, customer, doneAt)
				require.NoError(t, s.RegisterFollowup(ctx, f, followupEvent(1, complaint.EventFollowupOpened, f.OpenedAt, "")))
				if finish {
					require.NoError(t, s.ApplyFollowupEvent(ctx, done(f, doneAt),
						followupEvent(2, complaint.EventFollowupDone, doneAt, "")))
				}
			}
			visit("v1", "C-001", since.AddDate(0, 2, 0), true)
			visit("v2", "C-001", since.AddDate(0, 5, 0), true)
			visit("v3", "C-004", since.Add(-time.Second), true) // before since
			visit("v4", "C-004", since.AddDate(0, 3, 0), false) // not done
			call := newFollowup("call", complaint.FollowupPostCloseCall, "C-004", since.AddDate(0, 4, 0))
			require.NoError(t, s.RegisterFollowup(ctx, call, followupEvent(1, complaint.EventFollowupOpened, call.OpenedAt, "")))
			require.NoError(t, s.ApplyFollowupEvent(ctx, done(call, call.DueAt),
				followupEvent(2, complaint.EventFollowupDone, call.DueAt, "")))
			last, err := s.LastVisits(ctx, since)
			require.NoError(t, err)
			require.Len(t, last, 1, "only done visits at or after since")
			require.True(t, since.AddDate(0, 5, 0).Equal(last["C-001"]), "the latest: %v", last["C-001"])

			for customer, want := range map[string]string{"C-001": "li.na@nbyk.example", "C-002": "", "C-404": ""} {
				email, err := s.CustomerEmail(ctx, customer)
				require.NoError(t, err)
				require.Equal(t, want, email, customer)
			}
		})
	}
}

// TestSurveys: a link is found by its hash until a resend replaces it; the
// monthly figures read the surveys answered in the month and no others.
func TestSurveys(t *testing.T) {
	for _, b := range storetest.Backends(t) {
		t.Run(b.Name, func(t *testing.T) {
			s := openStore(t, b)
			ctx := t.Context()
			month := time.Date(2026, 7, 1, 0, 0, 0, 0, time.UTC)
			answer := func(id, complaintID string, at time.Time, satisfaction int, recommend *int) {
				f := newFollowup(id, complaint.FollowupPostCloseCall, "C-001", at.Add(-time.Hour))
				f.ComplaintID = complaintID
				require.NoError(t, s.RegisterFollowup(ctx, f, followupEvent(1, complaint.EventFollowupOpened, f.OpenedAt, "")))
				f = done(f, f.OpenedAt)
				f.Survey = &complaint.Survey{State: complaint.SurveySent}
				require.NoError(t, s.ApplyFollowupEvent(ctx, f, followupEvent(2, complaint.EventSurveySent, f.OpenedAt, "")))
				if satisfaction == 0 {
					return
				}
				f.Survey = &complaint.Survey{State: complaint.SurveyAnswered, AnsweredAt: &at,
					Answer: &complaint.SurveyAnswerBody{Satisfaction: satisfaction, WouldRecommend: recommend}}
				require.NoError(t, s.ApplyFollowupEvent(ctx, f, followupEvent(3, complaint.EventSurveyAnswered, at, "")))
			}
			nine, zero := 9, 0
			answer("s1", "k1", month, 4, &nine)                                  // the first instant of the month
			answer("s2", "", month.AddDate(0, 1, 0).Add(-time.Second), 2, &zero) // its last second
			answer("s3", "k3", month.AddDate(0, 1, 0), 5, &nine)                 // the next month
			answer("s4", "k4", month.Add(-time.Second), 5, &nine)                // the month before
			answer("s5", "k5", month.Add(time.Hour), 0, nil)                     // sent, not answered

			answers, err := s.SurveyAnswers(ctx, month, month.AddDate(0, 1, 0))
			require.NoError(t, err)
			require.Len(t, answers, 2)
			require.Equal(t, store.SurveyAnswer{FollowupID: "s1", Kind: complaint.FollowupPostCloseCall, ComplaintID: "k1",
				CustomerID: "C-001", Satisfaction: 4, WouldRecommend: 9, AnsweredAt: month}, answers[0])
			require.Equal(t, "s2", answers[1].FollowupID)
			require.Equal(t, 2, answers[1].Satisfaction)
			require.Zero(t, answers[1].WouldRecommend)

			expires := month.AddDate(0, 0, 30)
			require.NoError(t, s.PutSurveyLink(ctx, "s5", "hash-1", expires, month))
			link, err := s.SurveyLinkByHash(ctx, "hash-1")
			require.NoError(t, err)
			require.Equal(t, "s5", link.FollowupID)
			require.True(t, expires.Equal(link.ExpiresAt))
			require.Equal(t, "k5", link.Followup.ComplaintID)
			require.Equal(t, complaint.SurveySent, link.Followup.Survey.State)

			later := expires.AddDate(0, 0, 1)
			require.NoError(t, s.PutSurveyLink(ctx, "s5", "hash-2", later, month.Add(time.Hour)))
			_, err = s.SurveyLinkByHash(ctx, "hash-1")
			require.ErrorIs(t, err, store.ErrNotFound, "a resend replaces the link")
			link, err = s.SurveyLinkByHash(ctx, "hash-2")
			require.NoError(t, err)
			require.True(t, later.Equal(link.ExpiresAt))
			_, err = s.SurveyLinkByHash(ctx, "unknown")
			require.ErrorIs(t, err, store.ErrNotFound)
		})
	}
}
