package server_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/stretchr/testify/require"
	commonpb "go.temporal.io/api/common/v1"
	"go.temporal.io/sdk/converter"
	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/proto"

	"github.com/caseflow/caseflow/auth"
	"github.com/caseflow/caseflow/console"
	"github.com/caseflow/caseflow/payloadcrypt"
	"github.com/caseflow/caseflow/server"
	"github.com/caseflow/caseflow/store"
	"github.com/caseflow/caseflow/store/storetest"
)

// uiOrigin is the Web UI's origin, the one the codec server lets in.
const uiOrigin = "http://127.0.0.1:8233"

// codecRig is a router with a real codec on a real store, the callers it
// knows by token and by console session, and the data keys behind it.
type codecRig struct {
	t     *testing.T
	h     http.Handler
	st    *store.Store
	codec *payloadcrypt.Codec
	keys  *memoryDataKeys
}

var codecCallers = map[string]auth.Principal{
	"supervisor": {UserID: "u-sup", Name: "Sup", Department: auth.AfterSales, Roles: []auth.Role{auth.Supervisor}},
	"admin":      {UserID: "u-adm", Name: "Adm", Department: auth.AfterSales, Roles: []auth.Role{auth.Admin}},
	"engineer":   {UserID: "u-eng", Name: "Eng", Department: auth.Technical, Roles: []auth.Role{auth.Engineer}},
	"agent":      {UserID: "u-agt", Name: "Agt", Department: auth.AfterSales, Roles: []auth.Role{auth.Agent}},
}

func newCodecRig(t *testing.T, b storetest.Backend) *codecRig {
	st, err := store.Open(t.Context(), b.URL)
	require.NoError(t, err)
	t.Cleanup(func() { st.Close() })
	require.NoError(t, st.Migrate(t.Context()))
	line, err := payloadcrypt.NewKeyLine("k1", time.Now())
	require.NoError(t, err)
	ring, err := payloadcrypt.ParseKeyring(line)
	require.NoError(t, err)
	keys := &memoryDataKeys{wrapped: map[string][2][]byte{}, destroyed: map[string]bool{}}
	codec := payloadcrypt.NewCodec(ring, payloadcrypt.Options{DataKeys: keys, Compress: true, CreateDataKeys: true,
		DataKeyFor: func(id string) bool { return strings.HasPrefix(id, "complaint-") }})
	con, err := console.New(console.Deps{Store: st, Logger: slog.New(slog.DiscardHandler)})
	require.NoError(t, err)
	// Each caller has a console session too, its cookie "session-<name>".
	for name, p := range codecCallers {
		raw, err := json.Marshal(p)
		require.NoError(t, err)
		require.NoError(t, st.CreateSession(t.Context(), store.Session{IDHash: sessionHash("session-" + name),
			Principal: string(raw), CSRFToken: "csrf", CreatedAt: time.Now(), ExpiresAt: time.Now().Add(time.Hour)}))
	}
	h := server.NewRouter(server.Deps{
		Store: st, Logger: slog.New(slog.DiscardHandler), Metrics: prometheus.NewRegistry(), Console: con,
		Payloads: codec, CodecCORSOrigin: uiOrigin,
		Auth: &auth.Authenticator{Tokens: func(_ context.Context, hash string) (auth.Principal, error) {
			for name, p := range codecCallers {
				if hash == auth.HashToken("cf_"+name) {
					return p, nil
				}
			}
			return auth.Principal{}, auth.ErrUnauthenticated
		}},
	})
	return &codecRig{t: t, h: h, st: st, codec: codec, keys: keys}
}

// sessionHash is how the console stores a session's cookie value.
func sessionHash(id string) string {
	sum := sha256.Sum256([]byte(id))
	return hex.EncodeToString(sum[:])
}

// codecCall is one request to the codec server: as a bearer ("token") or
// a console session ("session"), from an origin or none.
type codecCall struct {
	method, path   string
	token, session string
	origin         string
	namespace      string
	body           string
}

