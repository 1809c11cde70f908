package notify

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"io"
	"math/big"
	"mime"
	"mime/quotedprintable"
	"net"
	netmail "net/mail"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/caseflow/caseflow/complaint"
	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
	"github.com/stretchr/testify/require"
)

// received is one message as the test SMTP server saw it.
type received struct {
	From string
	To   []string
	Data []byte
	TLS  bool
	User string
}

// smtpBackend is an in-process SMTP server backend that collects messages.
type smtpBackend struct {
	requireAuth bool
	user, pass  string
	rejectRcpt  map[string]*smtp.SMTPError

	mu   sync.Mutex
	msgs []received
}

func (b *smtpBackend) NewSession(c *smtp.Conn) (smtp.Session, error) {
	return &smtpSession{b: b, conn: c}, nil
}

func (b *smtpBackend) messages() []received {
	b.mu.Lock()
	defer b.mu.Unlock()
	return append([]received(nil), b.msgs...)
}

type smtpSession struct {
	b    *smtpBackend
	conn *smtp.Conn
	user string
	cur  received
}

func (s *smtpSession) AuthMechanisms() []string { return []string{sasl.Plain} }

func (s *smtpSession) Auth(string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(_, username, password string) error {
		if username != s.b.user || password != s.b.pass {
			return &smtp.SMTPError{Code: 535, EnhancedCode: smtp.EnhancedCode{5, 7, 8}, Message: "bad credentials"}
		}
		s.user = username
		return nil
	}), nil
}

func (s *smtpSession) Mail(from string, _ *smtp.MailOptions) error {
	if s.b.requireAuth && s.user == "" {
		return smtp.ErrAuthRequired
	}
	s.cur = received{From: from, User: s.user}
	return nil
}

func (s *smtpSession) Rcpt(to string, _ *smtp.RcptOptions) error {
	if e, ok := s.b.rejectRcpt[to]; ok {
		return e
	}
	s.cur.To = append(s.cur.To, to)
	return nil
}

func (s *smtpSession) Data(r io.Reader) error {
	data, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	s.cur.Data = data
	_, s.cur.TLS = s.conn.TLSConnectionState()
	s.b.mu.Lock()
	s.b.msgs = append(s.b.msgs, s.cur)
	s.b.mu.Unlock()
	return nil
}

func (s *smtpSession) Reset()        { s.cur = received{} }
func (s *smtpSession) Logout() error { return nil }

// startSMTP serves b on 127.0.0.1:0; implicitTLS wraps the listener in TLS.
// tlsCfg (optional) enables STARTTLS.
func startSMTP(t *testing.T, b *smtpBackend, tlsCfg *tls.Config, implicitTLS bool) string {
	t.Helper()
	srv := smtp.NewServer(b)
	srv.Domain = "localhost"
	srv.AllowInsecureAuth = true
	srv.ReadTimeout = 10 * time.Second
	srv.WriteTimeout = 10 * time.Second
	srv.TLSConfig = tlsCfg
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	if implicitTLS {
		ln = tls.NewListener(ln, tlsCfg)
	}
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(func() { _ = srv.Close() })
	return ln.Addr().String()
}

// testCert returns a server config with a self-signed certificate for
// 127.0.0.1 and a client pool that trusts it.
func testCert(t *testing.T) (*tls.Config, *x509.CertPool) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: "caseflow test"},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(time.Hour),
		IPAddresses:           []net.IP{net.IPv4(127, 0, 0, 1)},
		KeyUsage:              x509.KeyUsageDigitalSignature,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
		IsCA:                  true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	require.NoError(t, err)
	cert, err := x509.ParseCertificate(der)
	require.NoError(t, err)
	pool := x509.NewCertPool()
	pool.AddCert(cert)
	return &tls.Config{Certificates: []tls.Certificate{{Certificate: [][]byte{der}, PrivateKey: key}}}, pool
}

func testNotification() complaint.Notification {
	n := complaint.Notification{
		ID:          "ntf-0001",
		ComplaintID: "c-42",
		CaseNumber:  "CMP-2026-000123",
		Clock:       complaint.ClockResolution,
		Kind:        complaint.NotificationEscalation,
		Level:       2,
		Recipient:   "supervisor@after_sales",
		Name:        "Zhang Wei 张伟",
		Email:       "zhang.wei@example.com",
		DueAt:       time.Date(2026, 5, 1, 10, 0, 0, 0, time.UTC),
		CreatedAt:   time.Date(2026, 5, 1, 10, 0, 5, 0, time.UTC),
	}
	n.Subject, n.Text = Render(n)
	return n
}

