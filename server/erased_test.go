package server_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/mock"
	"github.com/stretchr/testify/require"
	"go.temporal.io/api/serviceerror"
	"go.temporal.io/sdk/mocks"

	"github.com/caseflow/caseflow/complaint"
	"github.com/caseflow/caseflow/payloadcrypt"
	"github.com/caseflow/caseflow/sla"
)

// TestErasedCustomerTakesNoNewData: once C-1 is erased, every route that
// would give it new personal data answers 409 customer_erased before
// Temporal is asked anything (the mock takes no call) and writes nothing:
// its archive entry, equipment, complaints (registered, raised by a
// follow-up, reopened), follow-ups, feedback and RMAs. Another customer's
// requests pass the check.
func TestErasedCustomerTakesNoNewData(t *testing.T) {
	st, call := eraseAPI(t, mocks.NewClient(t))
	ctx := t.Context()
	require.NoError(t, st.EnsurePolicies(ctx, sla.Standard()))
	_, err := st.EraseCustomer(ctx, "C-1", "u-admin", "the customer asked to be forgotten", eraseAt)
	require.NoError(t, err)
	// A follow-up of C-1 the store holds open (opened before the erasure
	// would have been refused): raising a complaint from it is refused too.
	f := complaint.Followup{ID: "f-1", Kind: complaint.FollowupDeliveryCall, Stage: complaint.FollowupOpen,
		CustomerID: "C-1", OwnerDepartment: complaint.DepartmentAfterSales, DueAt: eraseAt, OpenedAt: eraseAt,
		UpdatedAt: eraseAt, AllowedSteps: complaint.FollowupSteps()}
	require.NoError(t, st.RegisterFollowup(ctx, f,
		complaint.Event{Seq: 1, Kind: complaint.EventFollowupOpened, OccurredAt: eraseAt}))
	erased, err := st.GetCustomer(ctx, "C-1")
	require.NoError(t, err)
	rows := func() map[string]int {
		out := map[string]int{}
		for _, table := range []string{"customers", "equipment", "complaints", "followups", "feedback", "rmas", "data_keys"} {
			var n int
			require.NoError(t, st.DB().GetContext(ctx, &n, "SELECT COUNT(*) FROM "+table))
			out[table] = n
		}
		return out
	}
	before := rows()
	due := eraseAt.Add(48 * time.Hour).Format(time.RFC3339)
	for _, tc := range []struct {
		name, token, method, target, body string
	}{
		{"register a complaint", "cf_agent", http.MethodPost, "/api/v1/complaints",
			`{"customer_id":"C-1","customer_name":"Lotus Clinic","contact_name":"Lan Xiaoli","channel":"phone","description":"it sparks again",` +
				`"category":"quality","severity":"minor"}`},
		{"register it as a new customer", "cf_agent", http.MethodPost, "/api/v1/complaints",
			`{"customer_id":"C-1","customer_name":"Lotus Clinic","contact_name":"Lan Xiaoli","channel":"phone","description":"it sparks again",` +
				`"category":"quality","severity":"minor","new_customer":{"name":"Lotus Clinic","sla_policy":"standard"}}`},
		{"a follow-up raises a complaint", "cf_agent", http.MethodPost, "/api/v1/followups/f-1/done",
			`{"note":"the pump leaks","issues_found":true,"raise_complaint":{"contact_name":"Lan","description":"leaks"}}`},
		{"open a follow-up", "cf_agent", http.MethodPost, "/api/v1/followups",
			`{"kind":"annual_survey","customer_id":"C-1","due_at":"` + due + `"}`},
		{"log feedback", "cf_agent", http.MethodPost, "/api/v1/feedback",
			`{"kind":"suggestion","from_customer_id":"C-1","text":"a bigger display","routed_to":"technical"}`},
		{"request an RMA", "cf_agent", http.MethodPost, "/api/v1/returns",
			`{"kind":"exchange","customer_id":"C-1","part_number":"P-1","quantity":2,"serials":["SN-R1","SN-R2"],` +
				`"reason":"seals leak","warehouse":"W-1","branch_office":"Ningbo"}`},
		{"reopen its case", "cf_admin", http.MethodPost, "/api/v1/complaints/case-1/reopen", `{"reason":"asked again"}`},
		{"replace the customer", "cf_agent", http.MethodPut, "/api/v1/customers/C-1",
			`{"name":"Lotus Clinic","sla_policy":"standard","contacts":[{"name":"Lan Xiaoli"}]}`},
		{"patch the customer", "cf_agent", http.MethodPatch, "/api/v1/customers/C-1", `{"name":"Lotus Clinic"}`},
		{"add equipment", "cf_agent", http.MethodPost, "/api/v1/equipment",
			`{"serial":"SN-NEW","customer_id":"C-1","model":"P-100"}`},
		{"put equipment", "cf_agent", http.MethodPut, "/api/v1/equipment/SN-NEW", `{"customer_id":"C-1","model":"P-100"}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			status, out, header := call(tc.token, tc.method, tc.target, tc.body)
			require.Equal(t, http.StatusConflict, status, "%v", out)
			require.Equal(t, map[string]any{"code": "customer_erased",
				"message": "customer C-1 was erased; caseflow takes no new personal data for an erased customer"},
				out["error"])
			require.Empty(t, header.Get("Retry-After"), "final: no retry changes it")
			require.Equal(t, before, rows(), "nothing was written")
			cu, err := st.GetCustomer(ctx, "C-1")
			require.NoError(t, err)
			require.Equal(t, erased, cu, "the archive entry is as the erasure left it")
		})
	}

	// The check refuses only the erased customer.
	status, out, _ := call("cf_agent", http.MethodPut, "/api/v1/customers/C-2", `{"name":"Plum Clinic","sla_policy":"standard"}`)
	require.Equal(t, http.StatusOK, status, "%v", out)
	status, out, _ = call("cf_agent", http.MethodPost, "/api/v1/equipment", `{"serial":"SN-2","customer_id":"C-2","model":"P-100"}`)
	require.Equal(t, http.StatusCreated, status, "%v", out)
}

// TestDestroyedDataKeyAnswersCustomerErased: a start or step that fails
// because its workflow's data key was destroyed (the codec cannot seal or
// open its payloads) answers 409 customer_erased, whichever route sent it;
// not the 503 of an outcome unknown, which it still is for Temporal's own
// faults.
func TestDestroyedDataKeyAnswersCustomerErased(t *testing.T) {
	destroyed := fmt.Errorf("encode the update's argument: %w",
		fmt.Errorf("%w: %s", payloadcrypt.ErrDataKeyDestroyed, payloadcrypt.DataKeyID("complaint-case-1")))
	for _, tc := range []struct {
		name, target, body string
		err                error
		status             int
		code               string
	}{
		{"a complaint's step", "/api/v1/complaints/case-1/progress", `{"note":"called back"}`, destroyed,
			http.StatusConflict, "customer_erased"},
		{"a follow-up's step", "/api/v1/followups/f-1/cancel", `{"reason":"no longer needed"}`, destroyed,
			http.StatusConflict, "customer_erased"},
		{"Temporal unavailable", "/api/v1/complaints/case-1/progress", `{"note":"called back"}`,
			serviceerror.NewUnavailable("connection refused"), http.StatusServiceUnavailable, "unavailable"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			temporal := mocks.NewClient(t)
			temporal.On("UpdateWorkflow", mock.Anything, mock.Anything).Return(nil, tc.err).Once()
			_, call := eraseAPI(t, temporal)
			status, out, header := call("cf_agent", http.MethodPost, tc.target, tc.body)
			require.Equal(t, tc.status, status, "%v", out)
			require.Equal(t, tc.code, out["error"].(map[string]any)["code"])
			require.Equal(t, tc.status == http.StatusServiceUnavailable, header.Get("Retry-After") != "")
			if tc.status == http.StatusConflict {
				require.True(t, strings.HasSuffix(out["error"].(map[string]any)["message"].(string),
					"caseflow takes no new personal data for an erased customer"))
			}
		})
	}
}
