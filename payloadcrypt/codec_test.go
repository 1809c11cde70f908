package payloadcrypt_test

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	commonpb "go.temporal.io/api/common/v1"
	"go.temporal.io/sdk/converter"

	"github.com/caseflow/caseflow/payloadcrypt"
)

func newMemoryKeys(t *testing.T) *payloadcrypt.MemoryDataKeys {
	t.Helper()
	keys, err := payloadcrypt.NewMemoryDataKeys(nil)
	require.NoError(t, err)
	return keys
}

func ring(t testing.TB, ids ...string) *payloadcrypt.Keyring {
	t.Helper()
	var lines []string
	for _, id := range ids {
		line, err := payloadcrypt.NewKeyLine(id, time.Now())
		require.NoError(t, err)
		lines = append(lines, line)
	}
	r, err := payloadcrypt.ParseKeyring(strings.Join(lines, "\n"))
	require.NoError(t, err)
	return r
}

func personal(id string) bool { return strings.HasPrefix(id, "complaint-") }

func inWorkflow(c *payloadcrypt.Codec, workflowID string) converter.PayloadCodec {
	return c.WithSerializationContext(converter.WorkflowSerializationContext{Namespace: "caseflow", WorkflowID: workflowID})
}

func jsonPayload(t *testing.T, v any) *commonpb.Payload {
	t.Helper()
	p, err := converter.GetDefaultDataConverter().ToPayload(v)
	require.NoError(t, err)
	return p
}

const secretName = "Zhang Wei 张伟 13800138000"

func TestSealedPayloadsHideTheirContentAndNameTheirKey(t *testing.T) {
	keys := newMemoryKeys(t)
	codec := payloadcrypt.NewCodec(ring(t, "k1"), payloadcrypt.Options{DataKeys: keys, DataKeyFor: personal, Compress: true, CreateDataKeys: true})
	small := jsonPayload(t, map[string]string{"contact_name": secretName})
	large := jsonPayload(t, map[string]string{"description": strings.Repeat(secretName+" the pump leaks. ", 200)})

	tests := []struct {
		name       string
		codec      converter.PayloadCodec
		payload    *commonpb.Payload
		keyID      string
		compressed bool
	}{
		{"a complaint's payload seals with its data key", inWorkflow(codec, "complaint-1"), small, "data/complaint-1", false},
		{"a complaint's activity too", codec.WithSerializationContext(converter.ActivitySerializationContext{WorkflowID: "complaint-1"}), small, "data/complaint-1", false},
		{"a large payload is compressed first", inWorkflow(codec, "complaint-1"), large, "data/complaint-1", true},
		{"a schedule's payload seals with the keyring", inWorkflow(codec, "caseflow-reconcile"), small, "k1", false},
		{"no workflow: the keyring", codec, small, "k1", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sealed, err := tt.codec.Encode([]*commonpb.Payload{tt.payload})
			require.NoError(t, err)
			require.Len(t, sealed, 1)
			require.Equal(t, payloadcrypt.Encoding, string(sealed[0].Metadata[converter.MetadataEncoding]))
			keyID, ok := payloadcrypt.KeyID(sealed[0])
			require.True(t, ok)
			require.Equal(t, tt.keyID, keyID)
			require.Equal(t, tt.compressed, string(sealed[0].Metadata[payloadcrypt.MetaCompression]) == payloadcrypt.CompressionZstd)
			require.False(t, bytes.Contains(sealed[0].Data, []byte("Zhang")), "plaintext in the sealed payload")
			require.False(t, bytes.Contains(sealed[0].Data, []byte("json/plain")), "the inner encoding shows")
			if tt.compressed {
				require.Less(t, len(sealed[0].Data), len(tt.payload.Data)/4)
			}

			// Any codec with the keyring and the store opens it, with or
			// without a workflow's context (the codec server has none).
			reader := payloadcrypt.NewCodec(ring(t, "other"), payloadcrypt.Options{}) // wrong keyring
			_, err = reader.Decode(sealed)
			require.Error(t, err)
			fresh := payloadcrypt.NewCodec(codec.Keyring(), payloadcrypt.Options{DataKeys: keys, DataKeyFor: personal})
			opened, err := fresh.Decode(sealed)
			require.NoError(t, err)
			require.Equal(t, tt.payload.Data, opened[0].Data)
			require.Equal(t, tt.payload.Metadata, opened[0].Metadata)
		})
	}
	require.Len(t, keys.Keys, 1, "one data key per workflow, however many payloads")
}

