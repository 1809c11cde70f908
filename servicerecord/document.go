// Package servicerecord prints a visit's customer-signed field-service
// record [2.(5).2–4] as an A4 PDF, in Chinese or English. The PDF embeds
// (a subset of) a CJK-capable TrueType font so that Chinese values render;
// see NewRenderer for where the font comes from.
package servicerecord

import (
	"time"

	"github.com/caseflow/caseflow/complaint"
)

// Document is what a printed service record shows. Text is printed as
// given; empty values and zero times print as a dash.
type Document struct {
	// Company heads every page.
	Company string

	// Number and Version identify the record (complaint.ServiceRecord).
	Number  string
	Version int
	// CaseNumber is the case the visit belongs to.
	CaseNumber string

	Customer        string
	SiteName        string
	SiteAddress     string
	EquipmentSerial string
	EquipmentModel  string

	// Engineers are the visit's engineers, by display name.
	Engineers    []string
	PlannedAt    time.Time
	CheckedInAt  time.Time
	CheckedOutAt time.Time

	WorkDone     string
	Findings     string
	Parts        []Part
	UnitPickedUp string

	// The customer's sign-off. Opinion is a complaint.Opinion* code (printed
	// in the page's language) or free text (printed as given).
	SignerName  string
	SignerTitle string
	Opinion     string
	Comment     string
	SignedAt    time.Time

	// FiledAt is when the record was filed; it is also the PDF's creation
	// and modification date, so the same Document renders the same bytes.
	FiledAt time.Time
	// FiledBy names who filed the record (optional).
	FiledBy string

	// Signature is the customer's signature, a PNG image; empty prints an
	// empty signature box.
	Signature []byte

	// Location, when set, is the time zone every time is printed in;
	// otherwise each time prints in its own.
	Location *time.Location
}

// Part is a spare part fitted on the visit.
type Part struct {
	PartNumber string
	Quantity   int
	Serials    []string
}

// FromRecord fills what a Document takes from the visit and one version of
// its service record: number, version, engineers (as the visit holds them,
// user ids: replace them with display names), visit times, work, parts,
// sign-off, filing. The caller adds the company, case, customer, site,
// equipment and the signature image.
func FromRecord(v complaint.Visit, rec complaint.ServiceRecord) Document {
	d := Document{
		Number:       rec.Number,
		Version:      rec.Version,
		Engineers:    append([]string(nil), v.Engineers...),
		PlannedAt:    v.PlannedAt,
		WorkDone:     v.WorkDone,
		Findings:     v.Findings,
		UnitPickedUp: v.UnitPickedUp,
		SignerName:   rec.SignerName,
		SignerTitle:  rec.SignerTitle,
		Opinion:      rec.Opinion,
		Comment:      rec.Comment,
		FiledAt:      rec.FiledAt,
		FiledBy:      rec.FiledBy.Name,
	}
	if d.FiledBy == "" {
		d.FiledBy = rec.FiledBy.UserID
	}
	if v.CheckedInAt != nil {
		d.CheckedInAt = *v.CheckedInAt
	}
	if v.CheckedOutAt != nil {
		d.CheckedOutAt = *v.CheckedOutAt
	}
	if t, err := time.Parse(time.RFC3339, rec.SignedAt); err == nil {
		d.SignedAt = t
	}
	for _, p := range v.PartsUsed {
		d.Parts = append(d.Parts, Part{
			PartNumber: p.PartNumber,
			Quantity:   p.Quantity,
			Serials:    append([]string(nil), p.Serials...),
		})
	}
	return d
}
