package app

import (
	"fmt"
	"os"
	"strings"
)

// SecretVariables may instead be given as NAME_FILE, the path of a file
// that holds the value: how Docker Compose, Swarm and Kubernetes hand
// secrets to a process without putting them in its environment, where
// `docker inspect` and crash reports would show them.
var SecretVariables = []string{
	"DATABASE_URL",
	"CASEFLOW_TEMPORAL_DATABASE_URL",
	"CASEFLOW_ACTOR_KEYS",
	"CASEFLOW_KEYRING",
	"TEMPORAL_API_KEY",
	"CASEFLOW_SMTP_PASSWORD",
	"CASEFLOW_WEBHOOK_SECRET",
	"CASEFLOW_WEBHOOK_URL",
	"CASEFLOW_OIDC_CLIENT_SECRET",
}

// withSecretFiles returns getenv with every NAME_FILE of SecretVariables
// read into NAME. Setting both is refused rather than one silently winning,
// and an unreadable or empty file stops the process at start. Errors name
// the variable and the path, never the content.
func withSecretFiles(getenv func(string) string) (func(string) string, error) {
	values := map[string]string{}
	for _, name := range SecretVariables {
		path := strings.TrimSpace(getenv(name + "_FILE"))
		if path == "" {
			continue
		}
		if strings.TrimSpace(getenv(name)) != "" {
			return nil, fmt.Errorf("%s and %s_FILE are both set: set one of them", name, name)
		}
		content, err := os.ReadFile(path)
		if err != nil {
			return nil, fmt.Errorf("%s_FILE: %w", name, err)
		}
		value := strings.TrimSpace(string(content))
		if value == "" {
			return nil, fmt.Errorf("%s_FILE: %s is empty", name, path)
		}
		values[name] = value
	}
	return func(name string) string {
		if v, ok := values[name]; ok {
			return v
		}
		return getenv(name)
	}, nil
}
