package store

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"

	"github.com/jmoiron/sqlx"

	"github.com/caseflow/caseflow/complaint"
)

// Where an erasure overwrites a customer's personal data: the archive's
// entry and every table its processes write (the JSON columns by
// erase_scrub.go's list).

// scrubCustomer erases the archive's entry: name, contacts and sites (ids
// kept, so that equipment still names its site), and the search text.
func scrubCustomer(ctx context.Context, tx *sqlx.Tx, r customerRow) error {
	cu, err := r.customer()
	if err != nil {
		return err
	}
	b := cu.CustomerBody
	b.Name = ErasedMarker
	contacts, err := scrubJSON(r.Contacts, "contacts")
	if err != nil {
		return err
	}
	sites, err := scrubJSON(r.Sites, "sites")
	if err != nil {
		return err
	}
	if err := json.Unmarshal([]byte(contacts), &b.Contacts); err != nil {
		return err
	}
	if err := json.Unmarshal([]byte(sites), &b.Sites); err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, tx.Rebind(`UPDATE customers SET name = ?, contacts = ?, sites = ?, search = ?
		WHERE id = ?`), b.Name, contacts, sites, searchText(b), r.ID)
	return err
}

// jsonColumns are the JSON columns that hold a process's personal data:
// the table, its key columns, the column, and the process list whose ids
// the where column matches.
var jsonColumns = []struct {
	table         string
	keys          []string
	column, where string
	of            func(processes) []process
}{
	{"complaints", []string{"id"}, "snapshot", "id", func(p processes) []process { return p.complaints }},
	{"case_events", []string{"complaint_id", "seq"}, "payload", "complaint_id", func(p processes) []process { return p.complaints }},
	{"service_records", []string{"number", "version"}, "record", "case_id", func(p processes) []process { return p.complaints }},
	{"followups", []string{"id"}, "snapshot", "id", func(p processes) []process { return p.followups }},
	{"followup_events", []string{"followup_id", "seq"}, "payload", "followup_id", func(p processes) []process { return p.followups }},
	{"feedback", []string{"id"}, "snapshot", "id", func(p processes) []process { return p.feedback }},
	{"feedback_events", []string{"feedback_id", "seq"}, "payload", "feedback_id", func(p processes) []process { return p.feedback }},
	{"rmas", []string{"id"}, "snapshot", "id", func(p processes) []process { return p.rmas }},
	{"rma_events", []string{"rma_id", "seq"}, "payload", "rma_id", func(p processes) []process { return p.rmas }},
}

// scrubProcesses erases what the customer's processes keep: their
// snapshots, timelines and service records, the customer's signatures,
// their notifications, and the notes of their loans and stock movements.
func scrubProcesses(ctx context.Context, tx *sqlx.Tx, customerID string, p processes) error {
	// The signatures first, while the records name them (a record keeps
	// its digest: the image is gone, the PDF prints none).
	if err := blankSignatures(ctx, tx, idsOf(p.complaints)); err != nil {
		return err
	}
	for _, c := range jsonColumns {
		if err := scrubColumn(ctx, tx, c.table, c.keys, c.column, "", c.where+` IN (?)`, idsOf(c.of(p))); err != nil {
			return err
		}
	}
	// Notifications are keyed by their complaint, or by the number of a
	// process of its own (complaint.OutboxKey); a survey's goes to the
	// customer.
	keys := idsOf(p.complaints)
	for _, f := range p.followups {
		keys = append(keys, complaint.OutboxKey("", f.ID))
	}
	for _, x := range append(slices.Clone(p.feedback), p.rmas...) {
		keys = append(keys, complaint.OutboxKey("", x.Number))
	}
	if err := scrubColumn(ctx, tx, "notifications", []string{"id"}, "payload", "",
		`(complaint_id IN (?) OR recipient = ?)`, keys, "customer:"+customerID); err != nil {
		return err
	}
	return scrubNotes(ctx, tx, p)
}

// scrubNotes erases the free text of the loans of the customer's
// complaints, of the backup units they lent, and of the stock movements
// that name its complaints, their visits or its RMAs.
func scrubNotes(ctx context.Context, tx *sqlx.Tx, p processes) error {
	complaints := idsOf(p.complaints)
	if len(complaints) == 0 && len(p.rmas) == 0 {
		return nil
	}
	refs := append(idsOf(p.complaints), idsOf(p.rmas)...)
	for _, c := range complaints {
		var snapshot string
		if err := tx.GetContext(ctx, &snapshot, tx.Rebind(`SELECT snapshot FROM complaints WHERE id = ?`), c); err != nil {
			return err
		}
		var cs complaint.Case
		if err := json.Unmarshal([]byte(snapshot), &cs); err != nil {
			return fmt.Errorf("decode %s: %w", c, err)
		}
		for _, v := range cs.Visits {
			refs = append(refs, c+"/"+v.ID) // a visit's parts (stock_refusal.go)
		}
	}
	for _, u := range []struct {
		query string
		list  []string
	}{
		{`UPDATE backup_units SET note = ? WHERE note <> '' AND loan_id IN (SELECT id FROM loans WHERE complaint_id IN (?))`, complaints},
		{`UPDATE loans SET note = ? WHERE note <> '' AND complaint_id IN (?)`, complaints},
		{`UPDATE stock_movements SET note = ? WHERE note <> '' AND reference_kind IN ('case', 'visit', 'rma')
			AND reference_id IN (?)`, refs},
	} {
		if len(u.list) == 0 {
			continue
		}
		if err := execIn(ctx, tx, u.query, ErasedMarker, u.list); err != nil {
			return err
		}
	}
	return nil
}

// blankSignatures empties the images of the signatures on the records of
// the complaints, unless a record of another case shows the same image
// (the store keeps equal images once).
func blankSignatures(ctx context.Context, tx *sqlx.Tx, complaints []string) error {
	if len(complaints) == 0 {
		return nil
	}
	var raws []string
	if err := selectIn(ctx, tx, &raws, `SELECT record FROM service_records WHERE case_id IN (?)`, complaints); err != nil {
		return err
	}
	digests := map[string]bool{}
	for _, raw := range raws {
		var r complaint.ServiceRecord
		if err := json.Unmarshal([]byte(raw), &r); err != nil {
			return err
		}
		if r.SignatureSHA256 != "" {
			digests[r.SignatureSHA256] = true
		}
	}
	for digest := range digests {
		var shared int
		q, args, err := sqlx.In(`SELECT COUNT(*) FROM service_records WHERE case_id NOT IN (?) AND record LIKE ?`,
			complaints, "%"+digest+"%")
		if err != nil {
			return err
		}
		if err := tx.GetContext(ctx, &shared, tx.Rebind(q), args...); err != nil {
			return err
		}
		if shared > 0 {
			continue
		}
		if _, err := tx.ExecContext(ctx, tx.Rebind(`UPDATE signatures SET png = ? WHERE sha256 = ?`),
			[]byte{}, digest); err != nil {
			return err
		}
	}
	return nil
}

// execIn runs an update whose last ? is an IN list.
func execIn(ctx context.Context, tx *sqlx.Tx, query string, value any, list []string) error {
	q, args, err := sqlx.In(query, value, list)
	if err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, tx.Rebind(q), args...)
	return err
}
