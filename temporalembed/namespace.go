package temporalembed

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/api/operatorservice/v1"
	"go.temporal.io/api/serviceerror"
	"go.temporal.io/api/workflowservice/v1"
	"go.temporal.io/sdk/client"
	"google.golang.org/protobuf/types/known/durationpb"
)

// namespaceRetention is how long closed workflows are kept in namespaces we create.
const namespaceRetention = 7 * 24 * time.Hour

// retryInterval paces the polls below; the server's namespace cache refreshes every 2 s.
const retryInterval = 100 * time.Millisecond

// EnsureNamespace registers namespace ns (7-day retention) if it does not exist and adds
// the custom search attributes in attrs that it lacks, through the frontend's gRPC API,
// so that it works against any cluster: the embedded one on PostgreSQL as well as a
// production cluster for `caseflow migrate`. It is idempotent. An attribute that exists
// with another type is an error (Temporal cannot change it). When it registered or added
// anything, it waits until the frontend accepts visibility queries on attrs.
func EnsureNamespace(ctx context.Context, c client.Client, ns string, attrs map[string]enumspb.IndexedValueType) error {
	wf, op := c.WorkflowService(), c.OperatorService()
	changed := false

	_, err := wf.DescribeNamespace(ctx, &workflowservice.DescribeNamespaceRequest{Namespace: ns})
	var notFound *serviceerror.NamespaceNotFound
	switch {
	case errors.As(err, &notFound):
		_, err = wf.RegisterNamespace(ctx, &workflowservice.RegisterNamespaceRequest{
			Namespace:                        ns,
			WorkflowExecutionRetentionPeriod: durationpb.New(namespaceRetention),
		})
		var exists *serviceerror.NamespaceAlreadyExists
		if err != nil && !errors.As(err, &exists) {
			return fmt.Errorf("temporalembed: registering namespace %q: %w", ns, err)
		}
		changed = true
	case err != nil:
		return fmt.Errorf("temporalembed: describing namespace %q: %w", ns, err)
	}

	if len(attrs) > 0 {
		var have map[string]enumspb.IndexedValueType
		// Right after RegisterNamespace the operator service may not see the namespace yet.
		err := retry(ctx, notReady, func() error {
			resp, err := op.ListSearchAttributes(ctx, &operatorservice.ListSearchAttributesRequest{Namespace: ns})
			have = resp.GetCustomAttributes()
			return err
		})
		if err != nil {
			return fmt.Errorf("temporalembed: listing search attributes of %q: %w", ns, err)
		}
		missing := map[string]enumspb.IndexedValueType{}
		for name, typ := range attrs {
			got, ok := have[name]
			switch {
			case !ok:
				missing[name] = typ
			case got != typ:
				return fmt.Errorf("temporalembed: search attribute %q of namespace %q has type %s, want %s", name, ns, got, typ)
			}
		}
		if len(missing) > 0 {
			err := retry(ctx, notReady, func() error {
				_, err := op.AddSearchAttributes(ctx, &operatorservice.AddSearchAttributesRequest{
					Namespace:        ns,
					SearchAttributes: missing,
				})
				return err
			})
			if err != nil {
				return fmt.Errorf("temporalembed: adding search attributes %v to %q: %w", slices.Sorted(maps.Keys(missing)), ns, err)
			}
			changed = true
		}
	}
	if !changed {
		return nil
	}
	return waitNamespaceUsable(ctx, wf, ns, attrs)
}

// waitNamespaceUsable waits until the frontend's namespace cache knows ns and its
// attributes (it refreshes every few seconds): a query naming every attribute is
// rejected until then.
func waitNamespaceUsable(ctx context.Context, wf workflowservice.WorkflowServiceClient, ns string, attrs map[string]enumspb.IndexedValueType) error {
	var conds []string
	for _, name := range slices.Sorted(maps.Keys(attrs)) {
		conds = append(conds, fmt.Sprintf("`%s` IS NULL", name))
	}
	query := strings.Join(conds, " AND ")
	// An attribute unknown to the cache makes the query an InvalidArgument.
	err := retry(ctx, func(err error) bool { return notReady(err) || isInvalidArgument(err) }, func() error {
		_, err := wf.CountWorkflowExecutions(ctx, &workflowservice.CountWorkflowExecutionsRequest{Namespace: ns, Query: query})
		return err
	})
	if err != nil {
		return fmt.Errorf("temporalembed: waiting for namespace %q to be usable: %w", ns, err)
	}
	return nil
}

// retry calls f until it succeeds, fails with an error that again does not accept, ctx
// ends, or 30 s pass.
func retry(ctx context.Context, again func(error) bool, f func() error) error {
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	for {
		err := f()
		if err == nil || !again(err) {
			return err
		}
		select {
		case <-ctx.Done():
			return err
		case <-time.After(retryInterval):
		}
	}
}

// notReady reports errors that a stale namespace cache or a starting server cause.
func notReady(err error) bool {
	var (
		notFound    *serviceerror.NamespaceNotFound
		unavailable *serviceerror.Unavailable
	)
	return errors.As(err, &notFound) || errors.As(err, &unavailable)
}

func isInvalidArgument(err error) bool {
	var invalid *serviceerror.InvalidArgument
	return errors.As(err, &invalid)
}
