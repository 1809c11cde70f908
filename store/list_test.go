package store_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/caseflow/caseflow/complaint"
	"github.com/caseflow/caseflow/store"
	"github.com/caseflow/caseflow/store/storetest"
)

func TestListCasesByArchiveFacts(t *testing.T) {
	for _, b := range storetest.Backends(t) {
		t.Run(b.Name, func(t *testing.T) {
			s := openStore(t, b)
			at := time.Date(2026, 5, 1, 8, 0, 0, 0, time.UTC)
			withFacts := func(id string, minutes int, region, branch string, key bool, warranty, serial string) complaint.Case {
				c := newCase(id, at.Add(time.Duration(minutes)*time.Minute))
				c.Customer = &complaint.CaseCustomer{Name: "Acme Hospital", Region: region, BranchOffice: branch, KeyCustomer: key}
				c.Warranty = &complaint.Warranty{Status: warranty}
				c.EquipmentSerial = serial
				return c
			}
			cases := []complaint.Case{
				withFacts("a", 1, "east", "shanghai", true, complaint.WarrantyIn, "SN-1"),
				withFacts("b", 2, "east", "hangzhou", false, complaint.WarrantyOut, "SN-2"),
				withFacts("c", 3, "north", "beijing", true, complaint.WarrantyOut, "SN-3"),
				newCase("d", at.Add(4*time.Minute)), // registered before the archive: no facts
			}
			for _, c := range cases {
				_, err := s.RegisterCase(t.Context(), c, registeredEvent(c.RegisteredAt))
				require.NoError(t, err)
			}
			ids := func(f store.CaseFilter) []string {
				t.Helper()
				f.Limit = 10
				page, err := s.ListCases(t.Context(), f)
				require.NoError(t, err)
				out := []string{}
				for _, c := range page.Cases {
					out = append(out, c.ID)
				}
				return out
			}
			yes, no := true, false
			require.Equal(t, []string{"b", "a"}, ids(store.CaseFilter{Region: "east"}))
			require.Equal(t, []string{"c"}, ids(store.CaseFilter{BranchOffice: "beijing"}))
			require.Equal(t, []string{"c", "a"}, ids(store.CaseFilter{KeyCustomer: &yes}))
			require.Equal(t, []string{"d", "b"}, ids(store.CaseFilter{KeyCustomer: &no}))
			require.Equal(t, []string{"c", "b"}, ids(store.CaseFilter{Warranty: complaint.WarrantyOut}))
			require.Equal(t, []string{"a"}, ids(store.CaseFilter{Serial: "SN-1"}))
			require.Equal(t, []string{"b"}, ids(store.CaseFilter{Region: "east", Warranty: complaint.WarrantyOut}))
			require.Equal(t, []string{"c"}, ids(store.CaseFilter{KeyCustomer: &yes, Warranty: complaint.WarrantyOut}))
			require.Empty(t, ids(store.CaseFilter{Region: "east", BranchOffice: "beijing"}))
			require.Len(t, ids(store.CaseFilter{}), 4)

			// The filter pages like the others.
			page, err := s.ListCases(t.Context(), store.CaseFilter{Region: "east", Limit: 1})
			require.NoError(t, err)
			require.Equal(t, "b", page.Cases[0].ID)
			require.NotEmpty(t, page.NextCursor)
			page, err = s.ListCases(t.Context(), store.CaseFilter{Region: "east", Limit: 1, Cursor: page.NextCursor})
			require.NoError(t, err)
			require.Equal(t, "a", page.Cases[0].ID)
			require.Empty(t, page.NextCursor)

			// Applied events rewrite the columns from the snapshot.
			d := withFacts("d", 4, "north", "tianjin", true, complaint.WarrantyUnknown, "SN-4")
			require.NoError(t, s.ApplyEvent(t.Context(), d, complaint.Event{Seq: 2, Kind: complaint.EventConfirmed,
				OccurredAt: at.Add(time.Hour)}))
			require.Equal(t, []string{"d", "c"}, ids(store.CaseFilter{Region: "north"}))
			require.Equal(t, []string{"d"}, ids(store.CaseFilter{Warranty: complaint.WarrantyUnknown}))
			require.Equal(t, []string{"d"}, ids(store.CaseFilter{Serial: "SN-4"}))
			require.Equal(t, []string{"d", "c", "a"}, ids(store.CaseFilter{KeyCustomer: &yes}))
			require.Equal(t, []string{"b"}, ids(store.CaseFilter{KeyCustomer: &no}))
		})
	}
}
