package payloadcrypt

import (
	"context"
	"encoding/json"
	"sync"
)

// MemoryDataKeys keeps data keys in memory, as JSON when saved: for tests
// and recorded histories, which carry the wrapped keys that open them.
type MemoryDataKeys struct {
	mu   sync.Mutex
	Keys map[string]MemoryDataKey `json:"keys"`
}

// MemoryDataKey is one workflow's wrapped key; Destroyed once erased.
type MemoryDataKey struct {
	WrapKeyID string `json:"wrap_key_id"`
	Wrapped   []byte `json:"wrapped,omitempty"`
	Destroyed bool   `json:"destroyed,omitempty"`
}

// NewMemoryDataKeys reads saved keys; empty data makes an empty store.
func NewMemoryDataKeys(saved []byte) (*MemoryDataKeys, error) {
	m := &MemoryDataKeys{Keys: map[string]MemoryDataKey{}}
	if len(saved) == 0 {
		return m, nil
	}
	if err := json.Unmarshal(saved, m); err != nil {
		return nil, err
	}
	return m, nil
}

// Save answers the keys as indented JSON.
func (m *MemoryDataKeys) Save() ([]byte, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return json.MarshalIndent(m, "", "  ")
}

func (m *MemoryDataKeys) WrappedDataKey(_ context.Context, workflowID string) (string, []byte, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	k, ok := m.Keys[workflowID]
	switch {
	case !ok:
		return "", nil, ErrNoDataKey
	case k.Destroyed:
		return "", nil, ErrDataKeyDestroyed
	}
	return k.WrapKeyID, k.Wrapped, nil
}

func (m *MemoryDataKeys) CreateDataKey(_ context.Context, workflowID, wrapKeyID string, wrapped []byte) (string, []byte, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if k, ok := m.Keys[workflowID]; ok {
		if k.Destroyed {
			return "", nil, ErrDataKeyDestroyed
		}
		return k.WrapKeyID, k.Wrapped, nil
	}
	m.Keys[workflowID] = MemoryDataKey{WrapKeyID: wrapKeyID, Wrapped: wrapped}
	return wrapKeyID, wrapped, nil
}

// Destroy erases a workflow's key.
func (m *MemoryDataKeys) Destroy(workflowID string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.Keys[workflowID] = MemoryDataKey{Destroyed: true}
}
