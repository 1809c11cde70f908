package complaint

import (
	"errors"
	"reflect"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/go-playground/validator/v10"
)

// Departments of the company [DOMAIN.md, who works with the system]. Actor.Department
// holds one of them.
const (
	DepartmentAfterSales   = "after_sales"
	DepartmentSales        = "sales"
	DepartmentTechnical    = "technical"
	DepartmentProduction   = "production"
	DepartmentQuality      = "quality"
	DepartmentBranchOffice = "branch_office"
)

// Departments lists every department, in the order the API documents them.
func Departments() []string {
	return []string{DepartmentAfterSales, DepartmentSales, DepartmentTechnical,
		DepartmentProduction, DepartmentQuality, DepartmentBranchOffice}
}

// Roles an actor may hold besides its department.
const (
	// RoleApprover decides approvals for the actor's department.
	RoleApprover = "approver"
	// RoleEngineer is a field engineer, who reports progress from site.
	RoleEngineer = "engineer"
)

// HasRole reports whether the actor holds role.
func (a Actor) HasRole(role string) bool { return slices.Contains(a.Roles, role) }

// Liability says who is at fault, as the analysis finds it.
type Liability string

const (
	LiabilityCompany      Liability = "company"
	LiabilityCustomer     Liability = "customer"
	LiabilityThirdParty   Liability = "third_party"
	LiabilityUndetermined Liability = "undetermined"
)

// AgreementType is the kind of solution agreed with the customer.
type AgreementType string

const (
	AgreementRepair              AgreementType = "repair"
	AgreementReplace             AgreementType = "replace"
	AgreementRefund              AgreementType = "refund"
	AgreementCredit              AgreementType = "credit"
	AgreementExplanationAccepted AgreementType = "explanation_accepted"
	AgreementOther               AgreementType = "other"
)

// Decision is an approver's answer to an agreement.
type Decision string

const (
	DecisionApprove Decision = "approve"
	DecisionReject  Decision = "reject"
)

// Step bodies: the JSON the API takes for each step. The binding tags are the
// API's validation (go-playground/validator); the workflow checks again what
// depends on the case. The actor never travels in a body: the API takes it
// from the caller.

// ContactBody records a contact with the customer.
type ContactBody struct {
	Note string `json:"note" binding:"required,max=10000" text:"multiline"`
}

// ConfirmBody confirms the register. A register field that is present
// replaces the registered value (an empty string clears an optional one); an
// absent (null) one keeps it.
type ConfirmBody struct {
	Note            string    `json:"note" binding:"max=10000" text:"multiline"`
	CustomerID      *string   `json:"customer_id,omitempty" binding:"omitnil,min=1,max=64"`
	CustomerName    *string   `json:"customer_name,omitempty" binding:"omitnil,min=1,max=200"`
	ContactName     *string   `json:"contact_name,omitempty" binding:"omitnil,min=1,max=200"`
	ContactPhone    *string   `json:"contact_phone,omitempty" binding:"omitnil,max=64"`
	Channel         *Channel  `json:"channel,omitempty" binding:"omitnil,oneof=phone letter email website visit branch_office"`
	Description     *string   `json:"description,omitempty" binding:"omitnil,min=1,max=10000" text:"multiline"`
	CustomerDemand  *string   `json:"customer_demand,omitempty" binding:"omitnil,max=10000" text:"multiline"`
	Category        *Category `json:"category,omitempty" binding:"omitnil,oneof=quality non_quality other"`
	Severity        *Severity `json:"severity,omitempty" binding:"omitnil,oneof=minor severe"`
	OrderNumber     *string   `json:"order_number,omitempty" binding:"omitnil,max=64"`
	PartNumber      *string   `json:"part_number,omitempty" binding:"omitnil,max=64"`
	EquipmentSerial *string   `json:"equipment_serial,omitempty" binding:"omitnil,max=64"`
	NeedsOnsite     *bool     `json:"needs_onsite,omitempty"`
	// AssignedEngineer names the field engineer (a user id) who takes the case.
	AssignedEngineer  *string `json:"assigned_engineer,omitempty" binding:"omitnil,min=1,max=64"`
	ShipDate          *string `json:"ship_date,omitempty" binding:"omitzero,datetime=2006-01-02"`
	Quantity          *int    `json:"quantity,omitempty" binding:"omitnil,min=0"`
	DefectiveQuantity *int    `json:"defective_quantity,omitempty" binding:"omitnil,min=0"`
}

