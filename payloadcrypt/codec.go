package payloadcrypt

import (
	"crypto/cipher"
	"errors"
	"fmt"
	"strings"

	"github.com/klauspost/compress/zstd"
	commonpb "go.temporal.io/api/common/v1"
	"go.temporal.io/sdk/converter"
	"google.golang.org/protobuf/proto"
)

// The metadata of an encrypted payload. The encoding tells every Temporal
// tool that this payload needs a codec; the key id which key opens it.
const (
	Encoding         = "binary/encrypted"
	MetaCipher       = "encryption-cipher"
	CipherAES256GCM  = "AES256GCM"
	MetaKeyID        = "encryption-key-id"
	MetaCompression  = "compression"
	CompressionZstd  = "zstd"
	DataKeyIDPrefix  = "data/"
	compressFromSize = 256 // smaller payloads rarely shrink
	// maxPlainSize bounds a decompressed payload: Temporal refuses payloads
	// above 2 MiB by default, so anything larger is not ours.
	maxPlainSize = 8 << 20
)

var (
	zstdEncoder, _ = zstd.NewWriter(nil, zstd.WithEncoderLevel(zstd.SpeedDefault))
	zstdDecoder, _ = zstd.NewReader(nil, zstd.WithDecoderMaxMemory(maxPlainSize), zstd.WithDecoderConcurrency(0))
)

// Codec is the payload codec of every client and worker caseflow makes.
// The SDK hands it each payload's workflow (a serialization context), by
// which it picks a workflow's data key.
type Codec struct {
	ring       *Keyring
	opts       Options
	keys       *dataKeyCache
	workflowID string // "" outside a workflow's context
}

// Options say where data keys live and what else the codec does.
type Options struct {
	// DataKeys stores the per-workflow data keys; nil seals everything with
	// the keyring (a process without a case store, such as loadgen --bare).
	DataKeys DataKeys
	// DataKeyFor says which workflows get a data key of their own: those
	// carrying a customer's personal data.
	DataKeyFor func(workflowID string) bool
	// Compress compresses payloads with zstd before sealing them when that
	// makes them smaller.
	Compress bool
	// CreateDataKeys makes a workflow's data key at its first payload (a
	// worker: the children it starts). Without it a workflow that has no
	// data key is sealed with the keyring: the API makes the key when it
	// starts a workflow (EnsureDataKey), so that a step sent to a workflow
	// that does not exist leaves nothing behind.
	CreateDataKeys bool
}

// NewCodec seals with ring's active key or a workflow's data key.
func NewCodec(ring *Keyring, opts Options) *Codec {
	if opts.DataKeyFor == nil {
		opts.DataKeyFor = func(string) bool { return false }
	}
	return &Codec{ring: ring, opts: opts, keys: newDataKeyCache()}
}

// CreatingDataKeys is the codec with CreateDataKeys on, sharing this one's
// cache (so that Forget reaches both).
func (c *Codec) CreatingDataKeys() *Codec {
	creating := *c
	creating.opts.CreateDataKeys = true
	return &creating
}

// Keyring is the codec's keyring.
func (c *Codec) Keyring() *Keyring { return c.ring }

// WithSerializationContext answers the codec for one workflow's payloads
// (or an activity's of that workflow); the SDK calls it before each use.
func (c *Codec) WithSerializationContext(sc converter.SerializationContext) converter.PayloadCodec {
	scoped := *c
	switch s := sc.(type) {
	case converter.WorkflowSerializationContext:
		scoped.workflowID = s.WorkflowID
	case converter.ActivitySerializationContext:
		scoped.workflowID = s.WorkflowID
	default:
		scoped.workflowID = ""
	}
	return &scoped
}

