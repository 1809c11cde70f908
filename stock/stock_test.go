package stock_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/caseflow/caseflow/complaint"
	"github.com/caseflow/caseflow/stock"
)

func TestEveryMovementKeepsTheStockWhole(t *testing.T) {
	ten := stock.Level{OnHand: 10, Reserved: 3}
	for _, tc := range []struct {
		policy       string
		kind         string
		q            int
		fromReserved bool
		want         stock.Level
		short        int // what was available, when refused
	}{
		{"a receipt adds to what is on hand", complaint.MovementReceive, 5, false, stock.Level{OnHand: 15, Reserved: 3}, -1},
		{"a reservation sets some aside", complaint.MovementReserve, 7, false, stock.Level{OnHand: 10, Reserved: 10}, -1},
		{"nothing is reserved twice", complaint.MovementReserve, 8, false, ten, 7},
		{"an issue takes from what is free", complaint.MovementIssue, 7, false, stock.Level{OnHand: 3, Reserved: 3}, -1},
		{"never what is reserved for another", complaint.MovementIssue, 8, false, ten, 7},
		{"an issue for its reservation takes both", complaint.MovementIssue, 3, true, stock.Level{OnHand: 7, Reserved: 0}, -1},
		{"no more than was reserved", complaint.MovementIssue, 4, true, ten, 3},
		{"a release gives a reservation back", complaint.MovementRelease, 3, false, stock.Level{OnHand: 10, Reserved: 0}, -1},
		{"a return brings stock back", complaint.MovementReturn, 1, false, stock.Level{OnHand: 11, Reserved: 3}, -1},
		{"a count corrected down", complaint.MovementAdjust, -7, false, stock.Level{OnHand: 3, Reserved: 3}, -1},
		{"never below what is reserved", complaint.MovementAdjust, -8, false, ten, 7},
	} {
		t.Run(tc.policy, func(t *testing.T) {
			got, err := stock.Apply(ten, tc.kind, tc.q, tc.fromReserved)
			require.Equal(t, tc.want, got)
			if tc.short < 0 {
				require.NoError(t, err)
				return
			}
			var short *stock.ShortageError
			require.ErrorAs(t, err, &short)
			require.Equal(t, tc.short, short.Available)
		})
	}
}

func TestTheReorderLevelAlertsOncePerCrossing(t *testing.T) {
	level := 5
	require.True(t, stock.FellBelow(stock.Level{OnHand: 6}, stock.Level{OnHand: 4}, level))
	require.True(t, stock.FellBelow(stock.Level{OnHand: 5}, stock.Level{OnHand: 4}, level))
	require.False(t, stock.FellBelow(stock.Level{OnHand: 4}, stock.Level{OnHand: 3}, level), "already below")
	require.False(t, stock.FellBelow(stock.Level{OnHand: 9}, stock.Level{OnHand: 5}, level), "at the level is not below")
	require.False(t, stock.FellBelow(stock.Level{OnHand: 1}, stock.Level{OnHand: 0}, 0), "no level, no alert")
}
