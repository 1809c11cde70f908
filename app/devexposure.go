package app

import (
	"fmt"
	"net"
	"strconv"
)

// devTemporalExposure checks what `caseflow dev` exposes of its embedded
// Temporal: neither the gRPC frontend nor the Web UI authenticates anyone,
// so both listen on loopback only; the UI's write actions stay off unless
// CASEFLOW_UI_WRITE_ACTIONS turns them on for debugging.
func (c Config) devTemporalExposure() (uiWriteActions bool, err error) {
	for _, v := range []struct{ name, addr string }{
		{"TEMPORAL_ADDRESS", c.TemporalAddress}, {"CASEFLOW_UI_ADDR", c.UIAddr},
	} {
		if v.addr != "" && !loopback(v.addr) {
			return false, fmt.Errorf("%s=%s: caseflow dev serves Temporal without authentication, so only on "+
				"loopback (127.0.0.1, ::1 or localhost); deploy with docker-compose.yml to serve it further", v.name, v.addr)
		}
	}
	if c.UIWriteActions == "" {
		return false, nil
	}
	on, err := strconv.ParseBool(c.UIWriteActions)
	if err != nil {
		return false, fmt.Errorf("CASEFLOW_UI_WRITE_ACTIONS=%q: want true or false", c.UIWriteActions)
	}
	return on, nil
}

func loopback(addr string) bool {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return false
	}
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
