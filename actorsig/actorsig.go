// Package actorsig signs and verifies who takes a step on a case: an HMAC-
// SHA256 over the update id, the update name, the actor and a digest of the
// body, with keys shared by the API (which signs) and the worker (which
// verifies). A step sent to a workflow by anything but the API (the Temporal
// Web UI, tctl, a forged client) carries no valid signature and is refused.
//
// Keys have ids so they rotate: the first key of a Keyring signs, every key
// verifies. To rotate, put the new key first on every worker and API
// process, and drop the old one once no step signed with it can be in flight.
package actorsig

import (
	"bytes"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
)

// MinKeyLen is the shortest key accepted, in bytes: HMAC-SHA256's output size.
const MinKeyLen = 32

// Signature is what travels with a step: which key signed, and the MAC.
type Signature struct {
	KeyID string `json:"key_id"`
	// MAC is the base64 (standard, padded) HMAC-SHA256.
	MAC string `json:"mac"`
}

// Refusals of Verify.
var (
	ErrUnsigned   = errors.New("the step is not signed")
	ErrUnknownKey = errors.New("the step is signed with an unknown key")
	ErrForged     = errors.New("the step's signature does not match")
	ErrNoKeys     = errors.New("no actor keys are configured")
)

type key struct {
	id     string
	secret []byte
}

// Keyring holds the keys; the zero value and nil have none and verify nothing.
type Keyring struct {
	keys []key
}

// Parse reads a keyring written as "id1:base64key,id2:base64key" (the format
// of CASEFLOW_ACTOR_KEYS); the first key signs.
func Parse(spec string) (*Keyring, error) {
	k := &Keyring{}
	seen := map[string]bool{}
	for i, part := range strings.Split(spec, ",") {
		id, enc, ok := strings.Cut(strings.TrimSpace(part), ":")
		if !ok || id == "" {
			return nil, fmt.Errorf("key %d: want id:base64key", i+1)
		}
		if seen[id] {
			return nil, fmt.Errorf("key %q: id used twice", id)
		}
		seen[id] = true
		secret, err := base64.StdEncoding.DecodeString(enc)
		if err != nil {
			return nil, fmt.Errorf("key %q: not base64: %w", id, err)
		}
		if len(secret) < MinKeyLen {
			return nil, fmt.Errorf("key %q: %d bytes, want at least %d", id, len(secret), MinKeyLen)
		}
		k.keys = append(k.keys, key{id: id, secret: secret})
	}
	return k, nil
}

// Generate returns a keyring of one random key with a random id.
func Generate() (*Keyring, error) {
	secret := make([]byte, MinKeyLen)
	idBytes := make([]byte, 4)
	if _, err := rand.Read(secret); err != nil {
		return nil, err
	}
	if _, err := rand.Read(idBytes); err != nil {
		return nil, err
	}
	return &Keyring{keys: []key{{id: "k" + hex.EncodeToString(idBytes), secret: secret}}}, nil
}

// String writes the keyring in the format Parse reads. It contains the keys.
func (k *Keyring) String() string {
	parts := make([]string, len(k.keys))
	for i, key := range k.keys {
		parts[i] = key.id + ":" + base64.StdEncoding.EncodeToString(key.secret)
	}
	return strings.Join(parts, ",")
}

// KeyIDs lists the ids, the signing key's first.
func (k *Keyring) KeyIDs() []string {
	if k == nil {
		return nil
	}
	ids := make([]string, len(k.keys))
	for i, key := range k.keys {
		ids[i] = key.id
	}
	return ids
}

// Sign signs the step with the first key.
func (k *Keyring) Sign(updateID, name string, actor, body any) (*Signature, error) {
	if k == nil || len(k.keys) == 0 {
		return nil, ErrNoKeys
	}
	mac, err := sum(k.keys[0].secret, updateID, name, actor, body)
	if err != nil {
		return nil, err
	}
	return &Signature{KeyID: k.keys[0].id, MAC: base64.StdEncoding.EncodeToString(mac)}, nil
}

// Verify checks that sig signs the step with one of the keys.
func (k *Keyring) Verify(sig *Signature, updateID, name string, actor, body any) error {
	if k == nil || len(k.keys) == 0 {
		return ErrNoKeys
	}
	if sig == nil || sig.MAC == "" {
		return ErrUnsigned
	}
	refusal := ErrUnknownKey
	for _, key := range k.keys {
		if key.id != sig.KeyID {
			continue
		}
		got, err := base64.StdEncoding.DecodeString(sig.MAC)
		if err != nil {
			return ErrForged
		}
		want, err := sum(key.secret, updateID, name, actor, body)
		if err != nil {
			return err
		}
		if hmac.Equal(got, want) {
			return nil
		}
		// A merged keyring may hold two keys under one id (see With).
		refusal = ErrForged
	}
	return refusal
}

// With returns a keyring that signs with k's first key and verifies with
// the keys of both.
func (k *Keyring) With(other *Keyring) *Keyring {
	merged := &Keyring{}
	if k != nil {
		merged.keys = append(merged.keys, k.keys...)
	}
	if other != nil {
		merged.keys = append(merged.keys, other.keys...)
	}
	return merged
}

// sum is the MAC of the step: each part length-prefixed, so no two
// different steps write the same bytes.
func sum(secret []byte, updateID, name string, actor, body any) ([]byte, error) {
	actorJSON, err := Canonical(actor)
	if err != nil {
		return nil, fmt.Errorf("actor: %w", err)
	}
	bodyJSON, err := Canonical(body)
	if err != nil {
		return nil, fmt.Errorf("body: %w", err)
	}
	digest := sha256.Sum256(bodyJSON)
	mac := hmac.New(sha256.New, secret)
	for _, part := range [][]byte{[]byte("caseflow-actor-v1"), []byte(updateID), []byte(name), actorJSON, digest[:]} {
		_ = binary.Write(mac, binary.BigEndian, uint64(len(part)))
		mac.Write(part)
	}
	return mac.Sum(nil), nil
}

// Canonical is v's JSON with object keys sorted and numbers as written, so
// the API's value and the one the workflow decoded give the same bytes.
func Canonical(v any) ([]byte, error) {
	raw, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var generic any
	if err := dec.Decode(&generic); err != nil {
		return nil, err
	}
	return json.Marshal(generic)
}
