package store

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/jmoiron/sqlx"
)

// What an erasure overwrites in the JSON the store keeps (snapshots,
// timelines, service records, notifications, the archive's contacts and
// sites): every non-empty string under one of these keys becomes
// ErasedMarker, in lists too. A plain key counts wherever it stands;
// "parent.key" only inside the object or list under parent, so that a
// customer's name goes and an employee's (an actor's "name") stays.
// Numbers, booleans, ids, dates and vocabulary values are never touched.
var personalKeys = map[string]bool{
	// Who complained and how to reach them (complaint.Register, the
	// confirm step's corrections, a raised complaint, dispatch facts).
	"customer_name": true, "contact_name": true, "contact_phone": true, "phone": true, "address": true,
	"customer.name": true, "site.name": true,
	// The archive's entry (archive.Contact, archive.Site). A notification's
	// "email" is its recipient's, an employee's.
	"contacts.name": true, "contacts.email": true, "contacts.title": true, "sites.name": true,
	// A notification's rendering and the case facts it carries.
	"subject": true, "text": true, "facts.customer": true, "facts.contact": true, "facts.site": true,
	"facts.demand": true,
	// The customer's sign-off of a visit.
	"signer_name": true, "signer_title": true,
	// Free text, which may say anything about the customer: the
	// complaint's, every step's notes, reasons and answers. The root cause
	// stays: the monthly review counts causes.
	"description": true, "customer_demand": true, "note": true, "comment": true, "reason": true,
	"answer": true, "explanation": true, "evidence": true, "measures": true, "action": true, "report": true,
	"work_done": true, "findings": true,
}

// scrubJSON answers raw with the personal strings replaced; root is the
// key raw stands under ("" for a document of its own).
func scrubJSON(raw, root string) (string, error) {
	dec := json.NewDecoder(strings.NewReader(raw))
	dec.UseNumber() // numbers come back as they were
	var v any
	if err := dec.Decode(&v); err != nil {
		return "", err
	}
	v, changed := scrubValue(v, root, false)
	if !changed {
		return raw, nil
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return "", err
	}
	return strings.TrimSuffix(buf.String(), "\n"), nil
}

// scrubValue scrubs v, which stands under key parent; personal says that
// key is personal. A list's items stand under the list's key.
func scrubValue(v any, parent string, personal bool) (any, bool) {
	changed := false
	switch x := v.(type) {
	case map[string]any:
		for k, child := range x {
			if nv, c := scrubValue(child, k, personalKeys[k] || personalKeys[parent+"."+k]); c {
				x[k], changed = nv, true
			}
		}
	case []any:
		for i, child := range x {
			if nv, c := scrubValue(child, parent, personal); c {
				x[i], changed = nv, true
			}
		}
	case string:
		if personal && x != "" && x != ErasedMarker {
			return ErasedMarker, true
		}
	}
	return v, changed
}

// scrubColumn scrubs the JSON column of the rows of table that where
// selects: where's first ? is an IN list of list, the others take more.
// Each row is written back by its key columns, only if it changed.
func scrubColumn(ctx context.Context, tx *sqlx.Tx, table string, keys []string, column, root, where string,
	list []string, more ...any) error {
	if len(list) == 0 {
		if len(more) == 0 {
			return nil
		}
		list = []string{""} // matches no row: no id is empty
	}
	q, args, err := sqlx.In(`SELECT `+strings.Join(keys, ", ")+`, `+column+` FROM `+table+` WHERE `+where,
		append([]any{list}, more...)...)
	if err != nil {
		return err
	}
	rows, err := tx.QueryxContext(ctx, tx.Rebind(q), args...)
	if err != nil {
		return fmt.Errorf("read %s: %w", table, err)
	}
	type update struct {
		key   []any
		value string
	}
	var updates []update
	for rows.Next() {
		vals, err := rows.SliceScan()
		if err != nil {
			rows.Close()
			return err
		}
		for i, v := range vals {
			if b, ok := v.([]byte); ok {
				vals[i] = string(b)
			}
		}
		raw, _ := vals[len(keys)].(string)
		scrubbed, err := scrubJSON(raw, root)
		if err != nil {
			rows.Close()
			return fmt.Errorf("%s.%s of %v: %w", table, column, vals[:len(keys)], err)
		}
		if scrubbed != raw {
			updates = append(updates, update{key: vals[:len(keys)], value: scrubbed})
		}
	}
	if err := rows.Err(); err != nil {
		rows.Close()
		return err
	}
	if err := rows.Close(); err != nil {
		return err
	}
	// Written once the rows are read: a PostgreSQL connection runs one
	// statement at a time.
	set := `UPDATE ` + table + ` SET ` + column + ` = ? WHERE ` + strings.Join(keys, " = ? AND ") + ` = ?`
	for _, u := range updates {
		if _, err := tx.ExecContext(ctx, tx.Rebind(set), append([]any{u.value}, u.key...)...); err != nil {
			return fmt.Errorf("write %s: %w", table, err)
		}
	}
	return nil
}
