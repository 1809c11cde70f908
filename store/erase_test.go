package store_test

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/caseflow/caseflow/archive"
	"github.com/caseflow/caseflow/complaint"
	"github.com/caseflow/caseflow/complaint/rules"
	"github.com/caseflow/caseflow/review"
	"github.com/caseflow/caseflow/store"
	"github.com/caseflow/caseflow/store/storetest"
)

var (
	eraseAgent  = complaint.Actor{UserID: "u-agent", Name: "Agent Qian", Department: "after_sales", Roles: []string{"agent"}}
	eraseMonth  = "2026-03"
	eraseNow    = time.Date(2026, 4, 2, 9, 0, 0, 0, time.UTC)
	eraseZone   = mustZone(complaint.DefaultTimeZone)
	erasedAt    = time.Date(2026, 6, 1, 9, 0, 0, 0, time.UTC)
	eraseReason = "the customer asked to be forgotten"
)

func mustZone(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return loc
}

// seeded is a customer with a closed case, its events, a service record
// with a signature, a dispatch notification, a loan, a stock movement, a
// done follow-up with an answered survey, answered feedback and a
// completed RMA: every place the store keeps a customer's personal data.
// Every personal string holds the token who.
type seeded struct {
	customer, caseID string
	workflows        []string
}

func seedCustomer(t *testing.T, s *store.Store, customerID, who string) seeded {
	t.Helper()
	ctx := t.Context()
	low := strings.ToLower(customerID) // ids never hold who
	sd := seeded{customer: customerID, caseID: "case-" + low}
	_, err := s.PutCustomer(ctx, store.Customer{ID: customerID, CustomerBody: archive.CustomerBody{
		Name: who + " Clinic", SLAPolicy: "standard", Region: "east", BranchOffice: "Ningbo", Class: "A",
		Contacts: []archive.Contact{{Name: who + " Lan", Phone: "+86-" + who + "-7777", Email: strings.ToLower(who) + "@clinic.example",
			Title: "Ward sister " + who}},
		Sites: []archive.Site{{ID: "S-1", Name: who + " Ward Building", Address: "88 " + who + " Road"}}}})
	require.NoError(t, err)

	received := time.Date(2026, 3, 10, 2, 0, 0, 0, time.UTC)
	stopped := func(d time.Duration) complaint.Clock {
		return complaint.Clock{State: complaint.ClockMet, StoppedAt: new(received.Add(d))}
	}
	c := complaint.Case{ID: sd.caseID, Stage: complaint.StageConfirm,
		Register: complaint.Register{CustomerID: customerID, CustomerName: who + " Clinic", ContactName: who + " Lan",
			ContactPhone: "+86-" + who + "-7777", Channel: complaint.ChannelPhone,
			Description: "the pump sparks near the bed of " + who, CustomerDemand: who + " wants a new pump",
			Category: complaint.CategoryQuality, Severity: complaint.SeveritySevere, PartNumber: "P-" + customerID,
			EquipmentSerial: "SN-" + customerID},
		ReceivedAt: received, RegisteredAt: received.Add(time.Minute), RegisteredBy: eraseAgent,
		Customer: &complaint.CaseCustomer{Name: who + " Clinic", Region: "east", BranchOffice: "Ningbo"},
		Site:     &complaint.CaseSite{ID: "S-1", Name: who + " Ward Building", Address: "88 " + who + " Road"}}
	registered, err := json.Marshal(c.Register)
	require.NoError(t, err)
	number, err := s.RegisterCase(ctx, c, complaint.Event{Seq: 1, Kind: complaint.EventRegistered, Actor: eraseAgent,
		Payload: registered, OccurredAt: c.RegisteredAt})
	require.NoError(t, err)
	c.CaseNumber = number

	signature, err := s.PutSignature(ctx, []byte("PNG signature of "+who))
	require.NoError(t, err)
	record, err := s.ServiceRecordNumber(ctx, c.ID, "V1", 2026)
	require.NoError(t, err)
	at := received.Add(48 * time.Hour)
	c.Stage, c.AllowedSteps = complaint.StageClosed, []string{}
	c.Contacts = []complaint.Contact{{Note: "called " + who + " at home", Actor: eraseAgent, At: at}}
	c.Analysis = &complaint.Analysis{AnalysisBody: complaint.AnalysisBody{RootCause: "worn seal",
		ResponsibleDepartment: complaint.DepartmentProduction, Liability: complaint.LiabilityCompany},
		Actor: eraseAgent, At: at}
	c.ResponsibleDepartment = complaint.DepartmentProduction
	c.Clocks = &complaint.Clocks{Response: stopped(time.Hour), Onsite: stopped(20 * time.Hour),
		Resolution: stopped(47 * time.Hour)}
	c.Visits = []complaint.Visit{{ID: "V1", State: complaint.VisitRecorded, Engineers: []string{"u-eng"},
		PlannedAt: at, PlannedBy: eraseAgent, WorkDone: "fixed the pump of " + who, Findings: who + " dropped it",
		Records: []complaint.ServiceRecord{{Number: record, Version: 1, SignatureSHA256: signature,
			SignOff: complaint.SignOff{Visit: "V1", SignerName: who + " Lan", SignerTitle: "Ward sister " + who,
				Opinion: complaint.OpinionSatisfied, Comment: who + " is happy", SignedAt: at.Format(time.RFC3339)},
			FiledBy: eraseAgent, FiledAt: at}}}}
	c.Closure = &complaint.Closure{Outcome: complaint.OutcomeResolved, CustomerConfirmed: true, Satisfaction: new(4),
		Note: who + " thanked us", Actor: eraseAgent, At: at}
	require.NoError(t, s.ApplyEvents(ctx, c, []complaint.Event{
		{Seq: 2, Kind: complaint.EventContacted, Actor: eraseAgent,
			Payload: json.RawMessage(`{"note":"called ` + who + ` at home"}`), OccurredAt: at},
		{Seq: 3, Kind: complaint.EventClosed, Actor: eraseAgent,
			Payload:    json.RawMessage(`{"customer_confirmed":true,"satisfaction":4,"note":"` + who + ` thanked us"}`),
			OccurredAt: at},
	}))
	require.NoError(t, s.RecordNotifications(ctx, []complaint.Notification{{ID: "n-" + low, ComplaintID: c.ID,
		CaseNumber: number, Kind: complaint.NotificationDispatch, Level: 1, Recipient: "u-eng", Name: "Engineer Wu",
		Email: "wu@company.example", Facts: rules.DispatchFacts(c), Subject: "Dispatch to " + who + " Clinic",
		Text: "Go and see " + who + " Lan", DueAt: at, CreatedAt: at}}))

	// A backup unit lent to the case and back, and a part received for it.
	backupModel(t, s, "BK-"+customerID, "main", "U-"+customerID)
	_, err = s.LendUnit(ctx, lending(c.ID+"-L1", "U-"+customerID, ""))
	require.NoError(t, err)
	_, err = s.ReturnLoan(ctx, c.ID+"-L1", complaint.UnitBackToStock, "kept by "+who+" for a week", engineer, at)
	require.NoError(t, err)
	_, err = s.CreateStockItem(ctx, stockItem("P-"+customerID, "main", 0))
	require.NoError(t, err)
	m := movement("P-"+customerID, complaint.MovementReceive, 5)
	m.Body.Reference = &complaint.MovementReference{Kind: complaint.ReferenceCase, ID: c.ID}
	m.Body.Note = "a seal for the pump of " + who
	_, err = s.ApplyMovement(ctx, m)
	require.NoError(t, err)

	f := complaint.Followup{ID: "fu-" + low, Kind: complaint.FollowupPostCloseCall, Stage: complaint.FollowupOpen,
		CustomerID: customerID, ComplaintID: c.ID, OwnerDepartment: complaint.DepartmentAfterSales, DueAt: at,
		Note: "call " + who + " back", OpenedBy: eraseAgent, OpenedAt: at, UpdatedAt: at, AllowedSteps: []string{}}
	require.NoError(t, s.RegisterFollowup(ctx, f, complaint.Event{Seq: 1, Kind: complaint.EventFollowupOpened,
		Actor: eraseAgent, Payload: json.RawMessage(`{"note":"call ` + who + ` back"}`), OccurredAt: at}))
	answered := at.Add(time.Hour)
	f.Stage = complaint.FollowupDone
	f.Outcome = &complaint.FollowupOutcome{Note: who + " is satisfied", Satisfaction: new(5),
		Report: "a report on " + who, By: eraseAgent, At: at}
	f.Survey = &complaint.Survey{State: complaint.SurveyAnswered, AnsweredAt: &answered,
		Answer: &complaint.SurveyAnswerBody{Satisfaction: 5, WouldRecommend: new(9), Comment: who + " loves it"}}
	require.NoError(t, s.ApplyFollowupEvent(ctx, f, complaint.Event{Seq: 2, Kind: complaint.EventSurveyAnswered,
		Actor: eraseAgent, Payload: json.RawMessage(`{"satisfaction":5,"would_recommend":9,"comment":"` + who + ` loves it"}`),
		OccurredAt: answered}))

	fb := complaint.Feedback{ID: "fb-" + low, Kind: complaint.FeedbackSuggestion, Stage: complaint.FeedbackOpen,
		FromCustomerID: customerID, Text: who + " suggests bigger buttons", RoutedTo: complaint.DepartmentTechnical,
		LoggedBy: eraseAgent, LoggedAt: at, RespondBy: at.Add(72 * time.Hour), UpdatedAt: at,
		AllowedSteps: []string{complaint.FeedbackStepAnswer}}
	fbNumber, err := s.RegisterFeedback(ctx, fb, complaint.Event{Seq: 1, Kind: complaint.EventFeedbackLogged,
		Actor: eraseAgent, Payload: json.RawMessage(`{"text":"` + who + ` suggests bigger buttons"}`), OccurredAt: at})
	require.NoError(t, err)
	fb.Number, fb.Stage, fb.Answer, fb.AnsweredAt = fbNumber.Number, complaint.FeedbackAnswered, "we thanked "+who, &at
	require.NoError(t, s.ApplyFeedbackEvent(ctx, fb, complaint.Event{Seq: 2, Kind: complaint.EventFeedbackAnswered,
		Actor: eraseAgent, Payload: json.RawMessage(`{"answer":"we thanked ` + who + `"}`), OccurredAt: at}))

	r := complaint.RMA{ID: "rma-" + low, Kind: complaint.RMAKindReturn, Stage: complaint.RMARequested,
		CustomerID: customerID, BranchOffice: "Ningbo", ComplaintID: c.ID, PartNumber: "P-" + customerID, Quantity: 1,
		Reason: "returned from the ward of " + who, Warehouse: "main", RequestedBy: eraseAgent, RequestedAt: at,
		UpdatedAt: at, AllowedSteps: []string{}}
	rmaNumber, err := s.RegisterRMA(ctx, r, complaint.Event{Seq: 1, Kind: complaint.EventRMARequested,
		Actor: eraseAgent, Payload: json.RawMessage(`{"reason":"returned from the ward of ` + who + `"}`), OccurredAt: at})
	require.NoError(t, err)
	r.Number, r.Stage = rmaNumber.Number, complaint.RMACompleted
	r.Completion = &complaint.RMACompletion{Disposition: complaint.DispositionReplace, Note: who + " got a new one",
		Actor: eraseAgent, At: at}
	require.NoError(t, s.ApplyRMAEvent(ctx, r, complaint.Event{Seq: 2, Kind: complaint.EventRMACompleted,
		Actor: eraseAgent, Payload: json.RawMessage(`{"disposition":"replace","note":"` + who + ` got a new one"}`),
		OccurredAt: at}))

	sd.workflows = []string{complaint.WorkflowID(c.ID), complaint.FeedbackWorkflowID(fb.ID),
		complaint.FollowupWorkflowID(f.ID), complaint.RMAWorkflowID(r.ID)}
	slices.Sort(sd.workflows)
	return sd
}

