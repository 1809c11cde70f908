package console

import (
	"math"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/caseflow/caseflow/complaint"
)

// stepForm is a step the case page offers as a form, built from the step's
// body type, so its fields and rules are the API's own.
type stepForm struct {
	name string
	body reflect.Type
}

// stepForms lists the steps in the order the case page shows them; each
// body is the one the API's route for the step decodes.
var stepForms = []stepForm{
	{complaint.StepContact, reflect.TypeFor[complaint.ContactBody]()},
	{complaint.StepConfirm, reflect.TypeFor[complaint.ConfirmBody]()},
	{complaint.StepAnalysis, reflect.TypeFor[complaint.AnalysisBody]()},
	{complaint.StepProposals, reflect.TypeFor[complaint.ProposalBody]()},
	{complaint.StepAgreement, reflect.TypeFor[complaint.AgreementBody]()},
	{complaint.StepApprovals, reflect.TypeFor[complaint.ApprovalBody]()},
	{complaint.StepOnsite, reflect.TypeFor[complaint.OptionalNoteBody]()},
	{complaint.StepProgress, reflect.TypeFor[complaint.NoteBody]()},
	{complaint.StepCorrectiveActions, reflect.TypeFor[complaint.CorrectiveActionBody]()},
	{complaint.StepInterim, reflect.TypeFor[complaint.InterimBody]()},
	{complaint.StepPause, reflect.TypeFor[complaint.PauseBody]()},
	{complaint.StepResume, reflect.TypeFor[complaint.OptionalNoteBody]()},
	{complaint.StepResolve, reflect.TypeFor[complaint.NoteBody]()},
	{complaint.StepClose, reflect.TypeFor[complaint.CloseBody]()},
	{complaint.StepWithdraw, reflect.TypeFor[complaint.NoteBody]()},
	{complaint.StepQuote, reflect.TypeFor[complaint.QuoteBody]()},
	{complaint.StepQuoteDecision, reflect.TypeFor[complaint.QuoteDecisionBody]()},
	{complaint.StepWaiver, reflect.TypeFor[complaint.NoteBody]()},
	{complaint.StepCloseDeclined, reflect.TypeFor[complaint.NoteBody]()},
	{complaint.StepEngineers, reflect.TypeFor[complaint.EngineersBody]()},
	{complaint.StepVisits, reflect.TypeFor[complaint.VisitPlanBody]()},
	{complaint.StepCheckIn, reflect.TypeFor[complaint.CheckInBody]()},
	{complaint.StepCheckOut, reflect.TypeFor[complaint.CheckOutBody]()},
	{complaint.StepRecordWaiver, reflect.TypeFor[complaint.RecordWaiverBody]()},
	// Backup units on loan (loan_forms.go fits their forms to the case).
	{complaint.StepLoanReturn, reflect.TypeFor[complaint.LoanReturnBody]()},
	{complaint.StepLoanConvert, reflect.TypeFor[complaint.LoanConvertBody]()},
	// The service record (complaint.StepServiceRecord) is no form of the
	// case page: the customer signs it on its own page (sign.go).
}

// visitStates are, for each step that names a visit, the states a visit
// takes the step in (complaint/rules' visitFor): the form offers those
// visits of the case.
var visitStates = map[string][]string{
	complaint.StepCheckIn:       {complaint.VisitPlanned},
	complaint.StepCheckOut:      {complaint.VisitOnSite},
	complaint.StepServiceRecord: {complaint.VisitCheckedOut, complaint.VisitRecorded},
	complaint.StepRecordWaiver:  {complaint.VisitPlanned, complaint.VisitOnSite, complaint.VisitCheckedOut},
}

// Kinds of form control.
const (
	controlText       = "text"
	controlTextarea   = "textarea"
	controlLines      = "lines" // a list of texts, one per line
	controlSelect     = "select"
	controlCheckboxes = "checkboxes"
	controlCheckbox   = "checkbox"
	controlYesNo      = "yesno" // a required *bool: yes or no, which a checkbox cannot post
	controlNumber     = "number"
	controlDate       = "date"
	controlDatetime   = "datetime"  // an RFC 3339 time, typed as a local date and time
	controlParts      = "parts"     // parts used, one per line: part number, quantity, serials
	controlRadios     = "radios"    // a choice of the vocabulary as radio buttons
	controlSignature  = "signature" // a signature pad whose PNG goes in a hidden field
	controlMonth      = "month"     // a month, yyyy-mm (the monthly review's)
)

