package sla_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/caseflow/caseflow/sla"
)

func TestAddWorkingDays(t *testing.T) {
	shanghai, err := time.LoadLocation("Asia/Shanghai")
	require.NoError(t, err)
	weekdays := sla.Calendar{TimeZone: "Asia/Shanghai", Holidays: []string{"2026-12-08"}}
	for _, d := range []string{"monday", "tuesday", "wednesday", "thursday", "friday"} {
		weekdays.Hours = append(weekdays.Hours, sla.WeekdayHours{Weekday: d, Spans: []sla.Span{{Start: "09:00", End: "17:00"}}})
	}
	thursday := time.Date(2026, 12, 3, 16, 30, 0, 0, shanghai)
	for _, tc := range []struct {
		policy string
		cal    sla.Calendar
		from   time.Time
		n      int
		want   time.Time
	}{
		{"around the clock, five days are five dates", sla.Calendar{}, thursday, 5, thursday.AddDate(0, 0, 5)},
		{"business days skip the weekend", weekdays, thursday, 4, time.Date(2026, 12, 10, 16, 30, 0, 0, shanghai)},
		{"and the holiday", weekdays, thursday, 5, time.Date(2026, 12, 11, 16, 30, 0, 0, shanghai)},
		{"from a Saturday the first working day is Monday", weekdays,
			time.Date(2026, 12, 5, 10, 0, 0, 0, shanghai), 1, time.Date(2026, 12, 7, 10, 0, 0, 0, shanghai)},
		{"none is no time", weekdays, thursday, 0, thursday},
	} {
		t.Run(tc.policy, func(t *testing.T) {
			require.True(t, tc.want.Equal(tc.cal.AddWorkingDays(tc.from, tc.n)), "%s", tc.cal.AddWorkingDays(tc.from, tc.n))
		})
	}
}
