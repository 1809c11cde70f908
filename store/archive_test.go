package store_test

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/caseflow/caseflow/archive"
	"github.com/caseflow/caseflow/store"
	"github.com/caseflow/caseflow/store/storetest"
)

func archiveCustomer(id, name, region string, key bool, contacts ...archive.Contact) store.Customer {
	return store.Customer{ID: id, CustomerBody: archive.CustomerBody{Name: name, SLAPolicy: "standard", Region: region,
		BranchOffice: region + "-office", KeyCustomer: key, Class: "A", Contacts: contacts,
		Sites: []archive.Site{{ID: "S-1", Name: "Main plant"}}}}
}

func TestCustomerArchiveSearch(t *testing.T) {
	for _, b := range storetest.Backends(t) {
		t.Run(b.Name, func(t *testing.T) {
			s := openStore(t, b)
			ctx := t.Context()
			for _, c := range []store.Customer{
				archiveCustomer("C-001", "宁波眼科医院", "east", true, archive.Contact{Name: "赵磊", Phone: "+86 574 1234"}),
				archiveCustomer("C-002", "Hangzhou Central Hospital", "east", false,
					archive.Contact{Name: "Li Na", Email: "li.na@hzch.example"}),
				archiveCustomer("C-003", "Xi'an 100% Pumps_Co", "west", false),
			} {
				_, err := s.CreateCustomer(ctx, c)
				require.NoError(t, err)
			}
			_, err := s.CreateCustomer(ctx, archiveCustomer("C-001", "another", "north", false))
			require.ErrorIs(t, err, store.ErrExists)

			ids := func(f store.CustomerFilter) []string {
				if f.Limit == 0 {
					f.Limit = 50
				}
				page, err := s.ListCustomers(ctx, f)
				require.NoError(t, err)
				var out []string
				for _, c := range page.Customers {
					out = append(out, c.ID)
				}
				return out
			}
			yes := true
			for _, tc := range []struct {
				name string
				f    store.CustomerFilter
				want []string
			}{
				{"everyone, by id", store.CustomerFilter{}, []string{"C-001", "C-002", "C-003"}},
				{"a Chinese name", store.CustomerFilter{Q: "眼科"}, []string{"C-001"}},
				{"a contact's Chinese name", store.CustomerFilter{Q: "赵磊"}, []string{"C-001"}},
				{"a contact's e-mail, any case", store.CustomerFilter{Q: "LI.NA@"}, []string{"C-002"}},
				{"a contact's phone", store.CustomerFilter{Q: "574"}, []string{"C-001"}},
				{"a percent sign is itself", store.CustomerFilter{Q: "100%"}, []string{"C-003"}},
				{"an underscore is itself", store.CustomerFilter{Q: "s_c"}, []string{"C-003"}},
				{"name only, not contacts", store.CustomerFilter{Name: "li na"}, nil},
				{"region", store.CustomerFilter{Region: "east"}, []string{"C-001", "C-002"}},
				{"branch office", store.CustomerFilter{BranchOffice: "west-office"}, []string{"C-003"}},
				{"key customers", store.CustomerFilter{KeyCustomer: &yes}, []string{"C-001"}},
				{"class and region", store.CustomerFilter{Class: "A", Region: "west"}, []string{"C-003"}},
			} {
				t.Run(tc.name, func(t *testing.T) {
					require.Equal(t, tc.want, ids(tc.f))
				})
			}

			first, err := s.ListCustomers(ctx, store.CustomerFilter{Limit: 2})
			require.NoError(t, err)
			require.Len(t, first.Customers, 2)
			require.NotEmpty(t, first.NextCursor)
			require.Equal(t, []string{"C-003"}, ids(store.CustomerFilter{Cursor: first.NextCursor}))
			_, err = s.ListCustomers(ctx, store.CustomerFilter{Limit: 2, Cursor: "garbage"})
			require.ErrorIs(t, err, store.ErrBadCursor)

			got, err := s.GetCustomer(ctx, "C-001")
			require.NoError(t, err)
			require.Equal(t, "赵磊", got.Contacts[0].Name)
			require.Equal(t, []archive.Site{{ID: "S-1", Name: "Main plant"}}, got.Sites)

			// A replace updates what q finds.
			got.Contacts = []archive.Contact{{Name: "Wang Fang"}}
			_, err = s.PutCustomer(ctx, got)
			require.NoError(t, err)
			require.Nil(t, ids(store.CustomerFilter{Q: "赵磊"}))
			require.Equal(t, []string{"C-001"}, ids(store.CustomerFilter{Q: "wang"}))
		})
	}
}

func TestInstalledBase(t *testing.T) {
	for _, b := range storetest.Backends(t) {
		t.Run(b.Name, func(t *testing.T) {
			s := openStore(t, b)
			ctx := t.Context()
			_, err := s.CreateCustomer(ctx, archiveCustomer("C-001", "宁波眼科医院", "east", true))
			require.NoError(t, err)
			pump := store.Equipment{Serial: "SN-1", EquipmentBody: archive.EquipmentBody{CustomerID: "C-001", SiteID: "S-1",
				Model: "P-100", DeliveredOn: "2026-01-10", WarrantyEnd: "2028-01-10", Consumables: []string{"F-9"},
				Status: "in_service"}}
			_, err = s.PutEquipment(ctx, pump, false)
			require.NoError(t, err)

			_, err = s.PutEquipment(ctx, pump, false)
			require.ErrorIs(t, err, store.ErrExists, "serials are unique")
			unknownSite := pump
			unknownSite.Serial, unknownSite.SiteID = "SN-2", "S-9"
			_, err = s.PutEquipment(ctx, unknownSite, false)
			require.ErrorIs(t, err, store.ErrUnknownSite)
			unknownCustomer := pump
			unknownCustomer.Serial, unknownCustomer.CustomerID = "SN-3", "C-404"
			_, err = s.PutEquipment(ctx, unknownCustomer, false)
			require.ErrorIs(t, err, store.ErrNotFound)

			pump.Model = "P-200"
			_, err = s.PutEquipment(ctx, pump, true)
			require.NoError(t, err)
			got, err := s.GetEquipment(ctx, "SN-1")
			require.NoError(t, err)
			require.Equal(t, "P-200", got.Model)
			require.Equal(t, []string{"F-9"}, got.Consumables)
			_, err = s.GetEquipment(ctx, "SN-404")
			require.ErrorIs(t, err, store.ErrNotFound)

			for i := range 3 {
				e := pump
				e.Serial = fmt.Sprintf("SN-1%d", i)
				_, err := s.PutEquipment(ctx, e, false)
				require.NoError(t, err)
			}
			page, err := s.ListEquipment(ctx, store.EquipmentFilter{CustomerID: "C-001", Limit: 3})
			require.NoError(t, err)
			require.Len(t, page.Equipment, 3)
			rest, err := s.ListEquipment(ctx, store.EquipmentFilter{CustomerID: "C-001", Limit: 3, Cursor: page.NextCursor})
			require.NoError(t, err)
			require.Len(t, rest.Equipment, 1)
			require.Empty(t, rest.NextCursor)
			none, err := s.ListEquipment(ctx, store.EquipmentFilter{Status: "scrapped", Limit: 3})
			require.NoError(t, err)
			require.Empty(t, none.Equipment)
		})
	}
}
