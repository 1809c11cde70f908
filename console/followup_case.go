package console

import (
	"net/url"
	"time"

	"github.com/caseflow/caseflow/auth"
	"github.com/caseflow/caseflow/complaint"
)

// The follow-ups of a case on its page: those about the case (its
// post-close call) and the one whose findings raised it, as the case's
// JSON names them (`followups`), and for the desks the link opening one
// for the case's customer and equipment.

// caseFollowupRow is a follow-up of a case; Raised marks the one whose
// findings raised the case.
type caseFollowupRow struct {
	complaint.CaseFollowup
	Href    string
	Overdue bool
	Raised  bool
}

type caseFollowupsView struct {
	Followups          []caseFollowupRow
	ListHref, OpenHref string
}

// caseFollowups is nil for who may not read follow-ups, and when the case
// has none and the user may not open one.
func caseFollowups(cs complaint.Case, p auth.Principal, now time.Time) *caseFollowupsView {
	if !authorized(p, auth.ReadFollowups) {
		return nil
	}
	v := &caseFollowupsView{ListHref: followupsPath + "?" + url.Values{"complaint_id": {cs.ID}}.Encode()}
	for _, f := range cs.Followups {
		v.Followups = append(v.Followups, caseFollowupRow{CaseFollowup: f, Href: followupPath(f.ID),
			Overdue: f.Stage == complaint.FollowupOpen && (f.Overdue || !now.Before(f.DueAt)),
			Raised:  f.RaisedComplaintID == cs.ID && f.ComplaintID != cs.ID})
	}
	if authorized(p, auth.OpenFollowup) {
		v.OpenHref = followupNewPath(url.Values{"complaint_id": {cs.ID}, "customer_id": {cs.Register.CustomerID},
			"serial": {cs.Register.EquipmentSerial}})
	}
	if len(v.Followups) == 0 && v.OpenHref == "" {
		return nil
	}
	return v
}
