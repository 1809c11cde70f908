package app

import (
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestSettingsAreDocumented keeps the README's Configuration table and
// .env.example, which operators copy to .env, to the one list of
// settings. (Whether docker-compose.yml passes each one on is checked on
// the resolved compose file by .ci/compose-check.)
func TestSettingsAreDocumented(t *testing.T) {
	readme, err := os.ReadFile("../README.md")
	require.NoError(t, err)
	table := string(readme)
	start := strings.Index(table, "\n## Configuration")
	require.GreaterOrEqual(t, start, 0, "the README has a Configuration section")
	table = table[start:]
	table = table[:strings.Index(table[1:], "\n## ")+1]
	example, err := os.ReadFile("../.env.example")
	require.NoError(t, err)
	for _, v := range Variables {
		require.Contains(t, table, "`"+v.Name+"`", "the README's Configuration table lists %s", v.Name)
		if strings.HasPrefix(v.Usage, "dev:") {
			continue
		}
		require.Regexp(t, regexp.MustCompile(`(?m)^# (`+v.Name+`=|`+v.Name+`:)`), string(example),
			".env.example documents %s", v.Name)
	}
}
