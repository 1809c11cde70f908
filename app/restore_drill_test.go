//go:build drill

package app_test

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"maps"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/stretchr/testify/require"
	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/sdk/client"
	sdklog "go.temporal.io/sdk/log"

	"github.com/caseflow/caseflow/store/storetest"
)

// The drill's databases and their owner roles, laid out as
// docker-compose.yml lays out production's: Temporal's two databases owned
// by one role, the case store by another, neither a superuser.
const (
	drillCaseflowDB   = "caseflow_drill"
	drillTemporalDB   = "temporal_drill"
	drillVisibilityDB = drillTemporalDB + "_visibility" // where dev puts it
	drillCaseflowRole = "caseflow_drill"
	drillTemporalRole = "temporal_drill"
	// The roles' password: the restore recreates them from the backup, with it.
	drillPassword = "drill-password"
	// The response target of the drill's policy: the deadline case comes
	// due after the backup, and after the restore on most machines.
	drillResponse = 75 * time.Second
)

// TestRestoreDrill backs up a running caseflow's three databases with
// deploy/backup/backup.sh, destroys them (databases and owner roles),
// restores them with restore.sh, and requires every case back as it was,
// with its workflow running, and a deadline that falls after the backup to
// escalate on time.
func TestRestoreDrill(t *testing.T) {
	base := os.Getenv(storetest.EnvDatabaseURL)
	if base == "" {
		t.Skipf("%s is not set", storetest.EnvDatabaseURL)
	}
	bin := buildCaseflow(t)
	cluster := newDrillCluster(t, base)
	dataDir := t.TempDir() // dev's demo users' tokens and actor keys outlive the databases
	env := map[string]string{
		"TEMPORAL_ADDRESS":               freeAddr(t),
		"CASEFLOW_HTTP_ADDR":             freeAddr(t),
		"CASEFLOW_UI_ADDR":               "127.0.0.1:0",
		"CASEFLOW_METRICS_ADDR":          "127.0.0.1:0",
		"CASEFLOW_DATA_DIR":              dataDir,
		"DATABASE_URL":                   cluster.url(drillCaseflowRole, drillCaseflowDB),
		"CASEFLOW_TEMPORAL_DATABASE_URL": cluster.url(drillTemporalRole, drillTemporalDB),
		"CASEFLOW_LOG_LEVEL":             "warn",
	}
	apiURL := "http://" + env["CASEFLOW_HTTP_ADDR"]

	dev := startDrillDev(t, bin, env, "dev-before")
	dev.waitReady(t, apiURL)
	t.Logf("caseflow dev ready on PostgreSQL after %s", time.Since(dev.started).Round(100*time.Millisecond))
	tokens := demoTokens(t, dataDir)
	agent := apiClient{t: t, base: apiURL, token: tokens["after_sales/agent"]}
	supervisor := apiClient{t: t, base: apiURL, token: tokens["after_sales/supervisor"]}

	var ids []string
	register := func(changes map[string]any) string {
		body := validComplaint()
		maps.Copy(body, changes)
		status, got := agent.do(http.MethodPost, "/api/v1/complaints", body, nil)
		require.Equal(t, http.StatusCreated, status, "%v", got)
		ids = append(ids, got["id"].(string))
		return got["id"].(string)
	}
	step := func(id, name string, body any) map[string]any {
		status, got := agent.do(http.MethodPost, "/api/v1/complaints/"+id+"/"+name, body, nil)
		require.Equal(t, http.StatusOK, status, "%s: %v", name, got)
		return got
	}
	analyzed := register(nil)
	step(analyzed, "contact", note("called the customer back"))
	step(analyzed, "confirm", map[string]any{"note": "sales confirmed the order", "order_number": "SO-2026-0042"})
	step(register(map[string]any{"severity": "minor"}), "contact", note("called back"))
	untouched := register(map[string]any{"category": "non_quality", "severity": "minor"})

	// Last, so that its deadline lies as far behind the backup as it can.
	status, body := supervisor.do(http.MethodPut, "/api/v1/sla-policies/drill", map[string]any{
		"response": drillResponse.String(), "onsite": "1h", "resolution": "1h", "warning_points": []float64{0.9},
		"escalation": []map[string]any{{"level": 1, "after": "0s",
			"recipients": []map[string]any{{"role": "supervisor", "department": "after_sales"}}}},
	}, nil)
	require.Equal(t, http.StatusOK, status, "%v", body)
	status, body = supervisor.do(http.MethodPut, "/api/v1/customers/C-DRILL",
		map[string]any{"name": "Drill Co", "sla_policy": "drill"}, nil)
	require.Equal(t, http.StatusOK, status, "%v", body)
	deadlineCase := register(map[string]any{"customer_id": "C-DRILL", "category": "non_quality",
		"received_at": time.Now().UTC().Format(time.RFC3339Nano)})

	before := map[string]map[string]any{}
	for _, id := range ids {
		before[id] = drillRead(t, agent, id)
	}
	due := drillDue(t, before[deadlineCase])
	require.WithinRange(t, due, time.Now().Add(drillResponse-20*time.Second), time.Now().Add(drillResponse))
	requireWorkflowsRunning(t, env["TEMPORAL_ADDRESS"], ids)
	dev.stop(t)
	// Nothing was escalated yet, so an escalation after the restore can only
	// come from a timer that the restore brought back.
	require.True(t, time.Now().Before(due), "the deadline passed before the backup: the machine is too slow for this drill")

	databases := []string{drillTemporalDB, drillVisibilityDB, drillCaseflowDB}
	backup := strings.TrimSpace(runBackupScript(t, cluster.env, "backup.sh", append([]string{t.TempDir()}, databases...)...))
	manifest, err := os.ReadFile(filepath.Join(backup, "manifest"))
	require.NoError(t, err)
	for _, line := range []string{"database: temporal_drill temporal_drill temporal_drill.dump",
		"database: temporal_drill_visibility temporal_drill temporal_drill_visibility.dump",
		"database: caseflow_drill caseflow_drill caseflow_drill.dump"} {
		require.Contains(t, string(manifest), line+"\n")
	}
	// Without --drop-existing, restore.sh leaves existing databases alone.
	_, err = backupScript(cluster.env, "restore.sh", backup).Output()
	require.Error(t, err, "restore.sh over existing databases")

	cluster.destroy(t)
	runBackupScript(t, cluster.env, "restore.sh", backup)

	dev = startDrillDev(t, bin, env, "dev-after")
	dev.waitReady(t, apiURL)
	for _, id := range ids {
		got := drillRead(t, agent, id)
		if id == deadlineCase { // its clock may have fired since
			require.Equal(t, drillDeadlines(before[id]), drillDeadlines(got), "case %s", id)
			continue
		}
		require.Equal(t, before[id], got, "case %s reads back as it was", id)
	}
	requireWorkflowsRunning(t, env["TEMPORAL_ADDRESS"], ids)
	// The workflow takes the next step, from where the store says it stood.
	got := step(untouched, "contact", note("called back after the restore"))
	require.Equal(t, before[untouched]["version"].(float64)+1, got["version"])
	t.Logf("restored and running again, %s before the deadline", time.Until(due).Round(time.Second))

	// The deadline's escalation, written when the restored timer fired.
	var escalated map[string]any
	for giveUp := due.Add(time.Minute); escalated == nil; time.Sleep(time.Second) {
		require.True(t, time.Now().Before(giveUp), "no escalation a minute after the restored deadline")
		escalated = drillEscalation(t, supervisor, deadlineCase, due)
	}
	created, err := time.Parse(time.RFC3339Nano, escalated["created_at"].(string))
	require.NoError(t, err)
	require.False(t, created.Before(due), "escalated at %s, before its deadline %s", created, due)
	t.Logf("the restored deadline escalated %s after it came due", created.Sub(due).Round(time.Millisecond))
	require.Equal(t, "breached", drillRead(t, agent, deadlineCase)["clocks"].(map[string]any)["response"].(map[string]any)["state"])
	dev.stop(t)
}

