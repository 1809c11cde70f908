package app_test

import (
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	commonpb "go.temporal.io/api/common/v1"
	"go.temporal.io/sdk/client"

	"github.com/caseflow/caseflow/app"
	"github.com/caseflow/caseflow/complaint"
	"github.com/caseflow/caseflow/payloadcrypt"
	"github.com/caseflow/caseflow/review"
	"github.com/caseflow/caseflow/store"
)

// TestEraseCustomerEndToEnd, on the real stack and both databases: a
// customer's erasure is refused while its case runs; once the case has
// ended it replaces the customer's personal data with the marker in what
// the API answers (the archive, the case, its timeline), leaves the month's
// figures as they were, makes the case's history in Temporal unreadable
// (its data key is gone), answers a second erasure with the first, and
// leaves other customers' work alone; afterwards the API takes no new
// personal data for the customer (409 customer_erased), nor a step on its
// case, whose data key is gone.
func TestEraseCustomerEndToEnd(t *testing.T) {
	for _, b := range stackBackends() {
		t.Run(b.name, func(t *testing.T) {
			stack := startStack(t, devConfig(t.TempDir(), b.env(t)))
			keeper := agent(t, stack)
			admin := as(t, stack, "after_sales", "admin")
			personal := []string{"Wu Lanfang Clinic", "Wu Lanfang", "+86 139 2468 1357", "lanfang@wu-clinic.example",
				"Plum Ward", "12 Plum Road", "the pump hisses beside bed seven", "Lanfang withdrew it"}
			status, body := keeper.do(http.MethodPut, "/api/v1/customers/C-ERASE", map[string]any{
				"name": personal[0], "sla_policy": "standard", "region": "east",
				"contacts": []map[string]any{{"name": personal[1], "phone": personal[2], "email": personal[3]}},
				"sites":    []map[string]any{{"id": "S-1", "name": personal[4], "address": personal[5]}}}, nil)
			require.Equal(t, http.StatusOK, status, "%v", body)
			status, body = keeper.do(http.MethodPut, "/api/v1/equipment/SN-ERASE", map[string]any{
				"customer_id": "C-ERASE", "site_id": "S-1", "model": "P-100"}, nil)
			require.Equal(t, http.StatusOK, status, "%v", body)

			// A case received last month, so that the month's review counts it.
			zone, err := time.LoadLocation(complaint.DefaultTimeZone)
			require.NoError(t, err)
			lastMonth := review.PreviousMonth(time.Now(), zone)
			from, _, err := review.MonthRange(lastMonth, zone)
			require.NoError(t, err)
			w := newCase(t, stack, map[string]any{"customer_id": "C-ERASE", "customer_name": personal[0],
				"contact_name": personal[1], "contact_phone": personal[2], "description": personal[6],
				"equipment_serial": "SN-ERASE", "received_at": from.Add(48 * time.Hour).UTC().Format(time.RFC3339)})
			workflowID := complaint.WorkflowID(w.id)
			erase := "/api/v1/customers/C-ERASE/erase"
			reason := map[string]any{"reason": "the customer asked to be forgotten"}

			status, body = admin.do(http.MethodPost, erase, reason, nil)
			require.Equal(t, http.StatusConflict, status, "%v", body)
			refusal := body["error"].(map[string]any)
			require.Equal(t, "customer_has_open_processes", refusal["code"])
			require.Contains(t, refusal["workflow_ids"], workflowID)

			// The history opens with the case's data key, as anyone with the
			// codec reads it.
			plain, err := client.DialContext(t.Context(), client.Options{HostPort: stack.Config.TemporalAddress,
				Namespace: stack.Config.Namespace})
			require.NoError(t, err)
			defer plain.Close()
			sealed := dataKeyed(t, plain, workflowID)
			opened, err := stack.Payloads.Decode(sealed)
			require.NoError(t, err)
			require.True(t, slices.ContainsFunc(opened, func(p *commonpb.Payload) bool {
				return strings.Contains(string(p.GetData()), personal[1])
			}), "the history holds the contact")

			w.step("after_sales", "agent", "withdraw", note(personal[7]))
			require.NoError(t, stack.Client.GetWorkflow(t.Context(), workflowID, "").Get(t.Context(), nil),
				"the case's workflow ends")
			figures := monthFigures(t, stack, lastMonth, zone)
			require.Equal(t, 1, figures.Cases)

			status, erased := admin.do(http.MethodPost, erase, reason, nil)
			require.Equal(t, http.StatusOK, status, "%v", erased)
			require.Equal(t, "C-ERASE", erased["customer_id"])
			require.EqualValues(t, 1, erased["workflows"])
			require.Equal(t, false, erased["repeated"])
			require.NotEmpty(t, erased["erased_by"])

			marker := store.ErasedMarker
			status, cu := keeper.do(http.MethodGet, "/api/v1/customers/C-ERASE", nil, nil)
			require.Equal(t, http.StatusOK, status)
			require.Equal(t, erased["erased_at"], cu["erased_at"])
			require.Equal(t, marker, cu["name"])
			require.Equal(t, []any{map[string]any{"name": marker, "phone": marker, "email": marker}}, cu["contacts"])
			require.Equal(t, []any{map[string]any{"id": "S-1", "name": marker, "address": marker}}, cu["sites"])
			status, cs := keeper.do(http.MethodGet, "/api/v1/complaints/"+w.id, nil, nil)
			require.Equal(t, http.StatusOK, status)
			for _, field := range []string{"customer_name", "contact_name", "contact_phone", "description"} {
				require.Equal(t, marker, cs[field], field)
			}
			require.Equal(t, marker, cs["customer"].(map[string]any)["name"])
			require.Equal(t, map[string]any{"id": "S-1", "name": marker, "address": marker}, cs["site"])
			require.Equal(t, "closed", cs["stage"])
			require.Equal(t, "quality", cs["category"], "what the figures count stays")
			status, timeline := keeper.do(http.MethodGet, "/api/v1/complaints/"+w.id+"/timeline", nil, nil)
			require.Equal(t, http.StatusOK, status)
			answers, err := json.Marshal([]any{cu, cs, timeline})
			require.NoError(t, err)
			for _, v := range personal {
				require.NotContains(t, string(answers), v)
			}

			// The history no longer opens: its data key is destroyed (and
			// the codec forgot it).
			_, err = stack.Payloads.Decode(sealed)
			require.ErrorIs(t, err, payloadcrypt.ErrDataKeyDestroyed)

			require.Equal(t, figures, monthFigures(t, stack, lastMonth, zone), "the month's figures")
			lead := as(t, stack, "after_sales", "supervisor")
			status, reviewed := lead.do(http.MethodPost, "/api/v1/reviews/"+lastMonth+"/run", nil, nil)
			require.Equal(t, http.StatusOK, status, "%v", reviewed)
			require.Equal(t, figuresJSON(t, figures), figuresJSON(t, reviewed), "the review computed after the erasure")

			status, again := admin.do(http.MethodPost, erase, map[string]any{"reason": "asked again"}, nil)
			require.Equal(t, http.StatusOK, status, "%v", again)
			erased["repeated"] = true
			require.Equal(t, erased, again, "a second erasure answers the first")

			// No new personal data for the erased customer: each refusal is
			// 409 customer_erased and writes nothing.
			cases := func() []string {
				page, err := stack.Store.ListCases(t.Context(), store.CaseFilter{CustomerID: "C-ERASE", Limit: 10})
				require.NoError(t, err)
				var ids []string
				for _, c := range page.Cases {
					ids = append(ids, c.ID)
				}
				return ids
			}
			require.Equal(t, []string{w.id}, cases())
			refused := func(status int, body map[string]any) {
				t.Helper()
				require.Equal(t, http.StatusConflict, status, "%v", body)
				require.Equal(t, "customer_erased", body["error"].(map[string]any)["code"])
			}
			refused(keeper.do(http.MethodPost, "/api/v1/complaints", map[string]any{"customer_id": "C-ERASE",
				"customer_name": personal[0], "contact_name": personal[1], "contact_phone": personal[2], "channel": "phone",
				"description": "it hisses again", "category": "quality", "severity": "minor"},
				map[string]string{"Idempotency-Key": "erased-again"}))
			refused(keeper.do(http.MethodPatch, "/api/v1/customers/C-ERASE", map[string]any{"name": personal[0]}, nil))
			refused(keeper.do(http.MethodPut, "/api/v1/equipment/SN-ERASE-2", map[string]any{
				"customer_id": "C-ERASE", "model": "P-100"}, nil))
			// A step on its ended case: its data key is gone, so the API
			// cannot even seal the step for Temporal.
			w.refused("after_sales", "agent", "progress", note("called back"), http.StatusConflict, "customer_erased")
			require.Equal(t, []string{w.id}, cases(), "no complaint was registered")
			status, unchanged := keeper.do(http.MethodGet, "/api/v1/customers/C-ERASE", nil, nil)
			require.Equal(t, http.StatusOK, status)
			require.Equal(t, cu, unchanged, "the archive entry is as the erasure left it")
			status, _ = keeper.do(http.MethodGet, "/api/v1/equipment/SN-ERASE-2", nil, nil)
			require.Equal(t, http.StatusNotFound, status)

			// Other customers' complaints are registered as before.
			other := newCase(t, stack, nil)
			require.Equal(t, "Wang Fang", other.last["contact_name"])
		})
	}
}