func TestTamperedPayloadsDoNotOpen(t *testing.T) {
	codec := payloadcrypt.NewCodec(ring(t, "k1", "k2"), payloadcrypt.Options{})
	tests := []struct {
		name   string
		tamper func(p *commonpb.Payload)
	}{
		{"a flipped byte", func(p *commonpb.Payload) { p.Data[len(p.Data)-1] ^= 1 }},
		{"another key's id (the key id is authenticated)", func(p *commonpb.Payload) { p.Metadata[payloadcrypt.MetaKeyID] = []byte("k2") }},
		{"a truncated ciphertext", func(p *commonpb.Payload) { p.Data = p.Data[:5] }},
		{"an unknown cipher", func(p *commonpb.Payload) { p.Metadata[payloadcrypt.MetaCipher] = []byte("ROT13") }},
		{"a key not in the keyring", func(p *commonpb.Payload) { p.Metadata[payloadcrypt.MetaKeyID] = []byte("gone") }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sealed, err := codec.Encode([]*commonpb.Payload{jsonPayload(t, secretName)})
			require.NoError(t, err)
			tt.tamper(sealed[0])
			_, err = codec.Decode(sealed)
			require.Error(t, err)
		})
	}
}

func TestPlainPayloadsPassThroughDecode(t *testing.T) {
	// Histories written before encryption was on replay and read as before.
	codec := payloadcrypt.NewCodec(ring(t, "k1"), payloadcrypt.Options{})
	plain := jsonPayload(t, secretName)
	out, err := codec.Decode([]*commonpb.Payload{plain})
	require.NoError(t, err)
	require.Equal(t, plain.Data, out[0].Data)
}

func TestRotation(t *testing.T) {
	// A new key is put first: it seals what is new, the old one still opens
	// what it sealed; a keyring without the old key cannot.
	oldLine, err := payloadcrypt.NewKeyLine("k2025", time.Now())
	require.NoError(t, err)
	newLine, err := payloadcrypt.NewKeyLine("k2026", time.Now())
	require.NoError(t, err)
	before, err := payloadcrypt.ParseKeyring(oldLine)
	require.NoError(t, err)
	after, err := payloadcrypt.ParseKeyring(newLine + "\n" + oldLine)
	require.NoError(t, err)
	onlyNew, err := payloadcrypt.ParseKeyring(newLine)
	require.NoError(t, err)

	keys := newMemoryKeys(t)
	oldCodec := payloadcrypt.NewCodec(before, payloadcrypt.Options{DataKeys: keys, DataKeyFor: personal, CreateDataKeys: true})
	oldDirect, err := oldCodec.Encode([]*commonpb.Payload{jsonPayload(t, "review")})
	require.NoError(t, err)
	oldCase, err := inWorkflow(oldCodec, "complaint-7").Encode([]*commonpb.Payload{jsonPayload(t, secretName)})
	require.NoError(t, err)

	newCodec := payloadcrypt.NewCodec(after, payloadcrypt.Options{DataKeys: keys, DataKeyFor: personal})
	require.Equal(t, "k2026", after.Active())
	fresh, err := newCodec.Encode([]*commonpb.Payload{jsonPayload(t, "review")})
	require.NoError(t, err)
	id, _ := payloadcrypt.KeyID(fresh[0])
	require.Equal(t, "k2026", id)
	for _, sealed := range [][]*commonpb.Payload{oldDirect, oldCase} {
		_, err := newCodec.Decode(sealed)
		require.NoError(t, err)
	}

	retired := payloadcrypt.NewCodec(onlyNew, payloadcrypt.Options{DataKeys: keys, DataKeyFor: personal})
	_, err = retired.Decode(oldDirect)
	var missing *payloadcrypt.MissingKeyError
	require.ErrorAs(t, err, &missing)
	require.Equal(t, "k2025", missing.KeyID)
	_, err = retired.Decode(oldCase) // its data key is wrapped by k2025
	require.ErrorAs(t, err, &missing)
}

func TestDestroyedDataKeysLeaveOnlyCiphertext(t *testing.T) {
	keys := newMemoryKeys(t)
	codec := payloadcrypt.NewCodec(ring(t, "k1"), payloadcrypt.Options{DataKeys: keys, DataKeyFor: personal, CreateDataKeys: true})
	erased, err := inWorkflow(codec, "complaint-9").Encode([]*commonpb.Payload{jsonPayload(t, secretName)})
	require.NoError(t, err)
	kept, err := inWorkflow(codec, "complaint-10").Encode([]*commonpb.Payload{jsonPayload(t, secretName)})
	require.NoError(t, err)

	keys.Destroy("complaint-9")
	codec.Forget("complaint-9")
	_, err = codec.Decode(erased)
	require.ErrorIs(t, err, payloadcrypt.ErrDataKeyDestroyed)
	_, err = inWorkflow(codec, "complaint-9").Encode([]*commonpb.Payload{jsonPayload(t, "new")})
	require.ErrorIs(t, err, payloadcrypt.ErrDataKeyDestroyed, "an erased workflow's data key is never made again")
	_, err = codec.Decode(kept)
	require.NoError(t, err, "another workflow's data is untouched")
}

// failingKeys is a case store that is down.
type failingKeys struct{}

