package store

import (
	"context"
	"slices"

	"github.com/jmoiron/sqlx"

	"github.com/caseflow/caseflow/complaint"
)

// The processes an erasure covers: the customer's complaints, follow-ups,
// feedback and RMAs, each one a workflow with a data key of its own.

// process is one of a customer's processes as the store shows it.
type process struct {
	ID     string `db:"id"`
	Number string `db:"number"`
	Stage  string `db:"stage"`
	// Survey is a follow-up's survey state.
	Survey string `db:"survey"`
}

// processes are a customer's processes: its complaints, the follow-ups of
// the customer or of its complaints, its feedback, and the RMAs of the
// customer or of its complaints.
type processes struct {
	complaints, followups, feedback, rmas []process
}

func processesOf(ctx context.Context, q queryer, customerID string) (processes, error) {
	var p processes
	ofComplaints := `IN (SELECT id FROM complaints WHERE customer_id = ?)`
	for _, r := range []struct {
		dst   *[]process
		query string
		args  []any
	}{
		{&p.complaints, `SELECT id, case_number AS number, stage, '' AS survey FROM complaints WHERE customer_id = ?`,
			[]any{customerID}},
		{&p.followups, `SELECT id, '' AS number, stage, survey_state AS survey FROM followups
			WHERE customer_id = ? OR complaint_id ` + ofComplaints, []any{customerID, customerID}},
		{&p.feedback, `SELECT id, number, stage, '' AS survey FROM feedback WHERE from_customer_id = ?`,
			[]any{customerID}},
		{&p.rmas, `SELECT id, number, stage, '' AS survey FROM rmas
			WHERE customer_id = ? OR complaint_id ` + ofComplaints, []any{customerID, customerID}},
	} {
		if err := sqlx.SelectContext(ctx, q, r.dst, q.Rebind(r.query+` ORDER BY id`), r.args...); err != nil {
			return processes{}, err
		}
	}
	return p, nil
}

// workflowIDs are the workflows of every process, sorted.
func (p processes) workflowIDs() []string {
	ids := []string{}
	for _, c := range p.complaints {
		ids = append(ids, complaint.WorkflowID(c.ID))
	}
	for _, f := range p.followups {
		ids = append(ids, complaint.FollowupWorkflowID(f.ID))
	}
	for _, fb := range p.feedback {
		ids = append(ids, complaint.FeedbackWorkflowID(fb.ID))
	}
	for _, r := range p.rmas {
		ids = append(ids, complaint.RMAWorkflowID(r.ID))
	}
	slices.Sort(ids)
	return ids
}

// open are the workflows of the processes not yet in a final stage, sorted.
// A closed complaint's visits ended with it; a done follow-up still waits
// for its survey's answer.
func (p processes) open() []string {
	ids := []string{}
	for _, c := range p.complaints {
		if s := complaint.Stage(c.Stage); s != complaint.StageClosed && s != complaint.StageTerminated {
			ids = append(ids, complaint.WorkflowID(c.ID))
		}
	}
	for _, f := range p.followups {
		if f.Stage == complaint.FollowupOpen || f.Survey == complaint.SurveySent {
			ids = append(ids, complaint.FollowupWorkflowID(f.ID))
		}
	}
	for _, fb := range p.feedback {
		if fb.Stage != complaint.FeedbackAnswered {
			ids = append(ids, complaint.FeedbackWorkflowID(fb.ID))
		}
	}
	for _, r := range p.rmas {
		if !complaint.RMAEnded(r.Stage) {
			ids = append(ids, complaint.RMAWorkflowID(r.ID))
		}
	}
	slices.Sort(ids)
	return ids
}

func idsOf(ps []process) []string {
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = p.ID
	}
	return out
}
