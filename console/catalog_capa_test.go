package console

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/caseflow/caseflow/complaint"
	"github.com/caseflow/caseflow/complaint/rules"
)

// TestCapasCatalogAgreesWithTheCatalog: a key the pages' part shares with
// the catalog's is worded the same, and every step of an action has its
// form.
func TestCapasCatalogAgreesWithTheCatalog(t *testing.T) {
	for key, e := range capasCatalog {
		require.Equal(t, e, catalog[key], key)
	}
	for key, e := range capaCatalog {
		require.Equal(t, e, catalog[key], key)
	}
	var names []string
	for _, st := range capaStepForms {
		names = append(names, st.name)
	}
	require.ElementsMatch(t, complaint.CapaSteps(), names, "every step of an action has its form")
}

// TestEveryCapaProblemTranslates words the CAPA and review bodies' broken
// rules, their checks between fields and the API's and rules' own words
// in Chinese.
func TestEveryCapaProblemTranslates(t *testing.T) {
	bodies := []any{&complaint.CapaOpenBody{}, &complaint.CapaOpenBody{ComplaintIDs: []string{"a", "a", ""},
		OwnerDepartment: "nowhere", DueDate: "soon", EffectivenessDays: new(0), Action: strings.Repeat("x", 10001)},
		&complaint.CapaDoneBody{}, &complaint.CapaDoneBody{Note: "x", Evidence: []string{""}},
		&complaint.CapaVerifyBody{}, &complaint.CapaVerifyBody{Result: complaint.VerdictIneffective, Note: "x"},
		&complaint.CapaVerifyBody{Result: "fine", NewDueDate: "later"},
		&complaint.AccountabilityBody{}, &complaint.AccountabilityBody{Decision: complaint.AccountabilityPenalty},
		&complaint.AccountabilityBody{Decision: "fine"}}
	seen := 0
	for _, b := range bodies {
		for field, msg := range complaint.BodyProblems(b) {
			seen++
			require.True(t, translated(msg), "%T.%s: %q has no Chinese wording", b, field, msg)
		}
	}
	require.Greater(t, seen, 12)
	// The API's and the rules' own (server/capas.go, server/reviews.go,
	// capa/, review/).
	for _, msg := range []string{"names no complaint", "must be a date (YYYY-MM-DD)", "must not be in the past",
		"must be one of [after_sales sales technical production quality branch_office]",
		"must be a month (YYYY-MM)", "must be a month (YYYY-MM), optionally followed by .csv or .html",
		"must be a month before the current one", "must be true or false"} {
		require.True(t, translated(msg), "%q has no Chinese wording", msg)
	}
	require.Equal(t, "结论为“无效”时必填", translateProblem(Chinese, "is required when result is ineffective"))
	require.Equal(t, "除非决定为“不追责”，否则必填", translateProblem(Chinese, "is required unless decision is no_action"))
}

// TestTheCapaFormsPostTheAPIsBodies: the opening form's complaints are
// lines posted as a list and its period a number; each step's controls
// are its body's, the verdict labelled as one.
func TestTheCapaFormsPostTheAPIsBodies(t *testing.T) {
	var open []string
	for _, f := range fieldsOf(English, capaOpenBody) {
		open = append(open, f.Name+":"+f.Control)
	}
	require.Equal(t, []string{"complaint_ids:lines", "part_number:text", "root_cause:textarea", "action:textarea",
		"owner_department:select", "owner:text", "due_date:date", "effectiveness_days:number"}, open)
	body := jsonBody(fieldsOf(English, capaOpenBody), formValues{"complaint_ids": {"c-1\r\n c-2 \r\n"},
		"action": {"fix"}, "owner_department": {"production"}, "due_date": {"2030-01-31"}, "effectiveness_days": {""}})
	require.Equal(t, complaint.CapaOpenBody{ComplaintIDs: []string{"c-1", "c-2"}, Action: "fix",
		OwnerDepartment: "production", DueDate: "2030-01-31"}, decodeAs[complaint.CapaOpenBody](t, body),
		"a blank period is left to the default")

	steps := map[string][]string{}
	for _, st := range capaStepForms {
		for _, f := range capaStepFields(English, st) {
			steps[st.name] = append(steps[st.name], f.Name+":"+f.Control+":"+f.Label)
		}
	}
	require.Equal(t, map[string][]string{
		"done":   {"note:textarea:What was done", "evidence:lines:Evidence"},
		"verify": {"result:select:Verdict", "note:textarea:Note", "new_due_date:date:New due date"},
	}, steps)
	decision := fieldsOf(Chinese, accountabilityBody)
	require.Equal(t, []option{{Value: "no_action", Label: "不追责"}, {Value: "warning", Label: "警告"},
		{Value: "penalty", Label: "处罚"}}, decision[0].Options)
	require.False(t, decision[1].Required, "only a warning or a penalty needs a note: the API says when")
}

