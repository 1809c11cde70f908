package server

import (
	"bytes"
	"encoding/base64"
	"errors"
	"image/png"
	"net/http"
	"slices"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/caseflow/caseflow/auth"
	"github.com/caseflow/caseflow/complaint"
	"github.com/caseflow/caseflow/complaint/rules"
	"github.com/caseflow/caseflow/store"
	"github.com/caseflow/caseflow/workflows"
)

// engineerProblems names each field (field → user id) that does not name
// an engineer.
func (h *handlers) engineerProblems(c *gin.Context, fields map[string]string) (map[string]string, error) {
	problems := map[string]string{}
	for field, id := range fields {
		u, err := h.store.GetUser(c.Request.Context(), id)
		switch {
		case errors.Is(err, store.ErrNotFound):
			problems[field] = "names no user"
		case err != nil:
			return nil, err
		case !slices.Contains(u.Roles, string(auth.Engineer)):
			problems[field] = "names a user who is not an engineer"
		}
	}
	return problems, nil
}

// checkEngineers makes sure every user a body names is an engineer.
func (h *handlers) checkEngineers(c *gin.Context, engineers []string) (map[string]string, error) {
	fields := make(map[string]string, len(engineers))
	for i, id := range engineers {
		fields["engineers["+strconv.Itoa(i)+"]"] = id
	}
	return h.engineerProblems(c, fields)
}

func (h *handlers) checkCaseEngineers(c *gin.Context, b complaint.EngineersBody) (map[string]string, error) {
	return h.checkEngineers(c, b.Engineers)
}

func (h *handlers) checkVisitEngineers(c *gin.Context, b complaint.VisitPlanBody) (map[string]string, error) {
	return h.checkEngineers(c, b.Engineers)
}

// fileServiceRecord takes the customer's signed record: the signature must
// be a PNG of at most complaint.MaxSignatureBytes, kept in the store by its
// digest; the record gets its number (one per visit, kept across
// corrections) before the workflow files it.
func (h *handlers) fileServiceRecord(c *gin.Context) {
	var body complaint.ServiceRecordBody
	problems, ok := bindBody(c, &body)
	if !ok {
		return
	}
	var png []byte
	if _, bad := problems["signature"]; !bad {
		var problem string
		png, problem = decodeSignature(body.Signature)
		if problem != "" {
			problems["signature"] = problem
		}
	}
	if len(problems) > 0 {
		badRequest(c, problems)
		return
	}
	filing := complaint.ServiceRecordFiling{SignOff: body.SignOff}
	// The image and the number are kept only for a filing the case takes as
	// the store shows it, so a refused one leaves nothing behind; the
	// workflow then decides, and refuses a filing sent without them.
	ctx := c.Request.Context()
	cs, err := h.store.GetCase(ctx, c.Param("id"))
	if err == nil && rules.FileRecord.Admit(&rules.State{Case: cs}, actorOf(c),
		complaint.ServiceRecordFiling{SignOff: body.SignOff, Number: "-", SignatureSHA256: "-"}, h.now()) == nil {
		if filing.SignatureSHA256, err = h.store.PutSignature(ctx, png); err == nil {
			filing.Number, err = h.store.ServiceRecordNumber(ctx, cs.ID, body.Visit, h.now().Year())
		}
	}
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		h.temporalError(c, err, c.Param("id"))
		return
	}
	sendStep(h, c, workflows.UpdateServiceRecord, workflows.Step[complaint.ServiceRecordFiling]{Actor: actorOf(c),
		Body: filing})
}

// decodeSignature reads a base64 PNG (a data: URL prefix is allowed, as a
// browser's canvas gives it) and checks it is a whole PNG image.
func decodeSignature(text string) ([]byte, string) {
	const prefix = "data:image/png;base64,"
	if len(text) > len(prefix) && text[:len(prefix)] == prefix {
		text = text[len(prefix):]
	}
	if base64.StdEncoding.DecodedLen(len(text)) > complaint.MaxSignatureBytes+3 {
		return nil, "must be a PNG image of at most 256 KB"
	}
	raw, err := base64.StdEncoding.DecodeString(text)
	if err != nil {
		return nil, "must be a PNG image in base64"
	}
	if len(raw) > complaint.MaxSignatureBytes {
		return nil, "must be a PNG image of at most 256 KB"
	}
	if _, err := png.Decode(bytes.NewReader(raw)); err != nil {
		return nil, "must be a PNG image"
	}
	return raw, ""
}

// getVisits answers a case's visits with their records.
func (h *handlers) getVisits(c *gin.Context) {
	cs, err := h.store.GetCase(c.Request.Context(), c.Param("id"))
	if !h.found(c, err, "no complaint with id "+c.Param("id")) {
		return
	}
	visits := cs.Visits
	if visits == nil {
		visits = []complaint.Visit{}
	}
	c.JSON(http.StatusOK, gin.H{"visits": visits})
}

// myVisits answers the caller's planned and open visits with their
// deadlines (all of them with ?all=true).
func (h *handlers) myVisits(c *gin.Context) {
	open := c.Query("all") != "true"
	visits, err := h.store.EngineerVisits(c.Request.Context(), principalOf(c).UserID, open)
	if err != nil {
		h.internalError(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"visits": visits})
}
