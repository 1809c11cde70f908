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
	"github.com/gin-gonic/gin/binding"
	"github.com/go-playground/validator/v10"

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

func init() {
	// Name fields in validation errors as the client wrote them.
	if v, ok := binding.Validator.Engine().(*validator.Validate); ok {
		v.RegisterTagNameFunc(func(f reflect.StructField) string {
			name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
			if name == "-" {
				return ""
			}
			return name
		})
	}
}

// bindJSON decodes a JSON body strictly (unknown fields are refused, so a
// misspelt field is not silently dropped), validates its binding tags and
// the text rules of complaint.TextProblem.
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
	problems = map[string]string{}
	var verrs validator.ValidationErrors
	if err := binding.Validator.ValidateStruct(dst); errors.As(err, &verrs) {
		for _, fe := range verrs {
			problems[fe.Field()] = validationMessage(fe)
		}
	} else if err != nil {
		problems["body"] = err.Error()
	}
	// Control characters and broken UTF-8 are refused here for every body,
	// before any of it reaches the store (PostgreSQL refuses NUL with 500).
	maps.Copy(problems, complaint.TextProblems(dst))
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
		badRequest(c, map[string]string{"body": "is required: send a JSON object"})
	case errors.As(err, &typeErr) && typeErr.Field != "":
		badRequest(c, map[string]string{jsonPath(typeErr.Field): "must be " + jsonTypeName(typeErr.Type)})
	case errors.As(err, &syntaxErr), errors.Is(err, io.ErrUnexpectedEOF):
		badRequest(c, map[string]string{"body": "is not valid JSON"})
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

func validationMessage(fe validator.FieldError) string {
	switch fe.Tag() {
	case "required":
		return "is required"
	case "max":
		if fe.Kind() == reflect.String {
			return fmt.Sprintf("must be at most %s characters", fe.Param())
		}
		return "must be at most " + fe.Param()
	case "min":
		if fe.Kind() == reflect.String {
			return fmt.Sprintf("must be at least %s characters", fe.Param())
		}
		return "must be at least " + fe.Param()
	case "oneof":
		return "must be one of: " + strings.ReplaceAll(fe.Param(), " ", ", ")
	case "datetime":
		if fe.Param() == "2006-01-02" {
			return "must be a date YYYY-MM-DD"
		}
		return "must be a time in the format " + fe.Param()
	default:
		return "is invalid (" + fe.Tag() + ")"
	}
}
