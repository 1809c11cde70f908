// Package fuzz fuzzes every route of the API (bodies, query parameters, path
// ids) against one real stack per database: no input may answer 5xx, and
// a refused one, or a read, may neither change the case store nor start a workflow.
package fuzz

import (
	"encoding/json"
	"fmt"
	"hash/fnv"
	"net/http"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/caseflow/caseflow/server"
)

// request is one fuzz input made concrete.
type request struct {
	route    server.Route
	param    string // the path parameter's value; fixtureMarker stands for the fixture's
	rawQuery string
	body     []byte
	hasBody  bool
	key      string
}

func (r request) String() string {
	s := fmt.Sprintf("%s %s param=%q query=%q", r.route.Method, r.route.Path, clip(r.param), clip(r.rawQuery))
	if r.hasBody {
		s += fmt.Sprintf(" body=%q", clip(string(r.body)))
	}
	if r.key != "" {
		s += fmt.Sprintf(" key=%q", clip(r.key))
	}
	return s
}

func clip(s string) string {
	if len(s) > 200 {
		return s[:200] + fmt.Sprintf("…(%d bytes)", len(s))
	}
	return s
}

// routesWhere lists the routes a target fuzzes.
func routesWhere(keep func(server.Route) bool) []server.Route {
	var out []server.Route
	for _, r := range server.Routes() {
		if keep(r) {
			out = append(out, r)
		}
	}
	return out
}

func takesBody(r server.Route) bool  { return r.Method == http.MethodPost || r.Method == http.MethodPut }
func takesQuery(r server.Route) bool { return r.Method == http.MethodGet }
func takesParam(r server.Route) bool { return pathParam(r.Path) != "" }

// pick finds the route an input names ("POST /api/v1/complaints"); a name
// the fuzzer has mangled still picks one, by its hash.
func pick(routes []server.Route, name string) server.Route {
	for _, r := range routes {
		if routeKey(r) == name {
			return r
		}
	}
	h := fnv.New32a()
	h.Write([]byte(name))
	return routes[h.Sum32()%uint32(len(routes))]
}

// TestEveryRouteIsFuzzed keeps the fixtures in step with the router: a new
// route fails here until it has a fixture, and then every target seeds it.
func TestEveryRouteIsFuzzed(t *testing.T) {
	for _, r := range server.Routes() {
		fx, ok := fixtures[routeKey(r)]
		require.True(t, ok, "route %s has no fixture in app/fuzz/fixtures_test.go", routeKey(r))
		if strings.Contains(r.Path, "/complaints/:id") {
			_, known := caseKinds[fx.kind]
			require.True(t, known, "route %s names a case but its fixture no known case kind (%q)", routeKey(r), fx.kind)
		} else if strings.Contains(r.Path, "/returns/:id") {
			_, known := rmaStages[fx.rma]
			require.True(t, known, "route %s names an RMA but its fixture no known stage (%q)", routeKey(r), fx.rma)
		} else if strings.Contains(r.Path, "/capas/:id") {
			require.True(t, capaStages[fx.capa], "route %s names a corrective action but its fixture no known stage (%q)",
				routeKey(r), fx.capa)
		} else if takesParam(r) {
			require.NotNil(t, fx.param, "route %s has a path parameter but its fixture no value", routeKey(r))
		}
		// The parameters after the first keep their fixture's value.
		first := pathParam(r.Path)
		for _, seg := range strings.Split(r.Path, "/") {
			if strings.HasPrefix(seg, ":") && seg != first {
				require.Contains(t, fx.more, seg, "route %s: its fixture has no value of %s", routeKey(r), seg)
			}
		}
	}
}

// FuzzBody sends a body, and an Idempotency-Key, to a route that takes one,
// with the path naming a case or record where a valid body is accepted.
func FuzzBody(f *testing.F) {
	routes := routesWhere(takesBody)
	for _, r := range routes {
		f.Add(routeKey(r), []byte(fixtures[routeKey(r)].body), "")
	}
	f.Fuzz(func(t *testing.T, route string, body []byte, key string) {
		r := pick(routes, route)
		check(t, request{route: r, param: fixtureMarker, body: body, hasBody: true, key: headerSafe(key)})
	})
}

// FuzzQuery sends a query string to a route that reads.
func FuzzQuery(f *testing.F) {
	routes := routesWhere(takesQuery)
	for _, r := range routes {
		f.Add(routeKey(r), fixtures[routeKey(r)].query)
	}
	f.Fuzz(func(t *testing.T, route string, query string) {
		r := pick(routes, route)
		check(t, request{route: r, param: fixtureMarker, rawQuery: querySafe(query)})
	})
}