// closedCaseOf is a customer with one closed case, answering its id.
func closedCaseOf(t *testing.T, s *store.Store, customerID string) string {
	t.Helper()
	_, err := s.PutCustomer(t.Context(), store.Customer{ID: customerID,
		CustomerBody: archive.CustomerBody{Name: "Keys Ltd", SLAPolicy: "standard"}})
	require.NoError(t, err)
	at := time.Date(2026, 3, 10, 2, 0, 0, 0, time.UTC)
	c := newCase("case-"+strings.ToLower(customerID), at)
	c.CustomerID = customerID
	_, err = s.RegisterCase(t.Context(), c, registeredEvent(at))
	require.NoError(t, err)
	c.Stage = complaint.StageClosed
	require.NoError(t, s.ApplyEvent(t.Context(), c, complaint.Event{Seq: 2, Kind: complaint.EventWithdrawn,
		Actor: eraseAgent, Payload: json.RawMessage(`{"note":"withdrawn"}`), OccurredAt: at}))
	return c.ID
}

// dump reads every cell of every table of the store as text: table →
// its rows, sorted, each row's cells joined by " | ".
func dump(t *testing.T, s *store.Store, backend string) map[string][]string {
	t.Helper()
	ctx := t.Context()
	query := `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`
	if backend == "postgres" {
		query = `SELECT table_name FROM information_schema.tables
			WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name`
	}
	var tables []string
	require.NoError(t, s.DB().SelectContext(ctx, &tables, query))
	out := map[string][]string{}
	for _, table := range tables {
		rows, err := s.DB().QueryxContext(ctx, `SELECT * FROM `+table)
		require.NoError(t, err)
		out[table] = []string{}
		for rows.Next() {
			vals, err := rows.SliceScan()
			require.NoError(t, err)
			cells := make([]string, len(vals))
			for i, v := range vals {
				if b, ok := v.([]byte); ok {
					v = string(b)
				}
				cells[i] = fmt.Sprint(v)
			}
			out[table] = append(out[table], strings.Join(cells, " | "))
		}
		require.NoError(t, rows.Err())
		require.NoError(t, rows.Close())
		slices.Sort(out[table])
	}
	return out
}

