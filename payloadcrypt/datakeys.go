package payloadcrypt

import (
	"context"
	"crypto/cipher"
	"crypto/rand"
	"errors"
	"fmt"
	"sync"
	"time"
)

// ErrNoDataKey: the workflow has no data key yet.
var ErrNoDataKey = errors.New("payloadcrypt: no data key")

// ErrDataKeyDestroyed: the workflow's data key was destroyed when its
// customer was erased; its payloads cannot be read by anyone any more.
var ErrDataKeyDestroyed = errors.New("payloadcrypt: the data key was destroyed (customer erased)")

// errDataKeyStore wraps a data key store's failure: the SDK retries what
// failed (a workflow task, an activity), so a store that is down delays
// payloads and loses none.
var errDataKeyStore = errors.New("payloadcrypt: data key store")

// Unavailable reports whether err is the data key store failing (down or
// slow) rather than something wrong with the payload: the codec server
// answers the one 503 (retry) and the other 4xx.
func Unavailable(err error) bool { return errors.Is(err, errDataKeyStore) }

// DataKeys stores data keys wrapped by a keyring key (the case store).
type DataKeys interface {
	// WrappedDataKey answers a workflow's wrapped key: ErrNoDataKey when
	// it has none, ErrDataKeyDestroyed when it was erased.
	WrappedDataKey(ctx context.Context, workflowID string) (wrapKeyID string, wrapped []byte, err error)
	// CreateDataKey stores a wrapped key unless the workflow has one, and
	// answers the stored one: racing processes converge on one key.
	CreateDataKey(ctx context.Context, workflowID, wrapKeyID string, wrapped []byte) (string, []byte, error)
}

// storeTimeout bounds one data key lookup; the codec API has no context.
const storeTimeout = 10 * time.Second

// dataKeyTTL: how long a process keeps an unwrapped data key. Erasure
// forgets them at once in the process that erases; others keep them at
// most this long, and only closed workflows are ever erased.
const dataKeyTTL = time.Minute

// maxCachedKeys bounds the cache's memory (a key and its cipher are ~1 KiB).
const maxCachedKeys = 20000

func (c *Codec) dataKey(workflowID string, create bool) (cipher.AEAD, error) {
	if aead, ok := c.keys.get(workflowID); ok {
		return aead, nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), storeTimeout)
	defer cancel()
	wrapKeyID, wrapped, err := c.opts.DataKeys.WrappedDataKey(ctx, workflowID)
	if errors.Is(err, ErrNoDataKey) && create {
		wrapKeyID, wrapped, err = c.createDataKey(ctx, workflowID)
	}
	switch {
	case errors.Is(err, ErrNoDataKey), errors.Is(err, ErrDataKeyDestroyed):
		return nil, fmt.Errorf("%w: %s", err, DataKeyID(workflowID))
	case err != nil:
		return nil, fmt.Errorf("%w: %s: %w", errDataKeyStore, DataKeyID(workflowID), err)
	}
	secret, err := c.ring.Unwrap(wrapKeyID, wrapped)
	if err != nil {
		return nil, fmt.Errorf("unwrap %s: %w", DataKeyID(workflowID), err)
	}
	aead, err := newAEAD(secret)
	if err != nil {
		return nil, err
	}
	c.keys.put(workflowID, aead)
	return aead, nil
}

// EnsureDataKey makes a workflow's data key unless it has one: before the
// workflow's first payload is sealed, so that all of them are.
func (c *Codec) EnsureDataKey(ctx context.Context, workflowID string) error {
	if c.opts.DataKeys == nil || !c.opts.DataKeyFor(workflowID) {
		return nil
	}
	if _, ok := c.keys.get(workflowID); ok {
		return nil
	}
	_, _, err := c.opts.DataKeys.WrappedDataKey(ctx, workflowID)
	if errors.Is(err, ErrNoDataKey) {
		_, _, err = c.createDataKey(ctx, workflowID)
	}
	if errors.Is(err, ErrDataKeyDestroyed) {
		return fmt.Errorf("%w: %s", err, DataKeyID(workflowID))
	}
	return err
}

func (c *Codec) createDataKey(ctx context.Context, workflowID string) (string, []byte, error) {
	secret := make([]byte, KeySize)
	if _, err := rand.Read(secret); err != nil {
		return "", nil, err
	}
	wrapKeyID, wrapped, err := c.ring.Wrap(secret)
	if err != nil {
		return "", nil, err
	}
	return c.opts.DataKeys.CreateDataKey(ctx, workflowID, wrapKeyID, wrapped)
}

type cachedKey struct {
	aead    cipher.AEAD
	expires time.Time
}

type dataKeyCache struct {
	mu   sync.Mutex
	keys map[string]cachedKey
}

func newDataKeyCache() *dataKeyCache { return &dataKeyCache{keys: map[string]cachedKey{}} }

func (k *dataKeyCache) get(id string) (cipher.AEAD, bool) {
	k.mu.Lock()
	defer k.mu.Unlock()
	e, ok := k.keys[id]
	if !ok || time.Now().After(e.expires) {
		return nil, false
	}
	return e.aead, true
}

func (k *dataKeyCache) put(id string, aead cipher.AEAD) {
	k.mu.Lock()
	defer k.mu.Unlock()
	now := time.Now()
	if len(k.keys) >= maxCachedKeys {
		for id, e := range k.keys {
			if now.After(e.expires) {
				delete(k.keys, id)
			}
		}
		if len(k.keys) >= maxCachedKeys {
			clear(k.keys)
		}
	}
	k.keys[id] = cachedKey{aead: aead, expires: now.Add(dataKeyTTL)}
}

func (k *dataKeyCache) forget(ids ...string) {
	k.mu.Lock()
	defer k.mu.Unlock()
	for _, id := range ids {
		delete(k.keys, id)
	}
}
