package app

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"

	"github.com/caseflow/caseflow/imports"
	"github.com/caseflow/caseflow/store"
)

// runImport is `caseflow import customers|equipment FILE`: the API's import
// from the command line, on the configured store.
func runImport(ctx context.Context, args []string, cfg Config, stdout io.Writer) error {
	runs := map[string]func(context.Context, *store.Store, []byte) (imports.Result, imports.Problems, error){
		"customers": imports.Customers,
		"equipment": imports.Equipment,
	}
	if len(args) != 2 || runs[args[0]] == nil {
		return fmt.Errorf("%w: caseflow import customers|equipment FILE", ErrUsage)
	}
	raw, err := os.ReadFile(args[1])
	if err != nil {
		return err
	}
	if len(raw) > imports.MaxBytes {
		return fmt.Errorf("%s: the file exceeds %d bytes", args[1], imports.MaxBytes)
	}
	st, err := openCLIStore(ctx, cfg)
	if err != nil {
		return err
	}
	defer st.Close()
	result, problems, err := runs[args[0]](ctx, st, raw)
	if errors.Is(err, imports.ErrProblems) {
		keys := make([]string, 0, len(problems))
		for k := range problems {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for _, k := range keys {
			fmt.Fprintf(stdout, "%s: %s\n", k, problems[k])
		}
		return fmt.Errorf("%s: %d problems; nothing was imported", args[1], len(problems))
	}
	if err != nil {
		return err
	}
	out, _ := json.Marshal(result)
	fmt.Fprintf(stdout, "%s\n", out)
	return nil
}
