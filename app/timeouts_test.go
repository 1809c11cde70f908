package app

import (
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// A registration or step waits up to 30 s for its workflow; the server
// must not cut off its answer, while a client trickling its request is.
func TestServerTimeouts(t *testing.T) {
	require.Greater(t, serverTimeouts.Write, 30*time.Second+serverTimeouts.Read/2)
	require.NotZero(t, serverTimeouts.ReadHeader)
	require.NotZero(t, serverTimeouts.Read)
	require.NotZero(t, serverTimeouts.Idle)
}

// TestSlowBodyIsCutOff sends a body one byte at a time, the attack of
// issue 8 scaled down (there a byte every 5 s against the 30 s read
// timeout): the server drops the connection after the read timeout.
func TestSlowBodyIsCutOff(t *testing.T) {
	fullBody := make(chan bool, 1)
	handler := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, err := io.ReadAll(r.Body)
		fullBody <- err == nil
	})
	timeouts := serverTimeouts
	timeouts.Read = 500 * time.Millisecond
	srv, err := listenHTTPWith("127.0.0.1:0", handler, slog.New(slog.DiscardHandler), timeouts)
	require.NoError(t, err)
	t.Cleanup(func() { srv.shutdown() })

	conn, err := net.Dial("tcp", srv.listener.Addr().String())
	require.NoError(t, err)
	defer conn.Close()
	const length = 100
	_, err = fmt.Fprintf(conn, "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: %d\r\n\r\n", length)
	require.NoError(t, err)
	start := time.Now()
	tick := time.NewTicker(100 * time.Millisecond) // pacing the attack, not waiting for a result
	defer tick.Stop()
	sent := 0
	for sent < length {
		<-tick.C
		if _, err := conn.Write([]byte{'x'}); err != nil {
			break // the server closed the connection
		}
		sent++
	}
	require.False(t, <-fullBody, "the handler never got the whole body")
	require.Less(t, sent, length)
	require.Less(t, time.Since(start), 5*time.Second)
}