// FuzzPathID puts an id in the path of a route that has one, with a valid
// body; "{fixture}" in the id stands for the fixture's id.
func FuzzPathID(f *testing.F) {
	routes := routesWhere(takesParam)
	for _, r := range routes {
		f.Add(routeKey(r), fixtureMarker)
		f.Add(routeKey(r), "no-such-"+strings.TrimPrefix(pathParam(r.Path), ":"))
	}
	f.Fuzz(func(t *testing.T, route string, id string) {
		r := pick(routes, route)
		fx := fixtures[routeKey(r)]
		check(t, request{route: r, param: id, body: []byte(fx.body), hasBody: takesBody(r) && fx.body != ""})
	})
}

// check sends one input to every stack and holds it to the rules.
func check(t *testing.T, in request) {
	for _, w := range worlds(t) {
		w.check(t, in)
	}
}

func (w *world) check(t *testing.T, in request) {
	t.Helper()
	fx := fixtures[routeKey(in.route)]
	path := in.route.Path
	var caseID string // the case an input on a case's route names
	if name := pathParam(path); name != "" {
		value := in.param
		if strings.Contains(value, fixtureMarker) {
			value = strings.ReplaceAll(value, fixtureMarker, w.param(t, in.route))
		}
		path = strings.Replace(path, name, url.PathEscape(value), 1)
		if strings.HasPrefix(in.route.Path, "/api/v1/complaints/:id") {
			caseID = value
		}
	}
	for name, value := range fx.more {
		path = strings.Replace(path, name, url.PathEscape(value), 1)
	}
	// Whatever a failing input left behind is its own failure, not the next one's.
	passed := false
	defer func() {
		if !passed {
			w.settled, w.quiet = false, nil
		}
	}()
	w.settle(t)
	// Only a write could start a workflow; reads spare the visibility call.
	write := in.route.Method != http.MethodGet
	before := w.observe(t, write || w.quiet != nil && w.quiet.workflows >= 0)
	if w.quiet != nil {
		require.Equal(t, w.quiet.store, before.store,
			"%s: the store changed after the input %s", w.name, w.quiet.input)
		if w.quiet.workflows >= 0 {
			require.Equal(t, w.quiet.workflows, before.workflows,
				"%s: a workflow started after the input %s", w.name, w.quiet.input)
		}
	}
	start := time.Now()
	status, answer, err := w.send(t.Context(), fx.callerOf(in.route), in.route.Method, path, in.rawQuery,
		w.withMarkers(in.body), in.hasBody, in.key)
	trace(w.name, in, status, time.Since(start))
	require.NoError(t, err, "%s: %s", w.name, in)
	require.Less(t, status, 500, "%s: %s answered %d: %s", w.name, in, status, clip(string(answer)))
	if testing.Verbose() {
		t.Logf("%s: %d %s", w.name, status, in)
	}
	if status < 400 && write {
		// Accepted: it may have changed things, and moved the route's case on.
		w.settled, w.quiet = false, nil
		var registered struct{ ID string }
		if routeKey(in.route) == "POST /api/v1/complaints" && json.Unmarshal(answer, &registered) == nil {
			caseID = registered.ID
		}
		if caseID != "" {
			w.touched[caseID] = true
		}
		if (fx.kind != "" || fx.rma != "" || fx.capa != "") && in.route.Method == http.MethodPost {
			delete(w.cases, routeKey(in.route))
		}
		passed = true
		return
	}
	// Refused, or a read: nothing may change.
	after := w.observe(t, write)
	require.Equal(t, before.store, after.store, "%s: the input %s (%d: %s) changed the store",
		w.name, in, status, clip(string(answer)))
	if write {
		require.Equal(t, before.workflows, after.workflows, "%s: the input %s (%d) started a workflow",
			w.name, in, status)
	} else {
		// Keep the last count, so that a workflow a refused write started
		// late is still caught after reads.
		after.workflows = before.workflows
	}
	after.input = fmt.Sprintf("%s (%d)", in, status)
	w.quiet = &after
	passed = true
}

// trace appends each input's outcome to the file CASEFLOW_FUZZ_TRACE names:
// while fuzzing, the workers' logs are not shown.
func trace(backend string, in request, status int, took time.Duration) {
	path := os.Getenv("CASEFLOW_FUZZ_TRACE")
	if path == "" {
		return
	}
	f, err := os.OpenFile(path, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o600)
	if err != nil {
		return
	}
	defer f.Close()
	fmt.Fprintf(f, "%s %s %d %s\n", took.Round(time.Millisecond), backend, status, in)
}

// headerSafe drops what no HTTP client can send in a header value (the
// server never sees it, so it is no input).
func headerSafe(s string) string {
	return strings.Map(func(r rune) rune {
		if r == '\t' || (r >= 0x20 && r != 0x7f) {
			return r
		}
		return -1
	}, s)
}

// querySafe percent-encodes the bytes a request line cannot carry, so the
// server decodes exactly the fuzzed bytes (a '%' keeps its meaning).
func querySafe(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c <= 0x20 || c >= 0x7f || c == '#' {
			fmt.Fprintf(&b, "%%%02X", c)
			continue
		}
		b.WriteByte(c)
	}
	return b.String()
}
