// Package browser drives the real application in a real Chromium, through
// the Chrome DevTools Protocol (github.com/chromedp/chromedp): people type
// into the forms by their labels, click the buttons and read the pages as
// they are rendered, on a desktop and on a phone-sized screen.
//
// One headless Chromium serves the whole package; every test opens its own
// tabs in fresh browser contexts (separate cookie jars) and starts its own
// application on a random 127.0.0.1 port with a SQLite file of its own.
//
// Chromium is looked for as CRM_TEST_CHROMIUM, then as chromium,
// chromium-browser, google-chrome or google-chrome-stable on PATH. Without
// it the tests skip with a message; with CRM_TEST_REQUIRE_BROWSER=1 they fail
// instead. Screenshots of the pages go to test/browser/screenshots/ (ignored
// by git); `go test ./test/browser -update-docs` also refreshes the few
// kept in docs/screenshots/ for the README.
package browser

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"

	"github.com/chromedp/chromedp"
)

var updateDocs = flag.Bool("update-docs", false, "also write the README screenshots to docs/screenshots/")

// errNoChromium means no Chromium was found on this machine.
var errNoChromium = errors.New("no Chromium found (set CRM_TEST_CHROMIUM, or `apt-get install -y chromium`)")

// chromium is the package's one browser, started by the first test that
// needs it and stopped by TestMain.
var chromium struct {
	once    sync.Once
	ctx     context.Context // a chromedp context holding the browser
	err     error
	dataDir string
	stop    []func()
}

func TestMain(m *testing.M) {
	flag.Parse()
	// Pictures of failed tests are about this run only.
	old, _ := filepath.Glob(filepath.Join(screenshotDir, "FAILED-*.png"))
	for _, f := range old {
		_ = os.Remove(f)
	}
	code := m.Run()
	for i := len(chromium.stop) - 1; i >= 0; i-- {
		chromium.stop[i]()
	}
	if chromium.dataDir != "" {
		_ = os.RemoveAll(chromium.dataDir)
	}
	os.Exit(code)
}

// findChromium returns the path of the browser to drive.
func findChromium() (string, error) {
	if p := os.Getenv("CRM_TEST_CHROMIUM"); p != "" {
		if _, err := os.Stat(p); err != nil {
			return "", fmt.Errorf("CRM_TEST_CHROMIUM: %w", err)
		}
		return p, nil
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"} {
		if p, err := exec.LookPath(name); err == nil {
			return p, nil
		}
	}
	return "", errNoChromium
}

// startChromium starts the headless browser once for the package.
func startChromium() {
	path, err := findChromium()
	if err != nil {
		chromium.err = err
		return
	}
	dir, err := os.MkdirTemp("", "crm-browser-profile-")
	if err != nil {
		chromium.err = fmt.Errorf("profile directory: %w", err)
		return
	}
	chromium.dataDir = dir
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.UserDataDir(dir),
		// On a closed network Chromium's own connections are refused and
		// slow everything down; keep it to the application under test.
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-domain-reliability", true),
		chromedp.Flag("no-pings", true),
		// Pages are English unless a test asks for another language.
		chromedp.Flag("lang", "en-US"),
		chromedp.Flag("accept-lang", "en-US,en"),
		chromedp.WindowSize(1280, 800),
	)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	browserCtx, cancelBrowser := chromedp.NewContext(allocCtx)
	chromium.stop = append(chromium.stop, cancelAlloc, cancelBrowser)
	if err := chromedp.Do(browserCtx); err != nil { // starts the browser, with no deadline
		chromium.err = fmt.Errorf("start %s: %w", path, err)
		return
	}
	chromium.ctx = browserCtx
}

// needBrowser returns the running browser's context, skipping the test when
// there is no Chromium (failing it under CRM_TEST_REQUIRE_BROWSER=1) and
// failing it when Chromium is there but does not start.
func needBrowser(t *testing.T) context.Context {
	t.Helper()
	chromium.once.Do(startChromium)
	switch {
	case errors.Is(chromium.err, errNoChromium) && os.Getenv("CRM_TEST_REQUIRE_BROWSER") != "1":
		t.Skipf("browser tests skipped: %v; with CRM_TEST_REQUIRE_BROWSER=1 this is a failure", chromium.err)
	case chromium.err != nil:
		t.Fatalf("browser: %v", chromium.err)
	}
	return chromium.ctx
}
