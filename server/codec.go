package server

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/http"

	"github.com/gin-gonic/gin"
	commonpb "go.temporal.io/api/common/v1"
	"go.temporal.io/sdk/converter"
	"google.golang.org/protobuf/encoding/protojson"

	"github.com/caseflow/caseflow/auth"
	"github.com/caseflow/caseflow/payloadcrypt"
)

// The codec server: the Temporal Web UI (and the temporal CLI's
// --codec-endpoint) send payloads here to show them in clear, or to encode
// what a person types there. It speaks Temporal's codec-server protocol
// through the SDK's own handler, over the codec every caseflow client uses.
const (
	codecPrefix = "/codec/"
	// maxCodecBody: Temporal takes payloads up to 2 MiB, base64 in JSON
	// adds a third, and the UI sends an event's payloads in one request.
	maxCodecBody = 8 << 20
	// maxNamespace is Temporal's limit on a namespace's name.
	maxNamespace = 255
	// codecOriginKey marks a request from the allowed Web UI origin.
	codecOriginKey = "caseflow.codec_origin"
)

// codecRequest is the protocol's body, for server.Bodies: its rules are the
// protocol's (protojson), not validate tags.
type codecRequest struct {
	Payloads []any `json:"payloads"`
}

// codecCORS answers the Web UI's origin, and no other, with the CORS
// headers that let it read the answer with the user's cookies.
func (h *handlers) codecCORS(c *gin.Context) {
	c.Header("Vary", "Origin")
	origin := c.GetHeader("Origin")
	if origin == "" || origin != h.codecOrigin {
		return
	}
	c.Header("Access-Control-Allow-Origin", origin)
	c.Header("Access-Control-Allow-Credentials", "true")
	c.Set(codecOriginKey, true)
}

// codecPreflight answers the browser's preflight: only from the Web UI.
func (h *handlers) codecPreflight(c *gin.Context) {
	if !c.GetBool(codecOriginKey) {
		abortWithError(c, http.StatusForbidden, CodeForbidden, "this origin may not call the codec server", nil)
		return
	}
	c.Header("Access-Control-Allow-Methods", "POST, OPTIONS")
	c.Header("Access-Control-Allow-Headers", "content-type, x-namespace, authorization")
	c.Header("Access-Control-Max-Age", "600")
	c.Status(http.StatusNoContent)
}

// codecSession lets the console's session cookie stand for a bearer token,
// but only on a request from the Web UI's origin: a page elsewhere cannot
// spend the user's cookie here.
func (h *handlers) codecSession(c *gin.Context) {
	if c.GetHeader("Authorization") != "" || h.console == nil || !c.GetBool(codecOriginKey) {
		return
	}
	p, ok, err := h.console.SessionPrincipal(c.Request)
	if err != nil {
		h.logger.Error("codec server: console session", "err", err)
		c.Header("Retry-After", "5")
		abortWithError(c, http.StatusServiceUnavailable, CodeUnavailable, "cannot check the session now; retry", nil)
		return
	}
	if ok {
		c.Request = c.Request.WithContext(auth.WithPrincipal(c.Request.Context(), p))
	}
}

func (h *handlers) encodePayloads(c *gin.Context) { h.runCodec(c, "encode") }
func (h *handlers) decodePayloads(c *gin.Context) { h.runCodec(c, "decode") }

// runCodec checks the request, runs it through the SDK's codec handler,
// and audits it (who, what, how many; never what the payloads hold) before
// answering.
func (h *handlers) runCodec(c *gin.Context, op string) {
	namespace, ok := codecNamespace(c)
	if !ok {
		return
	}
	body, count, ok := readPayloads(c)
	if !ok {
		return
	}
	if h.payloads == nil {
		c.Header("Retry-After", "60")
		abortWithError(c, http.StatusServiceUnavailable, CodeUnavailable, "the codec server has no keyring", nil)
		return
	}
	call := &callCodec{codec: h.payloads}
	req := c.Request.Clone(c.Request.Context())
	req.Body = io.NopCloser(bytes.NewReader(body))
	out := &bufferedResponse{header: http.Header{}}
	converter.NewPayloadCodecHTTPHandler(call).ServeHTTP(out, req)
	if call.err != nil {
		h.codecFailed(c, call)
		return
	}
	if out.status != http.StatusOK {
		// The body was checked above; the handler refusing it anyway is
		// ours to fix, not the caller's.
		h.logger.Error("codec server: the SDK's handler refused a checked body", "status", out.status)
		abortWithError(c, http.StatusInternalServerError, CodeInternal, "internal error", nil)
		return
	}
	payloads := fmt.Sprintf("%d payloads", count)
	if count == 1 {
		payloads = "1 payload"
	}
	subject := "namespace " + namespace + ", " + payloads
	if namespace == "" {
		subject = "no namespace, " + payloads
	}
	if err := h.store.Audit(c.Request.Context(), principalOf(c).UserID, "codec."+op, subject, h.now()); err != nil {
		// No audit row, no payloads: the log of who read what is the
		// price of reading.
		h.logger.Error("codec server: audit", "err", err)
		c.Header("Retry-After", "5")
		abortWithError(c, http.StatusServiceUnavailable, CodeUnavailable, "cannot record the request now; retry", nil)
		return
	}
	c.Data(http.StatusOK, "application/json", out.body.Bytes())
}

