package fuzz

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"sync"
	"testing"

	"github.com/jmoiron/sqlx"

	"github.com/caseflow/caseflow/app"
	"github.com/caseflow/caseflow/store/storetest"
)

// world is one embedded stack (Temporal, worker, store, API) on one
// database, started once per test process and shared by every input of
// every fuzz target: starting a stack per input would take seconds.
type world struct {
	name   string
	stack  *app.Stack
	client *http.Client
	// tokens of the demo users by "department/role".
	tokens map[string]string
	// cases holds, per route, a case standing where the route's step is
	// allowed; a success that moves it on drops it and the next input gets
	// a new one.
	cases map[string]string
	// userID and tokenID name a user and a token made for the admin routes.
	userID, tokenID string
	// engineerID is the user id of fieldEngineer; recordNumber names a
	// service record filed on a case of its own, complaintID that case.
	engineerID, recordNumber, complaintID string
	// month is a month that has ended, whose review prepare runs.
	month string
	// tables are what the fingerprint reads, from the schema.
	tables []tableProbe
	// settled is false after an input that may have changed something: the
	// next input waits until background work (clocks, visibility) is done.
	settled bool
	// touched are the cases registered or stepped since the stack was last
	// at rest, whose workflows may still be working in the background.
	touched map[string]bool
	// registered counts the cases register made.
	registered int
	// quiet is the last input that was refused or only read, and the state
	// it left, to catch its effects that show only later.
	quiet *observation
	// drop releases what the world made outside its data dir.
	drop []func()
}

var (
	worldsOnce sync.Once
	worldsList []*world
	worldsErr  error
)

// TestMain stops the shared stacks after the last test or fuzz input.
func TestMain(m *testing.M) {
	code := m.Run()
	// A fuzz worker has a second to stop before it is interrupted, then
	// killed: drop what would outlive it (databases, data dirs) first.
	for _, w := range worldsList {
		w.release()
	}
	for _, w := range worldsList {
		w.stack.Close()
	}
	os.Exit(code)
}

// worlds returns the shared stacks: SQLite always, PostgreSQL when
// CASEFLOW_TEST_DATABASE_URL is set (as CI does).
func worlds(t *testing.T) []*world {
	t.Helper()
	worldsOnce.Do(func() {
		worldsList, worldsErr = startWorlds()
	})
	if worldsErr != nil {
		t.Fatalf("start the fuzz stacks: %v", worldsErr)
	}
	return worldsList
}

func startWorlds() ([]*world, error) {
	sqlite, err := startWorld("sqlite", nil)
	if err != nil {
		return nil, err
	}
	out := []*world{sqlite}
	if os.Getenv(storetest.EnvDatabaseURL) == "" {
		return out, nil
	}
	// Only the case store is on PostgreSQL: it is what inputs reach. An
	// embedded Temporal on PostgreSQL holds some 70 connections, and go test
	// runs this package beside app's end-to-end tests, whose stacks hold as
	// many; together they would pass PostgreSQL's default limit of 100.
	u, drop, err := freshPostgresDatabase("caseflow_fuzz_cases")
	if err != nil {
		sqlite.close()
		return nil, err
	}
	pg, err := startWorld("postgres", map[string]string{"DATABASE_URL": u})
	if err != nil {
		drop()
		sqlite.close()
		return nil, err
	}
	pg.drop = append(pg.drop, drop)
	return append(out, pg), nil
}

func startWorld(name string, extra map[string]string) (*world, error) {
	dir, err := os.MkdirTemp("", "caseflow-fuzz-"+name+"-")
	if err != nil {
		return nil, err
	}
	env := map[string]string{
		"TEMPORAL_ADDRESS":      "127.0.0.1:0",
		"CASEFLOW_UI_ADDR":      "127.0.0.1:0",
		"CASEFLOW_HTTP_ADDR":    "127.0.0.1:0",
		"CASEFLOW_METRICS_ADDR": "127.0.0.1:0", // /metrics has its own listener in dev too
		"CASEFLOW_DATA_DIR":     dir,
	}
	for k, v := range extra {
		env[k] = v
	}
	cfg := app.LoadConfig(func(k string) string { return env[k] }, true)
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	if testing.Verbose() {
		logger = slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	}
	// Not a test's context: the stack outlives the test that started it.
	stack, err := app.StartDev(context.Background(), cfg, logger)
	if err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	w := &world{
		name:  name,
		stack: stack,
		client: &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error {
			return http.ErrUseLastResponse
		}},
		tokens:  map[string]string{},
		cases:   map[string]string{},
		touched: map[string]bool{},
		drop:    []func(){func() { os.RemoveAll(dir) }},
	}
	for _, u := range stack.DemoUsers {
		w.tokens[u.Department+"/"+u.Roles[0]] = u.Token
	}
	if err := w.prepare(context.Background()); err != nil {
		w.close()
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return w, nil
}

func (w *world) close() {
	w.stack.Close()
	w.release()
}

// release removes the world's database and data dir.
func (w *world) release() {
	for _, d := range w.drop {
		d()
	}
	w.drop = nil
}

// freshPostgresDatabase is storetest.FreshPostgresDatabase for a process
// rather than a test: the databases live as long as the shared stack.
func freshPostgresDatabase(prefix string) (string, func(), error) {
	base := os.Getenv(storetest.EnvDatabaseURL)
	admin, err := sqlx.Open("postgres", base)
	if err != nil {
		return "", nil, err
	}
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	name := prefix + "_" + hex.EncodeToString(b)
	if _, err := admin.Exec("CREATE DATABASE " + name); err != nil {
		admin.Close()
		return "", nil, err
	}
	u, err := url.Parse(base)
	if err != nil {
		admin.Close()
		return "", nil, err
	}
	u.Path = "/" + name
	return u.String(), func() {
		// An embedded Temporal server keeps visibility in <name>_visibility.
		for _, db := range []string{name, name + "_visibility"} {
			_, _ = admin.Exec("DROP DATABASE IF EXISTS " + db + " WITH (FORCE)")
		}
		admin.Close()
	}, nil
}