// tablesWith lists the tables with a cell holding token, any case.
func tablesWith(d map[string][]string, token string) []string {
	found := []string{}
	for table, rows := range d {
		if slices.ContainsFunc(rows, func(r string) bool {
			return strings.Contains(strings.ToLower(r), strings.ToLower(token))
		}) {
			found = append(found, table)
		}
	}
	slices.Sort(found)
	return found
}

// figures are the month's review as the review computes it from the store.
func figures(t *testing.T, s *store.Store) review.Figures {
	t.Helper()
	f, err := s.MonthFigures(t.Context(), eraseMonth, eraseZone, eraseNow)
	require.NoError(t, err)
	return f
}

// TestEraseCustomer: an erasure leaves none of the customer's personal
// strings in any cell of any table, the month's figures as they were,
// another customer's data untouched, the data keys of all the customer's
// workflows destroyed, and a record and an audit row; a second erasure
// answers the first and changes nothing.
func TestEraseCustomer(t *testing.T) {
	for _, b := range storetest.Backends(t) {
		t.Run(b.Name, func(t *testing.T) {
			s := openStore(t, b)
			ctx := t.Context()
			erased := seedCustomer(t, s, "C-ERASE", "Xiaoli")
			kept := seedCustomer(t, s, "C-KEEP", "Keeper")
			for _, id := range []string{erased.workflows[0], erased.workflows[2], kept.workflows[0]} {
				_, err := s.CreateDataKey(ctx, dataKey(id, "k1", "wrapped-"+id))
				require.NoError(t, err)
			}
			keptCustomer, err := s.GetCustomer(ctx, kept.customer)
			require.NoError(t, err)
			keptCase, err := s.GetCase(ctx, kept.caseID)
			require.NoError(t, err)
			personal := []string{"case_events", "complaints", "customers", "feedback", "feedback_events",
				"followup_events", "followups", "loans", "notifications", "rma_events", "rmas", "service_records",
				"signatures", "stock_movements"}
			before := dump(t, s, b.Name)
			require.Equal(t, personal, tablesWith(before, "Xiaoli"), "the seed reaches every table it should")
			figuresBefore := figures(t, s)
			require.Equal(t, 2, figuresBefore.Cases)

			e, err := s.EraseCustomer(ctx, erased.customer, "u-admin", eraseReason, erasedAt)
			require.NoError(t, err)
			require.Equal(t, store.Erasure{CustomerID: "C-ERASE", ErasedAt: erasedAt, ErasedBy: "u-admin",
				WorkflowIDs: erased.workflows}, e)

			after := dump(t, s, b.Name)
			require.Empty(t, tablesWith(after, "Xiaoli"), "no cell holds the erased customer's data")
			require.Equal(t, personal, tablesWith(after, "Keeper"))
			for table := range before {
				keeper := func(d map[string][]string) []string {
					return slices.DeleteFunc(slices.Clone(d[table]), func(r string) bool { return !strings.Contains(r, "Keeper") })
				}
				require.Equal(t, keeper(before), keeper(after), "%s: the other customer's rows", table)
			}
			require.Equal(t, figuresBefore, figures(t, s), "the month's figures")

			cu, err := s.GetCustomer(ctx, erased.customer)
			require.NoError(t, err)
			marked := store.ErasedMarker
			require.Equal(t, archive.CustomerBody{Name: marked, SLAPolicy: "standard", Region: "east", BranchOffice: "Ningbo",
				Class: "A", Contacts: []archive.Contact{{Name: marked, Phone: marked, Email: marked, Title: marked}},
				Sites: []archive.Site{{ID: "S-1", Name: marked, Address: marked}}}, cu.CustomerBody)
			page, err := s.ListCustomers(ctx, store.CustomerFilter{Q: "xiaoli", Limit: 10})
			require.NoError(t, err)
			require.Empty(t, page.Customers, "the search text is erased too")
			c, err := s.GetCase(ctx, erased.caseID)
			require.NoError(t, err)
			require.Equal(t, []string{marked, marked, marked, marked, marked},
				[]string{c.CustomerName, c.ContactName, c.ContactPhone, c.Description, c.CustomerDemand})
			require.Equal(t, "worn seal", c.Analysis.RootCause, "the review counts root causes")
			require.Equal(t, 4, *c.Closure.Satisfaction)
			require.Equal(t, "Agent Qian", c.RegisteredBy.Name, "employees' names stay")
			rec := c.Visits[0].Records[0]
			require.Equal(t, []string{marked, marked, marked}, []string{rec.SignerName, rec.SignerTitle, rec.Comment})
			png, err := s.GetSignature(ctx, rec.SignatureSHA256)
			require.NoError(t, err)
			require.Empty(t, png, "the image is gone; the record prints none")

			for _, id := range erased.workflows {
				k, err := s.DataKey(ctx, id)
				require.NoError(t, err)
				require.True(t, k.Destroyed(), id)
			}
			k, err := s.DataKey(ctx, kept.workflows[0])
			require.NoError(t, err)
			require.False(t, k.Destroyed())
			var audits []string
			require.NoError(t, s.DB().SelectContext(ctx, &audits, `SELECT actor || ' ' || action || ' ' || subject FROM audit_events`))
			require.Equal(t, []string{"u-admin customer.erased C-ERASE"}, audits)
			got, err := s.CustomerErasure(ctx, erased.customer)
			require.NoError(t, err)
			require.Equal(t, e, got)
			_, err = s.CustomerErasure(ctx, kept.customer)
			require.ErrorIs(t, err, store.ErrNotFound)

			again, err := s.EraseCustomer(ctx, erased.customer, "u-other", "again", erasedAt.Add(time.Hour))
			require.NoError(t, err)
			e.Repeated = true
			require.Equal(t, e, again, "a second erasure answers the first")
			require.Equal(t, after, dump(t, s, b.Name), "and changes nothing")

			cu, err = s.GetCustomer(ctx, kept.customer)
			require.NoError(t, err)
			require.Equal(t, keptCustomer, cu)
			kc, err := s.GetCase(ctx, kept.caseID)
			require.NoError(t, err)
			require.Equal(t, keptCase, kc)
		})
	}
}