// drillCluster is the drill's roles and databases on the test server.
type drillCluster struct {
	base  *url.URL
	admin *sqlx.DB
	// env is libpq's environment for the scripts, from the base URL.
	env []string
}

func newDrillCluster(t *testing.T, base string) *drillCluster {
	t.Helper()
	u, err := url.Parse(base)
	require.NoError(t, err)
	admin, err := sqlx.Open("postgres", base)
	require.NoError(t, err)
	c := &drillCluster{base: u, admin: admin}
	port := u.Port()
	if port == "" {
		port = "5432"
	}
	c.env = append(os.Environ(), "PGHOST="+u.Hostname(), "PGPORT="+port, "PGUSER="+u.User.Username(),
		"PGDATABASE="+strings.TrimPrefix(u.Path, "/"))
	if password, ok := u.User.Password(); ok {
		c.env = append(c.env, "PGPASSWORD="+password)
	}
	// libpq refuses an empty PGSSLMODE.
	if mode := u.Query().Get("sslmode"); mode != "" {
		c.env = append(c.env, "PGSSLMODE="+mode)
	}
	c.destroy(t) // what an interrupted run left
	t.Cleanup(func() {
		c.destroy(t)
		admin.Close()
	})
	for _, role := range []string{drillTemporalRole, drillCaseflowRole} {
		c.exec(t, "CREATE ROLE "+role+" LOGIN PASSWORD '"+drillPassword+"'")
	}
	for db, owner := range map[string]string{drillTemporalDB: drillTemporalRole,
		drillVisibilityDB: drillTemporalRole, drillCaseflowDB: drillCaseflowRole} {
		c.exec(t, "CREATE DATABASE "+db+" OWNER "+owner)
		c.exec(t, "REVOKE ALL ON DATABASE "+db+" FROM PUBLIC")
	}
	return c
}

