package sla_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/caseflow/caseflow/sla"
)

const standardJSON = `{"name":"standard","response":"2h","onsite":"4h","resolution":"24h",` +
	`"calendar":{"time_zone":"UTC"},"warning_points":[0.5,0.8],"escalation":[` +
	`{"level":1,"after":"0s","recipients":[{"role":"supervisor","department":"after_sales"},{"role":"engineer","department":"assigned"}]},` +
	`{"level":2,"after":"1h","recipients":[{"role":"supervisor","department":"responsible"}]},` +
	`{"level":3,"after":"4h","recipients":[{"role":"supervisor","department":"after_sales"},{"role":"approver","department":"after_sales"}]}]}`

func TestPolicyJSONRoundTrip(t *testing.T) {
	b, err := json.Marshal(sla.Standard())
	require.NoError(t, err)
	require.JSONEq(t, standardJSON, string(b))
	require.Equal(t, standardJSON, string(b)) // field order is part of the contract

	var p sla.Policy
	require.NoError(t, json.Unmarshal([]byte(standardJSON), &p))
	require.Equal(t, sla.Standard(), p)

	// Seconds are accepted too, and business hours survive the trip.
	in := `{"name":"contract-42","response":7200,"onsite":"3h","resolution":"24h","calendar":{"time_zone":"Asia/Shanghai",` +
		`"hours":[{"weekday":"monday","spans":[{"start":"08:30","end":"12:00"}]}],"holidays":["2026-10-01"]}}`
	require.NoError(t, json.Unmarshal([]byte(in), &p))
	require.Equal(t, 2*time.Hour, p.Target(sla.Response))
	require.Nil(t, p.Validate())
	p = p.WithDefaults()
	require.Equal(t, []float64{0.5, 0.8}, p.WarningPoints)
	require.Equal(t, sla.DefaultEscalation(), p.Escalation)
	b, err = json.Marshal(p)
	require.NoError(t, err)
	var back sla.Policy
	require.NoError(t, json.Unmarshal(b, &back))
	require.Equal(t, p, back)
}

func TestStandardAndMedical(t *testing.T) {
	s, m := sla.Standard(), sla.Medical()
	require.Nil(t, s.Validate())
	require.Nil(t, m.Validate())
	for _, tc := range []struct {
		p                        sla.Policy
		name                     string
		response, onsite, resolv time.Duration
	}{
		{s, "standard", 2 * time.Hour, 4 * time.Hour, 24 * time.Hour},
		{m, "medical", 2 * time.Hour, 3 * time.Hour, 24 * time.Hour},
	} {
		require.Equal(t, tc.name, tc.p.Name)
		require.Equal(t, tc.response, tc.p.Target(sla.Response))
		require.Equal(t, tc.onsite, tc.p.Target(sla.Onsite))
		require.Equal(t, tc.resolv, tc.p.Target(sla.Resolution))
		require.Zero(t, tc.p.Target("lunch"))
		require.Equal(t, "UTC", tc.p.Calendar.TimeZone)
		require.Empty(t, tc.p.Calendar.Hours)
	}
	// Each call returns fresh slices: changing one policy leaves the next alone.
	m.Escalation[0].Recipients[0].Role = "agent"
	m.WarningPoints[0] = 0.1
	require.Equal(t, sla.Standard().Escalation, sla.DefaultEscalation())
	require.Equal(t, "supervisor", sla.Medical().Escalation[0].Recipients[0].Role)
	require.Equal(t, 0.5, sla.Medical().WarningPoints[0])
}

func TestWithDefaultsKeepsWhatIsSet(t *testing.T) {
	esc := []sla.EscalationLevel{{Level: 1, After: sla.Duration(time.Hour), Recipients: []sla.Recipient{{Role: "agent", Department: "sales"}}}}
	p := sla.Policy{Name: "x", WarningPoints: []float64{0.9}, Escalation: esc, Calendar: sla.Calendar{TimeZone: "Europe/Berlin"}}.WithDefaults()
	require.Equal(t, []float64{0.9}, p.WarningPoints)
	require.Equal(t, esc, p.Escalation)
	require.Equal(t, "Europe/Berlin", p.Calendar.TimeZone)
}

