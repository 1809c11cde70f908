package app

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	commonpb "go.temporal.io/api/common/v1"
	"go.temporal.io/api/workflowservice/v1"
	"go.temporal.io/sdk/client"

	"github.com/caseflow/caseflow/payloadcrypt"
	"github.com/caseflow/caseflow/store"
)

// runKeys manages the payload keyring: new prints a key to add, status
// says which keys the store and Temporal's histories still need, rewrap
// moves every data key under the active key. Without CASEFLOW_KEYRING and
// DATABASE_URL it works on the dev stack's data dir.
func runKeys(ctx context.Context, args []string, cfg Config, stdout io.Writer) error {
	if len(args) == 0 {
		return fmt.Errorf("%w: caseflow keys new [ID] | status | rewrap", ErrUsage)
	}
	switch args[0] {
	case "new":
		if len(args) > 2 {
			return fmt.Errorf("%w: caseflow keys new [ID]", ErrUsage)
		}
		id := ""
		if len(args) == 2 {
			id = args[1]
		}
		line, err := payloadcrypt.NewKeyLine(id, time.Now())
		if err != nil {
			return err
		}
		fmt.Fprintln(stdout, line)
		return nil
	case "status", "rewrap":
	default:
		return fmt.Errorf("%w: unknown keys command %q", ErrUsage, args[0])
	}
	ring, err := cliKeyring(cfg)
	if err != nil {
		return err
	}
	st, err := openCLIStore(ctx, cfg)
	if err != nil {
		return err
	}
	defer st.Close()
	if args[0] == "rewrap" {
		return rewrapDataKeys(ctx, st, ring, stdout)
	}
	fs := flag.NewFlagSet("keys status", flag.ContinueOnError)
	fs.SetOutput(stdout)
	storeOnly := fs.Bool("store-only", false, "count the store's data keys only, without reading Temporal's histories")
	if err := fs.Parse(args[1:]); err != nil {
		return fmt.Errorf("%w: %v", ErrUsage, err)
	}
	usage := keyUsage{}
	if usage.dataKeys, err = st.DataKeyCounts(ctx); err != nil {
		return err
	}
	if !*storeOnly {
		c, err := dialTemporal(ctx, cfg, slog.New(slog.DiscardHandler), nil, nil)
		if err != nil {
			return err
		}
		defer c.Close()
		if err := usage.scanHistories(ctx, c, cfg.Namespace); err != nil {
			return err
		}
	}
	return usage.print(stdout, ring, !*storeOnly)
}

// cliKeyring is CASEFLOW_KEYRING, else the dev stack's; a command never
// makes a key that no process uses.
func cliKeyring(cfg Config) (*payloadcrypt.Keyring, error) {
	if cfg.Keyring != "" {
		return cfg.keyring()
	}
	if _, err := os.Stat(filepath.Join(cfg.DataDir, KeyringFile)); errors.Is(err, fs.ErrNotExist) {
		return cfg.keyring() // the error that says to set it
	}
	return devKeyring(cfg)
}

// keyUsage counts what each key still seals.
type keyUsage struct {
	dataKeys  map[string]int // keyring key -> live data keys it wraps
	payloads  map[string]int // keyring key -> history payloads it sealed directly
	dataKeyed int            // history payloads sealed by a data key
	plain     int            // history payloads written before encryption
	workflows int
}

// scanHistories reads every history in the namespace (open and closed,
// within retention) and counts the key id on each payload; nothing is
// decrypted.
func (u *keyUsage) scanHistories(ctx context.Context, c client.Client, namespace string) error {
	u.payloads = map[string]int{}
	var next []byte
	for {
		page, err := c.WorkflowService().ListWorkflowExecutions(ctx, &workflowservice.ListWorkflowExecutionsRequest{
			Namespace: namespace, PageSize: 200, NextPageToken: next})
		if err != nil {
			return fmt.Errorf("list workflows: %w", err)
		}
		for _, wf := range page.GetExecutions() {
			u.workflows++
			it := c.GetWorkflowHistory(ctx, wf.GetExecution().GetWorkflowId(), wf.GetExecution().GetRunId(), false, 0)
			for it.HasNext() {
				event, err := it.Next()
				if err != nil {
					return fmt.Errorf("history of %s: %w", wf.GetExecution().GetWorkflowId(), err)
				}
				payloadcrypt.VisitPayloads(event, u.count)
			}
		}
		if next = page.GetNextPageToken(); len(next) == 0 {
			return nil
		}
	}
}

func (u *keyUsage) count(p *commonpb.Payload) {
	id, sealed := payloadcrypt.KeyID(p)
	switch {
	case !sealed:
		u.plain++
	case strings.HasPrefix(id, payloadcrypt.DataKeyIDPrefix):
		u.dataKeyed++
	default:
		u.payloads[id]++
	}
}

func (u keyUsage) print(w io.Writer, ring *payloadcrypt.Keyring, histories bool) error {
	tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "KEY\tSTATE\tDATA KEYS WRAPPED\tHISTORY PAYLOADS SEALED")
	// The keyring's keys in its order, then any it lacks, sorted.
	var missing []string
	for _, counts := range []map[string]int{u.dataKeys, u.payloads} {
		for id := range counts {
			if !ring.Has(id) && !slices.Contains(missing, id) {
				missing = append(missing, id)
			}
		}
	}
	slices.Sort(missing)
	ids := append(ring.IDs(), missing...)
	for _, id := range ids {
		state := "decrypts"
		switch {
		case id == ring.Active():
			state = "active (encrypts)"
		case !ring.Has(id):
			state = "MISSING from the keyring"
		case u.dataKeys[id] == 0 && histories && u.payloads[id] == 0:
			state = "unreferenced (may be removed)"
		}
		payloads := "-"
		if histories {
			payloads = fmt.Sprint(u.payloads[id])
		}
		fmt.Fprintf(tw, "%s\t%s\t%d\t%s\n", id, state, u.dataKeys[id], payloads)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if histories {
		fmt.Fprintf(w, "%d workflows read: %d payloads sealed by data keys, %d plain (written before encryption)\n",
			u.workflows, u.dataKeyed, u.plain)
	}
	return nil
}

// rewrapDataKeys wraps every live data key with the active key, so that an
// older key is left sealing only the histories it sealed directly.
func rewrapDataKeys(ctx context.Context, st *store.Store, ring *payloadcrypt.Keyring, stdout io.Writer) error {
	moved, after := 0, ""
	for {
		keys, err := st.LiveDataKeys(ctx, after, 500)
		if err != nil {
			return err
		}
		for _, k := range keys {
			after = k.WorkflowID
			if k.WrapKeyID == ring.Active() {
				continue
			}
			secret, err := ring.Unwrap(k.WrapKeyID, k.Wrapped)
			if err != nil {
				return fmt.Errorf("data key of %s: %w", k.WorkflowID, err)
			}
			to, wrapped, err := ring.Wrap(secret)
			if err != nil {
				return err
			}
			if err := st.RewrapDataKey(ctx, k.WorkflowID, k.WrapKeyID, to, wrapped); err != nil {
				return fmt.Errorf("data key of %s: %w", k.WorkflowID, err)
			}
			moved++
		}
		if len(keys) < 500 {
			fmt.Fprintf(stdout, "%d data keys rewrapped with %s\n", moved, ring.Active())
			return nil
		}
	}
}
