package server_test

import (
	"context"
	"fmt"
	"os"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
)

// loadKinOpenAPI parses openapi.yaml with a real OpenAPI 3 loader.
func loadKinOpenAPI(t *testing.T) *openapi3.T {
	t.Helper()
	raw, err := os.ReadFile("openapi.yaml")
	if err != nil {
		t.Fatal(err)
	}
	doc, err := openapi3.NewLoader().LoadFromData(raw)
	if err != nil {
		t.Fatalf("openapi.yaml does not load as OpenAPI 3: %v", err)
	}
	return doc
}

// TestOpenAPIValidates checks the served document against the OpenAPI 3
// specification.
func TestOpenAPIValidates(t *testing.T) {
	doc := loadKinOpenAPI(t)
	if err := doc.Validate(context.Background()); err != nil {
		t.Fatalf("openapi.yaml is not valid OpenAPI 3: %v", err)
	}
}

// jsonFieldName is what a JSON field of ours can be called. A description in
// a YAML flow mapping that holds ", " turns its tail into a key like this
// regexp rejects.
var jsonFieldName = regexp.MustCompile(`^[a-z][a-z0-9_]*$`)

// TestOpenAPIPropertyNames checks every property of every schema, however
// deeply nested, is named like a JSON field of ours.
func TestOpenAPIPropertyNames(t *testing.T) {
	doc := loadKinOpenAPI(t)
	seen := map[*openapi3.Schema]bool{}
	var walk func(where string, ref *openapi3.SchemaRef)
	walk = func(where string, ref *openapi3.SchemaRef) {
		if ref == nil || ref.Value == nil {
			return
		}
		s := ref.Value
		if seen[s] {
			return
		}
		seen[s] = true
		// The loader keeps keys it does not know as extensions; one without
		// the x- prefix is the tail of a description split at ", ".
		for key := range s.Extensions {
			if !strings.HasPrefix(key, "x-") {
				t.Errorf("%s has unknown key %q", where, key)
			}
		}
		names := make([]string, 0, len(s.Properties))
		for name := range s.Properties {
			names = append(names, name)
		}
		sort.Strings(names)
		for _, name := range names {
			if !jsonFieldName.MatchString(name) {
				t.Errorf("%s has property %q, not a JSON field name of ours", where, name)
			}
			walk(where+"."+name, s.Properties[name])
		}
		walk(where+"[]", s.Items)
		for _, l := range []openapi3.SchemaRefs{s.AllOf, s.OneOf, s.AnyOf} {
			for _, sub := range l {
				walk(where, sub)
			}
		}
		walk(where+"!", s.Not)
		if s.AdditionalProperties.Schema != nil {
			walk(where+"{}", s.AdditionalProperties.Schema)
		}
	}
	names := make([]string, 0, len(doc.Components.Schemas))
	for name := range doc.Components.Schemas {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		walk(name, doc.Components.Schemas[name])
	}
	for path, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			where := method + " " + path
			for _, p := range op.Parameters {
				if p.Value != nil {
					walk(where+" parameter "+p.Value.Name, p.Value.Schema)
				}
			}
			if op.RequestBody != nil && op.RequestBody.Value != nil {
				for mt, c := range op.RequestBody.Value.Content {
					walk(where+" request "+mt, c.Schema)
				}
			}
			for code, r := range op.Responses.Map() {
				if r.Value == nil {
					continue
				}
				for mt, c := range r.Value.Content {
					walk(where+" "+code+" "+mt, c.Schema)
				}
			}
		}
	}
	for name, r := range doc.Components.Responses {
		if r.Value != nil {
			for mt, c := range r.Value.Content {
				walk("response "+name+" "+mt, c.Schema)
			}
		}
	}
}

// TestOpenAPIKeys checks no key anywhere in the document holds white space:
// no name the document uses (paths, media types, status codes, fields) can,
// so such a key is the tail of a flow-mapping value split at ", ".
func TestOpenAPIKeys(t *testing.T) {
	doc, _ := loadOpenAPI(t)
	var walk func(where string, v any)
	walk = func(where string, v any) {
		switch v := v.(type) {
		case map[string]any:
			for key, sub := range v {
				if strings.ContainsAny(key, " \t\n") {
					t.Errorf("%s has key %q", where, key)
				}
				walk(where+"/"+key, sub)
			}
		case []any:
			for i, sub := range v {
				walk(fmt.Sprintf("%s/%d", where, i), sub)
			}
		}
	}
	walk("#", map[string]any(doc))
}

// TestOpenAPITagsDeclared checks every tag an operation uses is declared at
// the top level with a description.
func TestOpenAPITagsDeclared(t *testing.T) {
	doc := loadKinOpenAPI(t)
	declared := map[string]string{}
	for _, tag := range doc.Tags {
		if tag == nil {
			continue
		}
		if _, dup := declared[tag.Name]; dup {
			t.Errorf("tag %q declared twice", tag.Name)
		}
		declared[tag.Name] = tag.Description
	}
	for path, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			for _, name := range op.Tags {
				desc, ok := declared[name]
				switch {
				case !ok:
					t.Errorf("%s %s uses undeclared tag %q", method, path, name)
				case desc == "":
					t.Errorf("%s %s uses tag %q, declared without a description", method, path, name)
				}
			}
		}
	}
	for name, desc := range declared {
		if desc == "" {
			t.Errorf("tag %q declared without a description", name)
		}
	}
}
