package complaint_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/caseflow/caseflow/complaint"
)

func TestTextProblem(t *testing.T) {
	cases := []struct {
		name      string
		text      string
		multiline bool
		want      string
	}{
		{"plain", "C-1001 上海", false, ""},
		{"NUL in an id", "C-\x001001", false, "must not contain control characters"},
		{"line break in a name", "Wang\nFang", false, "must not contain control characters"},
		{"tab and line breaks in free text", "line 1\r\n\tline 2", true, ""},
		{"NUL in free text", "note\x00", true, "must not contain control characters other than tab and line breaks"},
		{"escape in free text", "\x1b[31mred", true, "must not contain control characters other than tab and line breaks"},
		{"C1 control", "a\u0085b", false, "must not contain control characters"},
		{"DEL", "a\x7fb", false, "must not contain control characters"},
		{"invalid UTF-8", "caf\xe9", true, "must be valid UTF-8 text"},
		{"replacement character from a decoded body", "caf\uFFFD", true, "must be valid UTF-8 text"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			require.Equal(t, c.want, complaint.TextProblem(c.text, c.multiline))
		})
	}
}

func TestTextProblemsNamesJSONPaths(t *testing.T) {
	body := complaint.AnalysisBody{RootCause: "seal\nworn", ResponsibleDepartment: "quality\x00",
		Liability: complaint.LiabilityCustomer, Evidence: []string{"photo", "log\x00"}, Explanation: "ok\tfine"}
	require.Equal(t, map[string]string{
		"responsible_department": "must not contain control characters",
		"evidence[1]":            "must not contain control characters other than tab and line breaks",
	}, complaint.TextProblems(body))

	reg := complaint.Register{CustomerID: "C\x00", Description: "pump\nalarm", CustomerDemand: "\x00"}
	require.Equal(t, map[string]string{
		"customer_id":     "must not contain control characters",
		"customer_demand": "must not contain control characters other than tab and line breaks",
	}, complaint.TextProblems(&reg), "embedded and pointed-to structs are walked")

	confirm := complaint.ConfirmBody{CustomerName: ptr("Wang\x00")}
	require.Equal(t, map[string]string{"customer_name": "must not contain control characters"},
		complaint.BodyProblems(confirm), "the workflow's check refuses it too")
}

func TestBlankToEmpty(t *testing.T) {
	body := complaint.ConfirmBody{Note: " \t\n ", CustomerName: ptr("   "), ContactName: ptr(" Li ")}
	complaint.BlankToEmpty(&body)
	require.Equal(t, "", body.Note)
	require.Equal(t, ptr(""), body.CustomerName)
	require.Equal(t, ptr(" Li "), body.ContactName, "text around a word is kept")
}

func TestValidateReceivedAt(t *testing.T) {
	now := time.Date(2026, 11, 29, 8, 0, 0, 0, time.UTC)
	year := 365 * 24 * time.Hour
	require.Empty(t, complaint.ValidateReceivedAt(now.Add(-time.Hour), now, year))
	require.Empty(t, complaint.ValidateReceivedAt(now.Add(-year), now, year))
	require.Equal(t, "must not be more than 365 days ago", complaint.ValidateReceivedAt(time.Time{}, now, year))
	require.Equal(t, "must not be more than 36h0m0s ago", complaint.ValidateReceivedAt(now.Add(-37*time.Hour), now, 36*time.Hour))
	require.Equal(t, "must not be in the future", complaint.ValidateReceivedAt(now.Add(time.Hour), now, year))
}
