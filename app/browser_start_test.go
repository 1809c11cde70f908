//go:build browser

package app_test

import (
	"context"
	"os"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/require"
)

// startBrowser starts Debian's Chromium, headless, for a test that drives
// pages in it until ctx ends; its browser saves full-page PNGs in
// $CASEFLOW_SCREENSHOTS (default: a temporary directory). Without
// Chromium it skips the test, or fails it on CI, where .ci/run installs it.
func startBrowser(t *testing.T, ctx context.Context) *browser {
	t.Helper()
	chromium := os.Getenv("CASEFLOW_CHROMIUM")
	if chromium == "" {
		chromium = "/usr/bin/chromium"
	}
	if _, err := os.Stat(chromium); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("no Chromium at %s: .ci/run installs Debian's chromium: %v", chromium, err)
		}
		t.Skipf("no Chromium at %s (install Debian's chromium, as .ci/run does, or set CASEFLOW_CHROMIUM): %v", chromium, err)
	}
	shots := os.Getenv("CASEFLOW_SCREENSHOTS")
	if shots == "" {
		shots = t.TempDir()
	}
	require.NoError(t, os.MkdirAll(shots, 0o750))
	t.Logf("screenshots in %s", shots)

	allocCtx, cancelAlloc := chromedp.NewExecAllocator(ctx,
		chromedp.ExecPath(chromium),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("disable-extensions", true),
		chromedp.Flag("disable-breakpad", true),
		chromedp.Flag("password-store", "basic"),
		chromedp.Flag("lang", "en-US"),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1280, 900),
	)
	t.Cleanup(cancelAlloc)
	tabCtx, cancelTab := chromedp.NewContext(allocCtx, chromedp.WithErrorf(t.Logf))
	t.Cleanup(cancelTab)
	// Start the browser now, within the test's four minutes; each wait below
	// derives its own shorter bound from it.
	require.NoError(t, chromedp.Do(tabCtx), "start %s", chromium)

	return &browser{t: t, ctx: tabCtx, shots: shots}
}
