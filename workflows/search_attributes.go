package workflows

import (
	"fmt"
	"slices"
	"strings"
	"time"

	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/caseflow/caseflow/complaint"
)

// Custom search attributes, so supervisors can filter cases in the Web UI
// (for example `CaseStage = "approve" AND CaseSeverity = "severe"`).
var (
	CaseNumberKey            = temporal.NewSearchAttributeKeyKeyword("CaseNumber")
	CaseStageKey             = temporal.NewSearchAttributeKeyKeyword("CaseStage")
	CaseCategoryKey          = temporal.NewSearchAttributeKeyKeyword("CaseCategory")
	CaseSeverityKey          = temporal.NewSearchAttributeKeyKeyword("CaseSeverity")
	ResponsibleDepartmentKey = temporal.NewSearchAttributeKeyKeyword("ResponsibleDepartment")
	CustomerIDKey            = temporal.NewSearchAttributeKeyKeyword("CustomerID")
	ResponseDueAtKey         = temporal.NewSearchAttributeKeyTime("ResponseDueAt")
	OnsiteDueAtKey           = temporal.NewSearchAttributeKeyTime("OnsiteDueAt")
	ResolveDueAtKey          = temporal.NewSearchAttributeKeyTime("ResolveDueAt")
	SLABreachedKey           = temporal.NewSearchAttributeKeyBool("SLABreached")
	AtRiskKey                = temporal.NewSearchAttributeKeyBool("AtRisk")
	// The archive's facts at registration, for regional analysis and key
	// customers [1.(2).B]; never the customer's name.
	CustomerRegionKey = temporal.NewSearchAttributeKeyKeyword("CustomerRegion")
	KeyCustomerKey    = temporal.NewSearchAttributeKeyBool("KeyCustomer")
	WarrantyKey       = temporal.NewSearchAttributeKeyKeyword("Warranty")
	// ServiceRecordDueAt is when the earliest service record still owed is
	// due, as an RFC 3339 UTC text: SQL visibility has no Datetime slot
	// left, and such texts compare in time order
	// (ServiceRecordDueAt < "2026-12-10").
	ServiceRecordDueAtKey = temporal.NewSearchAttributeKeyKeyword("ServiceRecordDueAt")
)

type searchAttributeKey interface {
	GetName() string
	GetValueType() enumspb.IndexedValueType
}

// SearchAttributes lists every custom search attribute by name and type, for
// registering them on a namespace.
func SearchAttributes() map[string]enumspb.IndexedValueType {
	keys := []searchAttributeKey{
		CaseNumberKey, CaseStageKey, CaseCategoryKey, CaseSeverityKey, ResponsibleDepartmentKey, CustomerIDKey,
		ResponseDueAtKey, OnsiteDueAtKey, ResolveDueAtKey, SLABreachedKey, AtRiskKey,
		CustomerRegionKey, KeyCustomerKey, WarrantyKey, ServiceRecordDueAtKey,
	}
	keys = append(keys, RecurrenceKey)              // capa_case.go
	keys = append(keys, rmaSearchAttributeKeys...)  // the RMAs' (rma.go)
	keys = append(keys, capaSearchAttributeKeys...) // the CAPAs' (capa.go)
	attrs := make(map[string]enumspb.IndexedValueType, len(keys))
	for _, k := range keys {
		attrs[k.GetName()] = k.GetValueType()
	}
	return attrs
}

// publish keeps the search attributes and the Web UI's current details in
// step with the state, so supervisors read a case without its history.
func (w *complaintWorkflow) publish(ctx workflow.Context) error {
	return w.upsert(ctx, w.searchAttributeUpdates())
}

// publishChanges is publish for a step from coalescedProjectionVersion on:
// it upserts the search attributes only when one of them changed, so that a
// step that moves none of them (a proposal, a first approval, progress)
// costs Temporal no upsert and no visibility write.
func (w *complaintWorkflow) publishChanges(ctx workflow.Context) error {
	updates := w.searchAttributeUpdates()
	if searchAttributesKey(updates) == w.published {
		w.setDetails(ctx)
		return nil
	}
	return w.upsert(ctx, updates)
}

func (w *complaintWorkflow) upsert(ctx workflow.Context, updates []temporal.SearchAttributeUpdate) error {
	if err := workflow.UpsertTypedSearchAttributes(ctx, updates...); err != nil {
		return err
	}
	w.published = searchAttributesKey(updates)
	w.setDetails(ctx)
	return nil
}

// searchAttributeUpdates are the search attributes the state calls for.
func (w *complaintWorkflow) searchAttributeUpdates() []temporal.SearchAttributeUpdate {
	s := w.state
	updates := []temporal.SearchAttributeUpdate{
		CaseStageKey.ValueSet(string(s.Stage)),
		CaseCategoryKey.ValueSet(string(s.Category)),
		CaseSeverityKey.ValueSet(string(s.Severity)),
		CustomerIDKey.ValueSet(s.CustomerID),
	}
	if s.CaseNumber != "" {
		updates = append(updates, CaseNumberKey.ValueSet(s.CaseNumber))
	}
	if s.ResponsibleDepartment != "" {
		updates = append(updates, ResponsibleDepartmentKey.ValueSet(s.ResponsibleDepartment))
	}
	// Set only on cases registered against the archive, so that the
	// upserts of older runs stay as their histories recorded them.
	if c := s.Customer; c != nil {
		if c.Region != "" {
			updates = append(updates, CustomerRegionKey.ValueSet(c.Region))
		}
		updates = append(updates, KeyCustomerKey.ValueSet(c.KeyCustomer))
	}
	if s.Warranty != nil {
		updates = append(updates, WarrantyKey.ValueSet(s.Warranty.Status))
	}
	if c := s.Clocks; c != nil && c.ServiceRecord != nil {
		updates = append(updates, ServiceRecordDueAtKey.ValueSet(c.ServiceRecord.DueAt.UTC().Format(time.RFC3339)))
	} else if slices.ContainsFunc(s.Visits, func(v complaint.Visit) bool { return v.RecordDueAt != nil }) {
		updates = append(updates, ServiceRecordDueAtKey.ValueUnset())
	}
	if n := len(s.RecurrenceOf); n > 0 {
		updates = append(updates, RecurrenceKey.ValueSet(int64(n)))
	}
	return append(updates, w.clockSearchAttributes()...)
}

// searchAttributesKey is updates in a form to compare: name=value, sorted
// (an unset attribute shows as <nil>).
func searchAttributesKey(updates []temporal.SearchAttributeUpdate) string {
	values := temporal.NewSearchAttributes(updates...).GetUntypedValues()
	parts := make([]string, 0, len(values))
	for k, v := range values {
		parts = append(parts, fmt.Sprintf("%s=%v", k.GetName(), v))
	}
	slices.Sort(parts)
	return strings.Join(parts, "|")
}

// setDetails writes the Web UI's current details (no command).
func (w *complaintWorkflow) setDetails(ctx workflow.Context) {
	s := w.state
	details := fmt.Sprintf("**%s** · %s (%s)\n\nstage: **%s** · %s · %s",
		orPending(s.CaseNumber), s.CustomerName, s.CustomerID, s.Stage, s.Category, s.Severity)
	if s.ResponsibleDepartment != "" {
		details += " · responsible: " + s.ResponsibleDepartment
	}
	workflow.SetCurrentDetails(ctx, details)
}

func orPending(caseNumber string) string {
	if caseNumber == "" {
		return "case number pending"
	}
	return caseNumber
}