func (r *codecRig) do(c codecCall) *httptest.ResponseRecorder {
	r.t.Helper()
	if c.method == "" {
		c.method = http.MethodPost
	}
	req := httptest.NewRequest(c.method, c.path+"?preserveStorageRefs=true", strings.NewReader(c.body))
	req.Header.Set("Content-Type", "application/json")
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer cf_"+c.token)
	}
	if c.session != "" {
		req.AddCookie(&http.Cookie{Name: "caseflow_session", Value: "session-" + c.session})
	}
	if c.origin != "" {
		req.Header.Set("Origin", c.origin)
	}
	if c.namespace != "" {
		req.Header.Set("X-Namespace", c.namespace)
	}
	rec := httptest.NewRecorder()
	r.h.ServeHTTP(rec, req)
	return rec
}

func (r *codecRig) audits(action string) []store.AuditEvent {
	r.t.Helper()
	events, err := r.st.AuditEvents(r.t.Context(), action)
	require.NoError(r.t, err)
	return events
}

// jsonPayloads is the protocol's body holding values as JSON payloads.
func jsonPayloads(t *testing.T, values ...any) (string, []*commonpb.Payload) {
	t.Helper()
	var payloads []*commonpb.Payload
	for _, v := range values {
		p, err := converter.GetDefaultDataConverter().ToPayload(v)
		require.NoError(t, err)
		payloads = append(payloads, p)
	}
	return protocolBody(t, payloads), payloads
}

func protocolBody(t *testing.T, payloads []*commonpb.Payload) string {
	t.Helper()
	raw, err := protojson.Marshal(&commonpb.Payloads{Payloads: payloads})
	require.NoError(t, err)
	return string(raw)
}

func answeredPayloads(t *testing.T, rec *httptest.ResponseRecorder) []*commonpb.Payload {
	t.Helper()
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	require.Equal(t, "application/json", rec.Header().Get("Content-Type"))
	var out commonpb.Payloads
	require.NoError(t, protojson.Unmarshal(rec.Body.Bytes(), &out), rec.Body.String())
	return out.GetPayloads()
}

func errorOf(t *testing.T, rec *httptest.ResponseRecorder) server.ErrorDetail {
	t.Helper()
	var body server.ErrorBody
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &body), rec.Body.String())
	return body.Error
}

// TestCodecServerRoundTrip: supervisors and admins, by token or by the
// console's session from the Web UI, encode payloads into ciphertext and
// decode them back, in Temporal's protocol; each call leaves an audit row
// naming who, the namespace and how many payloads, and nothing they hold.
func TestCodecServerRoundTrip(t *testing.T) {
	for _, b := range storetest.Backends(t) {
		t.Run(b.Name, func(t *testing.T) {
			rig := newCodecRig(t, b)
			const secret = "Li Na, +86 571 5555 0199"
			for _, tc := range []struct {
				name           string
				token, session string
				origin         string
				userID         string
			}{
				{name: "supervisor by token", token: "supervisor", userID: "u-sup"},
				{name: "admin by token", token: "admin", userID: "u-adm"},
				{name: "supervisor by session from the Web UI", session: "supervisor", origin: uiOrigin, userID: "u-sup"},
				{name: "admin by session from the Web UI", session: "admin", origin: uiOrigin, userID: "u-adm"},
			} {
				t.Run(tc.name, func(t *testing.T) {
					before := len(rig.audits("codec.encode")) + len(rig.audits("codec.decode"))
					body, plain := jsonPayloads(t, secret, map[string]any{"contact_name": secret, "n": 2})
					call := codecCall{path: "/codec/encode", token: tc.token, session: tc.session, origin: tc.origin,
						namespace: "caseflow", body: body}
					rec := rig.do(call)
					sealed := answeredPayloads(t, rec)
					require.Len(t, sealed, 2)
					require.NotContains(t, rec.Body.String(), "Li Na")
					for _, p := range sealed {
						require.Equal(t, payloadcrypt.Encoding, string(p.GetMetadata()[converter.MetadataEncoding]))
						require.NotContains(t, string(p.GetData()), "Li Na", "encoded is encrypted")
					}

					call.path, call.body = "/codec/decode", protocolBody(t, sealed)
					opened := answeredPayloads(t, rig.do(call))
					require.Len(t, opened, 2)
					for i := range plain {
						require.True(t, proto.Equal(plain[i], opened[i]), "payload %d comes back as it was", i)
					}

					for _, action := range []string{"codec.encode", "codec.decode"} {
						events := rig.audits(action)
						last := events[len(events)-1]
						require.Equal(t, tc.userID, last.Actor, action)
						require.Equal(t, "namespace caseflow, 2 payloads", last.Subject, action)
					}
					require.Equal(t, before+2, len(rig.audits("codec.encode"))+len(rig.audits("codec.decode")))
				})
			}

			// A workflow's payloads, sealed by the workers with its own data
			// key, and payloads from before encryption, decode alike.
			inWorkflow := rig.codec.WithSerializationContext(converter.WorkflowSerializationContext{
				Namespace: "caseflow", WorkflowID: "complaint-C-1"})
			_, plain := jsonPayloads(t, secret, "not encrypted")
			sealed, err := inWorkflow.Encode(plain[:1])
			require.NoError(t, err)
			require.Equal(t, payloadcrypt.DataKeyID("complaint-C-1"), string(sealed[0].GetMetadata()[payloadcrypt.MetaKeyID]))
			opened := answeredPayloads(t, rig.do(codecCall{path: "/codec/decode", token: "supervisor",
				body: protocolBody(t, []*commonpb.Payload{sealed[0], plain[1]})}))
			require.True(t, proto.Equal(plain[0], opened[0]))
			require.True(t, proto.Equal(plain[1], opened[1]))
			events := rig.audits("codec.decode")
			require.Equal(t, "no namespace, 2 payloads", events[len(events)-1].Subject)
			for _, e := range append(events, rig.audits("codec.encode")...) {
				require.NotContains(t, e.Subject, "Li Na", "the audit log holds no payload")
			}
		})
	}
}

