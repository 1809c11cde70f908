package console

import (
	"net/url"

	"github.com/caseflow/caseflow/auth"
	"github.com/caseflow/caseflow/complaint"
)

// The corrective actions of a case on its page: those opened from it (the
// case's JSON names them with their stage as last reported), the earlier
// cases it repeats, and for quality the link opening one for it.

// caseCapasView links a case's actions, its recurrences and, for who may
// open an action, the opening form filled in for the case.
type caseCapasView struct {
	Capas              []complaint.CaseCapa
	RecurrenceOf       []string
	ListHref, OpenHref string
}

// caseCapas is nil for who may not read the actions, and when the case has
// none, repeats no case and the user may not open one.
func caseCapas(cs complaint.Case, p auth.Principal) *caseCapasView {
	if auth.Authorize(p, auth.ReadCapas) != nil {
		return nil
	}
	q := url.Values{"complaint_id": {cs.ID}}
	v := &caseCapasView{Capas: cs.Capas, RecurrenceOf: cs.RecurrenceOf, ListHref: capasPath + "?" + q.Encode()}
	if auth.Authorize(p, auth.OpenCapa) == nil {
		q.Set("open", "1")
		v.OpenHref = capasPath + "?" + q.Encode() + "#open"
	}
	if len(v.Capas) == 0 && len(v.RecurrenceOf) == 0 && v.OpenHref == "" {
		return nil
	}
	return v
}