// rfc3339Rule is the validate rule of an RFC 3339 time.
const rfc3339Rule = "datetime=2006-01-02T15:04:05Z07:00"

// offsetSuffix names the hidden field beside a datetime control in which
// the browser's script puts its zone's offset from UTC (minutes east) at
// the typed time; without it the console's zone (time.Local) is meant.
const offsetSuffix = "_offset"

// field is one control of a form.
type field struct {
	Name     string // the JSON name, which the API's problems name too
	Label    string
	Control  string
	Required bool
	Options  []option
	Value    string
	Checked  bool
	Error    string
	Decimal  bool // a number with a fraction (an amount), not a count
	pointer  bool
}

type option struct {
	Value, Label string
	Selected     bool
}

// form is a step's or the register's form as a page shows it.
type form struct {
	Step   string
	Title  string
	Action string
	Fields []field
	Help   string // what the step is for, when the catalog says ("help.<step>")
	Key    string // the Idempotency-Key of this rendering: a double submit is one step
	Submit string // the submit button's words, when not "Submit"
	Error  string
	CSRF   string
	Lang   Lang
}

// fieldsOf lists a body's fields in declaration order; an embedded struct's
// fields come in its place.
func fieldsOf(l Lang, t reflect.Type) []field {
	var out []field
	for i := 0; i < t.NumField(); i++ {
		sf := t.Field(i)
		if sf.Anonymous && sf.Type.Kind() == reflect.Struct {
			out = append(out, fieldsOf(l, sf.Type)...)
			continue
		}
		name, _, _ := strings.Cut(sf.Tag.Get("json"), ",")
		if name == "" || name == "-" {
			continue
		}
		rules := strings.Split(sf.Tag.Get("validate"), ",")
		// A list's rules after "dive" are its items' ("dive,required": no
		// blank item), not the list's own.
		own := rules
		if i := slices.Index(rules, "dive"); i >= 0 {
			own = rules[:i]
		}
		f := field{Name: name, Label: l.T("field." + name), Required: slices.Contains(own, "required")}
		typ := sf.Type
		if typ.Kind() == reflect.Pointer {
			f.pointer = true
			typ = typ.Elem()
		}
		if typ.Kind() == reflect.Struct {
			// A nested object (the register's new_customer) is no control
			// of a flat form: the form leaves it out, as the API may.
			continue
		}
		enum := ""
		for _, r := range rules {
			if v, ok := strings.CutPrefix(r, "enum="); ok {
				enum = v
			}
		}
		switch {
		case typ.Kind() == reflect.Bool && f.pointer && f.Required:
			f.Control = controlYesNo
			f.Options = []option{{Value: "true", Label: l.T("yes")}, {Value: "false", Label: l.T("no")}}
		case typ.Kind() == reflect.Bool:
			f.Control = controlCheckbox
		case typ.Kind() == reflect.Int:
			f.Control = controlNumber
		case typ.Kind() == reflect.Float64 || typ.Kind() == reflect.Float32:
			f.Control, f.Decimal = controlNumber, true
		case typ.Kind() == reflect.Slice && enum != "":
			f.Control = controlCheckboxes
		case typ == reflect.TypeFor[[]complaint.PartUsed]():
			f.Control = controlParts
		case typ.Kind() == reflect.Slice && typ.Elem().Kind() == reflect.Struct:
			// A list of objects other than parts is no control of a flat form.
			continue
		case typ.Kind() == reflect.Slice:
			f.Control = controlLines
		case enum != "":
			f.Control = controlSelect
		case slices.Contains(rules, "datetime=2006-01-02"):
			f.Control = controlDate
		case slices.Contains(rules, rfc3339Rule):
			f.Control = controlDatetime
		case sf.Tag.Get("text") == "multiline":
			f.Control = controlTextarea
		default:
			f.Control = controlText
		}
		for _, v := range complaint.EnumValues(enum) {
			f.Options = append(f.Options, option{Value: v, Label: l.Enum(enum, v)})
		}
		out = append(out, f)
	}
	return out
}

// formValues are what the user typed, kept to show the form again.
type formValues map[string][]string

// fill puts typed values and problems (translated) into the fields.
func fill(l Lang, fields []field, values formValues, problems map[string]string) []field {
	for i := range fields {
		f := &fields[i]
		vs := values[f.Name]
		switch f.Control {
		case controlCheckbox:
			f.Checked = len(vs) > 0
		case controlCheckboxes, controlSelect, controlYesNo, controlRadios:
			for j := range f.Options {
				f.Options[j].Selected = slices.Contains(vs, f.Options[j].Value)
			}
		default:
			if len(vs) > 0 {
				f.Value = vs[0]
			}
		}
		for k, msg := range problems {
			// A list's problems name an item ("evidence[0]", or for a part
			// "parts_used.0.quantity" as the decoder words it): shown on the list.
			if k == f.Name || strings.HasPrefix(k, f.Name+"[") || strings.HasPrefix(k, f.Name+".") {
				f.Error = translateProblem(l, msg)
			}
		}
	}
	return fields
}

