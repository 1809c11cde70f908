package followup

import (
	"fmt"
	"strconv"
	"time"

	"github.com/caseflow/caseflow/complaint"
)

// Plan is a follow-up the system owes: its id (from what it is about, so
// that planning twice opens it once), its body, and when it appears on the
// owner's list (its workflow waits until then).
type Plan struct {
	ID       string                     `json:"id"`
	Body     complaint.FollowupOpenBody `json:"body"`
	AppearAt time.Time                  `json:"appear_at"`
	// SourceID is the follow-up whose low survey score opened this one.
	SourceID string `json:"source_id,omitempty"`
}

// ClosedCase is what a post-close call needs of the case that closed.
type ClosedCase struct {
	ComplaintID  string    `json:"complaint_id"`
	CustomerID   string    `json:"customer_id"`
	Serial       string    `json:"serial,omitempty"`
	BranchOffice string    `json:"branch_office,omitempty"`
	ClosedAt     time.Time `json:"closed_at"`
	// Closing counts the case's closes, should a closed case ever close
	// again; 1 for the first.
	Closing int `json:"closing"`
}

// PostCloseCall is the call after a case closes [1.(2).F]: after-sales
// calls PostCloseAfter later and has CallWindow for it.
func PostCloseCall(c ClosedCase, p Policy) Plan {
	appear := c.ClosedAt.Add(p.PostCloseAfter)
	return Plan{ID: PostCloseID(c.ComplaintID, c.Closing), AppearAt: appear,
		Body: complaint.FollowupOpenBody{Kind: complaint.FollowupPostCloseCall, CustomerID: c.CustomerID,
			Serial: c.Serial, ComplaintID: c.ComplaintID, OwnerDepartment: complaint.DepartmentAfterSales,
			DueAt: appear.Add(p.CallWindow).UTC()}}
}

// PostCloseID is the id of the call after a case's closing-th close.
func PostCloseID(complaintID string, closing int) string {
	return "postclose-" + complaintID + "-" + strconv.Itoa(max(closing, 1))
}

// RecoveryCall is the call a low survey score opens: after-sales calls the
// unhappy customer within RecoveryWithin.
func RecoveryCall(f complaint.Followup, now time.Time, p Policy) Plan {
	return Plan{ID: "recovery-" + f.ID, AppearAt: now, SourceID: f.ID,
		Body: complaint.FollowupOpenBody{Kind: complaint.FollowupRecoveryCall, CustomerID: f.CustomerID,
			Serial: f.Serial, ComplaintID: f.ComplaintID, OwnerDepartment: complaint.DepartmentAfterSales,
			DueAt: now.Add(p.RecoveryWithin).UTC(), Note: "the customer answered the survey with a low satisfaction"}}
}

// Delivery is a piece of equipment as the installed base knows its delivery.
type Delivery struct {
	Serial       string `json:"serial"`
	CustomerID   string `json:"customer_id"`
	BranchOffice string `json:"branch_office,omitempty"`
	DeliveredOn  string `json:"delivered_on"` // YYYY-MM-DD
}

// CatchUp is how far back the daily plan still opens a delivery call whose
// day passed (a worker down for days, equipment entered late); older
// deliveries are not called any more.
const CatchUp = 7 * day

// DeliveryWindow is the range of delivery dates whose calls the daily run
// at now opens: those appearing from CatchUp ago until the end of today,
// in the company's zone.
func DeliveryWindow(now time.Time, loc *time.Location, p Policy) (from, to string) {
	today := startOfDay(now, loc)
	end := today.AddDate(0, 0, 1)
	return today.Add(-CatchUp - p.DeliveryCallAfter).Format(time.DateOnly),
		end.Add(-p.DeliveryCallAfter).Format(time.DateOnly)
}

// DeliveryCalls are the calls after delivery [1.(1).G] the daily run at now
// opens: one per serial, appearing DeliveryCallAfter after the start of
// its delivery day in the company's zone, if that falls within the
// catch-up window or today.
func DeliveryCalls(deliveries []Delivery, now time.Time, loc *time.Location, p Policy) []Plan {
	today := startOfDay(now, loc)
	var out []Plan
	for _, d := range deliveries {
		day, err := time.ParseInLocation(time.DateOnly, d.DeliveredOn, loc)
		if err != nil {
			continue
		}
		appear := day.Add(p.DeliveryCallAfter)
		if appear.Before(today.Add(-CatchUp)) || !appear.Before(today.AddDate(0, 0, 1)) {
			continue
		}
		out = append(out, Plan{ID: "delivery-" + d.Serial, AppearAt: appear.UTC(),
			Body: complaint.FollowupOpenBody{Kind: complaint.FollowupDeliveryCall, CustomerID: d.CustomerID,
				Serial: d.Serial, BranchOffice: d.BranchOffice, OwnerDepartment: owner(d.BranchOffice),
				DueAt: appear.Add(p.CallWindow).UTC()}})
	}
	return out
}

// Customer is a customer as the yearly plan sees it.
type Customer struct {
	ID           string `json:"id"`
	KeyCustomer  bool   `json:"key_customer"`
	BranchOffice string `json:"branch_office,omitempty"`
}

// YearPlans are the yearly follow-ups of year, planned at now: a survey for
// every active customer [1.(2).E, 2.(4).e], and a visit to every key
// customer with none done since a year before now [2.(5).1] (lastVisit:
// the latest done visit per customer).
func YearPlans(year int, customers []Customer, lastVisit map[string]time.Time, now time.Time, p Policy) []Plan {
	var out []Plan
	for _, c := range customers {
		out = append(out, Plan{ID: fmt.Sprintf("survey-%s-%d", c.ID, year), AppearAt: now.UTC(),
			Body: complaint.FollowupOpenBody{Kind: complaint.FollowupAnnualSurvey, CustomerID: c.ID,
				BranchOffice: c.BranchOffice, OwnerDepartment: owner(c.BranchOffice),
				DueAt: now.Add(p.SurveyWindow).UTC()}})
		if !c.KeyCustomer {
			continue
		}
		if last, ok := lastVisit[c.ID]; ok && last.After(now.AddDate(-1, 0, 0)) {
			continue
		}
		out = append(out, Plan{ID: fmt.Sprintf("visit-%s-%d", c.ID, year), AppearAt: now.UTC(),
			Body: complaint.FollowupOpenBody{Kind: complaint.FollowupKeyCustomerVisit, CustomerID: c.ID,
				BranchOffice: c.BranchOffice, OwnerDepartment: owner(c.BranchOffice),
				DueAt: now.Add(p.VisitWindow).UTC()}})
	}
	return out
}

// owner is the department that calls a customer: its branch office, or
// after-sales for a customer without one.
func owner(branchOffice string) string {
	if branchOffice != "" {
		return complaint.DepartmentBranchOffice
	}
	return complaint.DepartmentAfterSales
}

func startOfDay(t time.Time, loc *time.Location) time.Time {
	y, m, d := t.In(loc).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, loc)
}