// codecNamespace reads X-Namespace, the namespace the UI shows, for the
// audit log; the codec itself does not depend on it.
func codecNamespace(c *gin.Context) (string, bool) {
	const name = "X-Namespace"
	values := c.Request.Header.Values(name)
	switch len(values) {
	case 0:
		return "", true
	case 1:
	default:
		badRequest(c, map[string]string{name: "must be sent once"})
		return "", false
	}
	if problems := paramProblem(name, values[0], maxNamespace); len(problems) > 0 {
		badRequest(c, problems)
		return "", false
	}
	return values[0], true
}

// readPayloads reads the body and checks it is the protocol's JSON, as the
// SDK's handler will read it, so that a bad one is refused in our words.
func readPayloads(c *gin.Context) (body []byte, count int, ok bool) {
	body, err := io.ReadAll(http.MaxBytesReader(c.Writer, c.Request.Body, maxCodecBody))
	var tooLarge *http.MaxBytesError
	switch {
	case errors.As(err, &tooLarge):
		abortWithError(c, http.StatusRequestEntityTooLarge, CodeTooLarge,
			fmt.Sprintf("the body exceeds %d bytes", maxCodecBody), nil)
		return nil, 0, false
	case err != nil:
		badRequest(c, map[string]string{"body": "could not be read"})
		return nil, 0, false
	case len(bytes.TrimSpace(body)) == 0:
		badRequest(c, map[string]string{"body": "is required"})
		return nil, 0, false
	}
	var payloads commonpb.Payloads
	if err := protojson.Unmarshal(body, &payloads); err != nil {
		badRequest(c, map[string]string{"body": `must be a JSON object {"payloads": [...]} of Temporal payloads`})
		return nil, 0, false
	}
	return body, len(payloads.GetPayloads()), true
}

// codecFailed words a payload the codec could not handle: 503 when the
// data keys' store failed (retry), else 422 naming the payload.
func (h *handlers) codecFailed(c *gin.Context, call *callCodec) {
	err := call.err
	if payloadcrypt.Unavailable(err) {
		h.logger.Error("codec server: data keys", "err", err)
		c.Header("Retry-After", "5")
		abortWithError(c, http.StatusServiceUnavailable, CodeUnavailable, "cannot read the data keys now; retry", nil)
		return
	}
	var missing *payloadcrypt.MissingKeyError
	problem := "cannot be decoded: it is damaged or was not encrypted by caseflow"
	switch {
	case errors.Is(err, payloadcrypt.ErrDataKeyDestroyed):
		problem = "was encrypted with a data key destroyed when its customer was erased"
	case errors.Is(err, payloadcrypt.ErrNoDataKey):
		problem = "names a workflow data key that does not exist"
	case errors.As(err, &missing):
		problem = fmt.Sprintf("was encrypted with key %q, which the keyring does not hold", missing.KeyID)
	}
	abortWithError(c, http.StatusUnprocessableEntity, CodeUnprocessable, "a payload cannot be handled",
		map[string]string{fmt.Sprintf("payloads[%d]", call.failed): problem})
}

// callCodec runs one request's payloads through the codec one at a time,
// keeping the error and which payload it was: the SDK's handler words
// every failure as a plain-text 400.
type callCodec struct {
	codec  converter.PayloadCodec
	failed int
	err    error
}

func (c *callCodec) Encode(payloads []*commonpb.Payload) ([]*commonpb.Payload, error) {
	return c.each(payloads, c.codec.Encode)
}

func (c *callCodec) Decode(payloads []*commonpb.Payload) ([]*commonpb.Payload, error) {
	return c.each(payloads, c.codec.Decode)
}

func (c *callCodec) each(payloads []*commonpb.Payload,
	fn func([]*commonpb.Payload) ([]*commonpb.Payload, error)) ([]*commonpb.Payload, error) {
	out := make([]*commonpb.Payload, 0, len(payloads))
	for i, p := range payloads {
		done, err := fn([]*commonpb.Payload{p})
		if err != nil {
			c.failed, c.err = i, err
			return nil, err
		}
		out = append(out, done...)
	}
	return out, nil
}

// bufferedResponse holds the SDK handler's answer until the audit row is
// written.
type bufferedResponse struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func (b *bufferedResponse) Header() http.Header { return b.header }

func (b *bufferedResponse) WriteHeader(status int) {
	if b.status == 0 {
		b.status = status
	}
}

func (b *bufferedResponse) Write(p []byte) (int, error) {
	b.WriteHeader(http.StatusOK)
	return b.body.Write(p)
}
