package complaint

import "time"

// Field service [2.(5).2–4]: engineers are dispatched to a case that needs
// a visit; each visit is planned, checked in and out, and ends with a
// service record the customer signs, due within days of the check-out.

// Where a visit stands.
const (
	VisitPlanned      = "planned"
	VisitOnSite       = "on_site"
	VisitCheckedOut   = "checked_out" // its service record is due
	VisitRecorded     = "recorded"
	VisitRecordWaived = "record_waived" // a supervisor waived the record
)

// VisitStates lists every visit state.
func VisitStates() []string {
	return []string{VisitPlanned, VisitOnSite, VisitCheckedOut, VisitRecorded, VisitRecordWaived}
}

// The customer's opinion of the service, on the record they sign.
const (
	OpinionSatisfied    = "satisfied"
	OpinionPartly       = "partly_satisfied"
	OpinionDissatisfied = "dissatisfied"
)

// Opinions lists every opinion a customer signs.
func Opinions() []string { return []string{OpinionSatisfied, OpinionPartly, OpinionDissatisfied} }

// MaxSignatureBytes bounds the signature image of a service record.
const MaxSignatureBytes = 256 << 10

// EngineersBody names the engineers of a case (user ids); it replaces the
// list, and whoever is new on it is dispatched.
type EngineersBody struct {
	Engineers []string `json:"engineers" validate:"required,min=1,max=10,unique,dive,required,max=64"`
}

// VisitPlanBody plans a visit: who goes, and when.
type VisitPlanBody struct {
	Engineers []string `json:"engineers" validate:"required,min=1,max=10,unique,dive,required,max=64"`
	PlannedAt string   `json:"planned_at" validate:"required,datetime=2006-01-02T15:04:05Z07:00"`
	Note      string   `json:"note,omitempty" validate:"max=10000" text:"multiline"`
}

// CheckInBody says an engineer of the visit has arrived on site.
type CheckInBody struct {
	Visit string `json:"visit" validate:"required,max=16"`
	Note  string `json:"note,omitempty" validate:"max=10000" text:"multiline"`
}

// PartUsed is a spare part fitted on a visit.
// Cases from loans on issue it from the warehouse's stock ("main" when
// left out).
type PartUsed struct {
	PartNumber string   `json:"part_number" validate:"required,max=64"`
	Warehouse  string   `json:"warehouse,omitempty" validate:"max=64"`
	Quantity   int      `json:"quantity" validate:"min=1,max=100000"`
	Serials    []string `json:"serials,omitempty" validate:"max=100,dive,required,max=64"`
}

// CheckOutBody is what a visit did, as the engineer leaves.
type CheckOutBody struct {
	Visit        string     `json:"visit" validate:"required,max=16"`
	WorkDone     string     `json:"work_done" validate:"required,max=10000" text:"multiline"`
	Findings     string     `json:"findings,omitempty" validate:"max=10000" text:"multiline"`
	PartsUsed    []PartUsed `json:"parts_used,omitempty" validate:"max=100,dive"`
	UnitPickedUp string     `json:"unit_picked_up,omitempty" validate:"max=64"`
}

// SignOff is the customer's sign-off of a visit's service record.
type SignOff struct {
	Visit       string `json:"visit" validate:"required,max=16"`
	SignerName  string `json:"signer_name" validate:"required,max=200"`
	SignerTitle string `json:"signer_title,omitempty" validate:"max=200"`
	Opinion     string `json:"opinion" validate:"required,enum=opinion"`
	Comment     string `json:"comment,omitempty" validate:"max=10000" text:"multiline"`
	SignedAt    string `json:"signed_at" validate:"required,datetime=2006-01-02T15:04:05Z07:00"`
}

// ServiceRecordBody is what the API takes: the sign-off and the signature,
// a PNG image in base64.
type ServiceRecordBody struct {
	SignOff
	Signature string `json:"signature" validate:"required"`
}

// ServiceRecordFiling is what the workflow takes for a record: the API
// keeps the signature image in the store and sends its digest, and gives
// the record its number.
type ServiceRecordFiling struct {
	SignOff
	Number          string `json:"number"`
	SignatureSHA256 string `json:"signature_sha256"`
}

// RecordWaiverBody waives a visit's missing service record.
type RecordWaiverBody struct {
	Visit  string `json:"visit" validate:"required,max=16"`
	Reason string `json:"reason" validate:"required,max=10000" text:"multiline"`
}

// ServiceRecord is one version of a visit's service record; a correction
// is a new version under the same number, and every version stays.
type ServiceRecord struct {
	Number  string `json:"number"`
	Version int    `json:"version"`
	SignOff
	SignatureSHA256 string    `json:"signature_sha256"`
	FiledBy         Actor     `json:"filed_by"`
	FiledAt         time.Time `json:"filed_at"`
}

// Visit is one site visit of a case.
type Visit struct {
	ID           string     `json:"id"` // V1, V2, … in the case
	State        string     `json:"state"`
	Engineers    []string   `json:"engineers"`
	PlannedAt    time.Time  `json:"planned_at"`
	PlannedBy    Actor      `json:"planned_by"`
	CheckedInAt  *time.Time `json:"checked_in_at,omitempty"`
	CheckedInBy  *Actor     `json:"checked_in_by,omitempty"`
	CheckedOutAt *time.Time `json:"checked_out_at,omitempty"`
	WorkDone     string     `json:"work_done,omitempty"`
	Findings     string     `json:"findings,omitempty"`
	PartsUsed    []PartUsed `json:"parts_used,omitempty"`
	UnitPickedUp string     `json:"unit_picked_up,omitempty"`
	// RecordDueAt is when the service record is due (from the check-out);
	// RecordWarned and RecordEscalated say what its clock has sent.
	RecordDueAt     *time.Time      `json:"record_due_at,omitempty"`
	RecordWarned    bool            `json:"record_warned,omitempty"`
	RecordEscalated bool            `json:"record_escalated,omitempty"`
	Records         []ServiceRecord `json:"records,omitempty"`
	RecordWaiver    *Waiver         `json:"record_waiver,omitempty"`
}

// HasEngineer reports whether user is one of the visit's engineers.
func (v Visit) HasEngineer(user string) bool {
	for _, e := range v.Engineers {
		if e == user {
			return true
		}
	}
	return false
}

// RecordOwed reports whether the visit still owes its service record.
func (v Visit) RecordOwed() bool {
	return v.State == VisitPlanned || v.State == VisitOnSite || v.State == VisitCheckedOut
}

// ClockServiceRecord names the filing clock of a visit's service record in
// notifications (their level is the visit's number).
const ClockServiceRecord = "service_record"
