package activities_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/caseflow/caseflow/activities"
	"github.com/caseflow/caseflow/store"
	"github.com/caseflow/caseflow/store/storetest"
)

// sqliteActivities are the activities on a migrated SQLite store of their own.
func sqliteActivities(t *testing.T) (*store.Store, *activities.Activities) {
	t.Helper()
	s, err := store.Open(t.Context(), storetest.SQLite(t).URL)
	require.NoError(t, err)
	t.Cleanup(func() { s.Close() })
	require.NoError(t, s.Migrate(t.Context()))
	return s, &activities.Activities{Store: s}
}
