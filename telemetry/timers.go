package telemetry

import (
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/uber-go/tally/v4"
	tallyprom "github.com/uber-go/tally/v4/prometheus"
)

// Timers recorded through the Temporal SDK's metrics handler are exported
// as Prometheus histograms, so that a dashboard can take quantiles across
// every worker replica (a summary's quantiles cannot be added up).

// sdkBuckets bound the SDK's own timers (workflow task and activity
// latencies): tally's defaults, 1 ms to 10 s, and then up to 5 minutes for a
// task queue with a backlog.
var sdkBuckets = append(tallyprom.DefaultHistogramBuckets(),
	(30 * time.Second).Seconds(), time.Minute.Seconds(), (5 * time.Minute).Seconds())

// caseflowBuckets bound caseflow's own timers, which measure the service
// levels' time (how late an escalation went out): a second to a day.
var caseflowBuckets = seconds(time.Second, 5*time.Second, 15*time.Second, 30*time.Second, time.Minute,
	5*time.Minute, 15*time.Minute, 30*time.Minute, time.Hour, 2*time.Hour, 4*time.Hour, 12*time.Hour, 24*time.Hour)

// caseflowPrefix names caseflow's metrics; the SDK's start with temporal_.
const caseflowPrefix = "caseflow_"

// newReporter is the registry's tally reporter: timers become histograms,
// caseflow's with buckets of their own.
func newReporter(reg prometheus.Registerer) tally.CachedStatsReporter {
	sdk := tallyprom.NewReporter(tallyprom.Options{Registerer: reg,
		DefaultTimerType: tallyprom.HistogramTimerType, DefaultHistogramBuckets: sdkBuckets})
	own := tallyprom.NewReporter(tallyprom.Options{Registerer: reg,
		DefaultTimerType: tallyprom.HistogramTimerType, DefaultHistogramBuckets: caseflowBuckets})
	return timerRouter{CachedStatsReporter: sdk, caseflow: own}
}

// timerRouter sends caseflow's timers to a reporter with their buckets and
// everything else to the SDK's. The two never register the same name.
type timerRouter struct {
	tally.CachedStatsReporter
	caseflow tally.CachedStatsReporter
}

func (r timerRouter) AllocateTimer(name string, tags map[string]string) tally.CachedTimer {
	if strings.HasPrefix(name, caseflowPrefix) {
		return r.caseflow.AllocateTimer(name, tags)
	}
	return r.CachedStatsReporter.AllocateTimer(name, tags)
}

func seconds(ds ...time.Duration) []float64 {
	out := make([]float64, len(ds))
	for i, d := range ds {
		out[i] = d.Seconds()
	}
	return out
}
