package app_test

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"io"
	"mime/quotedprintable"
	"net"
	"net/http"
	"net/http/httptest"
	"net/mail"
	"strings"
	"sync"
	"testing"

	"github.com/emersion/go-smtp"
	"github.com/stretchr/testify/require"

	"github.com/caseflow/caseflow/complaint"
	"github.com/caseflow/caseflow/notify"
)

// delivery is one notification as a receiver saw it.
type delivery struct {
	To    string
	Kind  string
	Clock string
	Level int
	ID    string
	// Text is a mail's decoded body.
	Text string
}

// receivers are a webhook endpoint and an SMTP server the test runs, which
// record what reaches them.
type receivers struct {
	mu       sync.Mutex
	webhooks []delivery
	mails    []delivery

	webhookURL string
	smtpAddr   string
}

const webhookSecret = "test-webhook-secret"

func startReceivers(t *testing.T) *receivers {
	t.Helper()
	r := &receivers{}
	hook := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		body, _ := io.ReadAll(req.Body)
		if !notify.VerifySignature(webhookSecret, req.Header.Get("X-Caseflow-Timestamp"), body, req.Header.Get("X-Caseflow-Signature")) {
			http.Error(w, "bad signature", http.StatusUnauthorized)
			return
		}
		var payload struct {
			Notification complaint.Notification `json:"notification"`
		}
		if err := json.Unmarshal(body, &payload); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		n := payload.Notification
		r.mu.Lock()
		r.webhooks = append(r.webhooks, delivery{To: n.Name, Kind: n.Kind, Clock: n.Clock, Level: n.Level, ID: n.ID})
		r.mu.Unlock()
	}))
	t.Cleanup(hook.Close)
	r.webhookURL = hook.URL

	srv := smtp.NewServer(smtpBackend{r})
	srv.Domain = "localhost"
	srv.AllowInsecureAuth = true
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(func() { srv.Close() })
	r.smtpAddr = ln.Addr().String()
	return r
}

// mailTo answers the texts of the mails that reached address.
func (r *receivers) mailTo(address string) []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []string
	for _, d := range r.mails {
		if strings.Contains(d.To, address) {
			out = append(out, d.Text)
		}
	}
	return out
}

// count returns how many webhooks and mails carried kind and level.
func (r *receivers) count(kind string, level int) (webhooks, mails int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, d := range r.webhooks {
		if d.Kind == kind && d.Level == level {
			webhooks++
		}
	}
	for _, d := range r.mails {
		if d.Kind == kind && d.Level == level {
			mails++
		}
	}
	return webhooks, mails
}

type smtpBackend struct{ r *receivers }

func (b smtpBackend) NewSession(*smtp.Conn) (smtp.Session, error) { return &smtpSession{r: b.r}, nil }

type smtpSession struct {
	r  *receivers
	to string
}

func (s *smtpSession) Mail(string, *smtp.MailOptions) error { return nil }
func (s *smtpSession) Rcpt(to string, _ *smtp.RcptOptions) error {
	s.to = to
	return nil
}

// Data records the message by the notification headers caseflow's text
// carries in its subject: "[escalation L2] …" or "[warning W1] …".
func (s *smtpSession) Data(r io.Reader) error {
	raw, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	d := delivery{To: s.to}
	// The Message-ID names the notification, as X-Caseflow-Delivery does.
	if m, err := mail.ReadMessage(bytes.NewReader(raw)); err == nil {
		d.ID = m.Header.Get("Message-Id")
		body := m.Body
		switch strings.ToLower(m.Header.Get("Content-Transfer-Encoding")) {
		case "quoted-printable":
			body = quotedprintable.NewReader(body)
		case "base64":
			body = base64.NewDecoder(base64.StdEncoding, body)
		}
		text, _ := io.ReadAll(body)
		d.Text = string(text)
	}
	switch {
	case bytes.Contains(raw, []byte("[warning W1]")):
		d.Kind, d.Level = "warning", 1
	case bytes.Contains(raw, []byte("[escalation L1]")):
		d.Kind, d.Level = "escalation", 1
	case bytes.Contains(raw, []byte("[escalation L2]")):
		d.Kind, d.Level = "escalation", 2
	case bytes.Contains(raw, []byte("[escalation L3]")):
		d.Kind, d.Level = "escalation", 3
	}
	s.r.mu.Lock()
	s.r.mails = append(s.r.mails, d)
	s.r.mu.Unlock()
	return nil
}
func (s *smtpSession) Reset()        {}
func (s *smtpSession) Logout() error { return nil }
