package server

import (
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/caseflow/caseflow/complaint"
	"github.com/caseflow/caseflow/store"
)

// listComplaints answers a page of cases from the store, filtered by the
// query parameters stage, category, severity, customer_id,
// responsible_department, region, branch_office, key_customer, warranty,
// serial, opened_from, opened_to and due_before (RFC 3339 or YYYY-MM-DD),
// breached, limit and cursor.
func (h *handlers) listComplaints(c *gin.Context) {
	f := store.CaseFilter{
		Stage:                 c.Query("stage"),
		Category:              c.Query("category"),
		Severity:              c.Query("severity"),
		CustomerID:            c.Query("customer_id"),
		ResponsibleDepartment: c.Query("responsible_department"),
		Region:                c.Query("region"),
		BranchOffice:          c.Query("branch_office"),
		Warranty:              c.Query("warranty"),
		Serial:                c.Query("serial"),
		Cursor:                c.Query("cursor"),
	}
	problems := map[string]string{}
	queryOneOf(problems, "stage", f.Stage, complaint.Stages())
	queryOneOf(problems, "category", f.Category, complaint.Categories())
	queryOneOf(problems, "severity", f.Severity, complaint.Severities())
	queryOneOf(problems, "responsible_department", f.ResponsibleDepartment, complaint.Departments())
	queryOneOf(problems, "warranty", f.Warranty, complaint.WarrantyStatuses())
	f.KeyCustomer = queryBool(c, "key_customer", problems)
	f.ReceivedFrom = queryTime(c, "opened_from", problems)
	f.ReceivedTo = queryTime(c, "opened_to", problems)
	f.DueBefore = queryTime(c, "due_before", problems)
	switch c.Query("breached") {
	case "", "false":
	case "true":
		f.Breached = true
	default:
		problems["breached"] = "must be true or false"
	}
	f.Limit = queryLimit(c, problems)
	if len(problems) > 0 {
		badRequest(c, problems)
		return
	}
	page, err := h.store.ListCases(c.Request.Context(), f)
	h.answerPage(c, page, err)
}

// queryTime parses an RFC 3339 time or a date (midnight UTC).
func queryTime(c *gin.Context, name string, problems map[string]string) time.Time {
	raw := c.Query(name)
	if raw == "" {
		return time.Time{}
	}
	if t, err := time.Parse(time.RFC3339Nano, raw); err == nil {
		return t
	}
	if t, err := time.Parse(time.DateOnly, raw); err == nil {
		return t
	}
	problems[name] = "must be an RFC 3339 time or a date YYYY-MM-DD"
	return time.Time{}
}

func (h *handlers) getTimeline(c *gin.Context) {
	id := c.Param("id")
	if _, err := h.store.GetCase(c.Request.Context(), id); !h.found(c, err, "no complaint with id "+id) {
		return
	}
	events, err := h.store.Timeline(c.Request.Context(), id)
	if err != nil {
		h.internalError(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"complaint_id": id, "events": events})
}
