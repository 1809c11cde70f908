package complaint

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
