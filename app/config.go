// Package app wires caseflow's parts into the processes the binary runs:
// the embedded dev stack, the API server, the worker and migrations.
package app

import (
	"context"
	"errors"
	"fmt"
	"github.com/caseflow/caseflow/servicerecord"
	"log/slog"
	"net"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/caseflow/caseflow/accounts"
	"github.com/caseflow/caseflow/auth"
	"github.com/caseflow/caseflow/complaint"
	"github.com/caseflow/caseflow/console"
	"github.com/caseflow/caseflow/followup"
	"github.com/caseflow/caseflow/notify"
	"github.com/caseflow/caseflow/store"
)

// Config is read from the environment; every variable has a default that
// suits `caseflow dev` on one machine.
type Config struct {
	TemporalAddress     string
	Namespace           string
	TaskQueue           string
	DatabaseURL         string
	DataDir             string
	HTTPAddr            string
	UIAddr              string
	MetricsAddr         string
	TemporalDatabaseURL string
	LogFormat           string
	LogLevel            string
	JWT                 auth.JWTConfig
	OIDC                console.OIDCConfig
	OIDCScopes          string
	WebUIURL            string
	PDFFont             string
	CompanyName         string
	SMTP                notify.SMTPConfig
	WebhookSecret       string
	WebhookURL          string
	ActorKeys           string
	Keyring             string
	PayloadCompression  string
	CodecCORSOrigin     string
	UIWriteActions      string
	TemporalTLS         struct{ Cert, Key, CA, ServerName string }
	TemporalAPIKey      string
	TemporalCompression string
	WebhookAllowHTTP    string
	WebhookAllow        string
	MaxReceivedAge      string
	TokenCacheTTL       string
	WorkflowCacheSize   string
	TimeZone            string
	PublicURL           string
	DBMaxConns          string
	// The follow-up policy's durations (followup.Policy).
	DeliveryCallAfter, PostCloseCallAfter, FollowupCallWindow, FollowupReminderLead string
	SurveyValidFor, FeedbackRespondWithin                                           string
}

// Variable documents one environment variable.
type Variable struct {
	Name, Default, Usage string
	field                func(*Config) *string
}