// TestCodecServerRefusals: without a credential 401, for everyone but
// supervisors and admins 403, and the console's cookie counts only on a
// request from the Web UI's origin; a refusal writes no audit row.
func TestCodecServerRefusals(t *testing.T) {
	rig := newCodecRig(t, storetest.SQLite(t))
	body, _ := jsonPayloads(t, "Li Na")
	for _, tc := range []struct {
		name   string
		call   codecCall
		status int
		code   string
	}{
		{"no credential", codecCall{}, 401, "unauthorized"},
		{"no credential from the Web UI", codecCall{origin: uiOrigin}, 401, "unauthorized"},
		{"unknown token", codecCall{token: "nobody"}, 401, "unauthorized"},
		{"engineer by token", codecCall{token: "engineer"}, 403, "forbidden"},
		{"agent by token", codecCall{token: "agent"}, 403, "forbidden"},
		{"engineer by session from the Web UI", codecCall{session: "engineer", origin: uiOrigin}, 403, "forbidden"},
		{"supervisor's session from another origin", codecCall{session: "supervisor", origin: "http://127.0.0.1:9999"}, 401, "unauthorized"},
		{"supervisor's session without an origin", codecCall{session: "supervisor"}, 401, "unauthorized"},
		{"a session that does not exist", codecCall{session: "ghost", origin: uiOrigin}, 401, "unauthorized"},
	} {
		for _, path := range []string{"/codec/encode", "/codec/decode"} {
			t.Run(tc.name+" "+path, func(t *testing.T) {
				call := tc.call
				call.path, call.body = path, body
				rec := rig.do(call)
				require.Equal(t, tc.status, rec.Code, rec.Body.String())
				e := errorOf(t, rec)
				require.Equal(t, tc.code, e.Code)
				if tc.status == http.StatusForbidden {
					require.Contains(t, e.Message, "supervisor or admin", "the answer says who may")
				}
			})
		}
	}
	require.Empty(t, rig.audits("codec.encode"))
	require.Empty(t, rig.audits("codec.decode"))
}

