package temporalembed

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/url"
	"strings"
	"time"

	"go.temporal.io/server/common/config"
	"go.temporal.io/server/common/log"
	"go.temporal.io/server/common/persistence/sql/sqlplugin/postgresql"
	"go.temporal.io/server/tools/common/schema"
	sqltool "go.temporal.io/server/tools/sql"
)

const (
	historySchema    = "postgresql/v12/temporal"
	visibilitySchema = "postgresql/v12/visibility"
	// maintenanceDB is where CREATE DATABASE runs when a database is missing.
	maintenanceDB = "postgres"
)

// postgresConfigs parses a postgres:// URL into the SQL configs of the history
// database (the URL's) and the visibility database (<name>_visibility): Temporal
// needs the two in separate databases.
func postgresConfigs(rawURL string) (history, visibility *config.SQL, err error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		return nil, nil, fmt.Errorf("temporalembed: database URL: %w", err)
	}
	if u.Scheme != "postgres" && u.Scheme != "postgresql" {
		return nil, nil, fmt.Errorf("temporalembed: database URL: scheme %q is not postgres", u.Scheme)
	}
	dbName := strings.TrimPrefix(u.Path, "/")
	if dbName == "" || strings.Contains(dbName, "/") {
		return nil, nil, errors.New("temporalembed: database URL must name one database, e.g. postgres://user@host:5432/temporal")
	}
	addr := u.Host
	if u.Port() == "" {
		addr = net.JoinHostPort(u.Hostname(), "5432")
	}
	attrs := map[string]string{}
	for k, v := range u.Query() {
		attrs[k] = v[len(v)-1]
	}
	password, _ := u.User.Password()
	history = &config.SQL{
		PluginName:        postgresql.PluginName,
		User:              u.User.Username(),
		Password:          password,
		DatabaseName:      dbName,
		ConnectAddr:       addr,
		ConnectProtocol:   "tcp",
		ConnectAttributes: attrs,
		MaxConns:          20,
		MaxIdleConns:      20,
		MaxConnLifetime:   time.Hour,
	}
	v := *history
	v.DatabaseName = dbName + "_visibility"
	v.ConnectAttributes = attrs // read-only after this point, safe to share
	return history, &v, nil
}

// setupPostgres creates the two databases if they are missing and brings their
// schemas to the version this server embeds. Every step is idempotent.
func setupPostgres(ctx context.Context, rawURL string) (config.Persistence, error) {
	history, visibility, err := postgresConfigs(rawURL)
	if err != nil {
		return config.Persistence{}, err
	}
	logger := log.NewNoopLogger()
	for _, db := range []struct {
		cfg    *config.SQL
		schema string
	}{{history, historySchema}, {visibility, visibilitySchema}} {
		if err := context.Cause(ctx); err != nil {
			return config.Persistence{}, fmt.Errorf("temporalembed: start canceled: %w", err)
		}
		if err := migratePostgres(db.cfg, db.schema, logger); err != nil {
			return config.Persistence{}, fmt.Errorf("temporalembed: PostgreSQL database %q at %s: %w",
				db.cfg.DatabaseName, db.cfg.ConnectAddr, err)
		}
	}
	return config.Persistence{
		DefaultStore:     "postgres-default",
		VisibilityStore:  "postgres-visibility",
		NumHistoryShards: 1,
		DataStores: map[string]config.DataStore{
			"postgres-default":    {SQL: history},
			"postgres-visibility": {SQL: visibility},
		},
	}, nil
}

func migratePostgres(cfg *config.SQL, schemaName string, logger log.Logger) error {
	// Create the database from the maintenance database; a no-op when it exists. A
	// role without CREATEDB fails here even then, so carry on and report this error
	// only if the database then turns out to be unusable.
	create := *cfg
	createErr := sqltool.DoCreateDatabase(&create, maintenanceDB, logger)
	withCreateErr := func(err error) error {
		if createErr != nil {
			return fmt.Errorf("%w (creating the database failed too: %w)", err, createErr)
		}
		return err
	}
	// The plugin connects lazily: a missing database shows up at the first statement.
	conn, err := sqltool.NewConnection(cfg, logger)
	if err != nil {
		return withCreateErr(fmt.Errorf("connecting: %w", err))
	}
	defer conn.Close()
	// Version tables only, at version 0.0 unless already higher; then every
	// versioned step above the current version.
	setup := &schema.SetupConfig{InitialVersion: "0.0"}
	if err := schema.NewSetupSchemaTask(conn, setup, logger).Run(); err != nil {
		return withCreateErr(fmt.Errorf("setting up schema versioning: %w", err))
	}
	update := &schema.UpdateConfig{DBName: cfg.DatabaseName, SchemaName: schemaName}
	if err := schema.NewUpdateSchemaTask(conn, update, logger).Run(); err != nil {
		return fmt.Errorf("updating schema %s: %w", schemaName, err)
	}
	return nil
}

// dropPostgresDatabases drops the history and visibility databases of rawURL,
// terminating their connections first. For tests.
func dropPostgresDatabases(rawURL string) error {
	history, visibility, err := postgresConfigs(rawURL)
	if err != nil {
		return err
	}
	var errs []error
	for _, cfg := range []*config.SQL{history, visibility} {
		c := *cfg
		c.DatabaseName = maintenanceDB
		conn, err := sqltool.NewConnection(&c, log.NewNoopLogger())
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if err := conn.Exec(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()`, cfg.DatabaseName); err != nil {
			errs = append(errs, err)
		}
		errs = append(errs, conn.DropDatabase(cfg.DatabaseName))
		conn.Close()
	}
	return errors.Join(errs...)
}
