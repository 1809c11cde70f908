package app_test

import (
	"encoding/json"
	"io"
	"maps"
	"net/http"
	"net/http/httptest"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode"

	"github.com/stretchr/testify/require"
	servermetrics "go.temporal.io/server/common/metrics"
	"gopkg.in/yaml.v3"

	"github.com/caseflow/caseflow/app"
)

// The observability profile's files, from app/.
const (
	dashboardFile   = "../deploy/grafana/dashboards/caseflow.json"
	datasourceFile  = "../deploy/grafana/provisioning/datasources/prometheus.yml"
	prometheusFile  = "../deploy/prometheus/prometheus.yml"
	temporalJob     = "temporal"
	caseflowServer  = "caseflow-server"
	caseflowWorker  = "caseflow-worker"
	prometheusOwnUp = "up" // Prometheus writes it for every target
)

type dashboard struct {
	Title  string `json:"title"`
	Panels []struct {
		Title      string `json:"title"`
		Datasource struct {
			Type string `json:"type"`
			UID  string `json:"uid"`
		} `json:"datasource"`
		Targets []struct {
			Expr       string `json:"expr"`
			Datasource struct {
				UID string `json:"uid"`
			} `json:"datasource"`
		} `json:"targets"`
	} `json:"panels"`
}

func loadDashboard(t *testing.T) dashboard {
	t.Helper()
	raw, err := os.ReadFile(dashboardFile)
	require.NoError(t, err)
	var d dashboard
	require.NoError(t, json.Unmarshal(raw, &d))
	return d
}

// bilingual: a title a person reads has Chinese and English words.
func bilingual(title string) bool {
	return strings.ContainsFunc(title, func(r rune) bool { return unicode.Is(unicode.Han, r) }) &&
		regexp.MustCompile(`[A-Za-z]{3,}`).MatchString(title)
}

// TestObservabilityFiles checks the profile's files as Prometheus and
// Grafana read them: prometheus.yml scrapes Temporal, the server and the
// worker; the dashboard loads, and each panel and query names the
// provisioned data source and has a title in both languages.
func TestObservabilityFiles(t *testing.T) {
	var prom struct {
		ScrapeConfigs []struct {
			JobName       string `yaml:"job_name"`
			StaticConfigs []struct {
				Targets []string `yaml:"targets"`
			} `yaml:"static_configs"`
			DNSSDConfigs []struct {
				Names []string `yaml:"names"`
				Type  string   `yaml:"type"`
				Port  int      `yaml:"port"`
			} `yaml:"dns_sd_configs"`
		} `yaml:"scrape_configs"`
	}
	raw, err := os.ReadFile(prometheusFile)
	require.NoError(t, err)
	require.NoError(t, yaml.Unmarshal(raw, &prom))
	targets := map[string][]string{}
	for _, sc := range prom.ScrapeConfigs {
		for _, s := range sc.StaticConfigs {
			targets[sc.JobName] = append(targets[sc.JobName], s.Targets...)
		}
		for _, d := range sc.DNSSDConfigs {
			for _, n := range d.Names {
				targets[sc.JobName] = append(targets[sc.JobName], n+":"+strconv.Itoa(d.Port))
			}
		}
	}
	require.Equal(t, map[string][]string{
		temporalJob:    {"temporal:8000"}, // PROMETHEUS_ENDPOINT in docker-compose.yml
		caseflowServer: {"caseflow-server:9090"},
		caseflowWorker: {"caseflow-worker:9090"},
	}, targets)

	var ds struct {
		Datasources []struct {
			UID  string `yaml:"uid"`
			Type string `yaml:"type"`
			URL  string `yaml:"url"`
		} `yaml:"datasources"`
	}
	raw, err = os.ReadFile(datasourceFile)
	require.NoError(t, err)
	require.NoError(t, yaml.Unmarshal(raw, &ds))
	require.Len(t, ds.Datasources, 1)
	source := ds.Datasources[0]
	require.Equal(t, "prometheus", source.Type)
	require.Equal(t, "http://prometheus:9090", source.URL)

	d := loadDashboard(t)
	require.True(t, bilingual(d.Title), "dashboard title %q", d.Title)
	require.NotEmpty(t, d.Panels)
	for _, p := range d.Panels {
		require.True(t, bilingual(p.Title), "panel title %q in Chinese and English", p.Title)
		require.Equal(t, source.UID, p.Datasource.UID, "panel %q reads the provisioned data source", p.Title)
		require.Equal(t, "prometheus", p.Datasource.Type, p.Title)
		require.NotEmpty(t, p.Targets, p.Title)
		for _, q := range p.Targets {
			require.Equal(t, source.UID, q.Datasource.UID, "query of %q", p.Title)
			require.NotEmpty(t, selectors(q.Expr), "query of %q: %s", p.Title, q.Expr)
		}
	}
}

