package server

import (
	"context"
	"log/slog"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/caseflow/caseflow/store"
)

// openCasesTimeout bounds the query of one scrape; a store slower than this
// answers caseflow_case_store_up 0 rather than holding the scrape.
const openCasesTimeout = 5 * time.Second

// unassignedDepartment labels the cases no analysis has given a
// responsible department yet.
const unassignedDepartment = "unassigned"

// openCases reports the open cases by stage and responsible department,
// counted in the case store at each scrape (the supervisor board's query,
// on its index). The server registers it, not the worker; every server
// replica reports the same counts, so a dashboard takes their maximum. Its
// labels carry no personal data.
type openCases struct {
	store              *store.Store
	logger             *slog.Logger
	open, breached, up *prometheus.Desc
}

// NewOpenCasesCollector counts open cases in st at each scrape.
func NewOpenCasesCollector(st *store.Store, logger *slog.Logger) prometheus.Collector {
	if logger == nil {
		logger = slog.Default()
	}
	labels := []string{"stage", "department"}
	return &openCases{store: st, logger: logger,
		open: prometheus.NewDesc("caseflow_open_cases",
			"Open cases (neither closed nor terminated) by stage and responsible department.", labels, nil),
		breached: prometheus.NewDesc("caseflow_open_cases_breached",
			"Open cases with a breached service-level clock, by stage and responsible department.", labels, nil),
		up: prometheus.NewDesc("caseflow_case_store_up",
			"1 when this scrape read the open cases from the case store, 0 when it could not.", nil, nil),
	}
}

func (c *openCases) Describe(ch chan<- *prometheus.Desc) {
	ch <- c.open
	ch <- c.breached
	ch <- c.up
}

func (c *openCases) Collect(ch chan<- prometheus.Metric) {
	if c.store == nil {
		return // a router built without a store (some tests) has nothing to count
	}
	ctx, cancel := context.WithTimeout(context.Background(), openCasesTimeout)
	defer cancel()
	counts, err := c.store.OpenCaseCounts(ctx)
	if err != nil {
		c.logger.Warn("open cases not counted for /metrics", "error", err)
		ch <- prometheus.MustNewConstMetric(c.up, prometheus.GaugeValue, 0)
		return
	}
	ch <- prometheus.MustNewConstMetric(c.up, prometheus.GaugeValue, 1)
	for _, n := range counts {
		department := n.Department
		if department == "" {
			department = unassignedDepartment
		}
		ch <- prometheus.MustNewConstMetric(c.open, prometheus.GaugeValue, float64(n.Count), n.Stage, department)
		ch <- prometheus.MustNewConstMetric(c.breached, prometheus.GaugeValue, float64(n.Breached), n.Stage, department)
	}
}