// Encode seals each payload whole (metadata and data), so that even the
// encoding of what was sent stays private.
func (c *Codec) Encode(payloads []*commonpb.Payload) ([]*commonpb.Payload, error) {
	if len(payloads) == 0 {
		return payloads, nil
	}
	keyID, aead, err := c.sealingKey()
	if err != nil {
		return nil, err
	}
	out := make([]*commonpb.Payload, len(payloads))
	for i, p := range payloads {
		plain, err := proto.Marshal(p)
		if err != nil {
			return nil, err
		}
		meta := map[string][]byte{
			converter.MetadataEncoding: []byte(Encoding),
			MetaCipher:                 []byte(CipherAES256GCM),
			MetaKeyID:                  []byte(keyID),
		}
		if c.opts.Compress && len(plain) >= compressFromSize {
			if packed := zstdEncoder.EncodeAll(plain, nil); len(packed) < len(plain) {
				plain = packed
				meta[MetaCompression] = []byte(CompressionZstd)
			}
		}
		sealed, err := seal(aead, plain, []byte(keyID))
		if err != nil {
			return nil, err
		}
		out[i] = &commonpb.Payload{Metadata: meta, Data: sealed}
	}
	return out, nil
}

// Decode opens encrypted payloads and passes others through: histories
// written before encryption was turned on stay readable.
func (c *Codec) Decode(payloads []*commonpb.Payload) ([]*commonpb.Payload, error) {
	out := make([]*commonpb.Payload, len(payloads))
	for i, p := range payloads {
		keyID, encrypted := KeyID(p)
		if !encrypted {
			out[i] = p
			continue
		}
		if cipherName := string(p.GetMetadata()[MetaCipher]); cipherName != CipherAES256GCM {
			return nil, fmt.Errorf("payloadcrypt: unknown cipher %q", cipherName)
		}
		aead, err := c.openingKey(keyID)
		if err != nil {
			return nil, err
		}
		plain, err := open(aead, p.GetData(), []byte(keyID))
		if err != nil {
			return nil, fmt.Errorf("%w (key %s)", err, keyID)
		}
		switch compression := string(p.GetMetadata()[MetaCompression]); compression {
		case "":
		case CompressionZstd:
			if plain, err = zstdDecoder.DecodeAll(plain, nil); err != nil {
				return nil, fmt.Errorf("payloadcrypt: decompress: %w", err)
			}
		default:
			return nil, fmt.Errorf("payloadcrypt: unknown compression %q", compression)
		}
		decoded := &commonpb.Payload{}
		if err := proto.Unmarshal(plain, decoded); err != nil {
			return nil, fmt.Errorf("payloadcrypt: decrypted payload: %w", err)
		}
		out[i] = decoded
	}
	return out, nil
}

// KeyID answers the id of the key that sealed p, and whether p is sealed:
// what a report on keys in use reads without decrypting anything.
func KeyID(p *commonpb.Payload) (string, bool) {
	if string(p.GetMetadata()[converter.MetadataEncoding]) != Encoding {
		return "", false
	}
	return string(p.GetMetadata()[MetaKeyID]), true
}

// DataKeyID is the payload key id of a workflow's data key.
func DataKeyID(workflowID string) string { return DataKeyIDPrefix + workflowID }

func (c *Codec) sealingKey() (string, cipher.AEAD, error) {
	if c.workflowID != "" && c.opts.DataKeys != nil && c.opts.DataKeyFor(c.workflowID) {
		aead, err := c.dataKey(c.workflowID, c.opts.CreateDataKeys)
		if !errors.Is(err, ErrNoDataKey) {
			return DataKeyID(c.workflowID), aead, err
		}
	}
	id := c.ring.Active()
	return id, c.ring.ciphers[id], nil
}

func (c *Codec) openingKey(keyID string) (cipher.AEAD, error) {
	if workflowID, ok := strings.CutPrefix(keyID, DataKeyIDPrefix); ok {
		if c.opts.DataKeys == nil {
			return nil, fmt.Errorf("payloadcrypt: %s is sealed with a data key, and this process has no case store to find it", keyID)
		}
		return c.dataKey(workflowID, false)
	}
	aead, ok := c.ring.ciphers[keyID]
	if !ok {
		return nil, &MissingKeyError{KeyID: keyID}
	}
	return aead, nil
}

// Forget drops the cached data keys of workflows, as erasure destroys them.
func (c *Codec) Forget(workflowIDs ...string) { c.keys.forget(workflowIDs...) }

// DataConverter is the SDK's JSON converter with this codec.
func (c *Codec) DataConverter() converter.DataConverter {
	return converter.NewCodecDataConverter(converter.GetDefaultDataConverter(), c)
}