// TestObservabilityDashboardMatchesMetrics runs a case past its deadline
// and two escalation levels on the real stack, with a webhook that refuses
// every notification, and scrapes /metrics as Prometheus does: every
// caseflow series a dashboard query selects is there, with the values of
// what happened; the Temporal SDK's are there unless only a failure counts
// them; the Temporal server's are metrics of the pinned server. On each
// case store, since the server counts the open cases there.
func TestObservabilityDashboardMatchesMetrics(t *testing.T) {
	refusing := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		http.Error(w, "gone", http.StatusGone) // permanent: not retried
	}))
	t.Cleanup(refusing.Close)
	for _, b := range stackBackends() {
		t.Run(b.name, func(t *testing.T) {
			env := map[string]string{
				"CASEFLOW_WEBHOOK_SECRET":     webhookSecret,
				"CASEFLOW_WEBHOOK_ALLOW_HTTP": "true",
				"CASEFLOW_WEBHOOK_ALLOW":      "127.0.0.0/8",
			}
			maps.Copy(env, b.env(t))
			dashboardMatchesMetrics(t, startStack(t, devConfig(t.TempDir(), env)), refusing.URL)
		})
	}
}

// dashboardMatchesMetrics is the test on one stack; refusingURL is a
// webhook that refuses every notification.
func dashboardMatchesMetrics(t *testing.T, stack *app.Stack, refusingURL string) {
	admin := as(t, stack, "after_sales", "admin")
	supervisor := as(t, stack, "after_sales", "supervisor")
	status, body := admin.do(http.MethodPost, "/api/v1/admin/users", map[string]any{"name": "Refused Lead",
		"department": "after_sales", "roles": []string{"supervisor"}, "webhook_url": refusingURL}, nil)
	require.Equal(t, http.StatusCreated, status, "%v", body)
	lead := []map[string]any{{"role": "supervisor", "department": "after_sales"}}
	status, body = supervisor.do(http.MethodPut, "/api/v1/sla-policies/observed", map[string]any{
		"response": "2s", "onsite": "1h", "resolution": "1h",
		"escalation": []map[string]any{
			{"level": 1, "after": "0s", "recipients": lead},
			{"level": 2, "after": "1s", "recipients": lead},
		},
	}, nil)
	require.Equal(t, http.StatusOK, status, "%v", body)
	status, body = supervisor.do(http.MethodPut, "/api/v1/customers/C-OBS",
		map[string]any{"name": "Observed Co", "sla_policy": "observed"}, nil)
	require.Equal(t, http.StatusOK, status, "%v", body)

	w := newCase(t, stack, map[string]any{"customer_id": "C-OBS", "category": "non_quality",
		"received_at": time.Now().UTC().Format(time.RFC3339Nano)})
	stage := w.stage()
	eventually(t, func() bool {
		_, got := agent(t, stack).do(http.MethodGet, "/api/v1/complaints/"+w.id, nil, nil)
		r := got["clocks"].(map[string]any)["response"].(map[string]any)
		return r["state"] == "breached" && r["escalation_level"] == float64(2)
	}, "the response clock breaches and escalates twice")
	// A step, for the step latency.
	w.step("after_sales", "agent", "contact", note("called back, late"))
	require.Equal(t, stage, w.stage())

	var exposed []sample
	require.Eventually(t, func() bool {
		exposed = scrape(t, stack.MetricsURL()+"/metrics")
		// The SDK's tally scope reports every second; the webhook's refusals
		// are counted once both escalations' deliveries ran.
		return sum(exposed, "caseflow_clock_escalations_total", nil) == 2 &&
			sum(exposed, "caseflow_notifications_failed_total", nil) == 2
	}, 30*time.Second, 200*time.Millisecond, "escalations and refused notifications are counted")

	response := map[string]string{"clock": "response"}
	require.Equal(t, 1.0, sum(exposed, "caseflow_clock_breaches_total", response))
	for _, level := range []string{"1", "2"} {
		at := map[string]string{"clock": "response", "level": level}
		require.Equal(t, 1.0, sum(exposed, "caseflow_clock_escalations_total", at), "level %s", level)
		require.Equal(t, 1.0, sum(exposed, "caseflow_clock_escalation_lateness_seconds_count", at), "level %s", level)
		require.Less(t, sum(exposed, "caseflow_clock_escalation_lateness_seconds_sum", at), 30.0,
			"level %s went out on time, give or take a loaded machine", level)
	}
	require.Equal(t, 2.0, sum(exposed, "caseflow_notifications_failed_total",
		map[string]string{"channel": "webhook", "kind": "escalation"}))
	require.Equal(t, 1.0, sum(exposed, "caseflow_open_cases", map[string]string{"stage": stage}))
	require.Equal(t, 1.0, sum(exposed, "caseflow_open_cases", nil), "the one case is all that is open")
	require.Equal(t, 1.0, sum(exposed, "caseflow_open_cases_breached", map[string]string{"stage": stage}))
	require.Equal(t, 1.0, sum(exposed, "caseflow_case_store_up", nil))
	require.Equal(t, 1.0, sum(exposed, "caseflow_http_request_duration_seconds_count",
		map[string]string{"method": "POST", "route": "/api/v1/complaints/:id/contact", "status": "200"}))

	server := temporalServerMetrics()
	for _, p := range loadDashboard(t).Panels {
		for _, q := range p.Targets {
			for _, sel := range selectors(q.Expr) {
				job := ""
				for _, m := range sel.matchers {
					if m.label == "job" {
						require.Equal(t, "=", m.op, "%s in %q", sel.name, p.Title)
						job = m.value
					}
				}
				switch {
				case sel.name == prometheusOwnUp:
				case job == temporalJob:
					base := regexp.MustCompile(`_(bucket|sum|count)$`).ReplaceAllString(sel.name, "")
					require.Contains(t, server, base, "%q: %s is a metric of the pinned Temporal server", p.Title, sel.name)
				case strings.HasPrefix(sel.name, "temporal_") && onlyOnFailure[sel.name]:
				default:
					require.Contains(t, []string{caseflowServer, caseflowWorker}, job, "%q: %s names its job", p.Title, sel.name)
					require.True(t, slices.ContainsFunc(exposed, sel.matches),
						"%q: no exposed series matches %s%v", p.Title, sel.name, sel.matchers)
				}
			}
		}
	}
}