// TestCapaOverdue: an open action is overdue once its due day has ended in
// the company's zone, or once its workflow marked it; a done one no more.
func TestCapaOverdue(t *testing.T) {
	shanghai := complaint.DefaultLocation()
	c := complaint.Capa{Stage: complaint.CapaOpen, DueDate: "2026-03-10"}
	endOfDay := time.Date(2026, 3, 11, 0, 0, 0, 0, shanghai) // 2026-03-10 16:00 UTC
	require.False(t, capaOverdue(c, endOfDay.Add(-time.Second), shanghai))
	require.True(t, capaOverdue(c, endOfDay, shanghai))
	require.False(t, capaOverdue(c, endOfDay, time.UTC), "in London the 10th has eight hours to go")
	c.Overdue = true
	require.True(t, capaOverdue(c, endOfDay.Add(-48*time.Hour), shanghai), "the workflow's escalation went out")
	c.Stage = complaint.CapaDone
	require.False(t, capaOverdue(c, endOfDay.Add(time.Hour), shanghai))
}

// TestTheConsoleCountsDaysAndMonthsInTheCompanysZone: a review's month and
// a date filter's day are the company's, whatever the server's own zone:
// at 17:00 UTC on 30 November it is already December in Shanghai.
func TestTheConsoleCountsDaysAndMonthsInTheCompanysZone(t *testing.T) {
	shanghai := complaint.DefaultLocation()
	for _, tc := range []struct {
		now            time.Time
		zone           *time.Location
		month          string
		dayFrom, dayTo string
	}{
		{time.Date(2026, 11, 30, 17, 0, 0, 0, time.UTC), shanghai, "2026-11",
			"2026-12-01T00:00:00+08:00", "2026-12-02T00:00:00+08:00"},
		{time.Date(2026, 11, 30, 15, 59, 0, 0, time.UTC), shanghai, "2026-10",
			"2026-12-01T00:00:00+08:00", "2026-12-02T00:00:00+08:00"},
		{time.Date(2026, 11, 30, 17, 0, 0, 0, time.UTC), time.UTC, "2026-10",
			"2026-12-01T00:00:00Z", "2026-12-02T00:00:00Z"},
		{time.Date(2027, 1, 1, 1, 0, 0, 0, shanghai), shanghai, "2026-12",
			"2026-12-01T00:00:00+08:00", "2026-12-02T00:00:00+08:00"},
	} {
		require.Equal(t, tc.month, lastMonth(tc.now, tc.zone), "%s in %s", tc.now, tc.zone)
		require.Equal(t, tc.dayFrom, dayStart("2026-12-01", 0, tc.zone))
		require.Equal(t, tc.dayTo, dayStart("2026-12-01", 1, tc.zone))
	}
	require.Equal(t, "12/01", dayStart("12/01", 0, shanghai), "no date: the API words the problem")
}

// TestTheRecurrenceLabelSaysHowManyARecurrenceNames: the case page's
// label over a recurrence's cases gives the number the rule keeps, in both
// languages.
func TestTheRecurrenceLabelSaysHowManyARecurrenceNames(t *testing.T) {
	for _, text := range catalog["case.recurrence_of"] {
		require.Contains(t, text, " "+strconv.Itoa(rules.RecurrenceLinks)+" ")
	}
}