// url is a database's URL as its owner role.
func (c *drillCluster) url(role, db string) string {
	u := *c.base
	u.User = url.UserPassword(role, drillPassword)
	u.Path = "/" + db
	return u.String()
}

// destroy drops the databases and roles; cleanup calls it after the test's
// context has ended.
func (c *drillCluster) destroy(t *testing.T) {
	for _, db := range []string{drillTemporalDB, drillVisibilityDB, drillCaseflowDB} {
		c.exec(t, "DROP DATABASE IF EXISTS "+db+" WITH (FORCE)")
	}
	c.exec(t, "DROP ROLE IF EXISTS "+drillTemporalRole)
	c.exec(t, "DROP ROLE IF EXISTS "+drillCaseflowRole)
}

func (c *drillCluster) exec(t *testing.T, statement string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	_, err := c.admin.ExecContext(ctx, statement)
	require.NoError(t, err, statement)
}

// backupScript is a command running one of deploy/backup's scripts.
func backupScript(env []string, script string, args ...string) *exec.Cmd {
	cmd := exec.Command("sh", append([]string{filepath.Join("..", "deploy", "backup", script)}, args...)...)
	cmd.Env = env
	return cmd
}

// runBackupScript runs a script, logs its progress and returns its stdout.
func runBackupScript(t *testing.T, env []string, script string, args ...string) string {
	t.Helper()
	var stdout, stderr bytes.Buffer
	cmd := backupScript(env, script, args...)
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	start := time.Now()
	err := cmd.Run()
	t.Logf("%s (%s):\n%s", script, time.Since(start).Round(100*time.Millisecond), stderr.String())
	require.NoError(t, err, "%s %s", script, strings.Join(args, " "))
	return stdout.String()
}

// drillDev is one `caseflow dev` process.
type drillDev struct {
	cmd     *exec.Cmd
	log     string
	started time.Time
	done    chan struct{}
}

func startDrillDev(t *testing.T, bin string, env map[string]string, name string) *drillDev {
	t.Helper()
	d := &drillDev{log: filepath.Join(t.TempDir(), name+".log"), done: make(chan struct{})}
	logFile, err := os.Create(d.log)
	require.NoError(t, err)
	d.cmd = exec.Command(bin, "dev")
	d.cmd.Env = os.Environ()
	for k, v := range env {
		d.cmd.Env = append(d.cmd.Env, k+"="+v) // later entries win
	}
	d.cmd.Stdout, d.cmd.Stderr = logFile, logFile
	require.NoError(t, d.cmd.Start())
	d.started = time.Now()
	go func() {
		_ = d.cmd.Wait()
		logFile.Close()
		close(d.done)
	}()
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("%s log (last lines):\n%s", name, tailFile(d.log, 40))
		}
		_ = d.cmd.Process.Kill()
		<-d.done
	})
	return d
}

