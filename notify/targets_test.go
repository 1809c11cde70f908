package notify

import (
	"context"
	"errors"
	"net"
	"net/netip"
	"net/url"
	"testing"

	"github.com/stretchr/testify/require"
	"golang.org/x/net/dns/dnsmessage"
)

func TestWebhookAddressRules(t *testing.T) {
	strict := WebhookTargets{}
	allowing, err := ParseWebhookTargets("", "10.1.0.0/16, 127.0.0.1, fd00::/8, ::ffff:192.168.7.0/120")
	require.NoError(t, err)
	for _, tc := range []struct {
		addr           string
		strict, listed bool // allowed under no allow-list, and under allowing
	}{
		{"0.0.0.0", false, false},
		{"::", false, false},
		{"127.0.0.1", false, true},
		{"127.0.0.2", false, false},
		{"::1", false, false},
		{"::ffff:127.0.0.1", false, true}, // IPv4-mapped: judged as the IPv4 address
		{"::ffff:169.254.169.254", false, false},
		{"169.254.169.254", false, false}, // cloud metadata
		{"fe80::1", false, false},
		{"fe80::1%eth0", false, false},
		{"10.0.0.1", false, false},
		{"10.1.2.3", false, true},
		{"172.16.0.1", false, false},
		{"192.168.1.1", false, false},
		{"192.168.7.9", false, true},
		{"100.64.0.1", false, false}, // shared address space (carrier NAT)
		{"100.127.255.254", false, false},
		{"192.0.2.1", false, false},
		{"224.0.0.1", false, false},
		{"255.255.255.255", false, false},
		{"ff02::1", false, false},
		{"fc00::1", false, false},
		{"fd12::1", false, true},
		{"64:ff9b::7f00:1", false, false}, // NAT64 of 127.0.0.1
		{"2001:db8::1", false, false},
		{"8.8.8.8", true, true},
		{"100.128.0.1", true, true},
		{"2606:4700:4700::1111", true, true},
		{"::ffff:1.1.1.1", true, true},
	} {
		t.Run(tc.addr, func(t *testing.T) {
			a := netip.MustParseAddr(tc.addr)
			for _, c := range []struct {
				targets WebhookTargets
				allowed bool
			}{{strict, tc.strict}, {allowing, tc.listed}} {
				err := c.targets.CheckAddr(a)
				if c.allowed {
					require.NoError(t, err)
				} else {
					require.ErrorIs(t, err, ErrForbiddenDestination)
				}
			}
		})
	}
}

func TestWebhookURLRules(t *testing.T) {
	httpOK := WebhookTargets{AllowHTTP: true}
	listed, err := ParseWebhookTargets("true", "hooks.internal, Localhost., 127.0.0.0/8")
	require.NoError(t, err)
	for _, tc := range []struct {
		name    string
		targets WebhookTargets
		url     string
		want    string // "" when allowed
	}{
		{"https to a public name", WebhookTargets{}, "https://hooks.example.com/x?key=1", ""},
		{"https to a public address", WebhookTargets{}, "https://8.8.8.8:8443/x", ""},
		{"http refused by default", WebhookTargets{}, "http://hooks.example.com/x", "must use https"},
		{"http when allowed", httpOK, "http://hooks.example.com/x", ""},
		{"file", WebhookTargets{}, "file:///etc/passwd", "must use https"},
		{"file when http is allowed", httpOK, "file:///etc/passwd", "must use https or http"},
		{"gopher", httpOK, "gopher://hooks.example.com/", "must use https or http"},
		{"no host", WebhookTargets{}, "https:///x", "must name a host"},
		{"not a URL", WebhookTargets{}, "https://[::1", "must be a valid URL"},
		{"cloud metadata", httpOK, "http://169.254.169.254/latest/meta-data/", "169.254.169.254 is not a public address"},
		{"loopback", WebhookTargets{}, "https://127.0.0.1/", "127.0.0.1 is not a public address"},
		{"IPv6 loopback", WebhookTargets{}, "https://[::1]:8443/", "::1 is not a public address"},
		{"IPv4-mapped loopback", WebhookTargets{}, "https://[::ffff:127.0.0.1]/", "127.0.0.1 is not a public address"},
		{"link-local with zone", WebhookTargets{}, "https://[fe80::1%25eth0]/", "fe80::1 is not a public address"},
		{"unspecified", WebhookTargets{}, "https://0.0.0.0/", "0.0.0.0 is not a public address"},
		{"decimal IPv4", WebhookTargets{}, "https://2130706433/", `host "2130706433" must be a DNS name or an IP address`},
		{"short IPv4", WebhookTargets{}, "https://127.1/", `host "127.1" must be a DNS name or an IP address`},
		{"hex IPv4", WebhookTargets{}, "https://0x7f.0x0.0x0.0x1/", `host "0x7f.0x0.0x0.0x1" must be a DNS name or an IP address`},
		{"hex IPv4 in one label", WebhookTargets{}, "https://0x7f000001/", `host "0x7f000001" must be a DNS name or an IP address`},
		{"localhost", WebhookTargets{}, "https://LocalHost./", "must not point at this machine (localhost)"},
		{"under localhost", WebhookTargets{}, "https://api.localhost/", "must not point at this machine (api.localhost)"},
		{"listed host", listed, "http://hooks.internal:8080/", ""},
		{"listed localhost", listed, "http://localhost/", ""},
		{"listed network", listed, "http://127.0.0.1:9000/", ""},
		{"unlisted private network", listed, "http://10.0.0.1/", "10.0.0.1 is not a public address"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.targets.CheckURL(tc.url)
			if tc.want == "" {
				require.NoError(t, err)
				return
			}
			require.ErrorIs(t, err, ErrForbiddenDestination)
			require.ErrorContains(t, err, tc.want)
		})
	}
}

