package accounts_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/caseflow/caseflow/accounts"
	"github.com/caseflow/caseflow/notify"
)

func TestNewUserWebhook(t *testing.T) {
	loopback, err := notify.ParseWebhookTargets("true", "127.0.0.0/8")
	require.NoError(t, err)
	for _, c := range []struct {
		name    string
		targets notify.WebhookTargets
		url     string
		want    string // "" when valid
	}{
		{"none", notify.WebhookTargets{}, "", ""},
		{"public https", notify.WebhookTargets{}, "https://hooks.example.com/x", ""},
		{"a file", notify.WebhookTargets{}, "file:///etc/passwd", "must use https"},
		{"cloud metadata", notify.WebhookTargets{}, "https://169.254.169.254/latest/meta-data/",
			"169.254.169.254 is not a public address; an allow-list (CASEFLOW_WEBHOOK_ALLOW) can name it"},
		{"loopback over http, allowed", loopback, "http://127.0.0.1:9000/hook", ""},
		{"private network, not on the list", loopback, "http://192.168.0.10/hook",
			"192.168.0.10 is not a public address; an allow-list (CASEFLOW_WEBHOOK_ALLOW) can name it"},
	} {
		t.Run(c.name, func(t *testing.T) {
			u := accounts.NewUser{Name: "Li Lei", Department: "after_sales", Roles: []string{"agent"}, WebhookURL: c.url}
			problems := u.Check(c.targets)
			if c.want == "" {
				require.Empty(t, problems)
				return
			}
			require.Equal(t, map[string]string{"webhook_url": c.want}, problems)
		})
	}
}
