package notify

import (
	"context"
	"crypto/sha256"
	"crypto/tls"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	netmail "net/mail"
	"strconv"
	"strings"
	"time"

	"github.com/caseflow/caseflow/complaint"
	gomail "github.com/wneessen/go-mail"
)

// TLS modes of SMTPConfig.TLS.
const (
	SMTPStartTLS         = "starttls"          // STARTTLS when the server offers it (default)
	SMTPStartTLSRequired = "starttls-required" // STARTTLS or fail
	SMTPNoTLS            = "none"              // plain text; for a local relay only
	SMTPImplicitTLS      = "tls"               // TLS from the first byte (SMTPS, usually port 465)
)

// SMTPConfig configures the SMTP channel.
type SMTPConfig struct {
	// Addr is the server as host:port, e.g. "smtp.example.com:587".
	Addr string
	// From is the sender, "noreply@example.com" or "Caseflow <noreply@example.com>".
	// Its domain also names the Message-ID.
	From string
	// Username and Password enable SMTP AUTH when Username is set. The
	// mechanism is the first the server offers of SCRAM-SHA-256, SCRAM-SHA-1,
	// PLAIN, LOGIN; PLAIN and LOGIN refuse to send the password over a
	// connection without TLS unless the server is localhost/127.0.0.1/::1.
	Username, Password string
	// TLS is one of "starttls" (default, also ""), "starttls-required",
	// "none", "tls".
	TLS string
	// TLSConfig optionally overrides the TLS settings (e.g. RootCAs for an
	// internal CA). ServerName defaults to the host of Addr.
	TLSConfig *tls.Config
	// Timeout bounds the connection and each SMTP command; default 30s.
	Timeout time.Duration
}

// SMTP sends notifications as plain-text e-mail to n.Email through an SMTP
// server (github.com/wneessen/go-mail). It opens one connection per Send and
// is safe for concurrent use.
//
// The Message-ID is derived from n.ID (see MessageID), so a message repeated
// by a retry carries the same Message-ID and mail systems can drop the
// duplicate.
//
// Errors: no e-mail address → ErrNotApplicable; an address that does not
// parse, or a 5xx reply to RCPT TO or to the message data → ErrPermanent.
// Everything else (connection, TLS, AUTH, 4xx replies, a rejected sender,
// which is a configuration problem) is transient. Once the server has
// accepted the message data, Send returns nil even if the closing
// RSET/QUIT fails, so a retry does not send the message twice.
type SMTP struct {
	host, port string
	from       *netmail.Address
	domain     string
	cfg        SMTPConfig
	tlsConfig  *tls.Config
}

// NewSMTP validates cfg and returns the channel.
func NewSMTP(cfg SMTPConfig) (*SMTP, error) {
	host, port, err := net.SplitHostPort(cfg.Addr)
	if err != nil || host == "" {
		return nil, fmt.Errorf("notify: smtp addr %q: want host:port", cfg.Addr)
	}
	if p, err := strconv.Atoi(port); err != nil || p < 1 || p > 65535 {
		return nil, fmt.Errorf("notify: smtp addr %q: bad port", cfg.Addr)
	}
	from, err := netmail.ParseAddress(cfg.From)
	if err != nil {
		return nil, fmt.Errorf("notify: smtp from %q: %w", cfg.From, err)
	}
	switch cfg.TLS {
	case "":
		cfg.TLS = SMTPStartTLS
	case SMTPStartTLS, SMTPStartTLSRequired, SMTPNoTLS, SMTPImplicitTLS:
	default:
		return nil, fmt.Errorf("notify: smtp tls %q: want starttls, starttls-required, none or tls", cfg.TLS)
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = 30 * time.Second
	}
	tc := &tls.Config{MinVersion: tls.VersionTLS12}
	if cfg.TLSConfig != nil {
		tc = cfg.TLSConfig.Clone()
	}
	if tc.ServerName == "" {
		tc.ServerName = host
	}
	return &SMTP{
		host:      host,
		port:      port,
		from:      from,
		domain:    from.Address[strings.LastIndexByte(from.Address, '@')+1:],
		cfg:       cfg,
		tlsConfig: tc,
	}, nil
}

// Name implements Channel.
func (s *SMTP) Name() string { return "email" }

// MessageID returns the Message-ID header value (with angle brackets) used
// for notification id sent from domain: "<notify.ID@domain>" when the ID is a
// valid dot-atom, else "<notify.h<sha256 prefix>@domain>".
func MessageID(id, domain string) string {
	local := id
	if !isDotAtom(id) {
		sum := sha256.Sum256([]byte(id))
		local = "h" + hex.EncodeToString(sum[:16])
	}
	return "<notify." + local + "@" + domain + ">"
}

