package store

import (
	"context"

	"github.com/caseflow/caseflow/complaint"
)

// StageCount is how many open cases one stage holds for one responsible
// department ("" before analysis names one).
type StageCount struct {
	Stage      string `db:"stage" json:"stage"`
	Department string `db:"responsible_department" json:"responsible_department"`
	Count      int    `db:"n" json:"count"`
	Breached   int    `db:"breached" json:"breached"`
}

// OpenCaseCounts counts the open cases (neither closed nor terminated) by
// stage and responsible department, for the supervisor board.
func (s *Store) OpenCaseCounts(ctx context.Context) ([]StageCount, error) {
	counts := []StageCount{}
	err := s.db.SelectContext(ctx, &counts, s.db.Rebind(`
		SELECT stage, responsible_department, COUNT(*) AS n,
		       SUM(CASE WHEN sla_breached THEN 1 ELSE 0 END) AS breached
		FROM complaints
		WHERE stage NOT IN (?, ?)
		GROUP BY stage, responsible_department
		ORDER BY stage, responsible_department`), complaint.StageClosed, complaint.StageTerminated)
	return counts, err
}
