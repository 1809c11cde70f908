package archive_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/caseflow/caseflow/archive"
	"github.com/caseflow/caseflow/complaint"
)

// The warranty covers its whole last day in the plant's zone [2.(4).d]: a
// complaint received that evening is still in warranty, one received the
// next morning is not.
func TestWarrantyAtRegistration(t *testing.T) {
	shanghai := time.FixedZone("CST", 8*3600)
	at := func(s string) time.Time {
		v, err := time.ParseInLocation("2006-01-02 15:04", s, shanghai)
		require.NoError(t, err)
		return v
	}
	for _, tc := range []struct {
		name, end string
		received  time.Time
		want      complaint.Warranty
	}{
		{"long before the end", "2027-06-30", at("2026-11-29 09:00"), complaint.Warranty{Status: complaint.WarrantyIn, EndsOn: "2027-06-30"}},
		{"the evening of the last day", "2026-11-29", at("2026-11-29 23:59"), complaint.Warranty{Status: complaint.WarrantyIn, EndsOn: "2026-11-29"}},
		{"the morning after", "2026-11-29", at("2026-11-30 00:00"), complaint.Warranty{Status: complaint.WarrantyOut, EndsOn: "2026-11-29"}},
		{"a year after", "2025-11-29", at("2026-11-29 09:00"), complaint.Warranty{Status: complaint.WarrantyOut, EndsOn: "2025-11-29"}},
		{"no warranty end recorded", "", at("2026-11-29 09:00"), complaint.Warranty{Status: complaint.WarrantyUnknown}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			require.Equal(t, tc.want, archive.WarrantyAt(tc.end, tc.received.UTC(), shanghai))
		})
	}
}

func TestEquipmentDatesFollowDelivery(t *testing.T) {
	for _, tc := range []struct {
		name string
		body archive.EquipmentBody
		want map[string]string
	}{
		{"in order", archive.EquipmentBody{DeliveredOn: "2026-01-10", InstalledOn: "2026-01-12", WarrantyEnd: "2028-01-10"}, map[string]string{}},
		{"warranty ending the day of delivery", archive.EquipmentBody{DeliveredOn: "2026-01-10", WarrantyEnd: "2026-01-10"}, map[string]string{}},
		{"installed before delivery", archive.EquipmentBody{DeliveredOn: "2026-01-10", InstalledOn: "2026-01-09"},
			map[string]string{"installed_on": "must not be before delivered_on"}},
		{"warranty ending before delivery", archive.EquipmentBody{DeliveredOn: "2026-01-10", WarrantyEnd: "2025-01-10"},
			map[string]string{"warranty_end": "must not be before delivered_on"}},
		{"no delivery date: nothing to compare", archive.EquipmentBody{InstalledOn: "2026-01-09", WarrantyEnd: "2025-01-10"}, map[string]string{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			require.Equal(t, tc.want, tc.body.Problems())
		})
	}
}

func TestSiteIdsAreDistinct(t *testing.T) {
	b := archive.CustomerBody{Sites: []archive.Site{{ID: "S-1"}, {ID: "S-2"}, {ID: "S-1"}}}
	require.Equal(t, map[string]string{"sites[2].id": "repeats another site's id"}, b.Problems())
	require.True(t, b.HasSite("S-2"))
	require.False(t, b.HasSite("S-3"))
}

func TestAPatchChangesOnlyWhatItNames(t *testing.T) {
	b := archive.CustomerBody{Name: "宁波眼科医院", SLAPolicy: "standard", Region: "east",
		Contacts: []archive.Contact{{Name: "赵磊"}}, Sites: []archive.Site{{ID: "S-1", Name: "Main"}}}
	region, key := "south", true
	got := archive.CustomerPatch{Region: &region, KeyCustomer: &key, Sites: []archive.Site{}}.Apply(b)
	require.Equal(t, "south", got.Region)
	require.True(t, got.KeyCustomer)
	require.Equal(t, b.Name, got.Name)
	require.Equal(t, b.Contacts, got.Contacts, "an absent list stays")
	require.Empty(t, got.Sites, "an empty list given replaces the list")
}

func TestACreateFindingTheSameRecordIsARetry(t *testing.T) {
	a := archive.EquipmentBody{CustomerID: "C-1", Model: "P-100"}
	b := archive.EquipmentBody{CustomerID: "C-1", Model: "P-100", Status: complaint.EquipmentInService, Consumables: []string{}}
	require.True(t, a.Same(b))
	b.Model = "P-200"
	require.False(t, a.Same(b))
	require.True(t, archive.CustomerBody{Name: "N", Contacts: []archive.Contact{}}.Same(archive.CustomerBody{Name: "N"}))
}
