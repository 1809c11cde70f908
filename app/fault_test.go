//go:build fault

package app_test

import (
	"encoding/base64"
	"fmt"
	"math/rand/v2"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/caseflow/caseflow/app"
)

// The fault suite's policy of seconds: a fast case's response clock warns
// at 5 s, breaches at 10 s and escalates at 10 s and 14 s; its resolution
// clock warns at 10 s, breaches at 20 s and escalates at 20 s and 24 s.
const (
	faultCustomer     = "C-FAULT"
	faultResponseDone = 18 * time.Second // every response-clock event is due
	faultLastEvent    = 24 * time.Second
)

var faultPolicy = map[string]any{
	"response": "10s", "onsite": "1h", "resolution": "20s",
	"warning_points": []float64{0.5},
	"escalation": []map[string]any{
		{"level": 1, "after": "0s", "recipients": []map[string]any{{"role": "admin", "department": "quality"}}},
		{"level": 2, "after": "4s", "recipients": []map[string]any{{"role": "admin", "department": "quality"}}},
	},
}

// The schedule of one run, from the start of the load.
const (
	loadFor          = 55 * time.Second // new cases start until then
	caseEvery        = 1500 * time.Millisecond
	maxClients       = 8 // requests in flight at once
	receiversDownAt  = 3 * time.Second
	receiversDownFor = time.Minute
	outageAt         = 10 * time.Second
	outageFor        = 30 * time.Second
	killsPerRun      = 12
	killsWithin      = 70 * time.Second
	// for deliveries after the receivers are back: a delivery a SIGKILL
	// cut short is retried after its 2-minute start-to-close timeout
	settleFor = 5 * time.Minute
)

// TestFaultSuite runs the real caseflow binary as separate processes on each
// database and, while careful clients register and walk cases, makes the
// case store refuse connections for 30 s, takes the webhook receiver and
// the SMTP server down for a minute, SIGKILLs workers and the whole dev
// process (its embedded Temporal server with it) at random moments, and
// restarts the Temporal server once. Then it checks that nothing was lost,
// duplicated or applied behind a client's back, and prints the counts.
// CASEFLOW_FAULT_SEED replays a run's random choices.
func TestFaultSuite(t *testing.T) {
	bin := buildCaseflow(t)
	seed := uint64(time.Now().UnixNano())
	if s, err := strconv.ParseUint(os.Getenv("CASEFLOW_FAULT_SEED"), 10, 64); err == nil {
		seed = s
	}
	for _, b := range stackBackends() {
		t.Run(b.name, func(t *testing.T) {
			// The runs mostly wait (on clocks, outages and retries), so the
			// databases take their turns at once.
			t.Parallel()
			t.Logf("CASEFLOW_FAULT_SEED=%d", seed)
			runFaults(t, bin, b.env(t), seed)
		})
	}
}

// faultRun is one run's processes and what happened to them.
type faultRun struct {
	dev     *faultProc
	workers []*faultProc
	env     map[string]string
	apiURL  string

	mu          sync.Mutex
	log         []string // the faults, with their times
	workerKills int
	devKills    int
	restarts    int // graceful restarts of the dev process (and its Temporal server)
}

