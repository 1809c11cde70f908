package sla_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/caseflow/caseflow/sla"
)

func TestDurationMarshal(t *testing.T) {
	for _, tc := range []struct {
		d    time.Duration
		want string
	}{
		{2 * time.Hour, `"2h"`},
		{90 * time.Minute, `"1h30m"`},
		{45 * time.Second, `"45s"`},
		{10 * time.Minute, `"10m"`},
		{70 * time.Second, `"1m10s"`},
		{time.Hour + 10*time.Second, `"1h0m10s"`},
		{1500 * time.Millisecond, `"1.5s"`},
		{0, `"0s"`},
		{-2 * time.Hour, `"-2h"`},
	} {
		b, err := json.Marshal(sla.Duration(tc.d))
		require.NoError(t, err)
		require.Equal(t, tc.want, string(b))
		var back sla.Duration
		require.NoError(t, json.Unmarshal(b, &back))
		require.Equal(t, tc.d, time.Duration(back))
	}
}

func TestDurationUnmarshal(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want time.Duration
		err  bool
	}{
		{`"90m"`, 90 * time.Minute, false},
		{`"2h30m"`, 150 * time.Minute, false},
		{`7200`, 2 * time.Hour, false},
		{`1.5`, 1500 * time.Millisecond, false},
		{`0.3`, 300 * time.Millisecond, false},
		{`"2 hours"`, 0, true},
		{`""`, 0, true},
		{`true`, 0, true},
		{`1e300`, 0, true},
	} {
		var d sla.Duration
		err := json.Unmarshal([]byte(tc.in), &d)
		if tc.err {
			require.Error(t, err, tc.in)
			continue
		}
		require.NoError(t, err, tc.in)
		require.Equal(t, tc.want, time.Duration(d), tc.in)
	}
}
