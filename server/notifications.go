package server

import (
	"errors"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/caseflow/caseflow/auth"
	"github.com/caseflow/caseflow/complaint"
	"github.com/caseflow/caseflow/store"
)

// listNotifications answers a page of service-level notifications, newest
// first, filtered by the query parameters recipient, delivery, kind,
// complaint_id and since (RFC 3339), paged by limit and cursor.
// Supervisors and admins read everyone's, so a failed delivery is seen by
// someone who can act on it; everyone else reads only their own.
func (h *handlers) listNotifications(c *gin.Context) {
	caller := principalOf(c)
	f := store.NotificationFilter{
		Recipient:   c.Query("recipient"),
		Delivery:    c.Query("delivery"),
		Kind:        c.Query("kind"),
		ComplaintID: c.Query("complaint_id"),
		Cursor:      c.Query("cursor"),
	}
	if err := auth.Authorize(caller, auth.ReadAllNotifications); err != nil {
		var forbidden *auth.ForbiddenError
		if f.Recipient != "" && f.Recipient != caller.UserID && errors.As(err, &forbidden) {
			abortWithError(c, http.StatusForbidden, CodeForbidden,
				"reading another user's notifications needs "+forbidden.Need, nil)
			return
		}
		f.Recipient = caller.UserID
	}
	problems := map[string]string{}
	queryOneOf(problems, "delivery", f.Delivery, complaint.DeliveryStates())
	queryOneOf(problems, "kind", f.Kind, complaint.NotificationKinds())
	if raw := c.Query("since"); raw != "" {
		t, err := time.Parse(time.RFC3339Nano, raw)
		if err != nil {
			problems["since"] = "must be an RFC 3339 time such as 2026-11-29T09:00:00Z"
		}
		f.Since = t
	}
	f.Limit = queryLimit(c, problems)
	if len(problems) > 0 {
		badRequest(c, problems)
		return
	}
	page, err := h.store.NotificationPage(c.Request.Context(), f)
	h.answerPage(c, page, err)
}

// queryOneOf notes a problem when a query parameter is set to a value
// outside allowed.
func queryOneOf(problems map[string]string, name, value string, allowed []string) {
	if value != "" && !slices.Contains(allowed, value) {
		problems[name] = "must be one of: " + strings.Join(allowed, ", ")
	}
}