// parsed decodes a received message's headers and body.
func parsed(t *testing.T, data []byte) (netmail.Header, string) {
	t.Helper()
	m, err := netmail.ReadMessage(bytes.NewReader(data))
	require.NoError(t, err)
	var body io.Reader = m.Body
	if strings.EqualFold(m.Header.Get("Content-Transfer-Encoding"), "quoted-printable") {
		body = quotedprintable.NewReader(m.Body)
	}
	b, err := io.ReadAll(body)
	require.NoError(t, err)
	return m.Header, strings.ReplaceAll(string(b), "\r\n", "\n")
}

func TestSMTPSend(t *testing.T) {
	serverTLS, pool := testCert(t)
	tests := []struct {
		name        string
		backend     *smtpBackend
		serverTLS   *tls.Config // enables STARTTLS (or implicit TLS)
		implicitTLS bool
		cfg         SMTPConfig
		wantTLS     bool
		wantUser    string
	}{
		{
			name:    "plain relay, no TLS offered, opportunistic STARTTLS",
			backend: &smtpBackend{},
			cfg:     SMTPConfig{From: "Caseflow <noreply@caseflow.example>"},
		},
		{
			name:    "TLS none",
			backend: &smtpBackend{},
			cfg:     SMTPConfig{From: "noreply@caseflow.example", TLS: SMTPNoTLS},
		},
		{
			name:      "AUTH PLAIN required",
			backend:   &smtpBackend{requireAuth: true, user: "notifier", pass: "s3cret"},
			cfg:       SMTPConfig{From: "noreply@caseflow.example", Username: "notifier", Password: "s3cret"},
			wantUser:  "notifier",
			serverTLS: nil,
		},
		{
			name:      "STARTTLS offered and used, with AUTH",
			backend:   &smtpBackend{requireAuth: true, user: "notifier", pass: "s3cret"},
			serverTLS: serverTLS,
			cfg: SMTPConfig{From: "noreply@caseflow.example", Username: "notifier", Password: "s3cret",
				TLS: SMTPStartTLSRequired, TLSConfig: &tls.Config{RootCAs: pool}},
			wantTLS:  true,
			wantUser: "notifier",
		},
		{
			name:      "STARTTLS opportunistic upgrades when offered",
			backend:   &smtpBackend{},
			serverTLS: serverTLS,
			cfg:       SMTPConfig{From: "noreply@caseflow.example", TLSConfig: &tls.Config{RootCAs: pool}},
			wantTLS:   true,
		},
		{
			name:        "implicit TLS",
			backend:     &smtpBackend{},
			serverTLS:   serverTLS,
			implicitTLS: true,
			cfg:         SMTPConfig{From: "noreply@caseflow.example", TLS: SMTPImplicitTLS, TLSConfig: &tls.Config{RootCAs: pool}},
			wantTLS:     true,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tc.cfg.Addr = startSMTP(t, tc.backend, tc.serverTLS, tc.implicitTLS)
			ch, err := NewSMTP(tc.cfg)
			require.NoError(t, err)
			require.Equal(t, "email", ch.Name())

			n := testNotification()
			require.NoError(t, ch.Send(t.Context(), n))

			msgs := tc.backend.messages()
			require.Len(t, msgs, 1)
			got := msgs[0]
			require.Equal(t, "noreply@caseflow.example", got.From)
			require.Equal(t, []string{"zhang.wei@example.com"}, got.To)
			require.Equal(t, tc.wantTLS, got.TLS)
			require.Equal(t, tc.wantUser, got.User)

			h, body := parsed(t, got.Data)
			subject, err := new(mime.WordDecoder).DecodeHeader(h.Get("Subject"))
			require.NoError(t, err)
			require.Equal(t, n.Subject, subject)
			require.Equal(t, "[escalation L2] CMP-2026-000123 resolution deadline breached (due 2026-05-01T10:00:00Z)", subject)
			require.Equal(t, "<notify.ntf-0001@caseflow.example>", h.Get("Message-Id"))
			require.Equal(t, MessageID(n.ID, "caseflow.example"), h.Get("Message-Id"))
			require.Equal(t, "auto-generated", h.Get("Auto-Submitted"))
			require.Equal(t, "ntf-0001", h.Get("X-Caseflow-Notification-Id"))
			require.Contains(t, h.Get("Content-Type"), "text/plain")
			to, err := h.AddressList("To")
			require.NoError(t, err)
			require.Equal(t, []*netmail.Address{{Name: "Zhang Wei 张伟", Address: "zhang.wei@example.com"}}, to)
			require.Equal(t, n.Text, strings.TrimRight(body, "\n"))
			require.Contains(t, body, "Due:          2026-05-01T10:00:00Z")
		})
	}
}

