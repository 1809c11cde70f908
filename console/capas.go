package console

import (
	"net/http"
	"net/url"
	"time"

	"github.com/caseflow/caseflow/auth"
	"github.com/caseflow/caseflow/capa"
	"github.com/caseflow/caseflow/complaint"
	"github.com/caseflow/caseflow/store"
)

// The corrective actions list [3.(2).4, 3.(3)]: the actions (CAPA), newest
// first, filtered as the API's GET /capas allows (stage, owner department,
// overdue, complaint), and for quality the form opening one (capa_open.go).

// capasPath is the corrective actions list.
const capasPath = "/console/capas"

// capaPath is an action's page.
func capaPath(id string) string { return capasPath + "/" + url.PathEscape(id) }

// capaAPIPath is an action in the API.
func capaAPIPath(id string) string { return "/api/v1/capas/" + url.PathEscape(id) }

// casePath is a case's page; a case number opens it as well as its id.
func casePath(id string) string { return "/console/cases/" + url.PathEscape(id) }

// capaRow is an action as the list shows it.
type capaRow struct {
	complaint.Capa
	Href    string
	Cases   []caseLink
	Overdue bool
}

// caseLink is a case an action names, by id, with its page.
type caseLink struct{ ID, Href string }

func capaRowOf(c complaint.Capa, now time.Time, zone *time.Location) capaRow {
	row := capaRow{Capa: c, Href: capaPath(c.ID), Overdue: capaOverdue(c, now, zone)}
	for _, id := range c.ComplaintIDs {
		row.Cases = append(row.Cases, caseLink{ID: id, Href: casePath(id)})
	}
	return row
}

// capaOverdue reports whether an open action is overdue now: its workflow
// marked it so, or its due day (a day in zone, the company's) has ended
// since.
func capaOverdue(c complaint.Capa, now time.Time, zone *time.Location) bool {
	return c.Stage == complaint.CapaOpen && (c.Overdue || !now.Before(capa.OverdueAt(c, zone)))
}

type capasData struct {
	Stage, OwnerDepartment, Overdue, ComplaintID string
	Stages, Departments, OverdueChoices          []option
	Capas                                        []capaRow
	NextHref                                     string
	// Open is the form opening an action, for quality; OpenShown shows it
	// unfolded (asked for, or refused).
	Open      *form
	OpenShown bool
}

func (c *Console) capas(r *request) { c.showCapas(r, http.StatusOK, nil) }

// showCapas draws the list; failed, when set, is a refused opening whose
// form shows again with its problems.
func (c *Console) showCapas(r *request, status int, failed *retry) {
	d := capasData{Stage: r.Query("stage"), OwnerDepartment: r.Query("owner_department"),
		Overdue: r.Query("overdue"), ComplaintID: r.Query("complaint_id")}
	for _, s := range complaint.CapaStages() {
		d.Stages = append(d.Stages, option{Value: s, Label: r.lang.Enum("capa_stage", s), Selected: s == d.Stage})
	}
	for _, dep := range complaint.Departments() {
		d.Departments = append(d.Departments, option{Value: dep, Label: r.lang.Enum("department", dep),
			Selected: dep == d.OwnerDepartment})
	}
	for _, v := range []string{"true", "false"} {
		d.OverdueChoices = append(d.OverdueChoices, option{Value: v, Label: r.lang.T("capas.overdue." + v),
			Selected: v == d.Overdue})
	}
	q := url.Values{"limit": {"50"}}
	for name, v := range map[string]string{"stage": d.Stage, "owner_department": d.OwnerDepartment,
		"overdue": d.Overdue, "complaint_id": d.ComplaintID, "cursor": r.Query("cursor")} {
		if v != "" {
			q.Set(name, v)
		}
	}
	var page store.CapaPage
	if err := r.call(http.MethodGet, "/api/v1/capas?"+q.Encode(), nil, "", &page); err != nil {
		r.failCall(err)
		return
	}
	now := c.now()
	for _, ca := range page.Capas {
		d.Capas = append(d.Capas, capaRowOf(ca, now, c.zone))
	}
	if page.NextCursor != "" {
		next := r.Request.URL.Query()
		next.Set("cursor", page.NextCursor)
		d.NextHref = capasPath + "?" + next.Encode()
	}
	if auth.Authorize(r.session.principal, auth.OpenCapa) == nil {
		f := capaOpenForm(r, d.ComplaintID)
		failed.apply(r.lang, &f)
		d.Open = &f
		d.OpenShown = failed != nil || r.Query("open") == "1"
	}
	r.render(status, "capas", "capas.title", d)
}
