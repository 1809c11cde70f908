package loadgen

import (
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
	"text/tabwriter"
	"time"
)

// Report is what a run measured.
type Report struct {
	APIURL      string    `json:"api_url"`
	Concurrency int       `json:"concurrency"`
	Rate        float64   `json:"rate,omitempty"`
	Started     time.Time `json:"started"`
	Lifecycles  Phase     `json:"lifecycles"`
	// Steps has the registration first, then every step in lifecycle order.
	// Their throughput is per second of the whole lifecycle phase.
	Steps []OpStats `json:"steps"`
	// RegisterAlone, with Bare, is as many registrations as lifecycles,
	// alone: registration's own throughput.
	RegisterAlone *OpStats `json:"register_alone,omitempty"`
	Bare          *Bare    `json:"bare,omitempty"`
	// Deadlines is there when the run measured coinciding deadlines.
	Deadlines *Deadlines `json:"deadlines,omitempty"`
}

// Phase is a run of units of work (lifecycles, bare starts).
type Phase struct {
	Started   int     `json:"started"`
	Completed int     `json:"completed"`
	Seconds   float64 `json:"seconds"`
	PerSecond float64 `json:"per_second"`
}

func (p Phase) elapsed() time.Duration { return time.Duration(p.Seconds * float64(time.Second)) }

// Bare is what the bare Temporal counterparts measured: Start and UWSAlone
// in phases of their own, UWS and Update in bare lifecycles shaped like the
// cases'.
type Bare struct {
	Lifecycles Phase   `json:"lifecycles"`
	Start      OpStats `json:"start"`
	UWS        OpStats `json:"update_with_start"`
	Update     OpStats `json:"update"`
	UWSAlone   OpStats `json:"update_with_start_alone"`
	Ratios     Ratios  `json:"ratios"`
}

// Ratios set caseflow against the bare calls it is built on: registrations
// alone against update-with-starts alone, a lifecycle's registration
// against a bare lifecycle's update-with-start, each step against an
// update, and the lifecycles against the bare ones.
type Ratios struct {
	RegisterThroughput   float64            `json:"register_throughput_to_bare_uws"`
	RegisterP99          float64            `json:"register_p99_to_bare_uws_p99"`
	LifecycleRegisterP99 float64            `json:"lifecycle_register_p99_to_bare_uws_p99"`
	LifecycleThroughput  float64            `json:"lifecycle_throughput_to_bare"`
	StepP99              map[string]float64 `json:"step_p99_to_bare_update_p99"`
}

func (r Report) ratios(bare Bare) Ratios {
	out := Ratios{StepP99: map[string]float64{}, LifecycleThroughput: ratio(r.Lifecycles.PerSecond, bare.Lifecycles.PerSecond)}
	if a := r.RegisterAlone; a != nil {
		out.RegisterThroughput = ratio(a.PerSecond, bare.UWSAlone.PerSecond)
		out.RegisterP99 = ratio(a.P99, bare.UWSAlone.P99)
	}
	for _, s := range r.Steps {
		if s.Op == Register {
			out.LifecycleRegisterP99 = ratio(s.P99, bare.UWS.P99)
			continue
		}
		out.StepP99[s.Op] = ratio(s.P99, bare.Update.P99)
	}
	return out
}

func ratio(a, b float64) float64 {
	if b == 0 {
		return 0
	}
	return a / b
}

// Failed counts the calls that failed.
func (r Report) Failed() int {
	n := 0
	ops := slices.Clone(r.Steps)
	if r.RegisterAlone != nil {
		ops = append(ops, *r.RegisterAlone)
	}
	if r.Bare != nil {
		ops = append(ops, r.Bare.Start, r.Bare.UWS, r.Bare.Update, r.Bare.UWSAlone)
	}
	if d := r.Deadlines; d != nil {
		ops = append(ops, d.Register, d.Withdraw)
		if d.BareLateness != nil {
			ops = append(ops, *d.BareLateness)
		}
		n += d.Register.OK - d.Escalated // registered, never seen escalated
	}
	for _, s := range ops {
		for _, c := range s.Errors {
			n += c
		}
	}
	return n
}

// WriteJSON writes the report as indented JSON.
func (r Report) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(r)
}

