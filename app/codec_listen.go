package app

import (
	"fmt"
	"net"
)

// listenAPI takes the API's port before the embedded Web UI starts: the UI
// is told where the codec server is (codecEndpoint, <API>/codec) when it
// is built. The endpoint names the host the UI's pages are on (loopback),
// so that the console's SameSite=Lax cookie reaches it: another port of the
// same host is the same site.
func listenAPI(addr string) (ln net.Listener, codecEndpoint string, err error) {
	ln, err = net.Listen("tcp", addr)
	if err != nil {
		return nil, "", fmt.Errorf("listen on %s: %w", addr, err)
	}
	tcp := ln.Addr().(*net.TCPAddr)
	host := tcp.IP.String()
	if tcp.IP.IsUnspecified() {
		host = "127.0.0.1"
	}
	return ln, "http://" + net.JoinHostPort(host, fmt.Sprint(tcp.Port)) + "/codec", nil
}