func (failingKeys) WrappedDataKey(context.Context, string) (string, []byte, error) {
	return "", nil, errors.New("connection refused")
}

func (failingKeys) CreateDataKey(context.Context, string, string, []byte) (string, []byte, error) {
	return "", nil, errors.New("connection refused")
}

func TestAStoreOutageFailsTheEncodeForTheSDKToRetry(t *testing.T) {
	codec := payloadcrypt.NewCodec(ring(t, "k1"), payloadcrypt.Options{DataKeys: failingKeys{}, DataKeyFor: personal, CreateDataKeys: true})
	_, err := inWorkflow(codec, "complaint-1").Encode([]*commonpb.Payload{jsonPayload(t, secretName)})
	require.ErrorContains(t, err, "connection refused")
}

func TestTheDataConverterRoundTripsInAWorkflowContext(t *testing.T) {
	keys := newMemoryKeys(t)
	codec := payloadcrypt.NewCodec(ring(t, "k1"), payloadcrypt.Options{DataKeys: keys, DataKeyFor: personal, Compress: true, CreateDataKeys: true})
	dc := converter.WithDataConverterSerializationContext(codec.DataConverter(),
		converter.WorkflowSerializationContext{WorkflowID: "complaint-3"})
	p, err := dc.ToPayload(map[string]string{"contact_name": secretName})
	require.NoError(t, err)
	id, _ := payloadcrypt.KeyID(p)
	require.Equal(t, "data/complaint-3", id)
	var back map[string]string
	require.NoError(t, codec.DataConverter().FromPayload(p, &back)) // no context: the key id says which
	require.Equal(t, secretName, back["contact_name"])
}

func TestKeyringParsing(t *testing.T) {
	good, err := payloadcrypt.NewKeyLine("a", time.Now())
	require.NoError(t, err)
	other, err := payloadcrypt.NewKeyLine("b", time.Now())
	require.NoError(t, err)
	_, secret, _ := strings.Cut(good, ":")
	tests := []struct {
		name, text, active, err string
	}{
		{"one key", good, "a", ""},
		{"the first key is active", other + "\n" + good, "b", ""},
		{"comments, blank lines and commas", "# rotated 2026-11\n\n" + other + "," + good + "\n", "b", ""},
		{"nothing", "# none\n", "", "holds no key"},
		{"no separator", "abc", "", "want <id>:<base64 key>"},
		{"an id with a slash", "data/x:" + secret, "", "key id"},
		{"a short key", "a:AAAA", "", "32 bytes"},
		{"not base64", "a:***", "", "32 bytes"},
		{"the same id twice", good + "\n" + good, "", "twice"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := payloadcrypt.ParseKeyring(tt.text)
			if tt.err != "" {
				require.ErrorContains(t, err, tt.err)
				require.NotContains(t, err.Error(), secret, "an error never shows a key")
				return
			}
			require.NoError(t, err)
			require.Equal(t, tt.active, r.Active())
		})
	}
}

func TestWithoutCreatingKeysAWorkflowWithoutOneIsSealedByTheKeyring(t *testing.T) {
	// The API: a step sent to a workflow that does not exist makes no data
	// key; the start makes it first, and what follows is sealed with it.
	keys := newMemoryKeys(t)
	api := payloadcrypt.NewCodec(ring(t, "k1"), payloadcrypt.Options{DataKeys: keys, DataKeyFor: personal})
	stray, err := inWorkflow(api, "complaint-404").Encode([]*commonpb.Payload{jsonPayload(t, "step")})
	require.NoError(t, err)
	id, _ := payloadcrypt.KeyID(stray[0])
	require.Equal(t, "k1", id)
	require.Empty(t, keys.Keys)

	require.NoError(t, api.EnsureDataKey(t.Context(), "complaint-1"))
	require.NoError(t, api.EnsureDataKey(t.Context(), "complaint-1"), "twice is fine")
	require.NoError(t, api.EnsureDataKey(t.Context(), "caseflow-reconcile"), "no data key for a workflow without personal data")
	require.Len(t, keys.Keys, 1)
	started, err := inWorkflow(api, "complaint-1").Encode([]*commonpb.Payload{jsonPayload(t, secretName)})
	require.NoError(t, err)
	id, _ = payloadcrypt.KeyID(started[0])
	require.Equal(t, "data/complaint-1", id)

	// The worker's codec makes the keys of the children it starts.
	child, err := inWorkflow(api.CreatingDataKeys(), "complaint-2").Encode([]*commonpb.Payload{jsonPayload(t, secretName)})
	require.NoError(t, err)
	id, _ = payloadcrypt.KeyID(child[0])
	require.Equal(t, "data/complaint-2", id)

	keys.Destroy("complaint-3")
	require.ErrorIs(t, api.EnsureDataKey(t.Context(), "complaint-3"), payloadcrypt.ErrDataKeyDestroyed, "an erased workflow never starts again")
}
