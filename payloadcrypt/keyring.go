// Package payloadcrypt encrypts what caseflow hands Temporal: every payload
// of a workflow's history (inputs, update arguments and results, query
// results, activity inputs and outputs, memos, summaries, failures) is
// sealed with AES-256-GCM before it leaves the process, so that Temporal's
// databases, its Web UI and their backups hold ciphertext only.
//
// Two kinds of key seal a payload. Keyring keys come from the operator
// (CASEFLOW_KEYRING): the first one encrypts, every one decrypts, which is
// how keys rotate. Data keys are made per workflow that carries a
// customer's personal data, stored wrapped by a keyring key; destroying a
// customer's data keys (erasure) leaves that customer's payloads
// unreadable everywhere they were copied.
package payloadcrypt

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"
)

// KeySize is AES-256's.
const KeySize = 32

// keyIDPattern keeps ids apart from data key ids ("data/<workflow id>") and
// safe in payload metadata and file names.
var keyIDPattern = regexp.MustCompile(`^[A-Za-z0-9._-]{1,64}$`)

// Keyring holds the operator's keys by id; the first one given is active,
// as with CASEFLOW_ACTOR_KEYS.
type Keyring struct {
	ciphers map[string]cipher.AEAD
	ids     []string
}

// ParseKeyring reads keys, one "<id>:<base64 of 32 bytes>" per line (or
// separated by commas, for an environment variable); blank lines and lines
// starting with # are skipped. The first key encrypts.
func ParseKeyring(text string) (*Keyring, error) {
	ring := &Keyring{ciphers: map[string]cipher.AEAD{}}
	entries := strings.FieldsFunc(text, func(r rune) bool { return r == '\n' || r == ',' })
	for n, entry := range entries {
		entry = strings.TrimSpace(entry)
		if entry == "" || strings.HasPrefix(entry, "#") {
			continue
		}
		id, encoded, ok := strings.Cut(entry, ":")
		if !ok {
			return nil, fmt.Errorf("keyring entry %d: want <id>:<base64 key>", n+1)
		}
		if !keyIDPattern.MatchString(id) {
			return nil, fmt.Errorf("keyring entry %d: key id %q: use 1-64 letters, digits, '.', '_' or '-'", n+1, id)
		}
		if _, dup := ring.ciphers[id]; dup {
			return nil, fmt.Errorf("keyring entry %d: key id %q appears twice", n+1, id)
		}
		secret, err := base64.StdEncoding.DecodeString(strings.TrimSpace(encoded))
		if err != nil || len(secret) != KeySize {
			// The value is never echoed: it is a secret.
			return nil, fmt.Errorf("keyring entry %d (%s): the key must be %d bytes in standard base64", n+1, id, KeySize)
		}
		aead, err := newAEAD(secret)
		if err != nil {
			return nil, err
		}
		ring.ciphers[id] = aead
		ring.ids = append(ring.ids, id)
	}
	if len(ring.ids) == 0 {
		return nil, errors.New("the keyring holds no key")
	}
	return ring, nil
}

// NewKeyLine makes a fresh random key as a keyring line. An empty id is
// named after today's date.
func NewKeyLine(id string, now time.Time) (string, error) {
	if id == "" {
		suffix := make([]byte, 3)
		if _, err := rand.Read(suffix); err != nil {
			return "", err
		}
		id = fmt.Sprintf("k%s-%x", now.UTC().Format("20060102"), suffix)
	}
	if !keyIDPattern.MatchString(id) {
		return "", fmt.Errorf("key id %q: use 1-64 letters, digits, '.', '_' or '-'", id)
	}
	secret := make([]byte, KeySize)
	if _, err := rand.Read(secret); err != nil {
		return "", err
	}
	return id + ":" + base64.StdEncoding.EncodeToString(secret), nil
}

// Active is the id of the key that encrypts.
func (k *Keyring) Active() string { return k.ids[0] }

// IDs are the keys' ids in the order given.
func (k *Keyring) IDs() []string { return append([]string(nil), k.ids...) }

// Has says whether the keyring holds id.
func (k *Keyring) Has(id string) bool { _, ok := k.ciphers[id]; return ok }

// Wrap seals a data key with the active key.
func (k *Keyring) Wrap(plain []byte) (keyID string, wrapped []byte, err error) {
	keyID = k.Active()
	wrapped, err = seal(k.ciphers[keyID], plain, []byte("wrap:"+keyID))
	return keyID, wrapped, err
}

// Unwrap opens a data key sealed by Wrap with keyID.
func (k *Keyring) Unwrap(keyID string, wrapped []byte) ([]byte, error) {
	aead, ok := k.ciphers[keyID]
	if !ok {
		return nil, &MissingKeyError{KeyID: keyID}
	}
	return open(aead, wrapped, []byte("wrap:"+keyID))
}

// MissingKeyError: a payload or data key names a keyring key this process
// was not given (removed from the keyring too early, or another keyring).
type MissingKeyError struct{ KeyID string }

func (e *MissingKeyError) Error() string {
	return fmt.Sprintf("payload key %q is not in the keyring (CASEFLOW_KEYRING)", e.KeyID)
}

func newAEAD(secret []byte) (cipher.AEAD, error) {
	block, err := aes.NewCipher(secret)
	if err != nil {
		return nil, err
	}
	return cipher.NewGCM(block)
}

// seal answers nonce || ciphertext; the additional data binds it to its key.
func seal(aead cipher.AEAD, plain, additional []byte) ([]byte, error) {
	nonce := make([]byte, aead.NonceSize(), aead.NonceSize()+len(plain)+aead.Overhead())
	if _, err := rand.Read(nonce); err != nil {
		return nil, err
	}
	return aead.Seal(nonce, nonce, plain, additional), nil
}

func open(aead cipher.AEAD, sealed, additional []byte) ([]byte, error) {
	if len(sealed) < aead.NonceSize() {
		return nil, errors.New("payloadcrypt: ciphertext too short")
	}
	nonce, body := sealed[:aead.NonceSize()], sealed[aead.NonceSize():]
	plain, err := aead.Open(nil, nonce, body, additional)
	if err != nil {
		return nil, errors.New("payloadcrypt: ciphertext does not authenticate under its key")
	}
	return plain, nil
}