func runFaults(t *testing.T, bin string, backendEnv map[string]string, seed uint64) {
	rng := rand.New(rand.NewPCG(seed, 0x5eed))
	recv := startReceivers(t)
	hookProxy := newSwitchProxy(t, recv.webhookURL[len("http://"):])
	mailProxy := newSwitchProxy(t, recv.smtpAddr)

	dataDir := t.TempDir()
	env := map[string]string{
		"TEMPORAL_ADDRESS":            freeAddr(t),
		"CASEFLOW_HTTP_ADDR":          freeAddr(t),
		"CASEFLOW_UI_ADDR":            "127.0.0.1:0",
		"CASEFLOW_METRICS_ADDR":       "127.0.0.1:0",
		"CASEFLOW_DATA_DIR":           dataDir,
		"DATABASE_URL":                "sqlite:" + filepath.Join(dataDir, "cases.db"),
		"CASEFLOW_LOG_LEVEL":          "warn",
		"CASEFLOW_SMTP_ADDR":          mailProxy.addr,
		"CASEFLOW_SMTP_TLS":           "none",
		"CASEFLOW_WEBHOOK_SECRET":     webhookSecret,
		"CASEFLOW_WEBHOOK_URL":        "http://" + hookProxy.addr + "/hook",
		"CASEFLOW_WEBHOOK_ALLOW_HTTP": "true",
		"CASEFLOW_WEBHOOK_ALLOW":      "127.0.0.0/8",
	}
	for k, v := range backendEnv {
		env[k] = v
	}
	// The API signs each step's actor and every worker verifies it: all
	// processes share one key.
	if slices.ContainsFunc(app.Variables, func(v app.Variable) bool { return v.Name == "CASEFLOW_ACTOR_KEYS" }) {
		env["CASEFLOW_ACTOR_KEYS"] = "fault:" + base64.StdEncoding.EncodeToString([]byte(strings.Repeat("fault-suite-key!", 2)))
	}
	// So do the keys that seal their payloads.
	if slices.ContainsFunc(app.Variables, func(v app.Variable) bool { return v.Name == "CASEFLOW_KEYRING" }) {
		env["CASEFLOW_KEYRING"] = "fault:" + base64.StdEncoding.EncodeToString([]byte(strings.Repeat("fault-payload-k!", 2)))
	}
	run := &faultRun{env: env, apiURL: "http://" + env["CASEFLOW_HTTP_ADDR"]}
	run.dev = startFaultProc(t, "dev", env, rng, bin, "dev")
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("dev log:\n%s", run.dev.tail(60))
			for _, w := range run.workers {
				t.Logf("%s log:\n%s", w.name, w.tail(30))
			}
		}
	})
	faultWaitReady(t, run.apiURL, 2*time.Minute)
	// Extra workers on the dev process's Temporal server and store, killed on
	// their own; dev's own worker polls the same task queue.
	for i := range 2 {
		run.workers = append(run.workers, startFaultProc(t, fmt.Sprintf("worker%d", i+1), env, rng, bin, "worker"))
	}
	tokens := setUpFaultStack(t, run.apiURL, dataDir, recv.webhookURL)

	l := &faultLedger{}
	outage := newStoreOutage(t, env["DATABASE_URL"])
	start := time.Now()
	var faults sync.WaitGroup
	faults.Go(func() {
		faultSleepUntil(start.Add(receiversDownAt))
		hookProxy.down()
		mailProxy.down()
		run.note("receivers down")
		faultSleepUntil(start.Add(receiversDownAt + receiversDownFor))
		run.note("receivers up")
		for _, p := range []*switchProxy{hookProxy, mailProxy} {
			if err := p.up(); err != nil {
				t.Errorf("receiver back up: %v", err)
			}
		}
	})
	faults.Go(func() {
		faultSleepUntil(start.Add(outageAt))
		if err := outage.begin(t.Context()); err != nil {
			t.Errorf("store outage: %v", err)
		}
		run.note("store outage begins")
		faultSleepUntil(start.Add(outageAt + outageFor))
		if err := outage.end(); err != nil {
			t.Errorf("store back: %v", err)
		}
		run.note("store back")
	})
	faults.Go(func() { run.chaos(start, rng) })

	cases := driveLoad(t, run.apiURL, tokens, l, seed)
	faults.Wait()
	t.Logf("load and faults done after %s; load began %s; faults:\n%s", time.Since(start).Round(time.Second),
		start.Format("15:04:05.000"), strings.Join(run.log, "\n"))

	// Every fast case's clocks have had their time; deliveries may still
	// be retrying after the receivers' minute away.
	var lastDue time.Time
	for _, c := range cases {
		if c.fast && c.receivedAt.Add(faultLastEvent).After(lastDue) {
			lastDue = c.receivedAt.Add(faultLastEvent)
		}
	}
	faultSleepUntil(lastDue.Add(2 * time.Second))
	checkFaultInvariants(t, run, cases, l, recv)
	t.Logf("checked after %s", time.Since(start).Round(time.Second))
}

// note records a fault with its time.
func (r *faultRun) note(format string, args ...any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.log = append(r.log, time.Now().Format("15:04:05.000 ")+fmt.Sprintf(format, args...))
}