func TestPolicyValidate(t *testing.T) {
	base := func(f func(*sla.Policy)) sla.Policy {
		p := sla.Standard()
		f(&p)
		return p
	}
	rcp := func(role, dep string) []sla.Recipient { return []sla.Recipient{{Role: role, Department: dep}} }
	for _, tc := range []struct {
		name string
		p    sla.Policy
		want map[string]string
	}{
		{"standard", sla.Standard(), nil},
		{"defaults left empty", base(func(p *sla.Policy) { p.WarningPoints, p.Escalation, p.Calendar = nil, nil, sla.Calendar{} }), nil},
		{"onsite beyond resolution is allowed", base(func(p *sla.Policy) { p.Onsite = sla.Duration(48 * time.Hour) }), nil},
		{"name", base(func(p *sla.Policy) { p.Name = "Standard Plus" }), map[string]string{"name": "must be 1 to 64 characters of a-z, 0-9, _ and -"}},
		{"empty name", base(func(p *sla.Policy) { p.Name = "" }), map[string]string{"name": "must be 1 to 64 characters of a-z, 0-9, _ and -"}},
		{"long name", base(func(p *sla.Policy) { p.Name = strings.Repeat("a", 65) }), map[string]string{"name": "must be 1 to 64 characters of a-z, 0-9, _ and -"}},
		{"targets", base(func(p *sla.Policy) { p.Response, p.Onsite, p.Resolution = 0, -1, 0 }),
			map[string]string{"response": "must be greater than 0", "onsite": "must be greater than 0", "resolution": "must be greater than 0"}},
		{"warning points", base(func(p *sla.Policy) { p.WarningPoints = []float64{0.5, 0.5, 0.4, 1, 0} }),
			map[string]string{
				"warning_points[1]": "must be greater than the previous point",
				"warning_points[2]": "must be greater than the previous point",
				"warning_points[3]": "must be between 0 and 1, exclusive",
				"warning_points[4]": "must be between 0 and 1, exclusive",
			}},
		{"escalation", base(func(p *sla.Policy) {
			p.Escalation = []sla.EscalationLevel{
				{Level: 1, After: sla.Duration(2 * time.Hour), Recipients: rcp("supervisor", "after_sales")},
				{Level: 3, After: sla.Duration(time.Hour), Recipients: rcp("manager", "finance")},
				{Level: 3, After: -1},
			}
		}), map[string]string{
			"escalation[1].level":                    "must be 2: levels are numbered 1..n in order",
			"escalation[1].after":                    "must not be less than the previous level's",
			"escalation[1].recipients[0].role":       "must be one of agent, approver, engineer, supervisor, admin",
			"escalation[1].recipients[0].department": "must be one of after_sales, sales, technical, production, quality, branch_office, responsible, assigned",
			"escalation[2].after":                    "must not be negative",
			"escalation[2].recipients":               "must name at least one recipient",
		}},
		{"calendar", base(func(p *sla.Policy) {
			p.Calendar = sla.Calendar{TimeZone: "Nowhere/City", Hours: []sla.WeekdayHours{{Weekday: "monday"}, {Weekday: "tuesday", Spans: []sla.Span{{Start: "09:00", End: "08:00"}}}}}
		}), map[string]string{"calendar.time_zone": "unknown time zone", "calendar.hours[1].spans[0].end": "must be after start"}},
		{"slowcal: a year's targets, open one minute a week", base(func(p *sla.Policy) {
			p.Response, p.Onsite, p.Resolution = sla.Duration(time.Hour), sla.Duration(8760*time.Hour), sla.Duration(8760*time.Hour)
			p.Calendar.Hours = []sla.WeekdayHours{{Weekday: "monday", Spans: []sla.Span{{Start: "00:00", End: "00:01"}}}}
		}), map[string]string{
			"response":   "needs more than a year of open hours under this calendar (a year holds 52m8s)",
			"onsite":     "needs more than a year of open hours under this calendar (a year holds 52m8s)",
			"resolution": "needs more than a year of open hours under this calendar (a year holds 52m8s)",
		}},
		{"24/7: 365 days is the most", base(func(p *sla.Policy) {
			p.Onsite, p.Resolution = sla.Duration(8760*time.Hour), sla.Duration(8761*time.Hour)
		}),
			map[string]string{"resolution": "needs more than a year of open hours under this calendar (a year holds 8760h)"}},
		{"office hours: 40h a week holds 2085h42m51s a year", base(func(p *sla.Policy) {
			p.Calendar = workweek("Europe/Berlin", sla.Span{Start: "09:00", End: "17:00"})
			p.Calendar.Holidays = []string{"2026-12-25"} // dated, so not taken off the year
			p.Onsite, p.Resolution = sla.Duration(2085*time.Hour), sla.Duration(2086*time.Hour)
		}), map[string]string{"resolution": "needs more than a year of open hours under this calendar (a year holds 2085h42m51s)"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			require.Equal(t, tc.want, tc.p.Validate())
		})
	}
}
