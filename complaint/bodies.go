package complaint

// Step bodies: the JSON the API takes for each step. The validate tags are
// their field rules, which BodyProblems checks and words for the API and the
// workflow alike; the workflow checks again what depends on the case. The actor never travels in a body: the API takes it
// from the caller.

// ContactBody records a contact with the customer.
type ContactBody struct {
	Note string `json:"note" validate:"required,max=10000" text:"multiline"`
}

// ConfirmBody confirms the register. A register field that is present
// replaces the registered value (an empty string clears an optional one); an
// absent (null) one keeps it.
type ConfirmBody struct {
	Note            string    `json:"note" validate:"max=10000" text:"multiline"`
	CustomerID      *string   `json:"customer_id,omitempty" validate:"omitnil,min=1,max=64"`
	CustomerName    *string   `json:"customer_name,omitempty" validate:"omitnil,min=1,max=200"`
	ContactName     *string   `json:"contact_name,omitempty" validate:"omitnil,min=1,max=200"`
	ContactPhone    *string   `json:"contact_phone,omitempty" validate:"omitnil,max=64"`
	Channel         *Channel  `json:"channel,omitempty" validate:"omitnil,enum=channel"`
	Description     *string   `json:"description,omitempty" validate:"omitnil,min=1,max=10000" text:"multiline"`
	CustomerDemand  *string   `json:"customer_demand,omitempty" validate:"omitnil,max=10000" text:"multiline"`
	Category        *Category `json:"category,omitempty" validate:"omitnil,enum=category"`
	Severity        *Severity `json:"severity,omitempty" validate:"omitnil,enum=severity"`
	OrderNumber     *string   `json:"order_number,omitempty" validate:"omitnil,max=64"`
	PartNumber      *string   `json:"part_number,omitempty" validate:"omitnil,max=64"`
	EquipmentSerial *string   `json:"equipment_serial,omitempty" validate:"omitnil,max=64"`
	NeedsOnsite     *bool     `json:"needs_onsite,omitempty"`
	// AssignedEngineer names the field engineer (a user id) who takes the case.
	AssignedEngineer  *string `json:"assigned_engineer,omitempty" validate:"omitnil,min=1,max=64"`
	ShipDate          *string `json:"ship_date,omitempty" validate:"omitzero,datetime=2006-01-02"`
	Quantity          *int    `json:"quantity,omitempty" validate:"omitnil,min=0"`
	DefectiveQuantity *int    `json:"defective_quantity,omitempty" validate:"omitnil,min=0"`
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
	RootCause             string    `json:"root_cause" validate:"required,max=10000" text:"multiline"`
	ResponsibleDepartment string    `json:"responsible_department" validate:"required,enum=department"`
	Liability             Liability `json:"liability" validate:"required,enum=liability"`
	Evidence              []string  `json:"evidence,omitempty" validate:"required_unless=Liability company,max=50,dive,required,max=2000" text:"multiline"`
	Explanation           string    `json:"explanation,omitempty" validate:"required_unless=Liability company,max=10000" text:"multiline"`
}

// ProposalBody carries the measures a department proposes.
type ProposalBody struct {
	Measures string `json:"measures" validate:"required,max=10000" text:"multiline"`
}

// AgreementBody is the solution agreed with the customer.
type AgreementBody struct {
	Type                 AgreementType `json:"type" validate:"required,enum=agreement_type"`
	Description          string        `json:"description" validate:"required,max=10000" text:"multiline"`
	ApprovingDepartments []string      `json:"approving_departments,omitempty" validate:"omitempty,unique,dive,enum=department"`
}

// ApprovalBody is one department's decision; a rejection says why.
type ApprovalBody struct {
	Decision Decision `json:"decision" validate:"required,enum=decision"`
	Comment  string   `json:"comment,omitempty" validate:"required_if=Decision reject,max=10000" text:"multiline"`
}

// NoteBody is the body of progress, resolve and withdraw: what was told,
// done or said.
type NoteBody struct {
	Note string `json:"note" validate:"required,max=10000" text:"multiline"`
}

// CorrectiveActionBody prevents the complaint from recurring [3.(2).4].
type CorrectiveActionBody struct {
	Action          string `json:"action" validate:"required,max=10000" text:"multiline"`
	OwnerDepartment string `json:"owner_department" validate:"required,enum=department"`
	DueDate         string `json:"due_date" validate:"required,datetime=2006-01-02"`
}

// CloseBody closes a resolved case; only the customer's confirmation closes it.
type CloseBody struct {
	CustomerConfirmed bool   `json:"customer_confirmed" validate:"required"` // required on a bool: must be true
	Satisfaction      *int   `json:"satisfaction,omitempty" validate:"omitnil,min=1,max=5"`
	Note              string `json:"note,omitempty" validate:"max=10000" text:"multiline"`
}