// Correct returns r with the fields present in b replacing its own.
func (b ConfirmBody) Correct(r Register) Register {
	set(&r.CustomerID, b.CustomerID)
	set(&r.CustomerName, b.CustomerName)
	set(&r.ContactName, b.ContactName)
	set(&r.ContactPhone, b.ContactPhone)
	set(&r.Channel, b.Channel)
	set(&r.Description, b.Description)
	set(&r.CustomerDemand, b.CustomerDemand)
	set(&r.Category, b.Category)
	set(&r.Severity, b.Severity)
	set(&r.OrderNumber, b.OrderNumber)
	set(&r.PartNumber, b.PartNumber)
	set(&r.EquipmentSerial, b.EquipmentSerial)
	if b.NeedsOnsite != nil {
		r.NeedsOnsite = new(*b.NeedsOnsite)
	}
	set(&r.ShipDate, b.ShipDate)
	if b.Quantity != nil {
		r.Quantity = new(*b.Quantity)
	}
	if b.DefectiveQuantity != nil {
		r.DefectiveQuantity = new(*b.DefectiveQuantity)
	}
	return r
}

func set[T any](dst *T, src *T) {
	if src != nil {
		*dst = *src
	}
}

// AnalysisBody is the analysis's finding. When the company is not at fault the
// customer is owed an explanation with its evidence [3.(2).2].
type AnalysisBody struct {
	RootCause             string    `json:"root_cause" binding:"required,max=10000" text:"multiline"`
	ResponsibleDepartment string    `json:"responsible_department" binding:"required,oneof=after_sales sales technical production quality branch_office"`
	Liability             Liability `json:"liability" binding:"required,oneof=company customer third_party undetermined"`
	Evidence              []string  `json:"evidence,omitempty" binding:"required_unless=Liability company,max=50,dive,required,max=2000" text:"multiline"`
	Explanation           string    `json:"explanation,omitempty" binding:"required_unless=Liability company,max=10000" text:"multiline"`
}

// ProposalBody carries the measures a department proposes.
type ProposalBody struct {
	Measures string `json:"measures" binding:"required,max=10000" text:"multiline"`
}

// AgreementBody is the solution agreed with the customer.
type AgreementBody struct {
	Type                 AgreementType `json:"type" binding:"required,oneof=repair replace refund credit explanation_accepted other"`
	Description          string        `json:"description" binding:"required,max=10000" text:"multiline"`
	ApprovingDepartments []string      `json:"approving_departments,omitempty" binding:"omitempty,unique,dive,oneof=after_sales sales technical production quality branch_office"`
}

// ApprovalBody is one department's decision; a rejection says why.
type ApprovalBody struct {
	Decision Decision `json:"decision" binding:"required,oneof=approve reject"`
	Comment  string   `json:"comment,omitempty" binding:"required_if=Decision reject,max=10000" text:"multiline"`
}

// NoteBody is the body of progress, resolve and withdraw: what was told,
// done or said.
type NoteBody struct {
	Note string `json:"note" binding:"required,max=10000" text:"multiline"`
}

// CorrectiveActionBody prevents the complaint from recurring [3.(2).4].
type CorrectiveActionBody struct {
	Action          string `json:"action" binding:"required,max=10000" text:"multiline"`
	OwnerDepartment string `json:"owner_department" binding:"required,oneof=after_sales sales technical production quality branch_office"`
	DueDate         string `json:"due_date" binding:"required,datetime=2006-01-02"`
}

// CloseBody closes a resolved case; only the customer's confirmation closes it.
type CloseBody struct {
	CustomerConfirmed bool   `json:"customer_confirmed" binding:"required"` // required on a bool: must be true
	Satisfaction      *int   `json:"satisfaction,omitempty" binding:"omitnil,min=1,max=5"`
	Note              string `json:"note,omitempty" binding:"max=10000" text:"multiline"`
}

// bodyValidator checks the binding tags as the API does, naming fields by
// their JSON names.
var bodyValidator = sync.OnceValue(func() *validator.Validate {
	v := validator.New()
	v.SetTagName("binding")
	v.RegisterTagNameFunc(func(f reflect.StructField) string {
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "-" {
			return ""
		}
		return name
	})
	return v
})

// BodyProblems checks a step body's binding tags and text rules, so the workflow refuses
// what the API would, whoever sends the update. It returns problems keyed by
// JSON field name, nil when the body is valid. It is deterministic.
func BodyProblems(body any) map[string]string {
	problems := TextProblems(body)
	err := bodyValidator().Struct(body)
	if err == nil {
		return problems
	}
	var verrs validator.ValidationErrors
	if !errors.As(err, &verrs) {
		return map[string]string{"body": err.Error()}
	}
	if problems == nil {
		problems = make(map[string]string, len(verrs))
	}
	for _, fe := range verrs {
		if _, ok := problems[fe.Field()]; !ok {
			problems[fe.Field()] = problemText(fe)
		}
	}
	return problems
}

