package server

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"maps"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/google/uuid"
	"go.temporal.io/sdk/client"

	"github.com/caseflow/caseflow/archive"
	"github.com/caseflow/caseflow/complaint"
	"github.com/caseflow/caseflow/store"
	"github.com/caseflow/caseflow/workflows"
)

// registerRequest is the body of POST /api/v1/complaints.
type registerRequest struct {
	complaint.Register
	// NewCustomer adds the customer to the archive, under customer_id, when
	// the archive does not hold it yet; a known customer_id ignores it.
	NewCustomer *archive.CustomerBody `json:"new_customer,omitempty"`
	// ReceivedAt is a string so a malformed time is reported against its field.
	ReceivedAt string `json:"received_at,omitempty"`
}

// idempotencyNamespace derives case ids from Idempotency-Key headers, so a
// retried registration lands on the same workflow id.
var idempotencyNamespace = uuid.MustParse("5b0c6f0e-8f1c-4d55-9a51-3f3c1a1f2b7e")

// registrationTimeout bounds how long a registration waits for the workflow
// to record the case; past it the client retries with its Idempotency-Key.
const registrationTimeout = 30 * time.Second

func (h *handlers) registerComplaint(c *gin.Context) {
	var req registerRequest
	problems, ok := bindJSON(c, &req)
	if !ok {
		return
	}
	if registered, ok := h.register(c, req, problems, c.GetHeader("Idempotency-Key"), nil); ok {
		c.JSON(http.StatusCreated, registered)
	}
}

// register registers a complaint: the one path of POST /api/v1/complaints
// and of a follow-up's done that raises one. problems are the body's
// already found; key is the Idempotency-Key the case's id derives from
// (for the caller), "" for none. Every refusal is answered here, its
// fields named through field when given (a raised complaint's fields are
// the follow-up body's); ok is false then.
func (h *handlers) register(c *gin.Context, req registerRequest, problems map[string]string, key string,
	field func(string) string,
) (complaint.Case, bool) {
	named := func(problems map[string]string) map[string]string {
		if field == nil {
			return problems
		}
		out := make(map[string]string, len(problems))
		for k, v := range problems {
			out[field(k)] = v
		}
		return out
	}
	now := h.now()
	maps.Copy(problems, req.Validate(now))
	receivedAt := now
	if req.ReceivedAt != "" {
		t, err := time.Parse(time.RFC3339Nano, req.ReceivedAt)
		switch {
		case err != nil:
			problems["received_at"] = "must be an RFC 3339 time, e.g. 2026-11-29T08:30:00+08:00"
		case complaint.ValidateReceivedAt(t, now, h.maxAge) != "":
			problems["received_at"] = complaint.ValidateReceivedAt(t, now, h.maxAge)
		default:
			receivedAt = t
		}
	}
	if len(problems) > 0 {
		badRequest(c, named(problems))
		return complaint.Case{}, false
	}
	req.ApplyDefaults()
	if h.refuseErased(c, req.CustomerID) {
		return complaint.Case{}, false
	}
	ctx := c.Request.Context()
	fromArchive, err := h.lookUpArchive(ctx, req, problems)
	if err != nil {
		h.temporalError(c, err, "")
		return complaint.Case{}, false
	}
	if len(problems) > 0 {
		abortWithError(c, http.StatusUnprocessableEntity, CodeUnprocessable,
			"the complaint names what the customer archive does not hold", named(problems))
		return complaint.Case{}, false
	}
	// The policy in force now is copied into the workflow: editing it later
	// never moves this case's deadlines.
	policy, err := h.policyFor(ctx, req, fromArchive)
	if errors.Is(err, store.ErrUnknownContract) {
		badRequest(c, named(map[string]string{"contract_number": "names no contract of customer " + req.CustomerID}))
		return complaint.Case{}, false
	}
	if err == nil {
		err = h.createNewCustomer(ctx, fromArchive)
	}
	if err != nil {
		h.temporalError(c, err, "")
		return complaint.Case{}, false
	}
	id := caseID(principalOf(c).UserID, key)
	in := workflows.ComplaintInput{
		ID:           id,
		Register:     fromArchive.register(req.Register),
		ReceivedAt:   receivedAt.UTC(),
		RegisteredBy: actorOf(c),
		Policy:       policy,
		Customer:     &fromArchive.facts,
		Warranty:     fromArchive.warranty(req, receivedAt, policy),
		Site:         fromArchive.site(),
	}
	ctx, cancel := context.WithTimeout(ctx, registrationTimeout)
	defer cancel()
	var registered complaint.Case
	if key == "" {
		registered, err = h.startComplaint(ctx, in, "")
	} else {
		// Concurrent retries with one key and body become one call: the
		// same fingerprint is part of the flight's key, so a reused key
		// with another body still meets the fingerprint check.
		fingerprint := requestFingerprint(req)
		registered, err = collapse(ctx, h.flights, "registration", id+"\x00"+fingerprint, registrationTimeout,
			func(ctx context.Context) (complaint.Case, error) { return h.startComplaint(ctx, in, fingerprint) })
	}
	if errors.Is(err, errKeyReused) {
		abortWithError(c, http.StatusUnprocessableEntity, CodeKeyReused,
			"this Idempotency-Key was first used with a different request body", nil)
		return complaint.Case{}, false
	}
	if err != nil {
		h.temporalError(c, err, id)
		return complaint.Case{}, false
	}
	return registered, true
}

