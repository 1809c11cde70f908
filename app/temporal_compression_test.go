package app

import (
	"log/slog"
	"testing"

	"github.com/stretchr/testify/require"
	"go.temporal.io/sdk/client"
)

// TestTemporalCompression: requests to Temporal go uncompressed unless
// gzip is asked for, and a value caseflow does not know stops the dial
// with the setting named.
func TestTemporalCompression(t *testing.T) {
	defaults := LoadConfig(func(string) string { return "" }, false)
	got, err := defaults.temporalCompression()
	require.NoError(t, err)
	require.IsType(t, &client.GrpcCompressionNone{}, got, "the default")

	gzip := LoadConfig(func(name string) string {
		return map[string]string{"TEMPORAL_GRPC_COMPRESSION": "gzip"}[name]
	}, false)
	got, err = gzip.temporalCompression()
	require.NoError(t, err)
	require.IsType(t, &client.GrpcCompressionGzip{}, got)

	bad := defaults
	bad.TemporalCompression = "brotli"
	_, err = dialTemporal(t.Context(), bad, slog.New(slog.DiscardHandler), nil, nil)
	require.ErrorContains(t, err, `TEMPORAL_GRPC_COMPRESSION="brotli": want none or gzip`)
}