func TestParseWebhookTargets(t *testing.T) {
	got, err := ParseWebhookTargets(" TRUE ", " 10.0.0.0/8 ,hooks.Example.org., ::1, 192.168.1.77/24,,fe80::%eth0 ")
	require.NoError(t, err)
	require.Equal(t, WebhookTargets{
		AllowHTTP: true,
		AllowNets: []netip.Prefix{
			netip.MustParsePrefix("10.0.0.0/8"), netip.MustParsePrefix("::1/128"),
			netip.MustParsePrefix("192.168.1.0/24"), netip.MustParsePrefix("fe80::/128"),
		},
		AllowHosts: []string{"hooks.example.org"},
	}, got)
	got, err = ParseWebhookTargets("", "")
	require.NoError(t, err)
	require.Equal(t, WebhookTargets{}, got)

	_, err = ParseWebhookTargets("yes please", "")
	require.EqualError(t, err, `allow http: "yes please" is not true or false`)
	for _, bad := range []string{"10.0.0.0/33", "http://hooks.example.org", "hooks example", "300.1.1.1"} {
		_, err = ParseWebhookTargets("", bad)
		require.ErrorContains(t, err, "is neither a CIDR, an address nor a host name", bad)
	}
}

// TestWebhookDialChecksResolvedAddress: a name that passes the URL check but
// resolves to a forbidden address is refused when dialled, before any byte
// is sent, and not retried; the same name reaches the receiver once the
// allow-list names its address or the name.
func TestWebhookDialChecksResolvedAddress(t *testing.T) {
	hook := startHook(t, 200)
	u, err := url.Parse(hook.URL)
	require.NoError(t, err)
	resolver := fakeDNS(t, "hooks.example.test.", netip.MustParseAddr("127.0.0.1"))
	n := testNotification()
	n.WebhookURL = "http://hooks.example.test:" + u.Port() + "/hook"

	send := func(targets WebhookTargets) error {
		targets.AllowHTTP, targets.resolver = true, resolver
		require.NoError(t, targets.CheckURL(n.WebhookURL), "the name alone passes the URL check")
		return fastWebhook(func(c *WebhookConfig) { c.Targets = targets }).Send(t.Context(), n)
	}
	err = send(WebhookTargets{})
	require.ErrorIs(t, err, ErrForbiddenDestination)
	require.ErrorIs(t, err, ErrPermanent)
	require.ErrorContains(t, err, "127.0.0.1 is not a public address")
	require.ErrorContains(t, err, "1 attempt(s)")
	require.Empty(t, hook.requests())

	require.NoError(t, send(WebhookTargets{AllowNets: []netip.Prefix{netip.MustParsePrefix("127.0.0.1/32")}}))
	require.NoError(t, send(WebhookTargets{AllowHosts: []string{"hooks.example.test"}}))
	require.Len(t, hook.requests(), 2)
}

// fakeDNS answers A queries for name with addr (and nothing else) from a
// UDP server on loopback, and returns a resolver that asks only it.
func fakeDNS(t *testing.T, name string, addr netip.Addr) *net.Resolver {
	t.Helper()
	pc, err := net.ListenPacket("udp", "127.0.0.1:0")
	require.NoError(t, err)
	t.Cleanup(func() { pc.Close() })
	go func() {
		buf := make([]byte, 512)
		for {
			n, from, err := pc.ReadFrom(buf)
			if err != nil {
				return
			}
			if reply, err := dnsReply(buf[:n], name, addr); err == nil {
				_, _ = pc.WriteTo(reply, from)
			}
		}
	}()
	return &net.Resolver{PreferGo: true, Dial: func(ctx context.Context, _, _ string) (net.Conn, error) {
		var d net.Dialer
		return d.DialContext(ctx, "udp", pc.LocalAddr().String())
	}}
}

func dnsReply(query []byte, name string, addr netip.Addr) ([]byte, error) {
	var p dnsmessage.Parser
	h, err := p.Start(query)
	if err != nil {
		return nil, err
	}
	q, err := p.Question()
	if err != nil {
		return nil, err
	}
	b := dnsmessage.NewBuilder(nil, dnsmessage.Header{ID: h.ID, Response: true, Authoritative: true})
	b.EnableCompression()
	if err := b.StartQuestions(); err != nil {
		return nil, err
	}
	if err := b.Question(q); err != nil {
		return nil, err
	}
	if err := b.StartAnswers(); err != nil {
		return nil, err
	}
	if q.Name.String() == name && q.Type == dnsmessage.TypeA {
		rh := dnsmessage.ResourceHeader{Name: q.Name, Type: dnsmessage.TypeA, Class: dnsmessage.ClassINET, TTL: 60}
		if err := b.AResource(rh, dnsmessage.AResource{A: addr.As4()}); err != nil {
			return nil, err
		}
	} else if q.Name.String() != name {
		return nil, errors.New("unknown name") // no answer: the resolver times out
	}
	return b.Finish()
}
