package accounts

import (
	"errors"

	"github.com/caseflow/caseflow/notify"
)

// Check is Validate plus what depends on the server's settings: the webhook
// URL must be one the server may call (see notify.WebhookTargets), so an
// admin cannot point it at the server's own network or a cloud metadata
// service.
func (u NewUser) Check(webhooks notify.WebhookTargets) map[string]string {
	problems := u.Validate()
	// Only a URL that is one is checked for where it points.
	if _, bad := problems["webhook_url"]; bad || u.WebhookURL == "" {
		return problems
	}
	var de *notify.DestinationError
	if err := webhooks.CheckURL(u.WebhookURL); errors.As(err, &de) {
		problems["webhook_url"] = de.Problem
	}
	return problems
}
