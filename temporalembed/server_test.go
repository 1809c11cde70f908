package temporalembed

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/api/operatorservice/v1"
	"go.temporal.io/api/workflowservice/v1"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/worker"
	"go.temporal.io/sdk/workflow"
)

const (
	testNamespace = "caseflow-test"
	testTaskQueue = "temporalembed-test"
)

var (
	statusKey = temporal.NewSearchAttributeKeyKeyword("CaseflowStatus")
	dueKey    = temporal.NewSearchAttributeKeyTime("CaseflowDueAt")
	testAttrs = map[string]enumspb.IndexedValueType{
		statusKey.GetName(): enumspb.INDEXED_VALUE_TYPE_KEYWORD,
		dueKey.GetName():    enumspb.INDEXED_VALUE_TYPE_DATETIME,
	}
)

// waitForSignal is the test workflow: it blocks until signal "go" arrives.
func waitForSignal(ctx workflow.Context) (string, error) {
	var v string
	workflow.GetSignalChannel(ctx, "go").Receive(ctx, &v)
	return "got " + v, nil
}

func TestSQLite(t *testing.T) {
	exerciseRestart(t, Config{DataDir: t.TempDir()})
}

func TestPostgres(t *testing.T) {
	base := os.Getenv("CASEFLOW_TEST_DATABASE_URL")
	if base == "" {
		t.Skip("CASEFLOW_TEST_DATABASE_URL not set")
	}
	u, err := url.Parse(base)
	require.NoError(t, err)
	suffix := make([]byte, 6)
	_, _ = rand.Read(suffix)
	u.Path = "/caseflow_temporal_test_" + hex.EncodeToString(suffix)
	dbURL := u.String()
	// Registered first, so it runs after the server's Stop.
	t.Cleanup(func() {
		if err := dropPostgresDatabases(dbURL); err != nil {
			t.Logf("dropping test databases: %v", err)
		}
	})
	exerciseRestart(t, Config{DatabaseURL: dbURL})
}

func TestFrontendPortInUse(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer func() { _ = ln.Close() }()
	addr := ln.Addr().String()

	_, err = Start(t.Context(), Config{FrontendAddr: addr, DataDir: t.TempDir(), Namespace: testNamespace})
	require.ErrorContains(t, err, addr)
}

func TestUIPortInUse(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer func() { _ = ln.Close() }()
	addr := ln.Addr().String()

	_, err = Start(t.Context(), Config{FrontendAddr: "127.0.0.1:0", UIAddr: addr, DataDir: t.TempDir(), Namespace: testNamespace})
	require.ErrorContains(t, err, addr)
}

func TestStartCanceled(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	_, err := Start(ctx, Config{FrontendAddr: "127.0.0.1:0", DataDir: t.TempDir(), Namespace: testNamespace})
	require.ErrorIs(t, err, context.Canceled)
}

