package notify

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"

	"code.dny.dev/ssrf"
)

// ErrForbiddenDestination marks a webhook URL or address the server must
// not call; the errors are *DestinationError.
var ErrForbiddenDestination = errors.New("forbidden webhook destination")

// DestinationError is a refused webhook URL or address. Problem reads as a
// field problem ("must use https").
type DestinationError struct{ Problem string }

func (e *DestinationError) Error() string { return ErrForbiddenDestination.Error() + ": " + e.Problem }

// Is makes errors.Is(err, ErrForbiddenDestination) hold.
func (e *DestinationError) Is(target error) bool { return target == ErrForbiddenDestination }

func forbidden(format string, args ...any) error {
	return &DestinationError{Problem: fmt.Sprintf(format, args...)}
}

// WebhookTargets says where webhooks may go, so that whoever sets a URL
// cannot make the server call itself, its network or a cloud metadata
// service: https only (http too with AllowHTTP), and only public addresses
// (not loopback, link-local, private, shared, unspecified, multicast,
// documentation or other special-purpose ranges, IPv4-mapped IPv6
// included) unless AllowNets holds the address or AllowHosts names the
// host. The zero value is the strict rule.
type WebhookTargets struct {
	AllowHTTP  bool
	AllowNets  []netip.Prefix
	AllowHosts []string // lower case, without a trailing dot

	resolver *net.Resolver // nil: the system's; tests bring their own DNS
}

// ParseWebhookTargets reads the settings: allowHTTP is a boolean ("" is
// false); allow is a comma-separated list of CIDRs, addresses and host
// names.
func ParseWebhookTargets(allowHTTP, allow string) (WebhookTargets, error) {
	var t WebhookTargets
	if strings.TrimSpace(allowHTTP) != "" {
		b, err := strconv.ParseBool(strings.TrimSpace(allowHTTP))
		if err != nil {
			return t, fmt.Errorf("allow http: %q is not true or false", allowHTTP)
		}
		t.AllowHTTP = b
	}
	for _, e := range strings.Split(allow, ",") {
		e = strings.TrimSpace(e)
		if e == "" {
			continue
		}
		if p, err := netip.ParsePrefix(e); err == nil {
			t.AllowNets = append(t.AllowNets, unmapPrefix(p.Masked()))
		} else if a, err := netip.ParseAddr(e); err == nil {
			a = a.Unmap().WithZone("")
			t.AllowNets = append(t.AllowNets, netip.PrefixFrom(a, a.BitLen()))
		} else if h := normalHost(e); isHostName(h) {
			t.AllowHosts = append(t.AllowHosts, h)
		} else {
			return t, fmt.Errorf("allow list: %q is neither a CIDR, an address nor a host name", e)
		}
	}
	return t, nil
}

// CheckURL checks a webhook URL before it is stored or used: its scheme,
// that it names a host, and the host itself when it is an address or a
// name that always means this machine. Other names are checked after DNS
// resolution, when dialled. Errors wrap ErrForbiddenDestination and read
// as a field problem ("must use https").
func (t WebhookTargets) CheckURL(raw string) error {
	u, err := url.Parse(raw)
	if err != nil {
		return forbidden("must be a valid URL")
	}
	switch {
	case u.Scheme == "https":
	case u.Scheme == "http" && t.AllowHTTP:
	case t.AllowHTTP:
		return forbidden("must use https or http")
	default:
		return forbidden("must use https")
	}
	host := normalHost(u.Hostname())
	if host == "" {
		return forbidden("must name a host")
	}
	if slices.Contains(t.AllowHosts, host) {
		return nil
	}
	if a, err := netip.ParseAddr(host); err == nil {
		return t.CheckAddr(a)
	}
	if !isHostName(host) {
		// Numeric forms like 2130706433 or 0x7f.1 that some resolvers
		// read as IPv4 addresses, and anything else that is not a name.
		return forbidden("host %q must be a DNS name or an IP address", host)
	}
	if host == "localhost" || strings.HasSuffix(host, ".localhost") {
		return forbidden("must not point at this machine (%s)", host)
	}
	return nil
}

// guardian holds the IANA special-purpose ranges; built once, read only.
var guardian = ssrf.New(ssrf.WithAnyPort())

// CheckAddr reports whether a webhook may connect to a.
func (t WebhookTargets) CheckAddr(a netip.Addr) error {
	a = a.Unmap().WithZone("")
	for _, p := range t.AllowNets {
		if p.Contains(a) {
			return nil
		}
	}
	if err := guardian.SafeAddr(a); err != nil {
		return forbidden("%s is not a public address; an allow-list (CASEFLOW_WEBHOOK_ALLOW) can name it", a)
	}
	return nil
}

// control is a net.Dialer Control function: it sees the address actually
// dialled, after DNS, so a name cannot rebind to a forbidden address
// between the check and the connection.
func (t WebhookTargets) control(_, address string, _ syscall.RawConn) error {
	ap, err := netip.ParseAddrPort(address)
	if err != nil {
		return forbidden("cannot read dialled address %q", address)
	}
	return t.CheckAddr(ap.Addr())
}

// transport dials only what t allows: a host the allow-list names as is,
// anything else through control. It uses no proxy, since through a proxy the
// address dialled would be the proxy's.
func (t WebhookTargets) transport() *http.Transport {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.Proxy = nil
	tr.DialContext = func(ctx context.Context, network, addr string) (net.Conn, error) {
		d := &net.Dialer{Timeout: 30 * time.Second, KeepAlive: 30 * time.Second, Resolver: t.resolver}
		if host, _, err := net.SplitHostPort(addr); err != nil || !slices.Contains(t.AllowHosts, normalHost(host)) {
			d.Control = t.control
		}
		return d.DialContext(ctx, network, addr)
	}
	return tr
}

func unmapPrefix(p netip.Prefix) netip.Prefix {
	if p.Addr().Is4In6() && p.Bits() >= 96 {
		return netip.PrefixFrom(p.Addr().Unmap(), p.Bits()-96)
	}
	return p
}

func normalHost(h string) string { return strings.TrimSuffix(strings.ToLower(h), ".") }

// isHostName accepts letters, digits, hyphens, underscores and dots, but not
// the numeric forms (2130706433, 0x7f.1, 127.1) that some resolvers read as
// IPv4 addresses: no top-level domain is all digits.
func isHostName(h string) bool {
	if h == "" || len(h) > 253 {
		return false
	}
	labels := strings.Split(h, ".")
	numeric := true
	for _, l := range labels {
		if l == "" || len(l) > 63 {
			return false
		}
		for _, c := range l {
			if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
				return false
			}
		}
		hex, isHex := strings.CutPrefix(l, "0x")
		numeric = numeric && (strings.Trim(l, "0123456789") == "" || isHex && strings.Trim(hex, "0123456789abcdef") == "")
	}
	return !numeric && strings.Trim(labels[len(labels)-1], "0123456789") != ""
}
