package complaint

// The stock's vocabulary (package stock has its rules).

// Kinds of stock item.
const (
	ItemSparePart  = "spare_part"
	ItemBackupUnit = "backup_unit"
)

// ItemKinds lists every kind of stock item.
func ItemKinds() []string { return []string{ItemSparePart, ItemBackupUnit} }

// Kinds of movement in the stock ledger, the only way quantities change.
const (
	MovementReceive = "receive"
	MovementReserve = "reserve"
	MovementRelease = "release" // a reservation given back
	MovementIssue   = "issue"
	MovementReturn  = "return"
	MovementAdjust  = "adjust"
)

// MovementKinds lists every kind of movement.
func MovementKinds() []string {
	return []string{MovementReceive, MovementReserve, MovementRelease, MovementIssue, MovementReturn, MovementAdjust}
}

// Kinds of reference a movement names.
const (
	ReferenceCase  = "case"
	ReferenceVisit = "visit"
	ReferenceRMA   = "rma"
	ReferenceOrder = "order" // a purchase or delivery, for receipts
)

// ReferenceKinds lists every kind of movement reference.
func ReferenceKinds() []string {
	return []string{ReferenceCase, ReferenceVisit, ReferenceRMA, ReferenceOrder}
}

// DefaultWarehouse is the warehouse a request that names none draws on
// (and receives into): the one the stock migration seeds.
const DefaultWarehouse = "main"

// WarehouseOr is w, or the default warehouse when w is empty.
func WarehouseOr(w string) string {
	if w == "" {
		return DefaultWarehouse
	}
	return w
}

// NotificationReorder tells the after-sales supervisors an item fell below
// its reorder level.
const NotificationReorder = "reorder"

// WarehouseBody is a warehouse the stock is kept in.
type WarehouseBody struct {
	ID   string `json:"id" validate:"required,max=64"`
	Name string `json:"name" validate:"required,max=200"`
}

// StockItemBody creates an item in a warehouse (quantities start at zero:
// a receipt brings stock in).
type StockItemBody struct {
	PartNumber   string `json:"part_number" validate:"required,max=64"`
	Warehouse    string `json:"warehouse" validate:"required,max=64"`
	Name         string `json:"name" validate:"required,max=200"`
	Kind         string `json:"kind" validate:"required,enum=item_kind"`
	ReorderLevel int    `json:"reorder_level" validate:"min=0,max=1000000"`
}

// MovementReference is what a movement is for.
type MovementReference struct {
	Kind string `json:"kind" validate:"required,enum=reference_kind"`
	ID   string `json:"id" validate:"required,max=64"`
}

// MovementBody is one movement of the ledger. Quantity is positive, except
// that an adjustment may take stock away.
type MovementBody struct {
	PartNumber   string             `json:"part_number" validate:"required,max=64"`
	Warehouse    string             `json:"warehouse" validate:"required,max=64"`
	Kind         string             `json:"kind" validate:"required,enum=movement_kind"`
	Quantity     int                `json:"quantity" validate:"required,min=-1000000,max=1000000"`
	FromReserved bool               `json:"from_reserved,omitempty"`
	Reference    *MovementReference `json:"reference,omitempty"`
	Note         string             `json:"note,omitempty" validate:"max=10000" text:"multiline"`
}

// Problems are the checks between fields: only an adjustment takes a
// negative quantity, and only an issue comes from what was reserved.
func (b MovementBody) Problems() map[string]string {
	problems := map[string]string{}
	if b.Quantity < 0 && b.Kind != MovementAdjust {
		problems["quantity"] = "must be positive unless kind is adjust"
	}
	if b.FromReserved && b.Kind != MovementIssue {
		problems["from_reserved"] = "applies to an issue only"
	}
	return problems
}
