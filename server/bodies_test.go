package server_test

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/caseflow/caseflow/complaint"
	"github.com/caseflow/caseflow/server"
)

// Every route that takes a body lists it, and every rule of every body has
// words a person understands.
func TestEveryBodyRouteIsListed(t *testing.T) {
	bodies := server.Bodies()
	listed := 0
	for _, r := range server.Routes() {
		key := r.Method + " " + r.Path
		takesBody := (r.Method == http.MethodPost || r.Method == http.MethodPut || r.Method == http.MethodPatch) &&
			key != "POST /api/v1/admin/users/:id/tokens" && // issuing a token takes no body
			key != "POST /api/v1/reviews/:month/run" && // nor does running a review
			key != "POST /api/v1/imports/customers" && key != "POST /api/v1/imports/equipment" && // CSV, not JSON
			key != "POST /survey/:token" // a form, not JSON (its rules: TestSurveyAnswerRulesAreWorded)
		_, ok := bodies[key]
		require.Equal(t, takesBody, ok, "%s: listed in server.Bodies", key)
		if ok {
			listed++
		}
	}
	require.Len(t, bodies, listed, "server.Bodies lists only routes")
	for key, body := range bodies {
		require.Empty(t, complaint.UnwordedRules(body), key)
	}
}
