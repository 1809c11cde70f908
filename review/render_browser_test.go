//go:build browser

package review

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/require"
)

// svgBox is what the browser made of one chart.
type svgBox struct {
	ID       string   `json:"id"`
	Width    float64  `json:"width"`
	Height   float64  `json:"height"`
	Rects    int      `json:"rects"`
	Overflow []string `json:"overflow"` // texts drawn outside the chart
}

// svgBoxes measures every chart, and lists the texts whose box leaves the
// chart's viewBox, which the Go side only estimates.
const svgBoxes = `[...document.querySelectorAll('svg')].map(s => {
  const r = s.getBoundingClientRect(), vb = s.viewBox.baseVal;
  const overflow = [...s.querySelectorAll('text')].filter(t => {
    const b = t.getBBox();
    return b.x < -0.5 || b.y < -0.5 || b.x + b.width > vb.width + 0.5 || b.y + b.height > vb.height + 0.5;
  }).map(t => t.textContent);
  return {id: s.id, width: r.width, height: r.height, rects: s.querySelectorAll('rect').length, overflow};
})`

// TestReviewBrowser opens the fixture's page in each language in Debian's
// Chromium, headless: nothing logged or thrown, nothing loaded but the page,
// every chart drawn with a size and its texts inside it, no overflow on an
// A4 page; and an empty month's page, whose charts say there is no data. It
// saves review-zh.png, review-en.png and review-empty-zh.png (full page,
// screen) and the same as PDF (printed on A4) in $CASEFLOW_SCREENSHOTS
// (default: a temporary directory).
//
//	go test -count=1 -tags browser -run TestReviewBrowser -v ./review/
func TestReviewBrowser(t *testing.T) {
	chromium := os.Getenv("CASEFLOW_CHROMIUM")
	if chromium == "" {
		chromium = "/usr/bin/chromium"
	}
	if _, err := os.Stat(chromium); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("no Chromium at %s: .ci/run installs Debian's chromium: %v", chromium, err)
		}
		t.Skipf("no Chromium at %s (install Debian's chromium or set CASEFLOW_CHROMIUM): %v", chromium, err)
	}
	shots := os.Getenv("CASEFLOW_SCREENSHOTS")
	if shots == "" {
		shots = t.TempDir()
	}
	require.NoError(t, os.MkdirAll(shots, 0o750))
	t.Logf("screenshots in %s", shots)

	ctx, cancel := context.WithTimeout(t.Context(), 2*time.Minute)
	defer cancel()
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(ctx,
		chromedp.ExecPath(chromium),
		chromedp.Headless,
		chromedp.NoSandbox, // root in a container
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("disable-extensions", true),
		chromedp.Flag("disable-breakpad", true),
		chromedp.UserDataDir(t.TempDir()),
	)
	defer cancelAlloc()
	browserCtx, cancelBrowser := chromedp.NewContext(allocCtx, chromedp.WithErrorf(t.Logf))
	defer cancelBrowser()
	require.NoError(t, chromedp.Do(browserCtx), "start %s", chromium)

	pages := t.TempDir()
	for _, tc := range []struct {
		name     string
		review   Review
		lang     Lang
		minRects int // legend and bars; an empty chart has only its legend
	}{
		{"zh", fixture(), LangZH, 2},
		{"en", fixture(), LangEN, 2},
		{"empty-zh", Review{}, LangZH, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var page bytes.Buffer
			require.NoError(t, WriteHTML(&page, tc.review, tc.lang))
			path := filepath.Join(pages, "review-"+tc.name+".html")
			require.NoError(t, os.WriteFile(path, page.Bytes(), 0o600))
			url := "file://" + path

			tab, cancelTab := chromedp.NewContext(browserCtx)
			defer cancelTab()
			require.NoError(t, chromedp.Do(tab), "open a tab")
			// Listen calls back before the command that caused an event
			// returns, so the lists are complete once the actions are.
			var mu sync.Mutex
			var problems, requests []string
			require.NoError(t, chromedp.Listen(tab, func(ev any) {
				mu.Lock()
				defer mu.Unlock()
				switch e := ev.(type) {
				case *runtime.EventConsoleAPICalled:
					problems = append(problems, fmt.Sprintf("console.%s", e.Type))
				case *runtime.EventExceptionThrown:
					problems = append(problems, "exception: "+e.ExceptionDetails.Text)
				case *log.EventEntryAdded:
					problems = append(problems, fmt.Sprintf("log %s: %s", e.Entry.Level, e.Entry.Text))
				case *network.EventRequestWillBeSent:
					requests = append(requests, e.Request.URL)
				}
			}))

			require.NoError(t, chromedp.Do(tab,
				chromedp.EmulateViewport(1000, 900),
				chromedp.Navigate(url),
				chromedp.WaitReady("svg#chart-causes"),
			))
			boxes, err := chromedp.Run(tab, chromedp.Evaluate[[]svgBox](svgBoxes))
			require.NoError(t, err)
			require.Len(t, boxes, 5)
			for _, b := range boxes {
				require.Greater(t, b.Width, 100.0, b.ID)
				require.Greater(t, b.Height, 40.0, b.ID)
				require.GreaterOrEqual(t, b.Rects, tc.minRects, "%s draws a legend and bars", b.ID)
				require.Empty(t, b.Overflow, "%s draws these texts outside itself", b.ID)
			}
			png, err := chromedp.Run(tab, chromedp.FullScreenshot(100))
			require.NoError(t, err)
			require.NoError(t, os.WriteFile(filepath.Join(shots, "review-"+tc.name+".png"), png, 0o644))

			// As printed: A4 less the page's margins is about 718 CSS px wide.
			_, err = chromedp.Call(tab, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: "print"})
			require.NoError(t, err)
			require.NoError(t, chromedp.Do(tab, chromedp.EmulateViewport(718, 1000)))
			overflow, err := chromedp.Run(tab, chromedp.Evaluate[float64](
				`document.documentElement.scrollWidth - document.documentElement.clientWidth`))
			require.NoError(t, err)
			require.LessOrEqual(t, overflow, 0.0, "the printed page is no wider than A4")
			pdf, err := chromedp.Run(tab, chromedp.PrintToPDF(chromedp.PDFPreferCSSPageSize(), chromedp.PDFPrintBackground()))
			require.NoError(t, err)
			require.True(t, bytes.HasPrefix(pdf, []byte("%PDF-")))
			require.NoError(t, os.WriteFile(filepath.Join(shots, "review-"+tc.name+".pdf"), pdf, 0o644))

			mu.Lock()
			defer mu.Unlock()
			require.Empty(t, problems, "the page logs and throws nothing")
			require.Equal(t, []string{url}, requests, "the page loads nothing but itself")
		})
	}
}
