// Package imports reads the customer archive and the installed base from
// the spreadsheets manufacturers keep (CSV), checks every row by the same
// rules as the API's bodies and writes a file all or nothing, for the API
// and for `caseflow import` alike.
package imports

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"unicode/utf8"
)

// MaxBytes bounds an import: 10,000 customers with their contacts fit in a
// few megabytes.
const MaxBytes = 16 << 20

// Problems are an import's bad rows: "line N: field" → problem, or "file"
// for the file as a whole. Lines count from 1, the header included, as a
// spreadsheet numbers them.
type Problems map[string]string

func (p Problems) add(line int, field, problem string) {
	p[fmt.Sprintf("line %d: %s", line, field)] = problem
}

// ErrProblems: the file was read and refused; the Problems say why.
var ErrProblems = errors.New("the import has problems")

// table is a CSV file read by header: each row's values by column name.
type table struct {
	columns []string
	rows    []row
}

type row struct {
	line   int
	values map[string]string
}

// readTable reads UTF-8 CSV (a byte-order mark is dropped) with a header
// row naming known columns, of which required must all be there.
func readTable(raw []byte, known, required []string) (table, Problems) {
	problems := Problems{}
	raw = bytes.TrimPrefix(raw, []byte("\xef\xbb\xbf"))
	if !utf8.Valid(raw) {
		problems["file"] = "must be UTF-8 text (save the spreadsheet as CSV UTF-8)"
		return table{}, problems
	}
	r := csv.NewReader(bytes.NewReader(raw))
	r.FieldsPerRecord = 0 // every row as long as the header
	header, err := r.Read()
	if errors.Is(err, io.EOF) {
		problems["file"] = "is empty: a header row is required"
		return table{}, problems
	}
	if err != nil {
		problems["file"] = csvProblem(err)
		return table{}, problems
	}
	t := table{}
	for i, h := range header {
		h = strings.TrimSpace(h)
		switch {
		case !slices.Contains(known, h):
			problems.add(1, fmt.Sprintf("column %d", i+1), fmt.Sprintf("%q is not a column (known: %s)", h,
				strings.Join(known, ", ")))
		case slices.Contains(t.columns, h):
			problems.add(1, h, "is a repeated column")
		}
		t.columns = append(t.columns, h)
	}
	for _, c := range required {
		if !slices.Contains(t.columns, c) {
			problems.add(1, c, "is a required column")
		}
	}
	if len(problems) > 0 {
		return table{}, problems
	}
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			problems["file"] = csvProblem(err)
			return table{}, problems
		}
		line, _ := r.FieldPos(0)
		values := map[string]string{}
		blank := true
		for i, v := range rec {
			values[t.columns[i]] = strings.TrimSpace(v)
			blank = blank && strings.TrimSpace(v) == ""
		}
		if !blank {
			t.rows = append(t.rows, row{line: line, values: values})
		}
	}
	if len(t.rows) == 0 {
		problems["file"] = "has no rows under its header"
	}
	return t, problems
}

// csvProblem words a CSV syntax error with its line.
func csvProblem(err error) string {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		if errors.Is(pe.Err, csv.ErrFieldCount) {
			return fmt.Sprintf("line %d has another number of columns than the header", pe.Line)
		}
		return fmt.Sprintf("line %d is not valid CSV: %v", pe.Line, pe.Err)
	}
	return "is not valid CSV"
}

// list splits a cell holding several values ("a; b").
func list(cell string) []string {
	var out []string
	for v := range strings.SplitSeq(cell, ";") {
		if v = strings.TrimSpace(v); v != "" {
			out = append(out, v)
		}
	}
	return out
}