// Variables lists every environment variable, for `caseflow help` and the README.
var Variables = []Variable{
	{"TEMPORAL_ADDRESS", "127.0.0.1:7233", "Temporal frontend host:port (dev serves it there, on loopback only)", func(c *Config) *string { return &c.TemporalAddress }},
	{"TEMPORAL_TLS_CERT", "", "client certificate (PEM file) presented to Temporal's frontend for mutual TLS", func(c *Config) *string { return &c.TemporalTLS.Cert }},
	{"TEMPORAL_TLS_KEY", "", "its private key (PEM file)", func(c *Config) *string { return &c.TemporalTLS.Key }},
	{"TEMPORAL_TLS_CA", "", "CA (PEM file) that signed the frontend's certificate; turns TLS on", func(c *Config) *string { return &c.TemporalTLS.CA }},
	{"TEMPORAL_TLS_SERVER_NAME", "", "name in the frontend's certificate, when not the host of TEMPORAL_ADDRESS", func(c *Config) *string { return &c.TemporalTLS.ServerName }},
	{"TEMPORAL_API_KEY", "", "API key sent to Temporal as a bearer token (Temporal Cloud); turns TLS on", func(c *Config) *string { return &c.TemporalAPIKey }},
	{"TEMPORAL_GRPC_COMPRESSION", "none", "none or gzip: compress requests to Temporal (payloads are compressed before they are sealed, so gzip mostly spends CPU)", func(c *Config) *string { return &c.TemporalCompression }},
	{"TEMPORAL_NAMESPACE", "caseflow", "Temporal namespace of the case workflows", func(c *Config) *string { return &c.Namespace }},
	{"TEMPORAL_TASK_QUEUE", "caseflow", "task queue the worker polls", func(c *Config) *string { return &c.TaskQueue }},
	{"DATABASE_URL", "", "case store: postgres://… (lib/pq) or sqlite:PATH; dev defaults to sqlite:<data dir>/cases.db", func(c *Config) *string { return &c.DatabaseURL }},
	{"CASEFLOW_DB_MAX_CONNS", "20", "PostgreSQL case store: most connections each process opens (size PostgreSQL's max_connections for every replica)", func(c *Config) *string { return &c.DBMaxConns }},
	{"CASEFLOW_DATA_DIR", "./.caseflow", "dev: where the SQLite files live", func(c *Config) *string { return &c.DataDir }},
	{"CASEFLOW_HTTP_ADDR", "127.0.0.1:8080", "address of the HTTP API", func(c *Config) *string { return &c.HTTPAddr }},
	{"CASEFLOW_UI_ADDR", "127.0.0.1:8233", "dev: address of the Temporal Web UI (loopback only)", func(c *Config) *string { return &c.UIAddr }},
	{"CASEFLOW_UI_WRITE_ACTIONS", "false", "dev: let the Web UI terminate, cancel, signal and update workflows (debugging only: it has no login)", func(c *Config) *string { return &c.UIWriteActions }},
	{"CASEFLOW_METRICS_ADDR", "127.0.0.1:9090", "address of /healthz and /metrics (server, worker and dev; never on the API port)", func(c *Config) *string { return &c.MetricsAddr }},
	{"CASEFLOW_TEMPORAL_DATABASE_URL", "", "dev: keep Temporal's own state in PostgreSQL (postgres://…) instead of SQLite", func(c *Config) *string { return &c.TemporalDatabaseURL }},
	{"CASEFLOW_LOG_FORMAT", "json (text in dev)", "log format: json or text", func(c *Config) *string { return &c.LogFormat }},
	{"CASEFLOW_LOG_LEVEL", "info", "log level: debug, info, warn, error", func(c *Config) *string { return &c.LogLevel }},
	{"CASEFLOW_JWT_JWKS_URL", "", "accept JWTs (RS256/ES256) signed by the keys at this JWKS URL", func(c *Config) *string { return &c.JWT.JWKSURL }},
	{"CASEFLOW_JWT_ISSUER", "", "required iss of JWTs", func(c *Config) *string { return &c.JWT.Issuer }},
	{"CASEFLOW_JWT_AUDIENCE", "", "required aud of JWTs", func(c *Config) *string { return &c.JWT.Audience }},
	{"CASEFLOW_JWT_DEPARTMENT_CLAIM", "department", "JWT claim with the caller's department", func(c *Config) *string { return &c.JWT.DepartmentClaim }},
	{"CASEFLOW_JWT_ROLES_CLAIM", "roles", "JWT claim with the caller's roles (list or space-separated)", func(c *Config) *string { return &c.JWT.RolesClaim }},
	{"CASEFLOW_JWT_NAME_CLAIM", "name", "JWT claim with the caller's display name", func(c *Config) *string { return &c.JWT.NameClaim }},
	{"CASEFLOW_OIDC_ISSUER", "", "console: sign users in at this OpenID Connect provider (its issuer URL); the CASEFLOW_JWT_*_CLAIM variables name the ID token's claims", func(c *Config) *string { return &c.OIDC.Issuer }},
	{"CASEFLOW_OIDC_CLIENT_ID", "", "console: client id registered at the provider; the ID token's required aud", func(c *Config) *string { return &c.OIDC.ClientID }},
	{"CASEFLOW_OIDC_CLIENT_SECRET", "", "console: its client secret", func(c *Config) *string { return &c.OIDC.ClientSecret }},
	{"CASEFLOW_OIDC_REDIRECT_URL", "", "console: its public URL + /console/oidc/callback, as registered at the provider", func(c *Config) *string { return &c.OIDC.RedirectURL }},
	{"CASEFLOW_OIDC_SCOPES", "openid profile email", "console: space-separated scopes asked of the provider (add the one that releases the roles claim, if it needs one)", func(c *Config) *string { return &c.OIDCScopes }},
	{"CASEFLOW_TEMPORAL_UI_URL", "", "console: the Temporal Web UI's address, to link each case to its workflow (caseflow dev links its own)", func(c *Config) *string { return &c.WebUIURL }},
	{"CASEFLOW_PDF_FONT", "", "a TrueType font with Chinese glyphs for service-record PDFs (default: Debian's fonts-droid-fallback, /usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf)", func(c *Config) *string { return &c.PDFFont }},
	{"CASEFLOW_COMPANY_NAME", "caseflow", "the company name that heads each service record", func(c *Config) *string { return &c.CompanyName }},
	{"CASEFLOW_SMTP_ADDR", "", "send notifications by e-mail through this SMTP server (host:port)", func(c *Config) *string { return &c.SMTP.Addr }},
	{"CASEFLOW_SMTP_FROM", "caseflow@localhost", "sender address of notification e-mail", func(c *Config) *string { return &c.SMTP.From }},
	{"CASEFLOW_SMTP_USERNAME", "", "SMTP AUTH user (none when empty)", func(c *Config) *string { return &c.SMTP.Username }},
	{"CASEFLOW_SMTP_PASSWORD", "", "SMTP AUTH password", func(c *Config) *string { return &c.SMTP.Password }},
	{"CASEFLOW_SMTP_TLS", "starttls", "starttls (when offered), starttls-required, tls or none", func(c *Config) *string { return &c.SMTP.TLS }},
	{"CASEFLOW_WEBHOOK_SECRET", "", "HMAC-SHA256 key signing notification webhooks; enables the webhook channel", func(c *Config) *string { return &c.WebhookSecret }},
	{"CASEFLOW_ACTOR_KEYS", "", "server and worker (required): keys signing who takes each step, id:base64key,… (32+ bytes each; the first signs, all verify); dev keeps a generated one in the data dir", func(c *Config) *string { return &c.ActorKeys }},
	{"CASEFLOW_KEYRING", "", "server, worker and migrate (required): keys encrypting what caseflow stores in Temporal, id:base64key,… (32 bytes each; the first encrypts, all decrypt; `caseflow keys new` makes one); dev keeps a generated one in the data dir", func(c *Config) *string { return &c.Keyring }},
	{"CASEFLOW_PAYLOAD_COMPRESSION", "zstd", "zstd or none: compress Temporal payloads before encrypting them", func(c *Config) *string { return &c.PayloadCompression }},
	{"CASEFLOW_CODEC_CORS_ORIGIN", "", "server: the Temporal Web UI's origin (https://temporal.example.com) allowed to call the codec server at /codec; caseflow dev sets its own", func(c *Config) *string { return &c.CodecCORSOrigin }},
	{"CASEFLOW_WEBHOOK_URL", "", "webhook for recipients without their own; enables the webhook channel", func(c *Config) *string { return &c.WebhookURL }},
	{"CASEFLOW_WEBHOOK_ALLOW_HTTP", "false", "let webhooks use http as well as https", func(c *Config) *string { return &c.WebhookAllowHTTP }},
	{"CASEFLOW_WEBHOOK_ALLOW", "", "comma-separated CIDRs, addresses and host names that webhooks may reach although not public (loopback, private, link-local…)", func(c *Config) *string { return &c.WebhookAllow }},
	{"CASEFLOW_TOKEN_CACHE_TTL", "5s", "how long an API token's user is remembered between store reads; a revocation elsewhere takes effect within it (0 reads the store on every request)", func(c *Config) *string { return &c.TokenCacheTTL }},
	{"CASEFLOW_WORKFLOW_CACHE_SIZE", "2000", "worker and dev: case workflows kept in memory between their tasks (about 150-200 KB each); others replay their history on their next task", func(c *Config) *string { return &c.WorkflowCacheSize }},
	{"CASEFLOW_TIME_ZONE", complaint.DefaultTimeZone, "the company's time zone (IANA name): the monthly review runs at 08:00 on the 1st there and counts its months there; corrective actions' dates and the console's date filters are days there", func(c *Config) *string { return &c.TimeZone }},
	{"CASEFLOW_PUBLIC_URL", "", "the address customers reach caseflow at (https://service.example.com): survey links start with it; default http:// + CASEFLOW_HTTP_ADDR", func(c *Config) *string { return &c.PublicURL }},
	{"CASEFLOW_DELIVERY_CALL_AFTER", "168h", "follow-ups: how long after an equipment's delivery the customer is called (Go duration)", func(c *Config) *string { return &c.DeliveryCallAfter }},
	{"CASEFLOW_POST_CLOSE_CALL_AFTER", "72h", "follow-ups: how long after a case closes the customer is called back", func(c *Config) *string { return &c.PostCloseCallAfter }},
	{"CASEFLOW_FOLLOWUP_CALL_WINDOW", "48h", "follow-ups: how long a call has from appearing until it is due", func(c *Config) *string { return &c.FollowupCallWindow }},
	{"CASEFLOW_FOLLOWUP_REMINDER_LEAD", "24h", "follow-ups: how long before its due time the owner is reminded", func(c *Config) *string { return &c.FollowupReminderLead }},
	{"CASEFLOW_SURVEY_VALID_FOR", "720h", "how long a customer's survey link works", func(c *Config) *string { return &c.SurveyValidFor }},
	{"CASEFLOW_FEEDBACK_RESPOND_WITHIN", "2h", "enquiries and suggestions not answered within this escalate to their department's supervisors", func(c *Config) *string { return &c.FeedbackRespondWithin }},
	{"CASEFLOW_MAX_RECEIVED_AGE", "8760h", "how far in the past a complaint's received_at may lie (Go duration)", func(c *Config) *string { return &c.MaxReceivedAge }},
}

