package store_test

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/caseflow/caseflow/store"
	"github.com/caseflow/caseflow/store/storetest"
)

func dataKey(workflowID, wrapKeyID, wrapped string) store.DataKey {
	return store.DataKey{WorkflowID: workflowID, WrapKeyID: wrapKeyID, Wrapped: []byte(wrapped),
		CreatedAt: time.Date(2026, 5, 1, 8, 0, 0, 0, time.UTC)}
}

// TestDataKeys: a key is created once (a second creator, or many at once,
// get the first), read back, counted by wrapping key, paged and rewrapped
// only from the key that wraps it.
func TestDataKeys(t *testing.T) {
	for _, b := range storetest.Backends(t) {
		t.Run(b.Name, func(t *testing.T) {
			s := openStore(t, b)
			ctx := t.Context()
			_, err := s.DataKey(ctx, "complaint-a")
			require.ErrorIs(t, err, store.ErrNotFound)

			first, err := s.CreateDataKey(ctx, dataKey("complaint-a", "k1", "wrapped-a"))
			require.NoError(t, err)
			require.Equal(t, dataKey("complaint-a", "k1", "wrapped-a"), first)
			second, err := s.CreateDataKey(ctx, dataKey("complaint-a", "k2", "another"))
			require.NoError(t, err)
			require.Equal(t, first, second, "a second creator gets the stored key")
			got, err := s.DataKey(ctx, "complaint-a")
			require.NoError(t, err)
			require.Equal(t, first, got)
			require.False(t, got.Destroyed())

			// Racing creators converge on one key.
			var wg sync.WaitGroup
			answers := make([]store.DataKey, 8)
			for i := range answers {
				wg.Go(func() {
					k, err := s.CreateDataKey(ctx, dataKey("rma-race", "k1", fmt.Sprintf("wrapped-%d", i)))
					require.NoError(t, err)
					answers[i] = k
				})
			}
			wg.Wait()
			for _, k := range answers {
				require.Equal(t, answers[0], k)
			}

			for _, id := range []string{"feedback-b", "followup-c"} {
				_, err := s.CreateDataKey(ctx, dataKey(id, "k2", "wrapped-"+id))
				require.NoError(t, err)
			}
			counts, err := s.DataKeyCounts(ctx)
			require.NoError(t, err)
			require.Equal(t, map[string]int{"k1": 2, "k2": 2}, counts)

			var paged []string
			after := ""
			for {
				page, err := s.LiveDataKeys(ctx, after, 3)
				require.NoError(t, err)
				if len(page) == 0 {
					break
				}
				for _, k := range page {
					paged = append(paged, k.WorkflowID)
				}
				after = page[len(page)-1].WorkflowID
			}
			require.Equal(t, []string{"complaint-a", "feedback-b", "followup-c", "rma-race"}, paged)

			for _, tc := range []struct {
				name, workflow, from string
				err                  error
			}{
				{"from the key that wraps it", "complaint-a", "k1", nil},
				{"again: already wrapped by the new key", "complaint-a", "k1", nil},
				{"from a key that no longer wraps it", "feedback-b", "k1", store.ErrDataKeyChanged},
				{"a workflow without a key", "complaint-none", "k1", store.ErrNotFound},
			} {
				t.Run(tc.name, func(t *testing.T) {
					err := s.RewrapDataKey(ctx, tc.workflow, tc.from, "k3", []byte("rewrapped"))
					if tc.err != nil {
						require.ErrorIs(t, err, tc.err)
						return
					}
					require.NoError(t, err)
				})
			}
			got, err = s.DataKey(ctx, "complaint-a")
			require.NoError(t, err)
			require.Equal(t, "k3", got.WrapKeyID)
			require.Equal(t, []byte("rewrapped"), got.Wrapped)
			got, err = s.DataKey(ctx, "feedback-b")
			require.NoError(t, err)
			require.Equal(t, "k2", got.WrapKeyID, "a refused rewrap changes nothing")
			counts, err = s.DataKeyCounts(ctx)
			require.NoError(t, err)
			require.Equal(t, map[string]int{"k1": 1, "k2": 2, "k3": 1}, counts)
		})
	}
}

// TestDataKeyDestroyed: once its customer is erased a workflow's key reads
// as destroyed, without its bytes; it is neither created again, nor
// rewrapped, nor counted, nor paged.
func TestDataKeyDestroyed(t *testing.T) {
	for _, b := range storetest.Backends(t) {
		t.Run(b.Name, func(t *testing.T) {
			s := openStore(t, b)
			ctx := t.Context()
			caseID := closedCaseOf(t, s, "C-KEYS")
			workflow := "complaint-" + caseID
			_, err := s.CreateDataKey(ctx, dataKey(workflow, "k1", "wrapped"))
			require.NoError(t, err)
			at := time.Date(2026, 6, 1, 9, 0, 0, 0, time.UTC)
			_, err = s.EraseCustomer(ctx, "C-KEYS", "u-admin", "asked to be forgotten", at)
			require.NoError(t, err)

			want := store.DataKey{WorkflowID: workflow, WrapKeyID: "k1",
				CreatedAt: time.Date(2026, 5, 1, 8, 0, 0, 0, time.UTC), DestroyedAt: &at}
			for _, tc := range []struct {
				name string
				read func() (store.DataKey, error)
			}{
				{"read", func() (store.DataKey, error) { return s.DataKey(ctx, workflow) }},
				{"created again", func() (store.DataKey, error) {
					return s.CreateDataKey(ctx, dataKey(workflow, "k2", "fresh"))
				}},
				{"rewrapped", func() (store.DataKey, error) {
					require.NoError(t, s.RewrapDataKey(ctx, workflow, "k1", "k2", []byte("rewrapped")))
					return s.DataKey(ctx, workflow)
				}},
			} {
				t.Run(tc.name, func(t *testing.T) {
					got, err := tc.read()
					require.NoError(t, err)
					require.True(t, got.Destroyed())
					require.Nil(t, got.Wrapped)
					require.Equal(t, want, got)
				})
			}
			counts, err := s.DataKeyCounts(ctx)
			require.NoError(t, err)
			require.Empty(t, counts)
			live, err := s.LiveDataKeys(ctx, "", 10)
			require.NoError(t, err)
			require.Empty(t, live)
		})
	}
}