func TestSMTPSendTwiceKeepsMessageID(t *testing.T) {
	b := &smtpBackend{}
	ch, err := NewSMTP(SMTPConfig{Addr: startSMTP(t, b, nil, false), From: "noreply@caseflow.example"})
	require.NoError(t, err)
	n := testNotification()
	n.ID = "outbox/17 retry" // not a dot-atom: hashed
	require.NoError(t, ch.Send(t.Context(), n))
	require.NoError(t, ch.Send(t.Context(), n))
	msgs := b.messages()
	require.Len(t, msgs, 2)
	h1, _ := parsed(t, msgs[0].Data)
	h2, _ := parsed(t, msgs[1].Data)
	require.Equal(t, h1.Get("Message-Id"), h2.Get("Message-Id"))
	require.Equal(t, MessageID(n.ID, "caseflow.example"), h1.Get("Message-Id"))
	require.Regexp(t, `^<notify\.h[0-9a-f]{32}@caseflow\.example>$`, h1.Get("Message-Id"))
}

func TestSMTPErrors(t *testing.T) {
	tests := []struct {
		name          string
		backend       *smtpBackend
		cfg           SMTPConfig
		mutate        func(*complaint.Notification)
		wantPermanent bool
		wantNotAppl   bool
	}{
		{
			name:          "rejected recipient 550",
			backend:       &smtpBackend{rejectRcpt: map[string]*smtp.SMTPError{"zhang.wei@example.com": {Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1}, Message: "no such user"}}},
			wantPermanent: true,
		},
		{
			name:    "recipient greylisted 450 is transient",
			backend: &smtpBackend{rejectRcpt: map[string]*smtp.SMTPError{"zhang.wei@example.com": {Code: 450, EnhancedCode: smtp.EnhancedCode{4, 2, 0}, Message: "try later"}}},
		},
		{
			name:    "wrong password is transient (configuration)",
			backend: &smtpBackend{requireAuth: true, user: "notifier", pass: "s3cret"},
			cfg:     SMTPConfig{Username: "notifier", Password: "wrong"},
		},
		{
			name:    "STARTTLS required but not offered is transient",
			backend: &smtpBackend{},
			cfg:     SMTPConfig{TLS: SMTPStartTLSRequired},
		},
		{
			name:          "invalid address",
			backend:       &smtpBackend{},
			mutate:        func(n *complaint.Notification) { n.Email = "not an address" },
			wantPermanent: true,
		},
		{
			name:          "no address: not applicable",
			backend:       &smtpBackend{},
			mutate:        func(n *complaint.Notification) { n.Email = "" },
			wantPermanent: true,
			wantNotAppl:   true,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tc.cfg.Addr = startSMTP(t, tc.backend, nil, false)
			tc.cfg.From = "noreply@caseflow.example"
			ch, err := NewSMTP(tc.cfg)
			require.NoError(t, err)
			n := testNotification()
			if tc.mutate != nil {
				tc.mutate(&n)
			}
			err = ch.Send(t.Context(), n)
			require.Error(t, err)
			require.Equal(t, tc.wantPermanent, errors.Is(err, ErrPermanent), "permanent: %v", err)
			require.Equal(t, tc.wantNotAppl, errors.Is(err, ErrNotApplicable), "not applicable: %v", err)
			require.Contains(t, err.Error(), n.ID)
			require.Empty(t, tc.backend.messages())
		})
	}
}

func TestSMTPConnectionRefusedIsTransient(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := ln.Addr().String()
	require.NoError(t, ln.Close())
	ch, err := NewSMTP(SMTPConfig{Addr: addr, From: "noreply@caseflow.example", Timeout: 2 * time.Second})
	require.NoError(t, err)
	err = ch.Send(t.Context(), testNotification())
	require.Error(t, err)
	require.False(t, errors.Is(err, ErrPermanent), "%v", err)
}

func TestSMTPContextCancelled(t *testing.T) {
	b := &smtpBackend{}
	ch, err := NewSMTP(SMTPConfig{Addr: startSMTP(t, b, nil, false), From: "noreply@caseflow.example"})
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	err = ch.Send(ctx, testNotification())
	require.ErrorIs(t, err, context.Canceled)
	require.Error(t, err)
	require.False(t, errors.Is(err, ErrPermanent), "%v", err)
	require.Empty(t, b.messages())
}

func TestNewSMTPValidates(t *testing.T) {
	tests := []struct {
		name string
		cfg  SMTPConfig
	}{
		{"no port", SMTPConfig{Addr: "smtp.example.com", From: "a@b.example"}},
		{"bad port", SMTPConfig{Addr: "smtp.example.com:x", From: "a@b.example"}},
		{"bad from", SMTPConfig{Addr: "smtp.example.com:25", From: "nobody"}},
		{"bad tls", SMTPConfig{Addr: "smtp.example.com:25", From: "a@b.example", TLS: "ssl"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := NewSMTP(tc.cfg)
			require.Error(t, err)
		})
	}
}
