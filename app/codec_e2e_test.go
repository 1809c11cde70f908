package app_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"testing"

	"github.com/stretchr/testify/require"
	commonpb "go.temporal.io/api/common/v1"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/converter"
	"google.golang.org/protobuf/encoding/protojson"

	"github.com/caseflow/caseflow/app"
	"github.com/caseflow/caseflow/complaint"
	"github.com/caseflow/caseflow/payloadcrypt"
)

// TestCodecServerForTheWebUI drives the codec server on the dev stack as
// the embedded Web UI's pages do, without a browser (TestCodecBrowser,
// behind the browser tag, does it in Chromium): the UI is configured with
// <API>/codec and the browser's credentials; a case's input, ciphertext in
// Temporal, decodes for a supervisor signed in to the console (the session
// cookie, from the UI's origin) and not for an engineer, nor from another
// origin.
func TestCodecServerForTheWebUI(t *testing.T) {
	stack := startStack(t, devConfig(t.TempDir(), nil))
	ui := stack.Temporal.UIURL()

	resp, err := http.Get(ui + "/api/v1/settings")
	require.NoError(t, err)
	var settings struct {
		Codec struct {
			Endpoint                            string
			IncludeCredentials, PassAccessToken bool
		}
	}
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&settings))
	resp.Body.Close()
	require.Equal(t, stack.APIURL()+"/codec", settings.Codec.Endpoint)
	require.True(t, settings.Codec.IncludeCredentials, "the UI sends the console's cookie")
	require.False(t, settings.Codec.PassAccessToken)

	const contact = "Qiao Codecserver"
	register := validComplaint()
	register["contact_name"] = contact
	status, created := agent(t, stack).do(http.MethodPost, "/api/v1/complaints", register, nil)
	require.Equal(t, http.StatusCreated, status, "%v", created)
	input := rawInput(t, stack, complaint.WorkflowID(created["id"].(string)))
	require.Equal(t, payloadcrypt.Encoding, string(input[0].GetMetadata()[converter.MetadataEncoding]))
	require.NotContains(t, string(input[0].GetData()), contact, "Temporal holds ciphertext")
	body, err := protojson.Marshal(&commonpb.Payloads{Payloads: input})
	require.NoError(t, err)

	admin := as(t, stack, "after_sales", "admin")
	for _, tc := range []struct {
		name, user, origin string
		status             int
		corsFor            string
	}{
		{"supervisor from the Web UI", "Demo after_sales supervisor", ui, http.StatusOK, ui},
		{"engineer from the Web UI", "Demo technical engineer", ui, http.StatusForbidden, ui},
		{"supervisor from another origin", "Demo after_sales supervisor", "http://127.0.0.1:1", http.StatusUnauthorized, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cookie := consoleSession(t, stack, userID(t, admin, tc.user))
			req, err := http.NewRequestWithContext(t.Context(), http.MethodPost,
				stack.APIURL()+"/codec/decode?preserveStorageRefs=true", bytes.NewReader(body))
			require.NoError(t, err)
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("X-Namespace", stack.Config.Namespace)
			req.Header.Set("Origin", tc.origin)
			req.AddCookie(cookie)
			resp, err := http.DefaultClient.Do(req)
			require.NoError(t, err)
			defer resp.Body.Close()
			answer, err := io.ReadAll(resp.Body)
			require.NoError(t, err)
			require.Equal(t, tc.status, resp.StatusCode, "%s", answer)
			require.Equal(t, tc.corsFor, resp.Header.Get("Access-Control-Allow-Origin"))
			if tc.status != http.StatusOK {
				require.NotContains(t, string(answer), contact)
				return
			}
			var out commonpb.Payloads
			require.NoError(t, protojson.Unmarshal(answer, &out))
			var in map[string]any
			require.NoError(t, converter.GetDefaultDataConverter().FromPayload(out.GetPayloads()[0], &in))
			require.Equal(t, contact, in["register"].(map[string]any)["contact_name"])
		})
	}
	events, err := stack.Store.AuditEvents(t.Context(), "codec.decode")
	require.NoError(t, err)
	require.Len(t, events, 1, "the one decode is audited, the refusals are not")
	require.Equal(t, userID(t, admin, "Demo after_sales supervisor"), events[0].Actor)
	require.Equal(t, "namespace "+stack.Config.Namespace+", 1 payload", events[0].Subject)
}

// rawInput is a workflow's input as Temporal stores it, read without the codec.
func rawInput(t *testing.T, stack *app.Stack, workflowID string) []*commonpb.Payload {
	t.Helper()
	raw, err := client.DialContext(t.Context(), client.Options{HostPort: stack.Config.TemporalAddress,
		Namespace: stack.Config.Namespace})
	require.NoError(t, err)
	defer raw.Close()
	iter := raw.GetWorkflowHistory(t.Context(), workflowID, "", false, 0)
	require.True(t, iter.HasNext())
	first, err := iter.Next()
	require.NoError(t, err)
	input := first.GetWorkflowExecutionStartedEventAttributes().GetInput().GetPayloads()
	require.NotEmpty(t, input)
	return input
}

// consoleSession signs a demo user in to the console on the dev sign-in
// page and answers the session cookie.
func consoleSession(t *testing.T, stack *app.Stack, userID string) *http.Cookie {
	t.Helper()
	noRedirect := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := noRedirect.PostForm(stack.APIURL()+"/console/signin/dev", url.Values{"user_id": {userID}})
	require.NoError(t, err)
	resp.Body.Close()
	require.Equal(t, http.StatusSeeOther, resp.StatusCode)
	for _, c := range resp.Cookies() {
		if c.Name == "caseflow_session" {
			require.Equal(t, http.SameSiteLaxMode, c.SameSite, "Lax: the Web UI, on another port of the host, is the same site")
			return c
		}
	}
	t.Fatalf("signing in set no session cookie: %v", resp.Header.Values("Set-Cookie"))
	return nil
}

// codecBody is a codec-server request (Temporal's protocol JSON) holding
// value as one JSON payload, sealed by the stack's codec when sealed is
// set: what the Web UI sends to decode a history's payload.
func codecBody(t testing.TB, stack *app.Stack, value any, sealed bool) string {
	t.Helper()
	p, err := converter.GetDefaultDataConverter().ToPayload(value)
	require.NoError(t, err)
	if sealed {
		out, err := stack.Payloads.Encode([]*commonpb.Payload{p})
		require.NoError(t, err)
		p = out[0]
	}
	raw, err := protojson.Marshal(&commonpb.Payloads{Payloads: []*commonpb.Payload{p}})
	require.NoError(t, err)
	return string(raw)
}