// TestCodecServerCORS: the Web UI's origin, and only it, gets the CORS
// headers (no wildcard) on the preflight and on the answers, refusals
// included, so the UI can tell a refusal from a network error.
func TestCodecServerCORS(t *testing.T) {
	rig := newCodecRig(t, storetest.SQLite(t))
	body, _ := jsonPayloads(t, "x")
	preflight := func(origin string) *httptest.ResponseRecorder {
		req := httptest.NewRequest(http.MethodOptions, "/codec/decode?preserveStorageRefs=true", nil)
		if origin != "" {
			req.Header.Set("Origin", origin)
		}
		req.Header.Set("Access-Control-Request-Method", "POST")
		req.Header.Set("Access-Control-Request-Headers", "content-type,x-namespace")
		rec := httptest.NewRecorder()
		rig.h.ServeHTTP(rec, req)
		return rec
	}

	rec := preflight(uiOrigin)
	require.Equal(t, http.StatusNoContent, rec.Code, rec.Body.String())
	require.Equal(t, uiOrigin, rec.Header().Get("Access-Control-Allow-Origin"))
	require.Equal(t, "true", rec.Header().Get("Access-Control-Allow-Credentials"))
	require.Contains(t, rec.Header().Get("Access-Control-Allow-Methods"), "POST")
	for _, h := range []string{"content-type", "x-namespace", "authorization"} {
		require.Contains(t, rec.Header().Get("Access-Control-Allow-Headers"), h)
	}
	require.Equal(t, "Origin", rec.Header().Get("Vary"))

	for _, origin := range []string{"http://127.0.0.1:9999", "http://evil.example", "null", ""} {
		rec := preflight(origin)
		require.Equal(t, http.StatusForbidden, rec.Code, "preflight from %q", origin)
		require.Equal(t, "forbidden", errorOf(t, rec).Code)
		require.Empty(t, rec.Header().Get("Access-Control-Allow-Origin"), "preflight from %q", origin)
		require.Empty(t, rec.Header().Get("Access-Control-Allow-Credentials"))
	}

	for _, tc := range []struct {
		name   string
		call   codecCall
		status int
		allow  string
	}{
		{"the Web UI", codecCall{token: "supervisor", origin: uiOrigin}, 200, uiOrigin},
		{"the Web UI, refused", codecCall{session: "engineer", origin: uiOrigin}, 403, uiOrigin},
		{"the Web UI, signed out", codecCall{origin: uiOrigin}, 401, uiOrigin},
		{"another origin", codecCall{token: "supervisor", origin: "http://evil.example"}, 200, ""},
		{"no origin (the CLI)", codecCall{token: "supervisor"}, 200, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			call := tc.call
			call.path, call.body = "/codec/decode", body
			rec := rig.do(call)
			require.Equal(t, tc.status, rec.Code, rec.Body.String())
			require.Equal(t, tc.allow, rec.Header().Get("Access-Control-Allow-Origin"))
			require.NotEqual(t, "*", rec.Header().Get("Access-Control-Allow-Origin"))
			require.Equal(t, map[bool]string{true: "true", false: ""}[tc.allow != ""],
				rec.Header().Get("Access-Control-Allow-Credentials"))
			require.Equal(t, "Origin", rec.Header().Get("Vary"))
		})
	}
}

