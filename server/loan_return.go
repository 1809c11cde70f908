package server

import (
	"github.com/gin-gonic/gin"

	"github.com/caseflow/caseflow/complaint"
	"github.com/caseflow/caseflow/workflows"
)

// returnLoan is POST /api/v1/loans/{id}/return: the unit comes back through
// its case's loan-return step, so that the case, its clock and the stock
// agree (the workflow moves the stock).
func (h *handlers) returnLoan(c *gin.Context) {
	var body complaint.UnitReturn
	problems, ok := bindBody(c, &body)
	if !ok {
		return
	}
	if len(problems) > 0 {
		badRequest(c, problems)
		return
	}
	loan, err := h.store.GetLoan(c.Request.Context(), c.Param("id"))
	if !h.found(c, err, "no loan with id "+c.Param("id")) {
		return
	}
	sendStepTo(h, c, loan.ComplaintID, workflows.UpdateLoanReturn, workflows.Step[complaint.LoanReturnBody]{
		Actor: actorOf(c), Body: complaint.LoanReturnBody{Loan: loan.ID, UnitReturn: body}})
}
