package server

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"

	"github.com/caseflow/caseflow/complaint"
	"github.com/caseflow/caseflow/store"
)

// keyReused reports whether the event that the keyed update applied carries
// another body than this request's (see bodyReused).
func (h *handlers) keyReused(ctx context.Context, caseID, updateID string, applied *complaint.Event, body any) (bool, error) {
	return bodyReused(ctx, updateID, applied, body, func(ctx context.Context) (json.RawMessage, error) {
		return h.store.EventPayloadByUpdate(ctx, caseID, updateID)
	})
}

// bodyReused reports whether the event a keyed update applied carries
// another body than this request's. The workflow stores json.Marshal of the
// body it received; both sides are compared as canonical JSON. An update
// that applied no event (one recorded before update ids were kept) is not
// checked. The answer's own event, when it carries one, spares the store
// read (stored).
func bodyReused(ctx context.Context, updateID string, applied *complaint.Event, body any,
	stored func(context.Context) (json.RawMessage, error),
) (bool, error) {
	var payload json.RawMessage
	if applied != nil && applied.UpdateID == updateID {
		payload = applied.Payload
	} else {
		var err error
		payload, err = stored(ctx)
		if errors.Is(err, store.ErrNotFound) {
			return false, nil
		}
		if err != nil {
			return false, err
		}
	}
	sent, err := json.Marshal(body)
	if err != nil {
		return false, err
	}
	a, err := canonicalJSON(payload)
	if err != nil {
		return false, err
	}
	b, err := canonicalJSON(sent)
	if err != nil {
		return false, err
	}
	return !bytes.Equal(a, b), nil
}

// canonicalJSON re-encodes a JSON document with sorted keys, no insignificant
// space and numbers as written.
func canonicalJSON(raw []byte) ([]byte, error) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	return json.Marshal(v)
}

func updateID(userID, update, key string) string {
	sum := sha256.Sum256([]byte(userID + "\x00" + update + "\x00" + key))
	return hex.EncodeToString(sum[:16])
}
