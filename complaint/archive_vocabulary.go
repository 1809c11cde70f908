package complaint

// The customer archive's vocabulary [1.(1).C–D, 2.(4).d], beside the
// case's, so that the bodies' enum tags and the forms name the same lists.

// Customer classes: A the most important accounts.
const (
	CustomerClassA = "A"
	CustomerClassB = "B"
	CustomerClassC = "C"
)

// CustomerClasses lists every customer class.
func CustomerClasses() []string { return []string{CustomerClassA, CustomerClassB, CustomerClassC} }

// Equipment statuses in the installed base.
const (
	EquipmentInService         = "in_service"
	EquipmentUnderRepair       = "under_repair"
	EquipmentOnLoanReplacement = "on_loan_replacement"
	EquipmentReturned          = "returned"
	EquipmentScrapped          = "scrapped"
)

// EquipmentStatuses lists every equipment status.
func EquipmentStatuses() []string {
	return []string{EquipmentInService, EquipmentUnderRepair, EquipmentOnLoanReplacement, EquipmentReturned,
		EquipmentScrapped}
}

// Warranty statuses a case on a known serial carries.
const (
	WarrantyIn      = "in_warranty"
	WarrantyOut     = "out_of_warranty"
	WarrantyUnknown = "unknown"
)

// WarrantyStatuses lists every warranty status.
func WarrantyStatuses() []string { return []string{WarrantyIn, WarrantyOut, WarrantyUnknown} }
