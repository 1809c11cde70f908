package sla

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"strings"
	"time"
)

// Duration is a time.Duration that JSON-encodes as a Go duration string
// ("2h", "90m", "45s") so that policies stay readable; unmarshal also accepts
// a number of seconds, for clients that cannot write duration strings.
type Duration time.Duration

// String formats d like time.Duration but drops zero trailing units:
// "2h" rather than "2h0m0s", "1h30m" rather than "1h30m0s".
func (d Duration) String() string {
	s := time.Duration(d).String()
	if strings.HasSuffix(s, "m0s") {
		s = strings.TrimSuffix(s, "0s")
	}
	if strings.HasSuffix(s, "h0m") {
		s = strings.TrimSuffix(s, "0m")
	}
	return s
}

// MarshalJSON writes d as a duration string.
func (d Duration) MarshalJSON() ([]byte, error) {
	return json.Marshal(d.String())
}

// UnmarshalJSON reads a duration string ("2h30m") or a number of seconds.
func (d *Duration) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if bytes.Equal(b, []byte("null")) {
		return nil
	}
	if len(b) > 0 && b[0] == '"' {
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		v, err := time.ParseDuration(s)
		if err != nil {
			return fmt.Errorf("sla: duration %q: want a duration like \"2h\" or \"90m\"", s)
		}
		*d = Duration(v)
		return nil
	}
	var secs float64
	if err := json.Unmarshal(b, &secs); err != nil {
		return fmt.Errorf("sla: duration %s: want a string like \"2h\" or a number of seconds", b)
	}
	ns := math.Round(secs * float64(time.Second))
	if ns > float64(1<<63-1) || ns < -float64(1<<63) {
		return fmt.Errorf("sla: duration %s seconds is out of range", b)
	}
	*d = Duration(time.Duration(ns))
	return nil
}