// TestEraseRefused: an unknown customer is ErrNotFound; a customer with a
// process still open is refused naming the open workflows, and nothing
// changes.
func TestEraseRefused(t *testing.T) {
	for _, b := range storetest.Backends(t) {
		t.Run(b.Name, func(t *testing.T) {
			s := openStore(t, b)
			ctx := t.Context()
			_, err := s.EraseCustomer(ctx, "C-NONE", "u-admin", eraseReason, erasedAt)
			require.ErrorIs(t, err, store.ErrNotFound)

			seedCustomer(t, s, "C-OPEN", "Opener")
			at := time.Date(2026, 3, 11, 2, 0, 0, 0, time.UTC)
			open := newCase("case-still-open", at)
			open.CustomerID = "C-OPEN"
			_, err = s.RegisterCase(ctx, open, registeredEvent(at))
			require.NoError(t, err)
			f := newFollowup("fu-still-open", complaint.FollowupDeliveryCall, "C-OPEN", at.Add(24*time.Hour))
			require.NoError(t, s.RegisterFollowup(ctx, f, followupEvent(1, complaint.EventFollowupOpened, f.OpenedAt, "")))
			awaiting := newFollowup("fu-awaiting-survey", complaint.FollowupPostCloseCall, "C-OPEN", at.Add(24*time.Hour))
			require.NoError(t, s.RegisterFollowup(ctx, awaiting,
				followupEvent(1, complaint.EventFollowupOpened, awaiting.OpenedAt, "")))
			awaiting = done(awaiting, at)
			awaiting.Survey = &complaint.Survey{State: complaint.SurveySent}
			require.NoError(t, s.ApplyFollowupEvent(ctx, awaiting, followupEvent(2, complaint.EventSurveySent, at, "")))
			before := dump(t, s, b.Name)

			_, err = s.EraseCustomer(ctx, "C-OPEN", "u-admin", eraseReason, erasedAt)
			var refused *store.OpenProcessesError
			require.ErrorAs(t, err, &refused)
			require.Equal(t, []string{"complaint-case-still-open", "followup-fu-awaiting-survey", "followup-fu-still-open"},
				refused.WorkflowIDs)
			require.Equal(t, before, dump(t, s, b.Name), "a refused erasure changes nothing")
			_, err = s.CustomerErasure(ctx, "C-OPEN")
			require.ErrorIs(t, err, store.ErrNotFound)
		})
	}
}