// onlyOnFailure are SDK counters that appear once something has failed.
var onlyOnFailure = map[string]bool{
	"temporal_workflow_task_execution_failed_total": true,
	"temporal_activity_execution_failed_total":      true,
}

// temporalServerMetrics are the names the dashboard may use from the
// Temporal server (its tally Prometheus reporter exports them as named,
// timers as histograms with _bucket, _sum and _count).
func temporalServerMetrics() []string {
	return []string{servermetrics.ServiceRequests.Name(), servermetrics.ServiceFailures.Name(),
		servermetrics.ServiceLatency.Name(), servermetrics.PersistenceRequests.Name(),
		servermetrics.PersistenceFailures.Name(), servermetrics.PersistenceLatency.Name()}
}

// sample is one line of the text exposition format.
type sample struct {
	name   string
	labels map[string]string
	value  float64
}

var (
	sampleLine = regexp.MustCompile(`^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)(?: \d+)?$`)
	labelPair  = regexp.MustCompile(`([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"`)
)

// scrape reads /metrics as Prometheus does, in the text format.
func scrape(t *testing.T, url string) []sample {
	t.Helper()
	resp, err := http.Get(url)
	require.NoError(t, err)
	defer resp.Body.Close()
	require.Equal(t, http.StatusOK, resp.StatusCode)
	raw, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	var out []sample
	for line := range strings.SplitSeq(string(raw), "\n") {
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		m := sampleLine.FindStringSubmatch(line)
		require.NotNil(t, m, "exposition line %q", line)
		v, err := strconv.ParseFloat(m[3], 64)
		require.NoError(t, err, line)
		s := sample{name: m[1], labels: map[string]string{}, value: v}
		for _, l := range labelPair.FindAllStringSubmatch(m[2], -1) {
			s.labels[l[1]], err = strconv.Unquote(`"` + l[2] + `"`)
			require.NoError(t, err, line)
		}
		out = append(out, s)
	}
	return out
}

