package app

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestSecretFiles(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) string {
		path := filepath.Join(dir, name)
		require.NoError(t, os.WriteFile(path, []byte(content), 0o600))
		return path
	}
	url := write("url", "postgres://caseflow:s3cret@db:5432/caseflow\n")
	empty := write("empty", " \n")
	tests := []struct {
		name    string
		env     map[string]string
		want    map[string]string
		wantErr string
	}{
		{"a file's content, without the trailing newline", map[string]string{"DATABASE_URL_FILE": url},
			map[string]string{"DATABASE_URL": "postgres://caseflow:s3cret@db:5432/caseflow"}, ""},
		{"the plain variable when no file is named", map[string]string{"DATABASE_URL": "sqlite:x.db"},
			map[string]string{"DATABASE_URL": "sqlite:x.db"}, ""},
		{"both set is refused", map[string]string{"DATABASE_URL": "sqlite:x.db", "DATABASE_URL_FILE": url},
			nil, "DATABASE_URL and DATABASE_URL_FILE are both set"},
		{"a missing file stops the start", map[string]string{"CASEFLOW_ACTOR_KEYS_FILE": filepath.Join(dir, "nope")},
			nil, "CASEFLOW_ACTOR_KEYS_FILE: open"},
		{"an empty file stops the start", map[string]string{"CASEFLOW_SMTP_PASSWORD_FILE": empty},
			nil, "CASEFLOW_SMTP_PASSWORD_FILE: " + empty + " is empty"},
		{"only secrets are read from files", map[string]string{"CASEFLOW_LOG_LEVEL_FILE": url},
			map[string]string{"CASEFLOW_LOG_LEVEL": ""}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			getenv, err := withSecretFiles(func(k string) string { return tt.env[k] })
			if tt.wantErr != "" {
				require.ErrorContains(t, err, tt.wantErr)
				require.NotContains(t, err.Error(), "s3cret", "an error never shows the secret")
				return
			}
			require.NoError(t, err)
			for k, v := range tt.want {
				require.Equal(t, v, getenv(k), k)
			}
		})
	}
}

// TestSecretVariablesAreSettings keeps the list of file-readable secrets to
// variables caseflow reads.
func TestSecretVariablesAreSettings(t *testing.T) {
	names := map[string]bool{}
	for _, v := range Variables {
		names[v.Name] = true
	}
	for _, name := range SecretVariables {
		require.True(t, names[name], name)
	}
}

// TestCommandsReadSecretFiles runs a command whose store URL comes only
// from DATABASE_URL_FILE, as docker-compose.yml hands it over.
func TestCommandsReadSecretFiles(t *testing.T) {
	dir := t.TempDir()
	urlFile := filepath.Join(dir, "database_url")
	require.NoError(t, os.WriteFile(urlFile, []byte("sqlite:"+filepath.Join(dir, "cases.db")+"\n"), 0o600))
	env := map[string]string{"DATABASE_URL_FILE": urlFile, "CASEFLOW_LOG_LEVEL": "error"}
	getenv := func(k string) string { return env[k] }
	require.NoError(t, Run(t.Context(), []string{"users", "add", "--name", "File Agent",
		"--department", "after_sales", "--role", "agent"}, getenv, io.Discard, io.Discard))
	var out bytes.Buffer
	require.NoError(t, Run(t.Context(), []string{"users", "list"}, getenv, &out, io.Discard))
	require.Contains(t, out.String(), "File Agent")
	_, err := os.Stat(filepath.Join(dir, "cases.db"))
	require.NoError(t, err, "the store is the one the file names")
}