// isDotAtom reports whether s is an RFC 5322 dot-atom-text.
func isDotAtom(s string) bool {
	if s == "" || len(s) > 200 || s[0] == '.' || s[len(s)-1] == '.' || strings.Contains(s, "..") {
		return false
	}
	for _, r := range s {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9':
		case strings.ContainsRune("!#$%&'*+-/=?^_`{|}~.", r):
		default:
			return false
		}
	}
	return true
}

// Send implements Channel.
func (s *SMTP) Send(ctx context.Context, n complaint.Notification) error {
	if strings.TrimSpace(n.Email) == "" {
		return fmt.Errorf("notify: email: notification %s: recipient %q has no e-mail address: %w", n.ID, n.Recipient, ErrNotApplicable)
	}
	to, err := netmail.ParseAddress(n.Email)
	if err != nil {
		return fmt.Errorf("notify: email: notification %s: address %q: %v: %w", n.ID, n.Email, err, ErrPermanent)
	}
	if to.Name == "" {
		to.Name = oneLine(n.Name)
	}

	subject, text := n.Subject, n.Text
	if subject == "" || text == "" {
		rs, rt := Render(n)
		subject = orDefault(subject, rs)
		text = orDefault(text, rt)
	}

	msg := gomail.NewMsg(gomail.WithNoDefaultUserAgent())
	msg.FromMailAddress(s.from)
	msg.ToMailAddress(to)
	msg.Subject(oneLine(subject))
	msg.SetMessageIDWithValue(strings.Trim(MessageID(n.ID, s.domain), "<>"))
	msg.SetDate()
	// RFC 3834: automated message, do not auto-reply.
	msg.SetGenHeader("Auto-Submitted", "auto-generated")
	msg.SetGenHeader(gomail.HeaderXAutoResponseSuppress, "All")
	msg.SetGenHeader("X-Caseflow-Notification-Id", oneLine(n.ID))
	if n.CaseNumber != "" {
		msg.SetGenHeader("X-Caseflow-Case", oneLine(n.CaseNumber))
	}
	msg.SetBodyString(gomail.TypeTextPlain, text)

	// stop closes the connection if ctx ends while the session is running;
	// go-mail itself only uses ctx for dialing.
	var stop func() bool
	port, _ := strconv.Atoi(s.port)
	dial := func(dctx context.Context, network, addr string) (net.Conn, error) {
		var (
			c   net.Conn
			err error
		)
		d := &net.Dialer{}
		if s.cfg.TLS == SMTPImplicitTLS {
			c, err = (&tls.Dialer{NetDialer: d, Config: s.tlsConfig}).DialContext(dctx, network, addr)
		} else {
			c, err = d.DialContext(dctx, network, addr)
		}
		if err != nil {
			return nil, err
		}
		stop = context.AfterFunc(ctx, func() { _ = c.Close() })
		return c, nil
	}
	opts := []gomail.Option{
		gomail.WithPort(port),
		gomail.WithTimeout(s.cfg.Timeout),
		gomail.WithDialContextFunc(dial),
		gomail.WithTLSConfig(s.tlsConfig),
	}
	switch s.cfg.TLS {
	case SMTPStartTLS:
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSOpportunistic))
	case SMTPStartTLSRequired:
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSMandatory))
	default: // none, or implicit TLS done by dial
		opts = append(opts, gomail.WithTLSPolicy(gomail.NoTLS))
	}
	if s.cfg.Username != "" {
		opts = append(opts,
			gomail.WithOpportunisticSMTPAuth(gomail.SMTPAuthSCRAMSHA256, gomail.SMTPAuthSCRAMSHA1, gomail.SMTPAuthPlain, gomail.SMTPAuthLogin),
			gomail.WithUsername(s.cfg.Username),
			gomail.WithPassword(s.cfg.Password),
		)
	}
	client, err := gomail.NewClient(s.host, opts...)
	if err != nil {
		return fmt.Errorf("notify: email: %w", err)
	}

	err = client.DialAndSendWithContext(ctx, msg)
	if stop != nil {
		stop()
	}
	if err == nil || msg.IsDelivered() {
		return nil
	}
	if cerr := context.Cause(ctx); cerr != nil && !errors.Is(err, cerr) {
		err = fmt.Errorf("%w (%w)", cerr, err)
	}
	err = fmt.Errorf("notify: email: notification %s to %s via %s: %w", n.ID, to.Address, s.cfg.Addr, err)
	if smtpPermanent(err) {
		return fmt.Errorf("%w: %w", err, ErrPermanent)
	}
	return err
}

// smtpPermanent reports whether err contains a 5xx reply to RCPT TO or to the
// message data: the recipient or the message is refused for good.
func smtpPermanent(err error) bool {
	var se *gomail.SendError
	if !errors.As(err, &se) {
		return false
	}
	code := se.ErrorCode()
	if code < 500 || code > 599 {
		return false
	}
	switch se.Reason {
	case gomail.ErrSMTPRcptTo, gomail.ErrSMTPData, gomail.ErrSMTPDataClose:
		return true
	}
	return false
}
