package server

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"net/http"
	"reflect"
	"strings"
	"unicode"

	"github.com/gin-gonic/gin"

	"github.com/caseflow/caseflow/complaint"
)

// Error codes of the JSON error body.
const (
	CodeInvalidRequest = "invalid_request"
	CodeNotFound       = "not_found"
	CodeConflict       = "conflict"
	CodeUnprocessable  = "unprocessable"
	CodeKeyReused      = "idempotency_key_reused"
	CodeTooLarge       = "request_too_large"
	CodeUnavailable    = "unavailable"
	CodeInternal       = "internal"
	// CodeOpenProcesses refuses a customer's erasure while its workflows run.
	CodeOpenProcesses = "customer_has_open_processes"
	// CodeCustomerErased refuses new personal data for an erased customer.
	CodeCustomerErased = "customer_erased"
)

// ErrorBody is the shape of every error answer.
type ErrorBody struct {
	Error ErrorDetail `json:"error"`
}

// ErrorDetail says what went wrong; Fields maps JSON field names to problems.
type ErrorDetail struct {
	Code    string            `json:"code"`
	Message string            `json:"message"`
	Fields  map[string]string `json:"fields,omitempty"`
}

func abortWithError(c *gin.Context, status int, code, message string, fields map[string]string) {
	c.AbortWithStatusJSON(status, ErrorBody{Error: ErrorDetail{Code: code, Message: message, Fields: fields}})
}

func badRequest(c *gin.Context, fields map[string]string) {
	abortWithError(c, http.StatusBadRequest, CodeInvalidRequest, "the request has invalid fields", fields)
}

// maxBodyBytes bounds request bodies: a description is at most 10,000
// characters, so a megabyte is generous.
const maxBodyBytes = 1 << 20

// bindJSON decodes a JSON body strictly (unknown fields are refused, so a
// misspelt field is not silently dropped) and checks its field rules with
// complaint.BodyProblems, the one place a body is checked and worded.
// A body that cannot be decoded is answered at once and ok is false; field
// problems are returned so the handler can add its own checks and report
// every problem in one answer.
func bindJSON(c *gin.Context, dst any) (problems map[string]string, ok bool) {
	dec := json.NewDecoder(http.MaxBytesReader(c.Writer, c.Request.Body, maxBodyBytes))
	dec.DisallowUnknownFields()
	if err := dec.Decode(dst); err != nil {
		writeDecodeError(c, err)
		return nil, false
	}
	if dec.More() {
		badRequest(c, map[string]string{"body": "must hold a single JSON object"})
		return nil, false
	}
	// A blank field is a missing one: "required" then refuses it.
	complaint.BlankToEmpty(dst)
	// Control characters and broken UTF-8 are refused here for every body,
	// before any of it reaches the store (PostgreSQL refuses NUL with 500).
	problems = map[string]string{}
	maps.Copy(problems, complaint.BodyProblems(dst))
	return problems, true
}

// bindBody is bindJSON for a body that may be left out: none is checked as
// an empty one.
func bindBody(c *gin.Context, dst any) (problems map[string]string, ok bool) {
	if c.Request.ContentLength != 0 {
		return bindJSON(c, dst)
	}
	problems = map[string]string{}
	maps.Copy(problems, complaint.BodyProblems(dst))
	return problems, true
}

func writeDecodeError(c *gin.Context, err error) {
	var (
		typeErr   *json.UnmarshalTypeError
		syntaxErr *json.SyntaxError
		tooLarge  *http.MaxBytesError
	)
	switch {
	case errors.As(err, &tooLarge):
		abortWithError(c, http.StatusRequestEntityTooLarge, CodeTooLarge,
			fmt.Sprintf("the body exceeds %d bytes", maxBodyBytes), nil)
	case errors.Is(err, io.EOF):
		badRequest(c, map[string]string{"body": "is required"})
	case errors.As(err, &typeErr) && typeErr.Field != "":
		badRequest(c, map[string]string{jsonPath(typeErr.Field): "must be " + jsonTypeName(typeErr.Type)})
	case errors.As(err, &syntaxErr), errors.Is(err, io.ErrUnexpectedEOF):
		badRequest(c, map[string]string{"body": "must be valid JSON"})
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		field := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
		badRequest(c, map[string]string{field: "is not a known field"})
	default:
		badRequest(c, map[string]string{"body": "must be a JSON object"})
	}
}

func jsonTypeName(t reflect.Type) string {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.String:
		return "a string"
	case reflect.Int, reflect.Int32, reflect.Int64, reflect.Uint, reflect.Uint32, reflect.Uint64:
		return "an integer"
	case reflect.Float32, reflect.Float64:
		return "a number"
	case reflect.Bool:
		return "true or false"
	case reflect.Slice:
		return "a list"
	default:
		return "an object"
	}
}

// jsonPath drops the Go names of embedded structs that encoding/json puts
// into a type error's field path; JSON names here are all lower case.
func jsonPath(field string) string {
	parts := strings.Split(field, ".")
	kept := parts[:0]
	for _, p := range parts {
		if p != "" && !unicode.IsUpper(rune(p[0])) {
			kept = append(kept, p)
		}
	}
	return strings.Join(kept, ".")
}
