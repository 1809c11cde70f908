package console

import (
	"testing"

	"github.com/stretchr/testify/require"
)

// TestStockCatalogAgreesWithTheCatalog: a key the stock's part shares with
// the catalog's is worded the same, or one of the two would be lost.
func TestStockCatalogAgreesWithTheCatalog(t *testing.T) {
	for key, e := range stockCatalog {
		require.Equal(t, e, catalog[key], key)
	}
}

// TestTheMovementFormPostsTheAPIsBody: the part number is the page's, the
// reference's two controls become its object, left out when blank.
func TestTheMovementFormPostsTheAPIsBody(t *testing.T) {
	fields := movementFields(Chinese, []stockRow{{WarehouseName: "主仓"}})
	var names []string
	for _, f := range fields {
		names = append(names, f.Name)
	}
	require.Equal(t, []string{"warehouse", "kind", "quantity", "from_reserved", "reference.kind", "reference.id", "note"}, names)
	require.Equal(t, controlSelect, fields[0].Control)
	require.True(t, fields[0].Options[0].Selected, "the one warehouse is chosen")
	require.Equal(t, "入库", fields[1].Options[0].Label)
	require.Equal(t, "案件", fields[4].Options[0].Label)

	require.Equal(t, map[string]any{"part_number": "P-1", "warehouse": "W1", "kind": "issue", "quantity": 2,
		"from_reserved": true, "reference": map[string]any{"kind": "case", "id": "CF-1"}},
		movementJSON(fields, formValues{"warehouse": {"W1"}, "kind": {"issue"}, "quantity": {"2"},
			"from_reserved": {"true"}, "reference.kind": {"case"}, "reference.id": {"CF-1"}}, "P-1"))
	require.Equal(t, map[string]any{"part_number": "P-1", "kind": "receive", "quantity": 5, "from_reserved": false},
		movementJSON(fields, formValues{"kind": {"receive"}, "quantity": {"5"}}, "P-1"))
	require.Equal(t, map[string]any{"part_number": "P-1", "from_reserved": false, "reference": map[string]any{"id": "X"}},
		movementJSON(fields, formValues{"reference.id": {"X"}}, "P-1"), "half a reference goes as typed: the API words it")
}