// TestCodecServerBadInput: what is not the protocol's JSON answers 400
// naming the body, a payload the codec cannot open 422 naming the payload,
// a data key store that fails 503 with Retry-After; none is audited.
func TestCodecServerBadInput(t *testing.T) {
	rig := newCodecRig(t, storetest.SQLite(t))
	_, plain := jsonPayloads(t, "Li Na")
	inWorkflow := func(id string) []*commonpb.Payload {
		sealed, err := rig.codec.WithSerializationContext(converter.WorkflowSerializationContext{WorkflowID: id}).Encode(plain)
		require.NoError(t, err)
		return sealed
	}
	erased, unavailable := inWorkflow("complaint-erased"), inWorkflow("complaint-down")
	rig.keys.destroy("complaint-erased")
	rig.codec.Forget("complaint-erased", "complaint-down")
	rig.keys.fail("complaint-down")
	otherLine, err := payloadcrypt.NewKeyLine("k-other", time.Now())
	require.NoError(t, err)
	otherRing, err := payloadcrypt.ParseKeyring(otherLine)
	require.NoError(t, err)
	foreign, err := payloadcrypt.NewCodec(otherRing, payloadcrypt.Options{}).Encode(plain)
	require.NoError(t, err)
	damaged := proto.Clone(foreign[0]).(*commonpb.Payload)
	damaged.Metadata[payloadcrypt.MetaKeyID] = []byte("k1")

	for _, tc := range []struct {
		name      string
		body      string
		namespace string
		status    int
		field     string
		problem   string
	}{
		{name: "not JSON", body: "payloads=1", status: 400, field: "body", problem: "must be a JSON object"},
		{name: "no body", body: "", status: 400, field: "body", problem: "is required"},
		{name: "a list", body: `[{"data":"eA=="}]`, status: 400, field: "body", problem: "must be a JSON object"},
		{name: "an unknown field", body: `{"payloads":[],"extra":1}`, status: 400, field: "body", problem: "must be a JSON object"},
		{name: "data not base64", body: `{"payloads":[{"data":"*"}]}`, status: 400, field: "body", problem: "must be a JSON object"},
		{name: "a bad namespace", body: `{"payloads":[]}`, namespace: "case\x01flow", status: 400, field: "X-Namespace",
			problem: "control characters"},
		{name: "sealed with a key the keyring lacks", body: protocolBody(t, []*commonpb.Payload{plain[0], foreign[0]}),
			status: 422, field: "payloads[1]", problem: `key "k-other"`},
		{name: "damaged", body: protocolBody(t, []*commonpb.Payload{damaged}), status: 422, field: "payloads[0]",
			problem: "cannot be decoded"},
		{name: "an erased customer's", body: protocolBody(t, erased), status: 422, field: "payloads[0]",
			problem: "destroyed when its customer was erased"},
		{name: "a workflow without a data key", body: protocolBody(t, inWorkflowOf(t, "complaint-none")), status: 422,
			field: "payloads[0]", problem: "does not exist"},
		{name: "the data keys are unreachable", body: protocolBody(t, unavailable), status: 503},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rec := rig.do(codecCall{path: "/codec/decode", token: "admin", namespace: tc.namespace, body: tc.body})
			require.Equal(t, tc.status, rec.Code, rec.Body.String())
			e := errorOf(t, rec)
			if tc.status == http.StatusServiceUnavailable {
				require.Equal(t, "unavailable", e.Code)
				require.NotEmpty(t, rec.Header().Get("Retry-After"))
				return
			}
			require.Contains(t, e.Fields[tc.field], tc.problem, "%v", e)
			require.NotContains(t, rec.Body.String(), "Li Na")
		})
	}
	require.Empty(t, rig.audits("codec.decode"), "refused calls are not audited")
}

// inWorkflowOf is a payload sealed with the data key of a workflow that
// another codec's store holds: this rig's store has none for it.
func inWorkflowOf(t *testing.T, id string) []*commonpb.Payload {
	t.Helper()
	line, err := payloadcrypt.NewKeyLine("k1", time.Now())
	require.NoError(t, err)
	ring, err := payloadcrypt.ParseKeyring(line)
	require.NoError(t, err)
	keys := &memoryDataKeys{wrapped: map[string][2][]byte{}, destroyed: map[string]bool{}}
	codec := payloadcrypt.NewCodec(ring, payloadcrypt.Options{DataKeys: keys, CreateDataKeys: true,
		DataKeyFor: func(string) bool { return true }})
	p, err := converter.GetDefaultDataConverter().ToPayload("x")
	require.NoError(t, err)
	sealed, err := codec.WithSerializationContext(converter.WorkflowSerializationContext{WorkflowID: id}).
		Encode([]*commonpb.Payload{p})
	require.NoError(t, err)
	return sealed
}

// memoryDataKeys is a data key store in memory that can destroy a key (an
// erasure) and fail for a workflow (a store that is down).
type memoryDataKeys struct {
	mu        sync.Mutex
	wrapped   map[string][2][]byte
	destroyed map[string]bool
	failing   string
}

func (m *memoryDataKeys) WrappedDataKey(_ context.Context, id string) (string, []byte, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	switch k, ok := m.wrapped[id]; {
	case id == m.failing:
		return "", nil, errors.New("connection refused")
	case m.destroyed[id]:
		return "", nil, payloadcrypt.ErrDataKeyDestroyed
	case !ok:
		return "", nil, payloadcrypt.ErrNoDataKey
	default:
		return string(k[0]), k[1], nil
	}
}

func (m *memoryDataKeys) CreateDataKey(_ context.Context, id, wrapKeyID string, wrapped []byte) (string, []byte, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if k, ok := m.wrapped[id]; ok {
		return string(k[0]), k[1], nil
	}
	m.wrapped[id] = [2][]byte{[]byte(wrapKeyID), wrapped}
	return wrapKeyID, wrapped, nil
}

func (m *memoryDataKeys) destroy(id string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	delete(m.wrapped, id)
	m.destroyed[id] = true
}

func (m *memoryDataKeys) fail(id string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.failing = id
}
