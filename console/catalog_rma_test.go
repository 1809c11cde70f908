package console

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/caseflow/caseflow/complaint"
)

// TestEveryRMAProblemTranslates words the RMA bodies' broken rules, their
// checks between fields and the API's and rules' own words in Chinese.
func TestEveryRMAProblemTranslates(t *testing.T) {
	bodies := []any{&complaint.RMARequestBody{}, &complaint.RMARequestBody{Kind: "swap", Quantity: -1,
		Serials: []string{"S", "S", ""}, Reason: strings.Repeat("x", 10001)},
		&complaint.RMARejectBody{}, &complaint.RMAReceiveBody{}, &complaint.RMAInspectBody{Result: "fine"},
		&complaint.RMACompleteBody{}, &complaint.RMACompleteBody{Disposition: complaint.DispositionReplace}}
	seen := 0
	for _, b := range bodies {
		for field, msg := range complaint.BodyProblems(b) {
			seen++
			require.True(t, translated(msg), "%T.%s: %q has no Chinese wording", b, field, msg)
		}
	}
	require.Greater(t, seen, 8)
	for _, msg := range []string{"names no customer in the archive", "names no complaint",
		"is a complaint of another customer", "is required when the customer has none in the archive",
		"must not have more items than quantity", "must be at most 2, the quantity of the RMA",
		"is not a serial of the RMA", "names no warehouse", "is not kept in warehouse main"} {
		require.True(t, translated(msg), "%q has no Chinese wording", msg)
	}
	for field, msg := range (complaint.RMARequestBody{Quantity: 1, Serials: []string{"a", "b"}}).Problems() {
		require.True(t, translated(msg), "%s: %q", field, msg)
	}
}