// WriteTable writes the report for a person.
func (r Report) WriteTable(w io.Writer) error {
	fmt.Fprintf(w, "%s, concurrency %d", r.APIURL, r.Concurrency)
	if r.Rate > 0 {
		fmt.Fprintf(w, ", rate %g/s", r.Rate)
	}
	fmt.Fprintf(w, "\nlifecycles: %d of %d completed in %.1f s (%.2f/s)\n\n",
		r.Lifecycles.Completed, r.Lifecycles.Started, r.Lifecycles.Seconds, r.Lifecycles.PerSecond)
	tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "call\tok\tper s\tp50 ms\tp95 ms\tp99 ms\tmax ms\tp99 / bare\terrors\t")
	for _, s := range r.Steps {
		writeRow(tw, s, r.stepRatio(s.Op))
	}
	if b := r.Bare; b != nil {
		for _, s := range []OpStats{b.Start, b.UWS, b.Update} {
			writeRow(tw, s, "")
		}
	}
	if a := r.RegisterAlone; a != nil {
		fmt.Fprintln(tw, "\t\t\t\t\t\t\t\t\t")
		writeRow(tw, *a, r.stepRatio(RegisterAlone))
		if b := r.Bare; b != nil {
			writeRow(tw, b.UWSAlone, "")
		}
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if b := r.Bare; b != nil {
		fmt.Fprintf(w, "\nbare lifecycles: %d of %d completed in %.1f s (%.2f/s)\n",
			b.Lifecycles.Completed, b.Lifecycles.Started, b.Lifecycles.Seconds, b.Lifecycles.PerSecond)
		fmt.Fprintf(w, "lifecycles / bare lifecycles: throughput %.2f×\n", b.Ratios.LifecycleThroughput)
		fmt.Fprintf(w, "registrations alone / bare update-with-starts alone: throughput %.2f×, p99 %.2f×\n",
			b.Ratios.RegisterThroughput, b.Ratios.RegisterP99)
		fmt.Fprintln(w, "p99 / bare: a registration against a bare update-with-start, each step against a bare update")
	}
	if d := r.Deadlines; d != nil {
		l := d.Lateness
		spread := ""
		if d.Spread > 0 {
			spread = fmt.Sprintf(" spread over %.0f s", d.Spread)
		}
		fmt.Fprintf(w, "\nresponse deadlines: %d cases due from %s%s, %d escalated, late by p50 %.2f s, p95 %.2f s, p99 %.2f s, max %.2f s\n",
			d.Cases, d.DueAt.Format(time.RFC3339), spread, d.Escalated, l.P50/1000, l.P95/1000, l.P99/1000, l.Max/1000)
		fmt.Fprintf(w, "(registered %d, errors %s; withdrawn %d, errors %s)\n",
			d.Register.OK, errorList(d.Register.Errors, d.Register.Retried), d.Withdraw.OK, errorList(d.Withdraw.Errors, d.Withdraw.Retried))
		if b := d.BareLateness; b != nil {
			fmt.Fprintf(w, "bare timers: %d due from %s woke late by p50 %.2f s, p95 %.2f s, p99 %.2f s, max %.2f s (errors %s)\n",
				b.OK, d.BareDueAt.Format(time.RFC3339), b.P50/1000, b.P95/1000, b.P99/1000, b.Max/1000, errorList(b.Errors, b.Retried))
			fmt.Fprintf(w, "deadline lateness p99 / bare timers p99: %.2f×\n", d.P99ToBare)
		}
	}
	return nil
}

func (r Report) stepRatio(op string) string {
	if r.Bare == nil {
		return "-"
	}
	switch op {
	case Register:
		return fmt.Sprintf("%.2f×", r.Bare.Ratios.LifecycleRegisterP99)
	case RegisterAlone:
		return fmt.Sprintf("%.2f×", r.Bare.Ratios.RegisterP99)
	}
	return fmt.Sprintf("%.2f×", r.Bare.Ratios.StepP99[op])
}

func writeRow(w io.Writer, s OpStats, ratio string) {
	if ratio == "" {
		ratio = "-"
	}
	fmt.Fprintf(w, "%s\t%d\t%.1f\t%.0f\t%.0f\t%.0f\t%.0f\t%s\t%s\t\n",
		s.Op, s.OK, s.PerSecond, s.P50, s.P95, s.P99, s.Max, ratio, errorList(s.Errors, s.Retried))
}

// errorList is "409×3 500×1 (503×2 retried)", or "-".
func errorList(errs, retried map[string]int) string {
	if len(errs) == 0 && len(retried) == 0 {
		return "-"
	}
	var parts []string
	for _, k := range slices.Sorted(maps.Keys(errs)) {
		parts = append(parts, fmt.Sprintf("%s×%d", k, errs[k]))
	}
	var again []string
	for _, k := range slices.Sorted(maps.Keys(retried)) {
		again = append(again, fmt.Sprintf("%s×%d", k, retried[k]))
	}
	if len(again) > 0 {
		parts = append(parts, "("+strings.Join(again, " ")+" retried)")
	}
	return strings.Join(parts, " ")
}
