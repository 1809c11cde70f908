package console

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"

	"github.com/caseflow/caseflow/auth"
)

// apiError is the API's JSON error body.
type apiError struct {
	Status  int               `json:"-"`
	Code    string            `json:"code"`
	Message string            `json:"message"`
	Fields  map[string]string `json:"fields"`
	// Stage is a stage conflict's (409): the stage the process is in now.
	Stage string `json:"stage"`
}

// codeCustomerErased is the API's refusal of new personal data for an
// erased customer (server.CodeCustomerErased), worded by the catalog.
const codeCustomerErased = "customer_erased"

func (e *apiError) Error() string { return fmt.Sprintf("%d %s: %s", e.Status, e.Code, e.Message) }

// call sends one request to the API in-process, as the session's principal
// (auth.WithPrincipal), and decodes a 2xx answer into out; any other answer
// is an *apiError. The API authenticates, authorizes, validates and words
// it exactly as it would a request from outside.
func (r *request) call(method, path string, body any, key string, out any) error {
	rec, err := r.send(method, path, body, key)
	if err != nil {
		return err
	}
	if out == nil {
		return nil
	}
	return json.Unmarshal(rec.Body.Bytes(), out)
}

// send is call's request: it answers the API's 2xx response as it came
// (for a body that is not JSON, a PDF), any other as an *apiError.
func (r *request) send(method, path string, body any, key string) (*httptest.ResponseRecorder, error) {
	var rd io.Reader
	if body != nil {
		raw, err := json.Marshal(body)
		if err != nil {
			return nil, err
		}
		rd = bytes.NewReader(raw)
	}
	ctx := auth.WithPrincipal(r.Request.Context(), r.session.principal)
	req, err := http.NewRequestWithContext(ctx, method, path, rd)
	if err != nil {
		return nil, err
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if key != "" {
		req.Header.Set("Idempotency-Key", key)
	}
	rec := httptest.NewRecorder()
	r.console.api.ServeHTTP(rec, req)
	if rec.Code >= 200 && rec.Code < 300 {
		return rec, nil
	}
	var e struct {
		Error apiError `json:"error"`
	}
	_ = json.Unmarshal(rec.Body.Bytes(), &e)
	e.Error.Status = rec.Code
	return nil, &e.Error
}

// failCall answers a read the API refused with the matching page.
func (r *request) failCall(err error) {
	e, ok := err.(*apiError)
	if !ok {
		r.console.logger.Error("console api call", "err", err)
		r.fail(http.StatusInternalServerError, "error.internal")
		return
	}
	switch e.Status {
	case http.StatusNotFound:
		r.fail(http.StatusNotFound, "error.notfound")
	case http.StatusForbidden:
		r.failf(http.StatusForbidden, "error.forbidden", e.Message)
	case http.StatusServiceUnavailable:
		r.Header("Retry-After", "5")
		r.fail(http.StatusServiceUnavailable, "error.unavailable")
	default:
		if e.Status >= 500 {
			r.fail(e.Status, "error.internal")
			return
		}
		if e.Code == codeCustomerErased {
			r.fail(e.Status, "error.erased")
			return
		}
		r.failf(e.Status, "error.refused", e.Message)
	}
}
