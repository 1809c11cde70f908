package payloadcrypt_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	commonpb "go.temporal.io/api/common/v1"

	"github.com/caseflow/caseflow/payloadcrypt"
)

// BenchmarkSealAndOpen is what one payload costs a round trip through the
// codec, at the sizes of a step's argument (~1 KB) and of a case view a
// step answers (~16 KB), with and without compression; data keys cached.
func BenchmarkSealAndOpen(b *testing.B) {
	for _, size := range []int{1 << 10, 16 << 10} {
		for _, compress := range []bool{false, true} {
			b.Run(fmt.Sprintf("%dKB/compress=%v", size>>10, compress), func(b *testing.B) {
				keys, err := payloadcrypt.NewMemoryDataKeys(nil)
				require.NoError(b, err)
				codec := inWorkflow(payloadcrypt.NewCodec(ring(b, "k1"), payloadcrypt.Options{DataKeys: keys, DataKeyFor: personal, Compress: compress}), "complaint-1")
				body := strings.Repeat(`{"stage":"analysis","note":"replaced the seal 更换密封圈","at":"2026-11-30T08:00:00Z"},`, size/80)
				p := &commonpb.Payload{Metadata: map[string][]byte{"encoding": []byte("json/plain")}, Data: []byte("[" + body + "{}]")}
				b.SetBytes(int64(len(p.Data)))
				b.ReportAllocs()
				for b.Loop() {
					sealed, err := codec.Encode([]*commonpb.Payload{p})
					if err != nil {
						b.Fatal(err)
					}
					if _, err := codec.Decode(sealed); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}