// exerciseRestart starts a server (with UI) on base's persistence, checks the UI,
// namespace and search attributes, starts a workflow that waits for a signal, restarts
// the server with one more search attribute, and completes the workflow.
func exerciseRestart(t *testing.T, base Config) {
	ctx, cancel := context.WithTimeout(t.Context(), 3*time.Minute)
	defer cancel()
	base.FrontendAddr = "127.0.0.1:0"
	base.UIAddr = "127.0.0.1:0"
	base.Namespace = testNamespace
	base.SearchAttributes = testAttrs
	base.Logger = slog.New(slog.NewTextHandler(t.Output(), nil))

	began := time.Now()
	s, err := Start(ctx, base)
	require.NoError(t, err)
	t.Cleanup(s.Stop)
	t.Logf("first start: %v, frontend %s, UI %s", time.Since(began), s.FrontendAddr(), s.UIURL())

	resp, err := http.Get(s.UIURL())
	require.NoError(t, err)
	body, err := io.ReadAll(resp.Body)
	_ = resp.Body.Close()
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, resp.StatusCode)
	require.Contains(t, resp.Header.Get("Content-Type"), "text/html")
	require.Contains(t, strings.ToLower(string(body)), "<html")

	c := dial(t, s)
	requireAttrs(ctx, t, c, testAttrs)
	desc, err := c.WorkflowService().DescribeNamespace(ctx, &workflowservice.DescribeNamespaceRequest{Namespace: testNamespace})
	require.NoError(t, err)
	require.Equal(t, namespaceRetention, desc.GetConfig().GetWorkflowExecutionRetentionTtl().AsDuration())

	w := worker.New(c, testTaskQueue, worker.Options{})
	w.RegisterWorkflow(waitForSignal)
	require.NoError(t, w.Start())
	due := time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)
	run, err := c.ExecuteWorkflow(ctx, client.StartWorkflowOptions{
		ID:        "restart-" + t.Name(),
		TaskQueue: testTaskQueue,
		TypedSearchAttributes: temporal.NewSearchAttributes(
			statusKey.ValueSet("open"), dueKey.ValueSet(due)),
	}, waitForSignal)
	require.NoError(t, err)
	// The search attributes reach visibility, so the UI's queries work.
	eventually(ctx, t, func() bool {
		resp, err := c.ListWorkflow(ctx, &workflowservice.ListWorkflowExecutionsRequest{
			Namespace: testNamespace,
			Query:     `CaseflowStatus = "open" AND CaseflowDueAt > "2030-01-01T00:00:00Z"`,
		})
		return err == nil && len(resp.GetExecutions()) == 1
	})
	// Wait until the worker has run the first workflow task, so the workflow is
	// really blocked on the signal when the server goes down.
	eventually(ctx, t, func() bool {
		d, err := c.DescribeWorkflowExecution(ctx, run.GetID(), run.GetRunID())
		return err == nil && d.GetWorkflowExecutionInfo().GetHistoryLength() >= 4
	})
	w.Stop()
	s.Stop()
	s.Stop() // safe twice

	// Restart with one more attribute, as a newer caseflow would.
	base.SearchAttributes = map[string]enumspb.IndexedValueType{"CaseflowPriority": enumspb.INDEXED_VALUE_TYPE_INT}
	for k, v := range testAttrs {
		base.SearchAttributes[k] = v
	}
	began = time.Now()
	s2, err := Start(ctx, base)
	require.NoError(t, err)
	t.Cleanup(s2.Stop)
	t.Logf("restart: %v, frontend %s", time.Since(began), s2.FrontendAddr())

	c2 := dial(t, s2)
	requireAttrs(ctx, t, c2, base.SearchAttributes)
	w2 := worker.New(c2, testTaskQueue, worker.Options{})
	w2.RegisterWorkflow(waitForSignal)
	require.NoError(t, w2.Start())
	t.Cleanup(w2.Stop)
	require.NoError(t, c2.SignalWorkflow(ctx, run.GetID(), "", "go", "hello"))
	var result string
	require.NoError(t, c2.GetWorkflow(ctx, run.GetID(), "").Get(ctx, &result))
	require.Equal(t, "got hello", result)
}

func dial(t *testing.T, s *Server) client.Client {
	c, err := client.Dial(client.Options{HostPort: s.FrontendAddr(), Namespace: testNamespace})
	require.NoError(t, err)
	t.Cleanup(c.Close)
	return c
}

func requireAttrs(ctx context.Context, t *testing.T, c client.Client, want map[string]enumspb.IndexedValueType) {
	t.Helper()
	resp, err := c.OperatorService().ListSearchAttributes(ctx, &operatorservice.ListSearchAttributesRequest{Namespace: testNamespace})
	require.NoError(t, err)
	for name, typ := range want {
		require.Equal(t, typ, resp.GetCustomAttributes()[name], "search attribute %s", name)
	}
}

// eventually polls cond until it holds, failing the test when ctx ends first.
func eventually(ctx context.Context, t *testing.T, cond func() bool) {
	t.Helper()
	for !cond() {
		select {
		case <-ctx.Done():
			t.Fatal("condition not met before the deadline")
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// A port picked for a service lies below the ephemeral range, where no
// outgoing connection can take it before the service binds it.
func TestFreePortAvoidsTheEphemeralRange(t *testing.T) {
	low := ephemeralLow()
	if low <= minPickedPort+1000 {
		t.Skip("no ephemeral range to avoid on this machine")
	}
	seen := map[int]bool{}
	for range 20 {
		p, err := freePort("127.0.0.1", 0)
		require.NoError(t, err)
		require.GreaterOrEqual(t, p, minPickedPort)
		require.Less(t, p, low)
		require.False(t, seen[p], "port %d handed out twice", p)
		seen[p] = true
	}
	// A port asked for by number is that port, or an error when taken.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer ln.Close()
	_, err = freePort("127.0.0.1", ln.Addr().(*net.TCPAddr).Port)
	require.Error(t, err)
}