// LoadConfig reads the environment through getenv. dev selects the defaults
// of the embedded stack.
func LoadConfig(getenv func(string) string, dev bool) Config {
	var c Config
	for _, v := range Variables {
		value := strings.TrimSpace(getenv(v.Name))
		if value == "" && !strings.Contains(v.Default, " ") {
			value = v.Default
		}
		*v.field(&c) = value
	}
	if c.LogFormat == "" {
		c.LogFormat = "json"
		if dev {
			c.LogFormat = "text"
		}
	}
	if dev && c.DatabaseURL == "" {
		c.DatabaseURL = "sqlite:" + filepath.Join(c.DataDir, "cases.db")
	}
	return c
}

// timeZone loads CASEFLOW_TIME_ZONE.
func (c Config) timeZone() (*time.Location, error) {
	loc, err := time.LoadLocation(c.TimeZone)
	if err != nil || c.TimeZone == "Local" {
		return nil, fmt.Errorf("CASEFLOW_TIME_ZONE=%q: want an IANA time zone name such as Asia/Shanghai", c.TimeZone)
	}
	return loc, nil
}

// followupPolicy reads the follow-up policy's durations; the yearly
// windows keep the policy's defaults.
func (c Config) followupPolicy() (followup.Policy, error) {
	p := followup.DefaultPolicy()
	for _, v := range []struct {
		name, value string
		into        *time.Duration
	}{
		{"CASEFLOW_DELIVERY_CALL_AFTER", c.DeliveryCallAfter, &p.DeliveryCallAfter},
		{"CASEFLOW_POST_CLOSE_CALL_AFTER", c.PostCloseCallAfter, &p.PostCloseAfter},
		{"CASEFLOW_FOLLOWUP_CALL_WINDOW", c.FollowupCallWindow, &p.CallWindow},
		{"CASEFLOW_FOLLOWUP_REMINDER_LEAD", c.FollowupReminderLead, &p.ReminderLead},
		{"CASEFLOW_SURVEY_VALID_FOR", c.SurveyValidFor, &p.SurveyValidFor},
		{"CASEFLOW_FEEDBACK_RESPOND_WITHIN", c.FeedbackRespondWithin, &p.FeedbackRespondWithin},
	} {
		if v.value == "" {
			continue
		}
		d, err := time.ParseDuration(v.value)
		if err != nil || d <= 0 {
			return p, fmt.Errorf("%s=%q: want a positive Go duration such as 72h", v.name, v.value)
		}
		*v.into = d
	}
	return p, p.Check()
}

