package server

import (
	"github.com/caseflow/caseflow/accounts"
	"github.com/caseflow/caseflow/archive"
	"github.com/caseflow/caseflow/complaint"
	"github.com/caseflow/caseflow/sla"
)

// Bodies maps each route that takes a JSON body, as "METHOD path", to a zero
// value of its body type, so that tests reach every body's validate tags:
// each rule must be worded (complaint.UnwordedRules) and driven through the
// API. Routes missing here fail TestEveryBodyRouteIsListed.
func Bodies() map[string]any {
	const steps = "POST /api/v1/complaints/:id/"
	return map[string]any{
		"POST /api/v1/complaints":                 registerRequest{},
		steps + "contact":                         complaint.ContactBody{},
		steps + "confirm":                         complaint.ConfirmBody{},
		steps + "analysis":                        complaint.AnalysisBody{},
		steps + "proposals":                       complaint.ProposalBody{},
		steps + "agreement":                       complaint.AgreementBody{},
		steps + "approvals":                       complaint.ApprovalBody{},
		steps + "progress":                        complaint.NoteBody{},
		steps + "corrective-actions":              complaint.CorrectiveActionBody{},
		steps + "resolve":                         complaint.NoteBody{},
		steps + "close":                           complaint.CloseBody{},
		steps + "withdraw":                        complaint.NoteBody{},
		steps + "onsite":                          complaint.OptionalNoteBody{},
		steps + "pause":                           complaint.PauseBody{},
		steps + "resume":                          complaint.OptionalNoteBody{},
		steps + "interim":                         complaint.InterimBody{},
		steps + "quote":                           complaint.QuoteBody{},
		steps + "quote-decision":                  complaint.QuoteDecisionBody{},
		steps + "waiver":                          complaint.NoteBody{},
		steps + "close-declined":                  complaint.NoteBody{},
		steps + "engineers":                       complaint.EngineersBody{},
		steps + "visits":                          complaint.VisitPlanBody{},
		steps + "check-in":                        complaint.CheckInBody{},
		steps + "check-out":                       complaint.CheckOutBody{},
		steps + "service-record":                  complaint.ServiceRecordBody{},
		steps + "record-waiver":                   complaint.RecordWaiverBody{},
		steps + "loan-return":                     complaint.LoanReturnBody{},
		steps + "loan-convert":                    complaint.LoanConvertBody{},
		"POST /api/v1/loans/:id/return":           complaint.UnitReturn{},
		steps + "reopen":                          complaint.ReopenBody{},
		"PUT /api/v1/sla-policies/:name":          sla.Policy{},
		"POST /api/v1/customers":                  archive.NewCustomer{},
		"PUT /api/v1/customers/:id":               archive.CustomerBody{},
		"PATCH /api/v1/customers/:id":             archive.CustomerPatch{},
		"POST /api/v1/customers/:id/erase":        eraseBody{},
		"POST /api/v1/equipment":                  archive.NewEquipment{},
		"PUT /api/v1/equipment/:serial":           archive.EquipmentBody{},
		"PUT /api/v1/contracts/:number":           contractBody{},
		"POST /api/v1/admin/users":                accounts.NewUser{},
		"PUT /api/v1/stock/warehouses/:warehouse": warehouseBody{},
		"POST /api/v1/stock/items":                complaint.StockItemBody{},
		"POST /api/v1/stock/movements":            complaint.MovementBody{},
		"POST /api/v1/returns":                    complaint.RMARequestBody{},
		"POST /api/v1/returns/:id/approve":        complaint.RMANoteBody{},
		"POST /api/v1/returns/:id/reject":         complaint.RMARejectBody{},
		"POST /api/v1/returns/:id/receive":        complaint.RMAReceiveBody{},
		"POST /api/v1/returns/:id/inspect":        complaint.RMAInspectBody{},
		"POST /api/v1/returns/:id/complete":       complaint.RMACompleteBody{},
		// Corrective actions and the monthly review.
		"POST /api/v1/capas":                                 complaint.CapaOpenBody{},
		"POST /api/v1/capas/:id/done":                        complaint.CapaDoneBody{},
		"POST /api/v1/capas/:id/verify":                      complaint.CapaVerifyBody{},
		"PUT /api/v1/reviews/:month/departments/:department": complaint.AccountabilityBody{},
		// Follow-ups and feedback. The survey page's form is not JSON: it
		// is checked by the same rules (complaint.SurveyAnswerBody), and its
		// problems are shown on the page (server/survey_test.go).
		"POST /api/v1/followups":            complaint.FollowupOpenBody{},
		"POST /api/v1/followups/:id/done":   complaint.FollowupDoneBody{},
		"POST /api/v1/followups/:id/cancel": complaint.FollowupCancelBody{},
		"POST /api/v1/feedback":             complaint.FeedbackBody{},
		"POST /api/v1/feedback/:id/answer":  complaint.FeedbackAnswerBody{},
		// Backup units.
		"POST /api/v1/stock/units":                  complaint.BackupUnitBody{},
		"POST /api/v1/stock/units/:serial/repaired": complaint.OptionalNoteBody{},
		// The codec server's body is Temporal's protocol (see codec.go).
		"POST /codec/encode": codecRequest{},
		"POST /codec/decode": codecRequest{},
	}
}
