package server_test

import (
	"bytes"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	"gopkg.in/yaml.v3"

	"github.com/caseflow/caseflow/server"
)

const openAPIPath = "/openapi.yaml"

// openAPIDoc is the parsed document: YAML maps with string keys.
type openAPIDoc map[string]any

func loadOpenAPI(t *testing.T) (openAPIDoc, []byte) {
	t.Helper()
	raw, err := os.ReadFile("openapi.yaml")
	if err != nil {
		t.Fatal(err)
	}
	// A plain map: yaml.v3 would decode nested maps as the named type too.
	var m map[string]any
	if err := yaml.Unmarshal(raw, &m); err != nil {
		t.Fatalf("openapi.yaml is not valid YAML: %v", err)
	}
	doc := openAPIDoc(m)
	if doc["openapi"] != "3.0.3" {
		t.Fatalf("openapi = %v, want 3.0.3", doc["openapi"])
	}
	return doc, raw
}

// resolve follows a local $ref ("#/components/...") to what it names.
func (d openAPIDoc) resolve(t *testing.T, v any) map[string]any {
	t.Helper()
	for range 10 {
		m, ok := v.(map[string]any)
		if !ok {
			t.Fatalf("expected an object, got %T", v)
		}
		ref, ok := m["$ref"].(string)
		if !ok {
			return m
		}
		v = d.pointer(ref)
		if v == nil {
			t.Fatalf("$ref %q names nothing", ref)
		}
	}
	t.Fatalf("$ref chain too long")
	return nil
}

func (d openAPIDoc) pointer(ref string) any {
	if !strings.HasPrefix(ref, "#/") {
		return nil
	}
	var cur any = map[string]any(d)
	for _, part := range strings.Split(ref[2:], "/") {
		part = strings.ReplaceAll(strings.ReplaceAll(part, "~1", "/"), "~0", "~")
		m, ok := cur.(map[string]any)
		if !ok {
			return nil
		}
		cur = m[part]
	}
	return cur
}

type operation struct {
	method, path string
	op           map[string]any
	pathParams   []any
}

func (d openAPIDoc) operations(t *testing.T) []operation {
	t.Helper()
	paths, ok := d["paths"].(map[string]any)
	if !ok {
		t.Fatal("openapi.yaml has no paths")
	}
	var ops []operation
	for path, item := range paths {
		item, _ := item.(map[string]any)
		pathParams, _ := item["parameters"].([]any)
		for method, op := range item {
			switch method {
			case "get", "put", "post", "delete", "patch", "head", "options", "trace":
				ops = append(ops, operation{strings.ToUpper(method), path, op.(map[string]any), pathParams})
			}
		}
	}
	return ops
}

var ginParam = regexp.MustCompile(`[:*]([A-Za-z0-9_]+)`)

// routerOperations is the route table as OpenAPI keys ("GET /a/{id}"),
// with whether each needs authentication.
func routerOperations() map[string]bool {
	ops := map[string]bool{}
	for _, rt := range server.Routes() {
		ops[rt.Method+" "+ginParam.ReplaceAllString(rt.Path, "{$1}")] = rt.Action != ""
	}
	// The document is served by the route table; tolerate it not being
	// registered yet.
	if _, ok := ops[http.MethodGet+" "+openAPIPath]; !ok {
		ops[http.MethodGet+" "+openAPIPath] = false
	}
	return ops
}

func TestOpenAPIDocumentsEveryRoute(t *testing.T) {
	doc, _ := loadOpenAPI(t)
	router := routerOperations()
	documented := map[string]bool{}
	for _, op := range doc.operations(t) {
		documented[op.method+" "+op.path] = true
	}
	var undocumented, unrouted []string
	for k := range router {
		if !documented[k] {
			undocumented = append(undocumented, k)
		}
	}
	for k := range documented {
		if _, ok := router[k]; !ok {
			unrouted = append(unrouted, k)
		}
	}
	slices.Sort(undocumented)
	slices.Sort(unrouted)
	if len(undocumented) > 0 {
		t.Errorf("routes in server.Routes() missing from openapi.yaml:\n\t%s", strings.Join(undocumented, "\n\t"))
	}
	if len(unrouted) > 0 {
		t.Errorf("operations in openapi.yaml missing from server.Routes():\n\t%s", strings.Join(unrouted, "\n\t"))
	}
}