// waitReady waits until the API answers /readyz; the first start also sets
// up Temporal's schema.
func (d *drillDev) waitReady(t *testing.T, apiURL string) {
	t.Helper()
	deadline := time.Now().Add(3 * time.Minute)
	for {
		resp, err := http.Get(apiURL + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return
			}
		}
		select {
		case <-d.done:
			t.Fatalf("caseflow dev ended before it was ready:\n%s", tailFile(d.log, 40))
		case <-time.After(250 * time.Millisecond):
		}
		require.True(t, time.Now().Before(deadline), "caseflow dev is not ready after 3 minutes")
	}
}

// stop ends the process as an operator would, with SIGTERM.
func (d *drillDev) stop(t *testing.T) {
	t.Helper()
	require.NoError(t, d.cmd.Process.Signal(syscall.SIGTERM))
	select {
	case <-d.done:
	case <-time.After(time.Minute):
		t.Fatalf("caseflow dev still runs a minute after SIGTERM:\n%s", tailFile(d.log, 40))
	}
}

func tailFile(path string, n int) string {
	raw, err := os.ReadFile(path)
	if err != nil {
		return err.Error()
	}
	lines := strings.Split(strings.TrimRight(string(raw), "\n"), "\n")
	return strings.Join(lines[max(0, len(lines)-n):], "\n")
}

func drillRead(t *testing.T, api apiClient, id string) map[string]any {
	t.Helper()
	status, got := api.do(http.MethodGet, "/api/v1/complaints/"+id, nil, nil)
	require.Equal(t, http.StatusOK, status, "%v", got)
	return got
}

// drillDeadlines is what a case's firing clock leaves alone: its stage and
// every clock's deadline.
func drillDeadlines(c map[string]any) map[string]any {
	out := map[string]any{"stage": c["stage"]}
	for name, clock := range c["clocks"].(map[string]any) {
		out[name] = clock.(map[string]any)["due_at"]
	}
	return out
}

func drillDue(t *testing.T, c map[string]any) time.Time {
	t.Helper()
	due, err := time.Parse(time.RFC3339Nano, c["clocks"].(map[string]any)["response"].(map[string]any)["due_at"].(string))
	require.NoError(t, err)
	return due
}

// drillEscalation is the first level-1 response escalation of the case since
// due, or nil.
func drillEscalation(t *testing.T, api apiClient, id string, due time.Time) map[string]any {
	t.Helper()
	q := url.Values{"kind": {"escalation"}, "since": {due.Add(-time.Second).Format(time.RFC3339)}, "limit": {"200"}}
	status, got := api.do(http.MethodGet, "/api/v1/notifications?"+q.Encode(), nil, nil)
	require.Equal(t, http.StatusOK, status, "%v", got)
	for _, n := range got["notifications"].([]any) {
		n := n.(map[string]any)
		if n["complaint_id"] == id && n["clock"] == "response" && n["level"] == float64(1) {
			return n
		}
	}
	return nil
}

// requireWorkflowsRunning asks the Temporal frontend for each case's workflow.
func requireWorkflowsRunning(t *testing.T, temporalAddr string, ids []string) {
	t.Helper()
	tc, err := client.DialContext(t.Context(), client.Options{HostPort: temporalAddr, Namespace: "caseflow",
		Logger: sdklog.NewStructuredLogger(slog.New(slog.NewTextHandler(io.Discard, nil)))})
	require.NoError(t, err)
	defer tc.Close()
	for _, id := range ids {
		desc, err := tc.DescribeWorkflowExecution(t.Context(), "complaint-"+id, "")
		require.NoError(t, err, "case %s", id)
		require.Equal(t, enumspb.WORKFLOW_EXECUTION_STATUS_RUNNING, desc.GetWorkflowExecutionInfo().GetStatus(), "case %s", id)
	}
}