// dataKeyed reads a workflow's history through a plain client and answers
// its payloads sealed with the workflow's own data key.
func dataKeyed(t *testing.T, plain client.Client, workflowID string) []*commonpb.Payload {
	t.Helper()
	var sealed []*commonpb.Payload
	for _, event := range readHistory(t, plain, workflowID).GetEvents() {
		payloadcrypt.VisitPayloads(event, func(p *commonpb.Payload) {
			if id, ok := payloadcrypt.KeyID(p); ok && id == payloadcrypt.DataKeyID(workflowID) {
				sealed = append(sealed, p)
			}
		})
	}
	require.NotEmpty(t, sealed)
	return sealed
}

// monthFigures are the month's figures as the review computes them from
// the store, at a fixed time.
func monthFigures(t *testing.T, stack *app.Stack, month string, zone *time.Location) review.Figures {
	t.Helper()
	_, to, err := review.MonthRange(month, zone)
	require.NoError(t, err)
	f, err := stack.Store.MonthFigures(t.Context(), month, zone, to)
	require.NoError(t, err)
	return f
}

// figuresJSON is figures (or a review's answer) as JSON, without when they
// were computed and the review's state.
func figuresJSON(t *testing.T, figures any) map[string]any {
	t.Helper()
	raw, err := json.Marshal(figures)
	require.NoError(t, err)
	var out map[string]any
	require.NoError(t, json.Unmarshal(raw, &out))
	for _, k := range []string{"computed_at", "state", "closed_at"} {
		delete(out, k)
	}
	return out
}
