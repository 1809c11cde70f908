package console

import (
	"cmp"
	"net/http"
	"net/url"
	"time"

	"github.com/caseflow/caseflow/auth"
	"github.com/caseflow/caseflow/complaint"
	"github.com/caseflow/caseflow/store"
)

// The returns list [1.(1).F]: the returns and exchanges (RMAs), newest
// first, filtered as the API's GET /returns allows (stage, branch office,
// complaint, customer), and for who may request one, the request form
// (return_request.go).

// returnsPath is the returns list.
const returnsPath = "/console/returns"

// returnPath is an RMA's page.
func returnPath(id string) string { return returnsPath + "/" + url.PathEscape(id) }

// returnAPIPath is an RMA in the API.
func returnAPIPath(id string) string { return "/api/v1/returns/" + url.PathEscape(id) }

// returnRow is an RMA as the list shows it.
type returnRow struct {
	complaint.RMA
	Href, CaseHref string
	// Overdue: approved goods not received by their due time.
	Overdue bool
}

func returnRowOf(rm complaint.RMA, now time.Time) returnRow {
	row := returnRow{RMA: rm, Href: returnPath(rm.ID), Overdue: receiptOverdue(rm, now)}
	if rm.ComplaintID != "" {
		row.CaseHref = "/console/cases/" + url.PathEscape(rm.ComplaintID)
	}
	return row
}

// receiptOverdue reports whether an RMA's approved goods are overdue now:
// its reminder went out, or its due time has passed since.
func receiptOverdue(rm complaint.RMA, now time.Time) bool {
	return rm.Stage == complaint.RMAApproved && rm.ReceiptDueAt != nil &&
		(rm.ReceiptOverdue || !now.Before(*rm.ReceiptDueAt))
}

type returnsData struct {
	Stage, BranchOffice, ComplaintID, CustomerID string
	Stages                                       []option
	Returns                                      []returnRow
	NextHref                                     string
	// Request is the form requesting an RMA, for who may; RequestOpen
	// shows it unfolded (asked for, or refused).
	Request     *form
	RequestOpen bool
}

func (c *Console) returns(r *request) { c.showReturns(r, http.StatusOK, nil) }

// showReturns draws the list; failed, when set, is a refused request whose
// form shows again with its problems.
func (c *Console) showReturns(r *request, status int, failed *retry) {
	d := returnsData{Stage: r.Query("stage"), BranchOffice: r.Query("branch_office"),
		ComplaintID: r.Query("complaint_id"), CustomerID: r.Query("customer_id")}
	for _, s := range complaint.RMAStages() {
		d.Stages = append(d.Stages, option{Value: s, Label: r.lang.Enum("rma_stage", s), Selected: s == d.Stage})
	}
	q := url.Values{"limit": {"50"}}
	for name, v := range map[string]string{"stage": d.Stage, "branch_office": d.BranchOffice,
		"complaint_id": d.ComplaintID, "customer_id": d.CustomerID, "cursor": r.Query("cursor")} {
		if v != "" {
			q.Set(name, v)
		}
	}
	var page store.RMAPage
	if err := r.call(http.MethodGet, "/api/v1/returns?"+q.Encode(), nil, "", &page); err != nil {
		r.failCall(err)
		return
	}
	now := c.now()
	for _, rm := range page.RMAs {
		d.Returns = append(d.Returns, returnRowOf(rm, now))
	}
	if page.NextCursor != "" {
		next := r.Request.URL.Query()
		next.Set("cursor", page.NextCursor)
		d.NextHref = returnsPath + "?" + next.Encode()
	}
	if auth.Authorize(r.session.principal, auth.RequestReturn) == nil {
		f := returnRequestForm(r, d.ComplaintID, d.CustomerID)
		failed.apply(r.lang, &f)
		d.Request = &f
		d.RequestOpen = failed != nil || r.Query("request") == "1"
	}
	r.render(status, "returns", "returns.title", d)
}

const warehousesKey = "console.warehouses"

// fitWarehouse makes a warehouse control a choice of the warehouses, its
// value chosen; it stays a text box when the API refused the read (read
// once a request).
func (r *request) fitWarehouse(fd *field) {
	var ws []store.Warehouse
	if v, ok := r.Get(warehousesKey); ok {
		ws, _ = v.([]store.Warehouse)
	} else {
		var out struct {
			Warehouses []store.Warehouse `json:"warehouses"`
		}
		if r.call(http.MethodGet, "/api/v1/stock/warehouses", nil, "", &out) == nil {
			ws = out.Warehouses
		}
		r.Set(warehousesKey, ws)
	}
	if len(ws) == 0 {
		return
	}
	fd.Control, fd.Options = controlSelect, nil
	for _, w := range ws {
		fd.Options = append(fd.Options, option{Value: w.ID, Label: cmp.Or(w.Name, w.ID) + " (" + w.ID + ")",
			Selected: w.ID == fd.Value})
	}
}
