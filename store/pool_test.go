package store_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/caseflow/caseflow/store"
	"github.com/caseflow/caseflow/store/storetest"
)

// TestLimitConnections: a PostgreSQL store's pool takes the configured cap
// (CASEFLOW_DB_MAX_CONNS, which the compose file's capacity sum counts on);
// SQLite keeps its one connection whatever is asked.
func TestLimitConnections(t *testing.T) {
	want := map[string]int{"sqlite": 1, "postgres": 3}
	for _, b := range storetest.Backends(t) {
		t.Run(b.Name, func(t *testing.T) {
			st, err := store.Open(t.Context(), b.URL)
			require.NoError(t, err)
			t.Cleanup(func() { st.Close() })
			st.LimitConnections(3)
			require.Equal(t, want[b.Name], st.DB().Stats().MaxOpenConnections)
		})
	}
}
