package app

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"go.temporal.io/sdk/client"

	"github.com/caseflow/caseflow/loadgen"
)

// runLoadgen is `caseflow loadgen`: full lifecycles against an API, by
// default the one `caseflow dev` serves with its demo users.
func runLoadgen(ctx context.Context, args []string, cfg Config, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("loadgen", flag.ContinueOnError)
	fs.SetOutput(stdout)
	var lc loadgen.Config
	var usersFile, jsonFile string
	fs.StringVar(&lc.APIURL, "api", "http://"+cfg.HTTPAddr, "base URL of the caseflow API")
	fs.StringVar(&usersFile, "users", filepath.Join(cfg.DataDir, DemoUsersFile), "demo users' tokens, as `caseflow dev` writes them")
	fs.IntVar(&lc.Concurrency, "concurrency", 8, "lifecycles in flight at once")
	fs.Float64Var(&lc.Rate, "rate", 0, "start at most this many lifecycles per second (0: as fast as the concurrency allows)")
	fs.IntVar(&lc.Count, "count", 0, fmt.Sprintf("lifecycles to run, at most %d (100 when neither count nor duration is set)", loadgen.MaxCount))
	fs.DurationVar(&lc.Duration, "duration", 0, fmt.Sprintf("stop starting lifecycles after this long, at most %s", loadgen.MaxDuration))
	fs.BoolVar(&lc.Bare, "bare", false, "then run the bare Temporal counterparts against the same server and print the ratios")
	fs.StringVar(&lc.TemporalAddress, "temporal", cfg.TemporalAddress, "Temporal frontend host:port, for --bare")
	fs.StringVar(&lc.Namespace, "namespace", cfg.Namespace, "Temporal namespace, for --bare")
	fs.IntVar(&lc.Deadlines, "deadlines", 0, "then register this many cases whose response deadlines coincide and report how late they escalate")
	fs.DurationVar(&lc.DeadlineLead, "deadline-lead", 0, "how far ahead the coinciding deadline lies (0: 30s + 120ms a case)")
	fs.DurationVar(&lc.DeadlineSpread, "deadline-spread", 0, "spread the deadlines evenly over this long after the first instead of one instant")
	fs.DurationVar(&lc.Settle, "settle", 5*time.Second, "pause before each phase after the first, for what the last left running to end (at most 1m)")
	fs.StringVar(&jsonFile, "json", "", "also write the report as JSON to this file")
	fs.BoolVar(&lc.AllowRemote, "allow-remote", false, "allow an API or Temporal address off loopback")
	if err := fs.Parse(args); err != nil {
		return fmt.Errorf("%w: %v", ErrUsage, err)
	}
	if lc.Count == 0 && lc.Duration == 0 {
		lc.Count = 100
	}
	tokens, err := loadgen.ReadDevUsers(usersFile)
	if err != nil {
		return fmt.Errorf("read the demo users' tokens: %w", err)
	}
	lc.Tokens = tokens
	lc.Progress = stderr
	// The bare client reaches Temporal the way the server and worker do,
	// but sends plain payloads: it is the baseline the ratios divide by, so
	// they include what encryption costs caseflow.
	lc.Dial = func(ctx context.Context) (client.Client, error) {
		bare := cfg
		bare.TemporalAddress, bare.Namespace = lc.TemporalAddress, lc.Namespace
		return dialTemporal(ctx, bare, slog.New(slog.DiscardHandler), nil, nil)
	}
	if err := lc.Check(); err != nil {
		return fmt.Errorf("%w: %v", ErrUsage, err)
	}
	report, runErr := loadgen.Run(ctx, lc)
	if err := report.WriteTable(stdout); err != nil {
		return err
	}
	if jsonFile != "" {
		if err := writeReportJSON(jsonFile, report); err != nil {
			return err
		}
	}
	if runErr != nil {
		return runErr
	}
	if n := report.Failed(); n > 0 {
		return fmt.Errorf("%d calls failed", n)
	}
	return nil
}

func writeReportJSON(path string, report loadgen.Report) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := report.WriteJSON(f); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