func problemText(fe validator.FieldError) string {
	unit := ""
	switch fe.Kind() {
	case reflect.String:
		unit = " characters"
	case reflect.Slice:
		unit = " items"
	}
	switch fe.Tag() {
	case "required", "required_if", "required_unless":
		if fe.Kind() == reflect.Bool {
			return "must be true"
		}
		return "is required"
	case "oneof":
		return "must be one of " + strings.ReplaceAll(fe.Param(), " ", ", ")
	case "min":
		return "must be at least " + fe.Param() + unit
	case "max":
		return "must be at most " + fe.Param() + unit
	case "datetime":
		return "must be a date YYYY-MM-DD"
	case "unique":
		return "must not repeat a value"
	}
	return "is invalid"
}

// StageConflict details a WrongStage refusal: where the case stands and
// which steps it takes now.
type StageConflict struct {
	Stage        Stage    `json:"stage"`
	AllowedSteps []string `json:"allowed_steps"`
}

// FieldProblems details an InvalidStep refusal that a body field is to blame
// for, keyed by JSON field name like the API's error fields.
type FieldProblems struct {
	Fields map[string]string `json:"fields"`
}

// Records the case view keeps of its steps. Each carries who did it and when.

// Contact is one contact with the customer.
type Contact struct {
	Note  string    `json:"note"`
	Actor Actor     `json:"actor"`
	At    time.Time `json:"at"`
}

// Confirmation records who confirmed the register and what they noted.
type Confirmation struct {
	Note  string    `json:"note,omitempty"`
	Actor Actor     `json:"actor"`
	At    time.Time `json:"at"`
}

// Analysis is the analysis's finding.
type Analysis struct {
	AnalysisBody
	Actor Actor     `json:"actor"`
	At    time.Time `json:"at"`
}

// Proposal is the measures one department proposed.
type Proposal struct {
	Department string    `json:"department"`
	Measures   string    `json:"measures"`
	Actor      Actor     `json:"actor"`
	At         time.Time `json:"at"`
}

// Agreement is a solution agreed with the customer. Round numbers the
// approval round it opened; 0 when it needed no approval.
type Agreement struct {
	AgreementBody
	Round int       `json:"round,omitempty"`
	Actor Actor     `json:"actor"`
	At    time.Time `json:"at"`
}

// Outcomes of an approval round.
const (
	RoundPending  = "pending"
	RoundApproved = "approved"
	RoundRejected = "rejected"
	// RoundWithdrawn ends a round the customer's withdrawal left undecided.
	RoundWithdrawn = "withdrawn"
)

// ApprovalRound is one agreement put to its approving departments; it ends
// approved when all approve, or rejected at the first rejection.
type ApprovalRound struct {
	Number    int                `json:"number"`
	Agreement Agreement          `json:"agreement"`
	Decisions []ApprovalDecision `json:"decisions"`
	Outcome   string             `json:"outcome"`
	Reason    string             `json:"reason,omitempty"` // the rejection's comment
	EndedAt   *time.Time         `json:"ended_at,omitempty"`
}

// ApprovalDecision is one department's decision in a round.
type ApprovalDecision struct {
	Department string    `json:"department"`
	Decision   Decision  `json:"decision"`
	Comment    string    `json:"comment,omitempty"`
	Actor      Actor     `json:"actor"`
	At         time.Time `json:"at"`
}

// CorrectiveAction is an action that prevents recurrence.
type CorrectiveAction struct {
	CorrectiveActionBody
	Actor Actor     `json:"actor"`
	At    time.Time `json:"at"`
}

// ProgressNote is feedback given to the customer during remediation.
type ProgressNote struct {
	Note  string    `json:"note"`
	Actor Actor     `json:"actor"`
	At    time.Time `json:"at"`
}

// Resolution records that the remediation is done.
type Resolution struct {
	Note  string    `json:"note"`
	Actor Actor     `json:"actor"`
	At    time.Time `json:"at"`
}

// How a case closed.
const (
	OutcomeResolved            = "resolved"
	OutcomeExplanationAccepted = "explanation_accepted"
	OutcomeWithdrawn           = "withdrawn"
)

// Closure records how and when a case closed.
type Closure struct {
	Outcome           string    `json:"outcome"`
	CustomerConfirmed bool      `json:"customer_confirmed"`
	Satisfaction      *int      `json:"satisfaction,omitempty"`
	Withdrawn         bool      `json:"withdrawn"`
	Note              string    `json:"note,omitempty"`
	Actor             Actor     `json:"actor"`
	At                time.Time `json:"at"`
}
