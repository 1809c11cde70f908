package app

import (
	"context"
	"fmt"
	"io"
	"slices"
	"text/tabwriter"

	"github.com/caseflow/caseflow/telemetry"
)

// ErrUsage marks a command line that could not be understood.
var ErrUsage = fmt.Errorf("usage")

// Run runs the caseflow command named by args[0] with the environment read
// through getenv.
func Run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		printHelp(stdout)
		return nil
	}
	command := args[0]
	getenv, err := withSecretFiles(getenv)
	if err != nil {
		return err
	}
	// users, import and keys work on the dev store unless DATABASE_URL names another.
	cfg := LoadConfig(getenv, command == "dev" || command == "users" || command == "import" || command == "keys")
	logger := telemetry.NewLogger(stderr, cfg.LogFormat, cfg.LogLevel)
	switch command {
	case "dev":
		return runDev(ctx, cfg, logger, stdout)
	case "server":
		return runServer(ctx, cfg, logger)
	case "worker":
		return runWorker(ctx, cfg, logger)
	case "migrate":
		return runMigrate(ctx, cfg, logger)
	case "users":
		return runUsers(ctx, args[1:], cfg, stdout)
	case "import":
		return runImport(ctx, args[1:], cfg, stdout)
	case "keys":
		return runKeys(ctx, args[1:], cfg, stdout)
	case "loadgen":
		return runLoadgen(ctx, args[1:], cfg, stdout, stderr)
	case "healthcheck":
		return runHealthcheck(ctx, args[1:], cfg, stdout, stderr)
	case "help", "-h", "--help":
		printHelp(stdout)
		return nil
	default:
		printHelp(stderr)
		return fmt.Errorf("%w: unknown command %q", ErrUsage, command)
	}
}

func printHelp(w io.Writer) {
	fmt.Fprint(w, `caseflow — after-sales complaint handling as durable Temporal workflows

Usage: caseflow <command>

Commands:
  dev       run everything in one process: Temporal server and Web UI, worker, API (SQLite by default)
  server    run the HTTP API against an external Temporal cluster and PostgreSQL
  worker    run the Temporal worker against an external Temporal cluster and PostgreSQL
  migrate   apply the case store's migrations and register the Temporal namespace and search attributes
  users     manage users and API tokens:
              users add --name NAME --department DEPT --role ROLE [--role ROLE] [--email E] [--webhook URL] [--chat H]
              users list                 users with their tokens (never the secrets)
              users token USER_ID        issue another token
              users revoke TOKEN_ID      revoke a token
  import    import a spreadsheet (CSV, UTF-8) into the customer archive, all rows or none:
              import customers FILE      columns id, name, sla_policy, region, branch_office, ...
              import equipment FILE      columns serial, customer_id, model, site_id, warranty_end, ...
  keys      manage the keyring that encrypts what caseflow stores in Temporal (CASEFLOW_KEYRING):
              keys new [ID]              print a new random key line; put it first in the keyring to rotate
              keys status [--store-only] each key's data keys and history payloads; keys no longer referenced
              keys rewrap                wrap every customer data key with the active (first) key
  loadgen   drive the API with full case lifecycles and report latencies, errors and throughput;
            --bare adds the bare Temporal calls under them and the ratios (loadgen -h: its flags)
  healthcheck
            GET /healthz on CASEFLOW_METRICS_ADDR and exit 0 on 200, for container healthchecks (no shell needed):
              healthcheck [--url URL | --addr HOST:PORT] [--timeout 3s]   probe another URL, e.g. http://127.0.0.1:8080/readyz
  help      show this help

Environment:
`)
	tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', 0)
	for _, v := range Variables {
		def := v.Default
		if def == "" {
			def = "-"
		}
		fmt.Fprintf(tw, "  %s\t%s\t%s\n", v.Name, def, v.Usage)
		if slices.Contains(SecretVariables, v.Name) {
			fmt.Fprintf(tw, "  %s_FILE\t-\ta file holding %s (Docker and Kubernetes secrets); not both\n", v.Name, v.Name)
		}
	}
	tw.Flush()
}