// publicURL is where customers reach caseflow: CASEFLOW_PUBLIC_URL, or
// the API's own address.
func (c Config) publicURL() string {
	if c.PublicURL != "" {
		return strings.TrimRight(c.PublicURL, "/")
	}
	host, port, err := net.SplitHostPort(c.HTTPAddr)
	if err != nil {
		return "http://" + c.HTTPAddr
	}
	if host == "" || host == "0.0.0.0" || host == "::" {
		host = "localhost"
	}
	return "http://" + net.JoinHostPort(host, port)
}

// dbMaxConns parses CASEFLOW_DB_MAX_CONNS.
func (c Config) dbMaxConns() (int, error) {
	n, err := strconv.Atoi(c.DBMaxConns)
	if err != nil || n < 2 {
		return 0, fmt.Errorf("CASEFLOW_DB_MAX_CONNS=%q: want a number of connections, at least 2", c.DBMaxConns)
	}
	return n, nil
}

// requireDatabaseURL is for the production commands, which have no default store.
func (c Config) requireDatabaseURL() error {
	if c.DatabaseURL == "" {
		return fmt.Errorf("DATABASE_URL is not set: want postgres://user:password@host:5432/caseflow?sslmode=disable")
	}
	return nil
}

// authenticator accepts the store's API tokens and, when a JWKS URL is
// configured, JWTs from the identity provider.
func (c Config) authenticator(ctx context.Context, st *store.Store) (*auth.Authenticator, error) {
	a := &auth.Authenticator{Tokens: accounts.TokenLookup(st)}
	ttl, err := time.ParseDuration(c.TokenCacheTTL)
	if err != nil || ttl < 0 {
		return nil, fmt.Errorf("CASEFLOW_TOKEN_CACHE_TTL=%q: want a Go duration such as 5s, or 0", c.TokenCacheTTL)
	}
	// Enough for every active token of a large department at once.
	a.CacheTokens(10_000, ttl)
	if c.JWT.JWKSURL != "" {
		v, err := auth.NewJWTVerifier(ctx, c.JWT)
		if err != nil {
			return nil, err
		}
		a.JWT = v
	}
	return a, nil
}

