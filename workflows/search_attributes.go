package workflows

import (
	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/sdk/temporal"
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
	}
	attrs := make(map[string]enumspb.IndexedValueType, len(keys))
	for _, k := range keys {
		attrs[k.GetName()] = k.GetValueType()
	}
	return attrs
}
