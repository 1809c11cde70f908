package app_test

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"os"
	"sync"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"
)

// openAPIRouter finds the operation of a request in server/openapi.yaml, the
// document the server embeds and serves. It is built once.
var openAPIRouter = sync.OnceValues(func() (routers.Router, error) {
	raw, err := os.ReadFile("../server/openapi.yaml")
	if err != nil {
		return nil, err
	}
	doc, err := openapi3.NewLoader().LoadFromData(raw)
	if err != nil {
		return nil, err
	}
	if err := doc.Validate(context.Background()); err != nil {
		return nil, err
	}
	// The document's only server is "/"; without servers the router
	// matches any host, such as the stack's loopback port.
	doc.Servers = nil
	return gorillamux.NewRouter(doc)
})

// openAPIOptions skips security: authentication is tested on its own.
var openAPIOptions = &openapi3filter.Options{
	AuthenticationFunc:    openapi3filter.NoopAuthenticationFunc,
	IncludeResponseStatus: true,
	MultiError:            true,
}

// checkOpenAPI validates one exchange of the e2e tests against the OpenAPI
// document: the response always, the request too unless the server refused
// it with 4xx (the bad-body tables send invalid requests on purpose).
func checkOpenAPI(t testing.TB, req *http.Request, reqBody []byte, resp *http.Response, respBody []byte) {
	t.Helper()
	router, err := openAPIRouter()
	if err != nil {
		t.Fatalf("openapi.yaml: %v", err)
	}
	where := func() string { return req.Method + " " + req.URL.RequestURI() + " → " + resp.Status }
	route, params, err := router.FindRoute(req)
	if err != nil {
		if resp.StatusCode == http.StatusNotFound || resp.StatusCode == http.StatusMethodNotAllowed {
			return // a route the document does not have, refused as such
		}
		t.Errorf("openapi: %s: %v", where(), err)
		return
	}
	// The validator reads the request body; give it a fresh copy.
	vreq := req.Clone(context.Background())
	vreq.Body = io.NopCloser(bytes.NewReader(reqBody))
	in := &openapi3filter.RequestValidationInput{
		Request:    vreq,
		PathParams: params,
		Route:      route,
		Options:    openAPIOptions,
	}
	if resp.StatusCode < 400 || resp.StatusCode >= 500 {
		if err := openapi3filter.ValidateRequest(context.Background(), in); err != nil {
			t.Errorf("openapi: request %s: %v", where(), err)
		}
	}
	out := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: in,
		Status:                 resp.StatusCode,
		Header:                 resp.Header,
		Body:                   io.NopCloser(bytes.NewReader(respBody)),
		Options:                openAPIOptions,
	}
	if err := openapi3filter.ValidateResponse(context.Background(), out); err != nil {
		t.Errorf("openapi: response %s: %v\nbody: %s", where(), err, respBody)
	}
}