// chaos SIGKILLs a worker or the whole dev process at random moments, and
// restarts the dev process (its Temporal server with it) gracefully once.
func (r *faultRun) chaos(start time.Time, rng *rand.Rand) {
	moments := make([]time.Duration, killsPerRun)
	for i := range moments {
		moments[i] = time.Duration(rng.Int64N(int64(killsWithin-3*time.Second))) + 3*time.Second
	}
	slices.Sort(moments)
	graceful := time.Duration(rng.Int64N(int64(40*time.Second))) + 20*time.Second
	for i, at := range moments {
		if graceful > 0 && graceful < at {
			faultSleepUntil(start.Add(graceful))
			for !r.dev.signal(syscall.SIGTERM, 3*time.Second) {
				time.Sleep(200 * time.Millisecond)
			}
			r.note("SIGTERM dev (Temporal restart)")
			r.mu.Lock()
			r.restarts++
			r.mu.Unlock()
			graceful = 0
		}
		faultSleepUntil(start.Add(at))
		// One kill in three takes the whole process. A target that is
		// still coming back is waited for.
		for {
			if i%3 == 0 {
				if r.dev.signal(syscall.SIGKILL, 3*time.Second) {
					r.note("SIGKILL dev")
					r.mu.Lock()
					r.devKills++
					r.mu.Unlock()
					break
				}
			} else if w := r.workers[rng.IntN(len(r.workers))]; w.kill() {
				r.note("SIGKILL %s", w.name)
				r.mu.Lock()
				r.workerKills++
				r.mu.Unlock()
				break
			}
			time.Sleep(200 * time.Millisecond)
		}
	}
}

// driveLoad starts a case every caseEvery until loadFor has passed, two of
// three under the policy of seconds, with at most maxClients requests in
// flight, and returns them once every client is done.
func driveLoad(t *testing.T, apiURL string, tokens map[string]string, l *faultLedger, seed uint64) []*faultCase {
	client := newCarefulClient(apiURL, l, seed, maxClients)
	var cases []*faultCase
	var wg sync.WaitGroup
	deadline := time.Now().Add(loadFor)
	for i := 0; time.Now().Before(deadline); i++ {
		fc := &faultCase{fast: i%3 != 0, receivedAt: time.Now().UTC()}
		fc.label = fmt.Sprintf("s%d", i)
		if fc.fast {
			fc.label = fmt.Sprintf("f%d", i)
		}
		fc.regKey = "reg-" + fc.label
		cases = append(cases, fc)
		wg.Go(func() { fc.drive(t.Context(), client, tokens) })
		time.Sleep(caseEvery)
	}
	wg.Wait()
	return cases
}

// setUpFaultStack reads the demo users' tokens, adds the recipients with
// e-mail addresses, and puts the policy of seconds on the fault customer.
func setUpFaultStack(t *testing.T, apiURL, dataDir, webhookURL string) map[string]string {
	t.Helper()
	tokens := demoTokens(t, dataDir)
	admin := apiClient{t: t, base: apiURL, token: tokens["after_sales/admin"]}
	for _, u := range []map[string]any{
		{"name": "Fault Desk", "department": "after_sales", "roles": []string{"agent"}, "email": "desk@example.com"},
		{"name": "Fault Watch", "department": "quality", "roles": []string{"admin"}, "email": "watch@example.com"},
	} {
		status, body := admin.do(http.MethodPost, "/api/v1/admin/users", u, nil)
		require.Equal(t, http.StatusCreated, status, "%v", body)
	}
	supervisor := apiClient{t: t, base: apiURL, token: tokens["after_sales/supervisor"]}
	status, body := supervisor.do(http.MethodPut, "/api/v1/sla-policies/fault", faultPolicy, nil)
	require.Equal(t, http.StatusOK, status, "%v", body)
	status, body = supervisor.do(http.MethodPut, "/api/v1/customers/"+faultCustomer,
		map[string]any{"name": "Fault Co", "sla_policy": "fault"}, nil)
	require.Equal(t, http.StatusOK, status, "%v", body)
	return tokens
}

// faultWaitReady waits until the API answers /readyz.
func faultWaitReady(t *testing.T, apiURL string, within time.Duration) {
	t.Helper()
	require.Eventually(t, func() bool {
		resp, err := http.Get(apiURL + "/readyz")
		if err != nil {
			return false
		}
		resp.Body.Close()
		return resp.StatusCode == http.StatusOK
	}, within, 200*time.Millisecond, "caseflow dev answers /readyz")
}

func faultSleepUntil(at time.Time) { time.Sleep(time.Until(at)) }

// storeErrors counts the log lines of every process that report the store
// refusing: the evidence that the outage reached them.
func (r *faultRun) storeErrors() int {
	n := 0
	for _, p := range append([]*faultProc{r.dev}, r.workers...) {
		n += p.count("database is locked", "SQLITE_BUSY", "not currently accepting connections",
			"terminating connection", "does not allow connections")
	}
	return n
}
