package console

import (
	"net/http"
	"net/url"
	"time"

	"github.com/caseflow/caseflow/auth"
	"github.com/caseflow/caseflow/complaint"
	"github.com/caseflow/caseflow/store"
)

// The follow-ups list [1.(1).G, 1.(2).E–F, 2.(5).1]: the return calls,
// surveys and key-customer visits, soonest due first, filtered as the
// API's GET /followups allows (kind, stage, owner, owner department,
// overdue, customer, case, due range), the overdue marked.

// followupsPath is the follow-ups list.
const followupsPath = "/console/followups"

// followupPath is a follow-up's page.
func followupPath(id string) string { return followupsPath + "/" + url.PathEscape(id) }

// followupAPIPath is a follow-up in the API.
func followupAPIPath(id string) string { return "/api/v1/followups/" + url.PathEscape(id) }

// followupRow is a follow-up as a list shows it.
type followupRow struct {
	complaint.Followup
	Href, CaseHref string
	Overdue        bool
}

func followupRowOf(f complaint.Followup, now time.Time) followupRow {
	row := followupRow{Followup: f, Href: followupPath(f.ID), Overdue: followupOverdue(f, now)}
	if f.ComplaintID != "" {
		row.CaseHref = casePath(f.ComplaintID)
	}
	return row
}

// followupOverdue reports whether an open follow-up is overdue now: its
// workflow marked it so, or its due time has passed since.
func followupOverdue(f complaint.Followup, now time.Time) bool {
	return f.Stage == complaint.FollowupOpen && (f.Overdue || !now.Before(f.DueAt))
}

type followupsData struct {
	Kind, Stage, Owner, OwnerDepartment, Overdue, CustomerID, ComplaintID, DueFrom, DueTo string
	Kinds, Stages, Departments, OverdueChoices                                            []option
	Followups                                                                             []followupRow
	NextHref, OpenHref                                                                    string
}

func (c *Console) followups(r *request) {
	d := followupsData{Kind: r.Query("kind"), Stage: r.Query("stage"), Owner: r.Query("owner"),
		OwnerDepartment: r.Query("owner_department"), Overdue: r.Query("overdue"),
		CustomerID: r.Query("customer_id"), ComplaintID: r.Query("complaint_id"),
		DueFrom: r.Query("due_from"), DueTo: r.Query("due_to")}
	d.Kinds = enumOptions(r.lang, "followup_kind", complaint.FollowupKinds(), d.Kind)
	d.Stages = enumOptions(r.lang, "followup_stage", complaint.FollowupStages(), d.Stage)
	d.Departments = enumOptions(r.lang, "department", complaint.FollowupDepartments(), d.OwnerDepartment)
	for _, v := range []string{"true", "false"} {
		d.OverdueChoices = append(d.OverdueChoices, option{Value: v, Label: r.lang.T("capas.overdue." + v),
			Selected: v == d.Overdue})
	}
	q := url.Values{"limit": {"50"}}
	for name, v := range map[string]string{"kind": d.Kind, "stage": d.Stage, "owner": d.Owner,
		"owner_department": d.OwnerDepartment, "overdue": d.Overdue, "customer_id": d.CustomerID,
		"complaint_id": d.ComplaintID,
		"due_from":     dayStart(d.DueFrom, 0, c.zone), "due_to": dayStart(d.DueTo, 1, c.zone),
		"cursor": r.Query("cursor")} {
		if v != "" {
			q.Set(name, v)
		}
	}
	var page store.FollowupPage
	if err := r.call(http.MethodGet, "/api/v1/followups?"+q.Encode(), nil, "", &page); err != nil {
		r.failCall(err)
		return
	}
	now := c.now()
	for _, f := range page.Followups {
		d.Followups = append(d.Followups, followupRowOf(f, now))
	}
	if page.NextCursor != "" {
		next := r.Request.URL.Query()
		next.Set("cursor", page.NextCursor)
		d.NextHref = followupsPath + "?" + next.Encode()
	}
	if auth.Authorize(r.session.principal, auth.OpenFollowup) == nil {
		d.OpenHref = followupNewPath(url.Values{"customer_id": {d.CustomerID}, "complaint_id": {d.ComplaintID}})
	}
	r.render(http.StatusOK, "followups", "followups.title", d)
}

// enumOptions are a vocabulary's values as a filter's choices.
func enumOptions(l Lang, list string, values []string, selected string) []option {
	out := make([]option, 0, len(values))
	for _, v := range values {
		out = append(out, option{Value: v, Label: l.Enum(list, v), Selected: v == selected})
	}
	return out
}

// dayStart is the RFC 3339 start of the day a date filter names, days
// later, in zone (the company's): the due range's "to" day is included. A
// value that is no date goes to the API as typed, which words the problem.
func dayStart(date string, days int, zone *time.Location) string {
	if date == "" {
		return ""
	}
	t, err := time.ParseInLocation(time.DateOnly, date, zone)
	if err != nil {
		return date
	}
	return t.AddDate(0, 0, days).Format(time.RFC3339)
}

// authorized reports whether the table allows p the action.
func authorized(p auth.Principal, a auth.Action) bool { return auth.Authorize(p, a) == nil }
