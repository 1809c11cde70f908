// Package storetest opens throwaway case stores for tests: always a SQLite
// file, and a fresh PostgreSQL database when CASEFLOW_TEST_DATABASE_URL is set.
package storetest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"testing"

	"github.com/jmoiron/sqlx"
	"github.com/stretchr/testify/require"
)

// EnvDatabaseURL names the PostgreSQL server the tests may create databases on.
const EnvDatabaseURL = "CASEFLOW_TEST_DATABASE_URL"

// Backend is a database URL a test can hand to store.Open.
type Backend struct {
	Name string
	URL  string
}

// Backends returns a SQLite backend and, when configured, a PostgreSQL one,
// each a new empty database removed when the test ends.
func Backends(t testing.TB) []Backend {
	t.Helper()
	backends := []Backend{SQLite(t)}
	if os.Getenv(EnvDatabaseURL) != "" {
		backends = append(backends, Postgres(t))
	}
	return backends
}

// SQLite returns a SQLite file in the test's temp dir.
func SQLite(t testing.TB) Backend {
	return Backend{Name: "sqlite", URL: "sqlite:" + filepath.Join(t.TempDir(), "cases.db")}
}

// Postgres creates a fresh database on CASEFLOW_TEST_DATABASE_URL and drops it
// at the end of the test. It fails the test when the variable is unset.
func Postgres(t testing.TB) Backend {
	t.Helper()
	return Backend{Name: "postgres", URL: FreshPostgresDatabase(t, "caseflow_test")}
}

// FreshPostgresDatabase creates a uniquely named database with the given
// prefix and returns its URL.
func FreshPostgresDatabase(t testing.TB, prefix string) string {
	t.Helper()
	base := os.Getenv(EnvDatabaseURL)
	require.NotEmpty(t, base, "%s is not set", EnvDatabaseURL)
	admin, err := sqlx.Open("postgres", base)
	require.NoError(t, err)
	t.Cleanup(func() { admin.Close() })

	name := prefix + "_" + randomSuffix(t)
	_, err = admin.ExecContext(t.Context(), "CREATE DATABASE "+name)
	require.NoError(t, err)
	t.Cleanup(func() {
		// t.Context() is already cancelled in cleanup.
		// An embedded Temporal server keeps visibility in <name>_visibility.
		for _, db := range []string{name, name + "_visibility"} {
			_, _ = admin.ExecContext(context.Background(), "DROP DATABASE IF EXISTS "+db+" WITH (FORCE)")
		}
	})

	u, err := url.Parse(base)
	require.NoError(t, err)
	u.Path = "/" + name
	return u.String()
}

func randomSuffix(t testing.TB) string {
	b := make([]byte, 6)
	_, err := rand.Read(b)
	require.NoError(t, err)
	return hex.EncodeToString(b)
}
