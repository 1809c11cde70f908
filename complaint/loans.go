package complaint

import "time"

// Backup equipment on loan [4.(6)]: a case whose resolution deadline has
// passed may lend the customer a backup unit from stock until it is fixed;
// the unit comes back (to stock or into repair), or an approver converts the
// loan into a sale or a permanent replacement.

// The steps of a loan, after the interim step that lends the unit.
const (
	StepLoanReturn  = "loan-return"
	StepLoanConvert = "loan-convert"
)

// Where a loan stands.
const (
	LoanOnLoan    = "on_loan"
	LoanReturned  = "returned"
	LoanConverted = "converted"
)

// LoanStates lists every loan state.
func LoanStates() []string { return []string{LoanOnLoan, LoanReturned, LoanConverted} }

// Where a returned unit goes.
const (
	UnitBackToStock = "stock"
	UnitToRepair    = "repair"
)

// ReturnDestinations lists where a returned unit may go.
func ReturnDestinations() []string { return []string{UnitBackToStock, UnitToRepair} }

// What a loan may become instead of coming back.
const (
	ConversionSale        = "sale"
	ConversionReplacement = "replacement"
)

// Conversions lists every conversion of a loan.
func Conversions() []string { return []string{ConversionSale, ConversionReplacement} }

// Where a backup unit stands.
const (
	UnitAvailable = "available"
	UnitOnLoan    = "on_loan"
	UnitInRepair  = "in_repair"
	UnitSold      = "sold"
	UnitReplaced  = "replaced" // kept by a customer as a permanent replacement
)

// UnitStates lists every backup unit state.
func UnitStates() []string {
	return []string{UnitAvailable, UnitOnLoan, UnitInRepair, UnitSold, UnitReplaced}
}

// Timeline event kinds of loans.
const (
	EventUnitLent      = "unit_lent"
	EventUnitReturned  = "unit_returned"
	EventLoanConverted = "loan_converted"
	EventLoanOverdue   = "loan_overdue"
	EventLoanEscalated = "loan_escalated"
)

// ClockLoan names a loan's due-back clock in notifications (their level is
// the loan's number in the case).
const ClockLoan = "loan"

// LoanEscalationDelay is how long after a loan falls overdue the after-sales
// supervisors are told.
const LoanEscalationDelay = 7 * 24 * time.Hour

// BackupRequest asks for a backup unit: a unit by serial, or any available
// unit of a model (the backup item's part number), from a warehouse ("main"
// when left out), due back on a date.
type BackupRequest struct {
	Serial    string `json:"serial,omitempty" validate:"required_without=Model,excluded_with=Model,max=64"`
	Model     string `json:"model,omitempty" validate:"max=64"`
	Warehouse string `json:"warehouse,omitempty" validate:"max=64"`
	DueBack   string `json:"due_back" validate:"required,datetime=2006-01-02"`
}

// BackupUnitBody registers a backup unit by serial: its model (the part
// number of a stock item of kind backup_unit) in a warehouse ("main" when
// left out). The unit comes into stock available.
type BackupUnitBody struct {
	Serial    string `json:"serial" validate:"required,max=64"`
	Model     string `json:"model" validate:"required,max=64"`
	Warehouse string `json:"warehouse,omitempty" validate:"max=64"`
	Note      string `json:"note,omitempty" validate:"max=10000" text:"multiline"`
}

// UnitReturn says where a returned unit goes: the body of
// POST /api/v1/loans/{id}/return.
type UnitReturn struct {
	To   string `json:"to" validate:"required,enum=return_destination"`
	Note string `json:"note,omitempty" validate:"max=10000" text:"multiline"`
}

// LoanReturnBody returns a case's lent unit: to stock, or into repair.
type LoanReturnBody struct {
	Loan string `json:"loan" validate:"required,max=64"`
	UnitReturn
}

// LoanConvertBody is an approver's decision that the customer keeps a lent
// unit.
type LoanConvertBody struct {
	Loan       string `json:"loan" validate:"required,max=64"`
	Conversion string `json:"conversion" validate:"required,enum=conversion"`
	Note       string `json:"note" validate:"required,max=10000" text:"multiline"`
}

// LentUnit is what the stock lent: the unit, its model and warehouse.
type LentUnit struct {
	Serial    string `json:"serial"`
	Model     string `json:"model"`
	Warehouse string `json:"warehouse"`
}

// Loan is a backup unit lent to the customer of a case.
type Loan struct {
	ID string `json:"id"` // <case id>-L1, -L2, …
	LentUnit
	State     string    `json:"state"`
	DueBack   string    `json:"due_back"` // a date
	OverdueAt time.Time `json:"overdue_at"`
	LentBy    Actor     `json:"lent_by"`
	LentAt    time.Time `json:"lent_at"`
	// Reminded and Escalated say what the due-back clock has sent.
	Reminded   bool        `json:"reminded,omitempty"`
	Escalated  bool        `json:"escalated,omitempty"`
	Return     *LoanReturn `json:"return,omitempty"`
	Conversion *Waiver     `json:"conversion,omitempty"`
	ConvertTo  string      `json:"convert_to,omitempty"`
}

// LoanReturn is a lent unit's return.
type LoanReturn struct {
	To   string    `json:"to"`
	Note string    `json:"note,omitempty"`
	By   Actor     `json:"by"`
	At   time.Time `json:"at"`
}