// consoleOIDC discovers the console's OpenID Connect provider; nil when
// CASEFLOW_OIDC_ISSUER is not set. The claim names are the JWT ones: one
// provider, one mapping, for the API and the console alike.
func (c Config) consoleOIDC(ctx context.Context) (*console.OIDC, error) {
	if c.OIDC.Issuer == "" {
		return nil, nil
	}
	for _, v := range []struct{ name, value string }{
		{"CASEFLOW_OIDC_CLIENT_ID", c.OIDC.ClientID},
		{"CASEFLOW_OIDC_CLIENT_SECRET", c.OIDC.ClientSecret},
		{"CASEFLOW_OIDC_REDIRECT_URL", c.OIDC.RedirectURL},
	} {
		if v.value == "" {
			return nil, fmt.Errorf("CASEFLOW_OIDC_ISSUER is set but %s is not", v.name)
		}
	}
	cfg := c.OIDC
	cfg.Scopes = strings.Fields(c.OIDCScopes)
	cfg.DepartmentClaim, cfg.RolesClaim, cfg.NameClaim = c.JWT.DepartmentClaim, c.JWT.RolesClaim, c.JWT.NameClaim
	o, err := console.NewOIDC(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("CASEFLOW_OIDC_*: %w", err)
	}
	return o, nil
}

// notifier builds the configured notification channels; nil when none is
// configured, and notifications stay in the outbox and the API.
func (c Config) notifier() (notify.Channel, error) {
	var channels []notify.Channel
	if c.SMTP.Addr != "" {
		smtp, err := notify.NewSMTP(c.SMTP)
		if err != nil {
			return nil, fmt.Errorf("CASEFLOW_SMTP_*: %w", err)
		}
		channels = append(channels, smtp)
	}
	if c.WebhookSecret != "" || c.WebhookURL != "" {
		targets, err := c.webhookTargets()
		if err != nil {
			return nil, err
		}
		channels = append(channels, notify.NewWebhook(notify.WebhookConfig{Secret: c.WebhookSecret, DefaultURL: c.WebhookURL, Targets: targets}, nil))
	}
	if len(channels) == 0 {
		return nil, nil
	}
	return notify.NewMulti(channels...), nil
}

// workflowCacheSize parses CASEFLOW_WORKFLOW_CACHE_SIZE.
func (c Config) workflowCacheSize() (int, error) {
	n, err := strconv.Atoi(c.WorkflowCacheSize)
	if err != nil || n < 10 {
		return 0, fmt.Errorf("CASEFLOW_WORKFLOW_CACHE_SIZE=%q: want a number of workflows, at least 10", c.WorkflowCacheSize)
	}
	return n, nil
}

// maxReceivedAge parses CASEFLOW_MAX_RECEIVED_AGE.
func (c Config) maxReceivedAge() (time.Duration, error) {
	d, err := time.ParseDuration(c.MaxReceivedAge)
	if err != nil || d <= 0 {
		return 0, fmt.Errorf("CASEFLOW_MAX_RECEIVED_AGE=%q: want a positive Go duration such as 8760h", c.MaxReceivedAge)
	}
	return d, nil
}

// webhookTargets reads where webhooks may go and checks CASEFLOW_WEBHOOK_URL
// against it, so that a bad setting stops the process at start instead of
// failing every delivery.
func (c Config) webhookTargets() (notify.WebhookTargets, error) {
	t, err := notify.ParseWebhookTargets(c.WebhookAllowHTTP, c.WebhookAllow)
	if err != nil {
		return t, fmt.Errorf("CASEFLOW_WEBHOOK_ALLOW_HTTP, CASEFLOW_WEBHOOK_ALLOW: %w", err)
	}
	var de *notify.DestinationError
	if err := t.CheckURL(c.WebhookURL); c.WebhookURL != "" && errors.As(err, &de) {
		// The URL itself stays out of the message: it often holds a key.
		return t, fmt.Errorf("CASEFLOW_WEBHOOK_URL %s", de.Problem)
	}
	return t, nil
}

// serviceRecords is the PDF renderer of service records; without a CJK
// font it is nil and logged, and the PDFs answer 503 until one is set.
func (c Config) serviceRecords(logger *slog.Logger) *servicerecord.Renderer {
	r, err := servicerecord.NewRenderer(c.PDFFont)
	if err != nil {
		logger.Warn("service-record PDFs are off", "error", err)
		return nil
	}
	return r
}