// sum adds the values of the series of name that carry every label of want.
func sum(samples []sample, name string, want map[string]string) float64 {
	total := 0.0
	for _, s := range samples {
		if s.name != name {
			continue
		}
		ok := true
		for k, v := range want {
			ok = ok && s.labels[k] == v
		}
		if ok {
			total += s.value
		}
	}
	return total
}

// selector is a metric name with its label matchers, as a query uses it.
type selector struct {
	name     string
	matchers []matcher
}

type matcher struct{ label, op, value string }

// matches says whether s is a series sel selects; job and instance are
// Prometheus' target labels, which no process exposes.
func (sel selector) matches(s sample) bool {
	if s.name != sel.name {
		return false
	}
	for _, m := range sel.matchers {
		if m.label == "job" || m.label == "instance" {
			continue
		}
		v := s.labels[m.label]
		var ok bool
		switch m.op {
		case "=":
			ok = v == m.value
		case "!=":
			ok = v != m.value
		case "=~", "!~":
			ok = regexp.MustCompile(`^(?:`+m.value+`)$`).MatchString(v) == (m.op == "=~")
		}
		if !ok {
			return false
		}
	}
	return true
}

// PromQL without its parser (github.com/prometheus/prometheus is not a
// dependency): in this order,
//   - braces holds a {…} matcher list (whose strings may hold anything but
//     an unescaped quote), each of whose matchers is matcherPart;
//   - what is left loses its strings (label_replace's arguments), ranges
//     and subqueries […] and grouping clauses by/without/on/ignoring (…);
//   - a token that starts with a digit is a number or a duration
//     (0.95, 1h after offset); an identifier is a metric name unless a (
//     follows it (a function or an aggregation) or it is a PromQL keyword.
var (
	braces      = regexp.MustCompile(`\{(?:[^}"]|"(?:[^"\\]|\\.)*")*\}`)
	matcherPart = regexp.MustCompile(`([a-zA-Z_][a-zA-Z0-9_]*)\s*(=~|!~|!=|=)\s*"((?:[^"\\]|\\.)*)"`)
	leftovers   = regexp.MustCompile(`"(?:[^"\\]|\\.)*"|\[[^\]]*\]|\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)`)
	identifier  = regexp.MustCompile(`[0-9][0-9a-zA-Z_.]*|([a-zA-Z_:][a-zA-Z0-9_:]*)\s*(?:(\()|#(\d+)#)?`)
	keywords    = []string{"and", "or", "unless", "bool", "offset", "inf", "nan"}
)

// selectors lists the metric selectors of a query.
func selectors(expr string) []selector {
	var lists [][]matcher
	expr = braces.ReplaceAllStringFunc(expr, func(b string) string {
		var ms []matcher
		for _, m := range matcherPart.FindAllStringSubmatch(b, -1) {
			v, _ := strconv.Unquote(`"` + m[3] + `"`)
			ms = append(ms, matcher{label: m[1], op: m[2], value: v})
		}
		lists = append(lists, ms)
		return "#" + strconv.Itoa(len(lists)-1) + "#"
	})
	expr = leftovers.ReplaceAllString(expr, " ")
	var out []selector
	for _, m := range identifier.FindAllStringSubmatch(expr, -1) {
		if m[1] == "" || m[2] == "(" || slices.Contains(keywords, strings.ToLower(m[1])) {
			continue
		}
		sel := selector{name: m[1]}
		if m[3] != "" {
			i, _ := strconv.Atoi(m[3])
			sel.matchers = lists[i]
		}
		out = append(out, sel)
	}
	return out
}