// jsonBody turns the typed values into the API's JSON body: an empty text is
// left out (the API reads a blank field as a missing one), a number that is
// not one is sent as typed, so that the API words the problem.
func jsonBody(fields []field, values formValues) map[string]any {
	body := map[string]any{}
	for _, f := range fields {
		vs := values[f.Name]
		first := ""
		if len(vs) > 0 {
			first = strings.TrimSpace(vs[0])
		}
		switch f.Control {
		case controlCheckbox:
			if len(vs) > 0 {
				body[f.Name] = true
			} else if !f.pointer {
				body[f.Name] = false
			}
		case controlCheckboxes:
			if len(vs) > 0 {
				body[f.Name] = vs
			}
		case controlLines:
			var lines []string
			for _, line := range strings.Split(first, "\n") {
				if line = strings.TrimSpace(line); line != "" {
					lines = append(lines, line)
				}
			}
			if len(lines) > 0 {
				body[f.Name] = lines
			}
		case controlYesNo:
			switch first {
			case "":
			case "true", "false":
				body[f.Name] = first == "true"
			default:
				body[f.Name] = first
			}
		case controlDatetime:
			if first != "" {
				body[f.Name] = rfc3339Of(first, values[f.Name+offsetSuffix], time.Local)
			}
		case controlParts:
			if parts := partsOf(first); len(parts) > 0 {
				body[f.Name] = parts
			}
		case controlNumber:
			if first == "" {
				continue
			}
			if n, err := strconv.Atoi(first); err == nil && !f.Decimal {
				body[f.Name] = n
			} else if x, err := strconv.ParseFloat(first, 64); err == nil && f.Decimal &&
				!math.IsNaN(x) && !math.IsInf(x, 0) {
				body[f.Name] = x
			} else {
				body[f.Name] = first
			}
		default:
			if first != "" {
				body[f.Name] = strings.ReplaceAll(vs[0], "\r\n", "\n")
			}
		}
	}
	return body
}

// rfc3339Of turns a typed local time (a datetime-local input's
// "2026-03-05T14:30") into RFC 3339: in the zone of offset, the minutes east
// of UTC the browser's script put beside it, else in loc. An RFC 3339 time
// is kept; anything else goes to the API as typed, which words the problem.
func rfc3339Of(typed string, offset []string, loc *time.Location) string {
	if _, err := time.Parse(time.RFC3339, typed); err == nil {
		return typed
	}
	if len(offset) > 0 {
		if m, err := strconv.Atoi(strings.TrimSpace(offset[0])); err == nil && m >= -16*60 && m <= 16*60 {
			loc = time.FixedZone("", m*60)
		}
	}
	for _, layout := range []string{"2006-01-02T15:04", "2006-01-02T15:04:05", "2006-01-02 15:04", "2006-01-02 15:04:05"} {
		if t, err := time.ParseInLocation(layout, typed, loc); err == nil {
			return t.Format(time.RFC3339)
		}
	}
	return typed
}

// localInput is a time as a datetime-local input shows it, in the
// console's zone.
func localInput(t time.Time) string { return t.Local().Format("2006-01-02T15:04") }

// partsOf reads the parts-used text, one part a line: "part_number
// quantity serial…", separated by spaces or commas. A line of a part number
// alone is one of it; a quantity that is no whole number goes to the API as
// typed, which words the problem.
func partsOf(text string) []map[string]any {
	var parts []map[string]any
	for _, line := range strings.Split(text, "\n") {
		words := strings.FieldsFunc(line, func(r rune) bool {
			return unicode.IsSpace(r) || r == ',' || r == '，' || r == ';' || r == '；'
		})
		if len(words) == 0 {
			continue
		}
		part := map[string]any{"part_number": words[0], "quantity": 1}
		if len(words) > 1 {
			if n, err := strconv.Atoi(words[1]); err == nil {
				part["quantity"] = n
			} else {
				part["quantity"] = words[1]
			}
		}
		if len(words) > 2 {
			part["serials"] = words[2:]
		}
		parts = append(parts, part)
	}
	return parts
}
