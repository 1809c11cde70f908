// Package store is the case store: the projection of case workflows into
// PostgreSQL (production, lib/pq) or SQLite (the embedded default, pure-Go
// modernc.org/sqlite). Queries are written once with ? placeholders and
// rebound per driver by sqlx.
package store

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"
	_ "github.com/lib/pq" // registers "postgres"
	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"
	_ "modernc.org/sqlite" // registers "sqlite"
)

//go:embed migrations/*.sql
var migrations embed.FS

// ErrNotFound is returned when a case does not exist.
var ErrNotFound = errors.New("not found")

func init() {
	// sqlx knows "sqlite3" (cgo) but not modernc's driver name.
	sqlx.BindDriver("sqlite", sqlx.QUESTION)
}

// Store is the case store.
type Store struct {
	db      *sqlx.DB
	dialect goose.Dialect
}

// Open connects to a database URL: postgres://… or postgresql://… for
// PostgreSQL, sqlite:PATH (or sqlite:///ABS/PATH) for a SQLite file.
func Open(ctx context.Context, databaseURL string) (*Store, error) {
	driver, dsn, dialect, err := parseURL(databaseURL)
	if err != nil {
		return nil, err
	}
	db, err := sqlx.Open(driver, dsn)
	if err != nil {
		return nil, fmt.Errorf("open %s store: %w", driver, err)
	}
	if driver == "sqlite" {
		// One writer at a time is what SQLite allows anyway; a single
		// connection turns lock contention into queueing instead of SQLITE_BUSY.
		db.SetMaxOpenConns(1)
	} else {
		db.SetMaxOpenConns(20)
		db.SetConnMaxIdleTime(5 * time.Minute)
	}
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("connect to %s store: %w", driver, err)
	}
	return &Store{db: db, dialect: dialect}, nil
}

func parseURL(databaseURL string) (driver, dsn string, dialect goose.Dialect, err error) {
	switch {
	case strings.HasPrefix(databaseURL, "postgres://"), strings.HasPrefix(databaseURL, "postgresql://"):
		return "postgres", databaseURL, goose.DialectPostgres, nil
	case strings.HasPrefix(databaseURL, "sqlite:"):
		path := strings.TrimPrefix(strings.TrimPrefix(databaseURL, "sqlite:"), "//")
		if path == "" {
			return "", "", "", errors.New("DATABASE_URL: sqlite: needs a file path")
		}
		q := url.Values{}
		q.Add("_pragma", "busy_timeout(10000)")
		q.Add("_pragma", "journal_mode(WAL)")
		q.Add("_pragma", "foreign_keys(1)")
		q.Set("_time_format", "sqlite")
		return "sqlite", "file:" + path + "?" + q.Encode(), goose.DialectSQLite3, nil
	default:
		return "", "", "", fmt.Errorf("DATABASE_URL: want postgres://… or sqlite:PATH, got %q", RedactURL(databaseURL))
	}
}

// RedactURL hides a password so a bad URL can be named in an error or a log.
func RedactURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "(unparsable URL)"
	}
	return u.Redacted()
}

// Migrate applies the embedded schema migrations; it is safe to run from
// several processes at once on PostgreSQL (a session lock serialises them).
func (s *Store) Migrate(ctx context.Context) error {
	var opts []goose.ProviderOption
	if s.dialect == goose.DialectPostgres {
		locker, err := lock.NewPostgresSessionLocker()
		if err != nil {
			return err
		}
		opts = append(opts, goose.WithSessionLocker(locker))
	}
	dir, err := fs.Sub(migrations, "migrations")
	if err != nil {
		return err
	}
	provider, err := goose.NewProvider(s.dialect, s.db.DB, dir, opts...)
	if err != nil {
		return fmt.Errorf("migrations: %w", err)
	}
	if _, err := provider.Up(ctx); err != nil {
		return fmt.Errorf("apply migrations: %w", err)
	}
	// Data the schema's migrations leave to Go: the review's facts of
	// older cases (00016).
	return s.backfillReviewFacts(ctx)
}

// Ping reports whether the database answers.
func (s *Store) Ping(ctx context.Context) error { return s.db.PingContext(ctx) }

// Close closes the connection pool.
func (s *Store) Close() error { return s.db.Close() }

// LimitConnections caps a PostgreSQL store's pool at n open connections, so
// that every replica's pool and Temporal's fit PostgreSQL's max_connections.
// SQLite keeps its single connection.
func (s *Store) LimitConnections(n int) {
	if s.dialect == goose.DialectPostgres {
		s.db.SetMaxOpenConns(n)
	}
}

// DB exposes the pool for tests and tools.
func (s *Store) DB() *sqlx.DB { return s.db }
