// Package sla holds service-level policies (respond, be on site, resolve) and
// the business-hours calendars their clocks run on.
//
// Everything here is called inside Temporal workflow code, so it is pure and
// deterministic: no wall clock, no goroutines, no randomness, and no I/O except
// loading time zones. time/tzdata is embedded so that a worker without system
// zone files still resolves every IANA name; note that LoadLocation prefers
// system zone files where they exist, so workers should run the same image.
package sla

import _ "time/tzdata" // zone data in the binary, the same on every worker
