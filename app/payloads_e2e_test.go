package app_test

import (
	"bytes"
	"encoding/base64"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	commonpb "go.temporal.io/api/common/v1"
	enumspb "go.temporal.io/api/enums/v1"
	historypb "go.temporal.io/api/history/v1"
	"go.temporal.io/sdk/client"
	"google.golang.org/protobuf/proto"

	"github.com/caseflow/caseflow/payloadcrypt"
)

// testKeyring is a fixed keyring for processes a test starts apart.
func testKeyring(t testing.TB) string {
	t.Helper()
	return "test:" + base64.StdEncoding.EncodeToString(bytes.Repeat([]byte{7}, payloadcrypt.KeySize))
}

// TestTemporalHoldsNoPersonalDataInTheClear registers a complaint on the
// real stack and reads its history as anyone with access to Temporal
// would, through a plain client: no payload shows the contact's name, phone
// or the description, nor does any search attribute; caseflow's codec opens
// the same payloads.
func TestTemporalHoldsNoPersonalDataInTheClear(t *testing.T) {
	for _, b := range stackBackends() {
		t.Run(b.name, func(t *testing.T) {
			stack := startStack(t, devConfig(t.TempDir(), b.env(t)))
			body := validComplaint()
			personal := []string{"Liu Yangzhou 刘扬州", "+86 13943218765", "the injector's screen 屏幕 flickers at 3 bar"}
			body["contact_name"], body["contact_phone"], body["description"] = personal[0], personal[1], personal[2]
			// With a key, the workflow keeps the request's fingerprint in its memo.
			status, created := agent(t, stack).do(http.MethodPost, "/api/v1/complaints", body,
				map[string]string{"Idempotency-Key": "sealed-" + b.name})
			require.Equal(t, http.StatusCreated, status, "%v", created)
			workflowID := "complaint-" + created["id"].(string)
			// The API reads them back through the workflow and the store.
			require.Equal(t, personal[0], created["contact_name"])

			plain, err := client.DialContext(t.Context(), client.Options{HostPort: stack.Config.TemporalAddress, Namespace: stack.Config.Namespace})
			require.NoError(t, err)
			defer plain.Close()
			history := readHistory(t, plain, workflowID)
			raw, err := proto.Marshal(history)
			require.NoError(t, err)
			for _, v := range personal {
				require.False(t, bytes.Contains(raw, []byte(v)), "%q is in the raw history", v)
			}

			var sealed, dataKeyed []*commonpb.Payload
			for _, event := range history.GetEvents() {
				if attrs := event.GetWorkflowExecutionStartedEventAttributes(); attrs != nil {
					requireNoPersonalSearchAttributes(t, attrs.GetSearchAttributes(), personal)
				}
				if attrs := event.GetUpsertWorkflowSearchAttributesEventAttributes(); attrs != nil {
					requireNoPersonalSearchAttributes(t, attrs.GetSearchAttributes(), personal)
				}
				// Every other payload is sealed (search attributes stay
				// readable by design, and VisitPayloads skips them).
				payloadcrypt.VisitPayloads(event, func(p *commonpb.Payload) {
					id, ok := payloadcrypt.KeyID(p)
					require.True(t, ok, "a %s payload in the clear: %s", event.GetEventType(), p.GetMetadata())
					sealed = append(sealed, p)
					if id == payloadcrypt.DataKeyID(workflowID) {
						dataKeyed = append(dataKeyed, p)
					}
				})
			}
			require.NotEmpty(t, sealed)
			first := history.GetEvents()[0]
			require.NotEmpty(t, first.GetWorkflowExecutionStartedEventAttributes().GetMemo().GetFields(), "the memo is among the payloads checked")
			require.NotNil(t, first.GetUserMetadata().GetSummary(), "so is the summary")
			require.Len(t, dataKeyed, len(sealed), "every payload of a case is sealed with the case's data key")

			// What Temporal's visibility shows, as the Web UI lists cases.
			desc, err := plain.DescribeWorkflowExecution(t.Context(), workflowID, "")
			require.NoError(t, err)
			requireNoPersonalSearchAttributes(t, desc.GetWorkflowExecutionInfo().GetSearchAttributes(), personal)

			// caseflow's codec opens them: the input holds all three.
			opened, err := stack.Payloads.Decode(sealed)
			require.NoError(t, err)
			var clear []byte
			for _, p := range opened {
				clear = append(clear, p.GetData()...)
			}
			for _, v := range personal {
				require.True(t, bytes.Contains(clear, []byte(v)), "%q decoded", v)
			}
		})
	}
}

func readHistory(t *testing.T, c client.Client, workflowID string) *historypb.History {
	t.Helper()
	history := &historypb.History{}
	it := c.GetWorkflowHistory(t.Context(), workflowID, "", false, enumspb.HISTORY_EVENT_FILTER_TYPE_ALL_EVENT)
	for it.HasNext() {
		event, err := it.Next()
		require.NoError(t, err)
		history.Events = append(history.Events, event)
	}
	return history
}

func requireNoPersonalSearchAttributes(t *testing.T, sa *commonpb.SearchAttributes, personal []string) {
	t.Helper()
	for name, p := range sa.GetIndexedFields() {
		for _, v := range personal {
			// Any fragment of a value: a name's surname alone is still a name.
			for _, part := range strings.Fields(v) {
				if len(part) > 3 {
					require.False(t, bytes.Contains(p.GetData(), []byte(part)), "search attribute %s holds %q", name, part)
				}
			}
		}
	}
}