// errKeyReused: an Idempotency-Key came back with another body, which is a
// client bug, not a retry.
var errKeyReused = errors.New("idempotency key reused with a different body")

// fingerprintMemo is the workflow memo field holding the registration
// request's fingerprint, to tell a retry from a reused key.
const fingerprintMemo = "request_fingerprint"

func requestFingerprint(req registerRequest) string {
	raw, _ := json.Marshal(req)
	sum := sha256.Sum256(raw)
	return hex.EncodeToString(sum[:])
}

// caseID derives the id from the caller's Idempotency-Key, scoped to the
// caller so two users' keys never collide; without a key it is random.
func caseID(userID, idempotencyKey string) string {
	if idempotencyKey != "" {
		return uuid.NewSHA1(idempotencyNamespace, []byte(userID+"\x00"+idempotencyKey)).String()
	}
	return uuid.Must(uuid.NewV7()).String()
}

// startComplaint starts the case workflow and waits, in the same call, until
// the workflow has recorded the case and knows its case number. A retry with
// the same id joins the running workflow instead of starting another.
// With a fingerprint (the request had an Idempotency-Key), the workflow
// keeps it in its memo, and a registration that finds the workflow already
// there must bring the same fingerprint.
func (h *handlers) startComplaint(ctx context.Context, in workflows.ComplaintInput, fingerprint string) (complaint.Case, error) {
	// The workflow fails a start whose registering actor the API did not sign.
	in, err := in.Signed(h.actorKeys, complaint.WorkflowID(in.ID))
	if err != nil {
		return complaint.Case{}, err
	}
	opts := client.StartWorkflowOptions{ID: complaint.WorkflowID(in.ID), StaticSummary: workflows.Summary(in)}
	return startRegistered(ctx, h, opts, workflows.ComplaintWorkflow, in, workflows.UpdateRegistration, fingerprint,
		func(ctx context.Context) (complaint.Case, error) { return h.store.GetCase(ctx, in.ID) })
}

func (h *handlers) getComplaint(c *gin.Context) {
	id := c.Param("id")
	cs, err := h.store.GetCase(c.Request.Context(), id)
	if !h.found(c, err, "no complaint with id "+id) {
		return
	}
	// The corrective actions outlive the case and move on their own: the
	// case shows each as its workflow last projected it.
	capas, err := h.store.CapasOfComplaints(c.Request.Context(), []string{id})
	if err != nil {
		h.temporalError(c, err, id)
		return
	}
	if len(capas) > 0 {
		cs.Capas = make([]complaint.CaseCapa, 0, len(capas))
		for _, a := range capas {
			cs.Capas = append(cs.Capas, complaint.CaseCapa{ID: a.ID, Number: a.Number, Stage: a.Stage})
		}
	}
	// So do its follow-ups: its post-close calls, and the one that raised it.
	followups, err := h.store.FollowupsOfComplaint(c.Request.Context(), id)
	if err != nil {
		h.temporalError(c, err, id)
		return
	}
	for _, f := range followups {
		cs.Followups = append(cs.Followups, caseFollowup(f))
	}
	c.JSON(http.StatusOK, cs)
}

// caseFollowup is a follow-up as its case shows it.
func caseFollowup(f complaint.Followup) complaint.CaseFollowup {
	out := complaint.CaseFollowup{ID: f.ID, Kind: f.Kind, Stage: f.Stage, DueAt: f.DueAt, Overdue: f.Overdue,
		ComplaintID: f.ComplaintID, RaisedComplaintID: f.RaisedComplaintID}
	if f.Survey != nil {
		out.SurveyState = f.Survey.State
	}
	return out
}

func (h *handlers) internalError(c *gin.Context, err error) {
	h.logger.Error("request failed", "method", c.Request.Method, "path", c.FullPath(), "err", err)
	abortWithError(c, http.StatusInternalServerError, CodeInternal, "internal error", nil)
}