func TestOpenAPIOperations(t *testing.T) {
	doc, _ := loadOpenAPI(t)
	router := routerOperations()
	if _, ok := doc.pointer("#/components/securitySchemes/bearerAuth").(map[string]any); !ok {
		t.Fatal("no bearerAuth security scheme")
	}
	for _, op := range doc.operations(t) {
		key := op.method + " " + op.path
		needsAuth, routed := router[key]
		if !routed {
			continue // reported by TestOpenAPIDocumentsEveryRoute
		}

		// Public operations opt out of the global bearerAuth; no other does.
		sec, hasSec := op.op["security"].([]any)
		public := hasSec && len(sec) == 0
		if public == needsAuth {
			t.Errorf("%s: public in openapi.yaml is %v, but needs authentication in the route table is %v", key, public, needsAuth)
		}

		responses, _ := op.op["responses"].(map[string]any)
		if len(responses) == 0 {
			t.Errorf("%s: no responses", key)
		}
		for _, r := range responses {
			doc.resolve(t, r) // every response $ref resolves
		}
		if needsAuth {
			for _, code := range []string{"401", "403"} {
				if _, ok := responses[code]; !ok {
					t.Errorf("%s: does not document %s", key, code)
				}
			}
		}

		var header, pathParams []string
		for _, p := range append(slices.Clone(op.pathParams), opParams(op.op)...) {
			p := doc.resolve(t, p)
			name, _ := p["name"].(string)
			switch p["in"] {
			case "header":
				header = append(header, name)
			case "path":
				pathParams = append(pathParams, name)
			}
		}
		if op.method == http.MethodPost && !slices.Contains(header, "Idempotency-Key") {
			t.Errorf("%s: does not document the Idempotency-Key header", key)
		}
		for _, m := range regexp.MustCompile(`\{([^}]+)\}`).FindAllStringSubmatch(op.path, -1) {
			if !slices.Contains(pathParams, m[1]) {
				t.Errorf("%s: does not document path parameter %q", key, m[1])
			}
		}
		if rb, ok := op.op["requestBody"]; ok {
			doc.resolve(t, rb)
		}
	}
}

func opParams(op map[string]any) []any {
	ps, _ := op["parameters"].([]any)
	return ps
}

// TestOpenAPIRefsResolve checks that every $ref in the document names
// something in it.
func TestOpenAPIRefsResolve(t *testing.T) {
	doc, _ := loadOpenAPI(t)
	var walk func(path string, v any)
	walk = func(path string, v any) {
		switch v := v.(type) {
		case map[string]any:
			if ref, ok := v["$ref"].(string); ok && doc.pointer(ref) == nil {
				t.Errorf("%s: $ref %q names nothing", path, ref)
			}
			for k, e := range v {
				walk(path+"/"+k, e)
			}
		case []any:
			for i, e := range v {
				walk(fmt.Sprintf("%s/%d", path, i), e)
			}
		}
	}
	walk("#", map[string]any(doc))
}

// TestOpenAPIServed checks the document is served as YAML once the route
// table has the route.
func TestOpenAPIServed(t *testing.T) {
	_, raw := loadOpenAPI(t)
	found := slices.ContainsFunc(server.Routes(), func(rt server.Route) bool {
		return rt.Method == http.MethodGet && rt.Path == openAPIPath
	})
	if !found {
		t.Skip("GET " + openAPIPath + " is not in the route table yet")
	}
	h := server.NewRouter(server.Deps{Logger: slog.New(slog.DiscardHandler), Metrics: prometheus.NewRegistry()})
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, openAPIPath, nil))
	if rec.Code != http.StatusOK {
		t.Fatalf("GET %s = %d, want 200", openAPIPath, rec.Code)
	}
	if ct := rec.Header().Get("Content-Type"); !strings.HasPrefix(ct, "application/yaml") {
		t.Errorf("Content-Type = %q, want application/yaml", ct)
	}
	body, _ := io.ReadAll(rec.Body)
	if !bytes.Equal(body, raw) {
		t.Errorf("served document differs from openapi.yaml")
	}
}
