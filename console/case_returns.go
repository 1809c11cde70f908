package console

import (
	"net/url"

	"github.com/caseflow/caseflow/auth"
	"github.com/caseflow/caseflow/complaint"
)

// The returns and exchanges linked to a case on its page. The case's JSON
// does not name them; its timeline does (GET /complaints/{id}/timeline
// merges in their events, each naming its RMA), and every RMA has its
// request there.

// caseReturnsView links a case's RMAs, their list and, for who may
// request one, the request form filled in for the case.
type caseReturnsView struct {
	RMAs                  []complaint.RMARef
	ListHref, RequestHref string
}

// caseReturns is nil for who may not read the returns, and when the case
// has none and the user may not request one.
func caseReturns(cs complaint.Case, events []complaint.Event, p auth.Principal) *caseReturnsView {
	if auth.Authorize(p, auth.ReadReturns) != nil {
		return nil
	}
	v := &caseReturnsView{}
	seen := map[string]bool{}
	for _, ev := range events {
		if ev.RMA != nil && !seen[ev.RMA.ID] {
			seen[ev.RMA.ID] = true
			v.RMAs = append(v.RMAs, *ev.RMA)
		}
	}
	q := url.Values{"complaint_id": {cs.ID}}
	v.ListHref = returnsPath + "?" + q.Encode()
	if auth.Authorize(p, auth.RequestReturn) == nil {
		if cs.CustomerID != "" {
			q.Set("customer_id", cs.CustomerID)
		}
		q.Set("request", "1")
		v.RequestHref = returnsPath + "?" + q.Encode() + "#request"
	}
	if len(v.RMAs) == 0 && v.RequestHref == "" {
		return nil
	}
	return v
}
