package app

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"time"

	"github.com/caseflow/caseflow/complaint"
	"github.com/caseflow/caseflow/payloadcrypt"
	"github.com/caseflow/caseflow/store"
)

// KeyringFile is where `caseflow dev` keeps its generated payload key, in
// the data dir, so that a restart still reads the histories it wrote.
const KeyringFile = "keyring"

// keyring reads CASEFLOW_KEYRING, which every process that talks to
// Temporal must share: without it no payload can be read back.
func (c Config) keyring() (*payloadcrypt.Keyring, error) {
	if c.Keyring == "" {
		return nil, errors.New("CASEFLOW_KEYRING is not set: caseflow encrypts everything it stores in Temporal and needs " +
			"the keyring to read it back; make one with `caseflow keys new` and give the same one to server, worker and migrate")
	}
	k, err := payloadcrypt.ParseKeyring(c.Keyring)
	if err != nil {
		return nil, fmt.Errorf("CASEFLOW_KEYRING: %w", err)
	}
	return k, nil
}

// devKeyring is CASEFLOW_KEYRING when set, else the key in the data dir,
// generated on the first start.
func devKeyring(c Config) (*payloadcrypt.Keyring, error) {
	if c.Keyring != "" {
		return c.keyring()
	}
	path := filepath.Join(c.DataDir, KeyringFile)
	text, err := devKeyFile(path, func() (string, error) { return payloadcrypt.NewKeyLine("", time.Now()) })
	if err != nil {
		return nil, fmt.Errorf("keyring: %w", err)
	}
	k, err := payloadcrypt.ParseKeyring(text)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return k, nil
}

// payloadCodec seals payloads with ring; a customer's workflows get data
// keys kept in st (nil for a process without the case store).
func (c Config) payloadCodec(ring *payloadcrypt.Keyring, st *store.Store) (*payloadcrypt.Codec, error) {
	opts := payloadcrypt.Options{DataKeyFor: complaint.CarriesPersonalData}
	switch c.PayloadCompression {
	case "zstd":
		opts.Compress = true
	case "none":
	default:
		return nil, fmt.Errorf("CASEFLOW_PAYLOAD_COMPRESSION=%q: want zstd or none", c.PayloadCompression)
	}
	if st != nil {
		opts.DataKeys = StoreDataKeys(st)
	}
	return payloadcrypt.NewCodec(ring, opts), nil
}

// StoreDataKeys keeps data keys in the case store.
func StoreDataKeys(st *store.Store) payloadcrypt.DataKeys { return storeDataKeys{st} }

type storeDataKeys struct{ st *store.Store }

func (s storeDataKeys) WrappedDataKey(ctx context.Context, workflowID string) (string, []byte, error) {
	k, err := s.st.DataKey(ctx, workflowID)
	switch {
	case errors.Is(err, store.ErrNotFound):
		return "", nil, payloadcrypt.ErrNoDataKey
	case err != nil:
		return "", nil, err
	case k.Destroyed():
		return "", nil, payloadcrypt.ErrDataKeyDestroyed
	}
	return k.WrapKeyID, k.Wrapped, nil
}

func (s storeDataKeys) CreateDataKey(ctx context.Context, workflowID, wrapKeyID string, wrapped []byte) (string, []byte, error) {
	k, err := s.st.CreateDataKey(ctx, store.DataKey{WorkflowID: workflowID, WrapKeyID: wrapKeyID, Wrapped: wrapped, CreatedAt: time.Now()})
	switch {
	case err != nil:
		return "", nil, err
	case k.Destroyed():
		return "", nil, payloadcrypt.ErrDataKeyDestroyed
	}
	return k.WrapKeyID, k.Wrapped, nil
}
