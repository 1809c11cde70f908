package store

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"strings"
	"time"
)

// ErrBadCursor is returned for a cursor this store did not hand out.
var ErrBadCursor = errors.New("cursor is not valid")

// cursor is the keyset position after the last row of a page: its time
// (a case's received_at, a notification's created_at) and id.
type cursor struct {
	At time.Time `json:"r"`
	ID string    `json:"i"`
}

// filters collects a list's SQL conditions, joined by AND, and their
// arguments.
type filters struct {
	conds []string
	args  []any
}

// eq keeps rows whose column equals value; an empty value does not filter.
func (w *filters) eq(column, value string) {
	if value != "" {
		w.add(column+" = ?", value)
	}
}

// add keeps rows matching cond, with its arguments.
func (w *filters) add(cond string, args ...any) {
	w.conds = append(w.conds, cond)
	w.args = append(w.args, args...)
}

// keysetQuery finishes q, a SELECT, as one newest-first page of the rows
// matching w, ordered by column (a time) and id: it adds the position after
// cur (a previous page's cursor, or "" for the first page), and asks for
// one more row than limit, which tells whether another page follows (see
// keysetPage). It fails with ErrBadCursor for a cursor this store did not
// hand out.
func keysetQuery(q string, w filters, column, cur string, limit int) (string, []any, error) {
	if cur != "" {
		c, err := decodeCursor(cur)
		if err != nil {
			return "", nil, err
		}
		// A row value, not "a < ? OR (a = ? AND id < ?)": both databases
		// match it against an index on (column, id), where the OR made
		// SQLite scan and sort the whole table.
		w.add("("+column+", id) < (?, ?)", utc(c.At), c.ID)
	}
	if len(w.conds) > 0 {
		q += " WHERE " + strings.Join(w.conds, " AND ")
	}
	q += " ORDER BY " + column + " DESC, id DESC LIMIT ?"
	return q, append(w.args, limit+1), nil
}

// keysetPage cuts the extra row of a keysetQuery result off rows and
// returns the cursor of the next page, made from the last row kept by key
// (its time and id), or "" when no page follows.
func keysetPage[T any](rows []T, limit int, key func(T) (time.Time, string)) ([]T, string) {
	if len(rows) <= limit {
		return rows, ""
	}
	at, id := key(rows[limit-1])
	return rows[:limit], encodeCursor(cursor{At: at.UTC(), ID: id})
}

func encodeCursor(c cursor) string {
	raw, _ := json.Marshal(c)
	return base64.RawURLEncoding.EncodeToString(raw)
}

func decodeCursor(s string) (cursor, error) {
	var c cursor
	raw, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil || json.Unmarshal(raw, &c) != nil || c.ID == "" {
		return cursor{}, ErrBadCursor
	}
	return c, nil
}
