package workflows_test

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
	commonpb "go.temporal.io/api/common/v1"
	historypb "go.temporal.io/api/history/v1"
	"go.temporal.io/sdk/client"

	"github.com/caseflow/caseflow/complaint"
	"github.com/caseflow/caseflow/payloadcrypt"
)

// The histories recorded since payloads are encrypted live in sealedDir;
// the plain ones recorded before stay in testdata/ and replay as they were.
// The keys that open them are test keys committed beside them.
const (
	sealedDir      = "testdata/sealed"
	sealedKeyring  = "testdata/sealed-keys/keyring"
	sealedDataKeys = "testdata/sealed-keys/data-keys.json"
)

// sealedCodec is the codec of the sealed histories, with the data keys
// recorded so far.
func sealedCodec(t *testing.T) (*payloadcrypt.Codec, *payloadcrypt.MemoryDataKeys) {
	t.Helper()
	text, err := os.ReadFile(sealedKeyring)
	require.NoError(t, err)
	ring, err := payloadcrypt.ParseKeyring(string(text))
	require.NoError(t, err)
	saved, err := os.ReadFile(sealedDataKeys)
	if !errors.Is(err, fs.ErrNotExist) {
		require.NoError(t, err)
	}
	keys, err := payloadcrypt.NewMemoryDataKeys(saved)
	require.NoError(t, err)
	codec := payloadcrypt.NewCodec(ring, payloadcrypt.Options{DataKeys: keys, DataKeyFor: complaint.CarriesPersonalData, Compress: true, CreateDataKeys: true})
	return codec, keys
}

// sealedClientOptions seal what a recording sends, as caseflow does, and
// save the data keys it made when the test ends.
func sealedClientOptions(t *testing.T) client.Options {
	t.Helper()
	codec, keys := sealedCodec(t)
	t.Cleanup(func() {
		data, err := keys.Save()
		require.NoError(t, err)
		require.NoError(t, os.WriteFile(sealedDataKeys, append(data, '\n'), 0o644))
	})
	dc := codec.DataConverter()
	return client.Options{DataConverter: dc, FailureConverter: payloadcrypt.FailureConverter(dc)}
}

// sealedRecordPath is where a recording writes the history named name.
func sealedRecordPath(name string) string { return filepath.Join(sealedDir, name+".json") }

// requireSealed fails on any payload of the history in the clear, besides
// search attributes (VisitPayloads skips them: Temporal indexes them, so
// they are never encrypted).
func requireSealed(t *testing.T, history *historypb.History) {
	t.Helper()
	sealed := 0
	for _, event := range history.GetEvents() {
		payloadcrypt.VisitPayloads(event, func(p *commonpb.Payload) {
			_, ok := payloadcrypt.KeyID(p)
			require.True(t, ok, "event %d (%s) has a payload in the clear", event.GetEventId(), event.GetEventType())
			sealed++
		})
	}
	require.NotZero(t, sealed)
}
