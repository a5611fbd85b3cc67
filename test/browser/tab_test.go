package browser

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/require"
)

// stepTimeout bounds every single browser step (a navigation, a wait, a
// click and the page it loads), so a broken page fails fast instead of
// hanging the run.
const stepTimeout = 15 * time.Second

// screenshotDir collects the screenshots of a run; git ignores it.
const screenshotDir = "screenshots"

// docsScreenshotDir holds the few screenshots the README shows.
const docsScreenshotDir = "../../docs/screenshots"

// tab is one person's browser tab, in a browser context of its own (its own
// cookies), looking at one application.
type tab struct {
	t   *testing.T
	app *app
	who string // whose tab, for messages and failure screenshots
	ctx context.Context
	// screenWidth is the emulated screen's width in CSS pixels.
	screenWidth int
}

// openTab opens who's tab in a fresh browser context, with a desktop-sized
// viewport. It closes when the test ends; if the test failed, a screenshot
// of the tab's last page is saved first.
func openTab(t *testing.T, a *app, who string) *tab {
	t.Helper()
	browser := needBrowser(t)
	ctx, cancel := chromedp.NewContext(browser, chromedp.WithNewBrowserContext())
	t.Cleanup(cancel)
	if err := chromedp.Do(ctx); err != nil { // opens the tab; bound to ctx, not to a step
		t.Fatalf("open tab: %v", err)
	}
	tb := &tab{t: t, app: a, who: who, ctx: ctx}
	tb.desktop()
	t.Cleanup(func() {
		if t.Failed() {
			tb.saveFailure()
		}
	})
	return tb
}

// desktop makes the tab a 1280×800 desktop window.
func (tb *tab) desktop() *tab {
	tb.t.Helper()
	tb.do(chromedp.EmulateViewport(1280, 800))
	tb.screenWidth = 1280
	return tb
}

// phone makes the tab a 360×740 phone: device scale 2, mobile viewport
// rules (the page's meta viewport applies), touch.
func (tb *tab) phone() *tab {
	tb.t.Helper()
	tb.do(chromedp.EmulateViewport(360, 740, chromedp.EmulateScale(2),
		chromedp.EmulateMobile, chromedp.EmulateTouch, chromedp.EmulatePortrait))
	tb.screenWidth = 360
	return tb
}

// acceptLanguage makes the browser ask for pages in langs, as a browser set
// to those languages does (the Accept-Language header and
// navigator.language). langs is a plain list, "ru-RU,ru,en": Chromium adds
// the q-values itself.
func (tb *tab) acceptLanguage(langs string) *tab {
	tb.t.Helper()
	ua := runJS[string](tb, `navigator.userAgent`)
	tb.do(chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := chromedp.Call(ctx, emulation.SetUserAgentOverride,
			emulation.SetUserAgentOverrideParams{UserAgent: ua, AcceptLanguage: langs})
		return err
	}))
	return tb
}

// stepCtx is a context for one step.
func (tb *tab) stepCtx() (context.Context, context.CancelFunc) {
	return context.WithTimeout(tb.ctx, stepTimeout)
}

// do runs steps that return nothing, failing the test on an error.
func (tb *tab) do(steps ...chromedp.Action[chromedp.Void]) {
	tb.t.Helper()
	ctx, cancel := tb.stepCtx()
	defer cancel()
	if err := chromedp.Do(ctx, steps...); err != nil {
		tb.t.Fatalf("%s's browser: step failed on %s: %v", tb.who, tb.location(), err)
	}
}

// run runs one action that returns a value, failing the test on an error.
func run[T any](tb *tab, a chromedp.Action[T]) T {
	tb.t.Helper()
	ctx, cancel := tb.stepCtx()
	defer cancel()
	v, err := chromedp.Run(ctx, a)
	if err != nil {
		tb.t.Fatalf("%s's browser: step failed on %s: %v", tb.who, tb.location(), err)
	}
	return v
}

// runJS evaluates a JavaScript expression in the page and decodes its value.
func runJS[T any](tb *tab, expr string) T {
	tb.t.Helper()
	return run(tb, chromedp.Evaluate[T](expr))
}

// location is the tab's current URL, for messages; it never fails.
func (tb *tab) location() string {
	ctx, cancel := context.WithTimeout(tb.ctx, 2*time.Second)
	defer cancel()
	loc, err := chromedp.Run(ctx, chromedp.Location())
	if err != nil {
		return "(unknown page)"
	}
	return loc
}

// path is the tab's current path and query, without the application's base.
func (tb *tab) path() string {
	tb.t.Helper()
	return strings.TrimPrefix(run(tb, chromedp.Location()), tb.app.base)
}

// open navigates to path and requires the page to load with status 200.
func (tb *tab) open(path string) {
	tb.t.Helper()
	tb.openExpect(path, 200)
}

// openExpect navigates to path and requires the given HTTP status of the
// final document (after redirects).
func (tb *tab) openExpect(path string, status int64) {
	tb.t.Helper()
	resp := run(tb, chromedp.NavigateResponse(tb.app.url(path)))
	require.NotNil(tb.t, resp, "no response for %s", path)
	require.Equal(tb.t, status, resp.Status, "GET %s ended on %s with status %d", path, resp.URL, resp.Status)
}

// js quotes s as a JavaScript string literal.
func js(s string) string {
	b, err := json.Marshal(s)
	if err != nil {
		panic(err)
	}
	return string(b)
}

// labelByText is a JavaScript expression for the <label> that reads
// exactly text.
func labelByText(text string) string {
	return fmt.Sprintf(`([...document.querySelectorAll('label')].find(l => l.textContent.trim() === %s) || null)`, js(text))
}

// fieldByLabel is a JavaScript expression for the form control of the
// <label> that reads exactly text (label.control: by its for= id or by
// nesting).
func fieldByLabel(text string) string {
	return fmt.Sprintf(`((%s || {}).control || null)`, labelByText(text))
}

// requireFound fails the test at once, with a clear message, when the
// JavaScript expression finds no element on the current page.
func (tb *tab) requireFound(expr, what string) {
	tb.t.Helper()
	if !runJS[bool](tb, "!!("+expr+")") {
		tb.t.Fatalf("%s not found on %s", what, tb.location())
	}
}

// typedMax is the longest value fill types key by key; a longer one, or one
// of several lines, arrives as a paste does, in one piece.
const typedMax = 32

// fill puts value into the field labelled label, as a person does: a click
// on the label (which must focus the field), then typing or pasting.
func (tb *tab) fill(label, value string) {
	tb.t.Helper()
	field := fieldByLabel(label)
	tb.requireFound(field, fmt.Sprintf("a field labelled %q", label))
	runJS[chromedp.Void](tb, field+".value = ''")
	tb.do(chromedp.Click(chromedp.JSPath(labelByText(label))))
	require.True(tb.t, runJS[bool](tb, "document.activeElement === "+field),
		"a click on the label %q focuses its field on %s", label, tb.location())
	if len([]rune(value)) <= typedMax && !strings.ContainsAny(value, "\r\n") {
		tb.do(chromedp.KeyEvent(value))
	} else {
		tb.do(chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
			_, err := chromedp.Call(ctx, input.InsertText, input.InsertTextParams{Text: value})
			return err
		}))
	}
	require.Equal(tb.t, value, runJS[string](tb, field+".value"), "typed into the field labelled %q", label)
}

// choose picks the option shown as option in the select labelled label, as
// a keyboard user does: a click on the label focuses the select, and typing
// the start of an option's text selects it.
func (tb *tab) choose(label, option string) {
	tb.t.Helper()
	field := fieldByLabel(label)
	tb.requireFound(field, fmt.Sprintf("a select labelled %q", label))
	tb.do(chromedp.Click(chromedp.JSPath(labelByText(label))))
	require.True(tb.t, runJS[bool](tb, "document.activeElement === "+field),
		"a click on the label %q focuses its select on %s", label, tb.location())
	tb.do(chromedp.KeyEvent(option))
	got := runJS[string](tb, fmt.Sprintf(`(() => { const s = %s; return s.selectedIndex < 0 ? '' : s.options[s.selectedIndex].textContent.trim(); })()`, field))
	require.Equal(tb.t, option, got, "typing %q in the select labelled %q on %s", option, label, tb.location())
}

// tick clicks the radio button or checkbox labelled label.
func (tb *tab) tick(label string) {
	tb.t.Helper()
	expr := fieldByLabel(label)
	tb.requireFound(expr, fmt.Sprintf("a choice labelled %q", label))
	tb.do(chromedp.Click(chromedp.JSPath(expr)))
	require.True(tb.t, runJS[bool](tb, "("+expr+").checked"), "%q is not checked after a click", label)
}

// byText is a JavaScript expression for the first element matching css
// whose text (or value) reads exactly text.
func byText(css, text string) string {
	return fmt.Sprintf(`([...document.querySelectorAll(%s)].find(e => (e.textContent.trim() || e.value || '') === %s) || null)`,
		js(css), js(text))
}

// press clicks the button reading text and waits for the page it loads; it
// returns that page's HTTP status (after redirects).
func (tb *tab) press(text string) int64 {
	tb.t.Helper()
	return tb.clickAndLoad(byText(`button, input[type="submit"]`, text), fmt.Sprintf("a button %q", text))
}

// follow clicks the link reading text and waits for the page it loads.
func (tb *tab) follow(text string) int64 {
	tb.t.Helper()
	return tb.clickAndLoad(byText("a", text), fmt.Sprintf("a link %q", text))
}

// clickAndLoad clicks the element expr finds and waits for the page the
// click loads. A live page (live.js) may swap the part holding the element
// between finding it and clicking it, as when an event committed just
// before the page was read arrives after it; the click then reaches no
// node and nothing happened, so it is made again on the part now shown,
// as a person would click again.
func (tb *tab) clickAndLoad(expr, what string) int64 {
	tb.t.Helper()
	for attempt := 1; ; attempt++ {
		tb.requireFound(expr, what)
		resp, err := tb.clickOnce(expr)
		if err != nil && swappedAway(err) && attempt < 3 {
			continue
		}
		if err != nil {
			tb.t.Fatalf("click %s on %s: %v", what, tb.location(), err)
		}
		require.NotNil(tb.t, resp, "click %s loaded no page", what)
		return resp.Status
	}
}

func (tb *tab) clickOnce(expr string) (*network.Response, error) {
	ctx, cancel := tb.stepCtx()
	defer cancel()
	return chromedp.RunResponse(ctx, chromedp.Click(chromedp.JSPath(expr)))
}

// swappedAway tells whether a click failed because its element left the
// page before Chromium reached it.
func swappedAway(err error) bool {
	msg := err.Error()
	return strings.Contains(msg, "Could not find node with given id") ||
		strings.Contains(msg, "No node with given id found")
}

// element is what text reads of an element.
type element struct {
	Found   bool   `json:"found"`
	Visible bool   `json:"visible"`
	Text    string `json:"text"`
}

// text returns the rendered text of the first element matching css, which
// must be there and visible.
func (tb *tab) text(css string) string {
	tb.t.Helper()
	e := runJS[element](tb, fmt.Sprintf(`(() => {
		const e = document.querySelector(%s);
		return e ? {found: true, visible: e.checkVisibility(), text: e.innerText.trim()} : {found: false};
	})()`, js(css)))
	if !e.Found || !e.Visible {
		tb.t.Fatalf("no visible %s on %s", css, tb.location())
	}
	return e.Text
}

// texts returns the rendered text of every element matching css, at once,
// with each run of white space made one space.
func (tb *tab) texts(css string) []string {
	tb.t.Helper()
	return runJS[[]string](tb, fmt.Sprintf(`[...document.querySelectorAll(%s)].map(e => e.innerText.replace(/\s+/g, ' ').trim())`, js(css)))
}

// shownText is what the page gives a person to read or copy: its rendered
// text, the values of its fields and the addresses of its links.
func (tb *tab) shownText() string {
	tb.t.Helper()
	return runJS[string](tb, `[document.body.innerText,
		...[...document.querySelectorAll('input:not([type="hidden"]), textarea')].map(e => e.value),
		...[...document.querySelectorAll('a[href]')].map(e => e.href)].join('\n')`)
}

// lang is the <html lang> of the page.
func (tb *tab) lang() string {
	tb.t.Helper()
	return runJS[string](tb, `document.documentElement.lang`)
}

// width is the page's layout width against the viewport's.
type width struct {
	Scroll int `json:"scroll"`
	Inner  int `json:"inner"`
	// Widest names the element sticking out furthest, for the message.
	Widest string `json:"widest"`
}

// requireNoHorizontalScroll fails when the page is wider than the screen.
// A phone browser zooms out to fit a page that is too wide, which widens
// the layout viewport too (window.innerWidth); so both are measured against
// the screen's width.
func (tb *tab) requireNoHorizontalScroll() {
	tb.t.Helper()
	w := runJS[width](tb, fmt.Sprintf(`(() => {
		const screenWidth = %d;
		let widest = '', right = screenWidth;
		for (const e of document.body.querySelectorAll('*')) {
			const r = e.getBoundingClientRect().right;
			if (r > right) {
				right = r;
				widest = e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') +
					(e.className && typeof e.className === 'string' ? '.' + e.className.trim().split(/\s+/).join('.') : '') +
					' (right edge at ' + Math.round(r) + ' px)';
			}
		}
		return {scroll: document.documentElement.scrollWidth, inner: window.innerWidth, widest: widest};
	})()`, tb.screenWidth))
	require.Equal(tb.t, tb.screenWidth, w.Inner,
		"%s: the viewport is %d px wide on a %d px screen: the browser zoomed out to fit a page that is too wide; widest element: %s",
		tb.path(), w.Inner, tb.screenWidth, w.Widest)
	require.LessOrEqual(tb.t, w.Scroll, w.Inner,
		"%s scrolls sideways: the page is %d px wide in a %d px viewport; widest element: %s",
		tb.path(), w.Scroll, w.Inner, w.Widest)
}

// screenshot saves the whole page as screenshots/name.png; with
// -update-docs and a docs name, also as docs/screenshots/<docs>.png.
func (tb *tab) screenshot(name string, docs ...string) {
	tb.t.Helper()
	tb.savePNG(run(tb, chromedp.FullScreenshot(100)), name, docs...)
}

// screenshotScreen saves what fits the screen (the viewport) rather than
// the whole page; a long page on a phone makes a tall, heavy picture.
func (tb *tab) screenshotScreen(name string, docs ...string) {
	tb.t.Helper()
	tb.savePNG(run(tb, chromedp.CaptureScreenshot()), name, docs...)
}

func (tb *tab) savePNG(buf []byte, name string, docs ...string) {
	tb.t.Helper()
	require.NoError(tb.t, os.MkdirAll(screenshotDir, 0o755))
	require.NoError(tb.t, os.WriteFile(filepath.Join(screenshotDir, name+".png"), buf, 0o644))
	if *updateDocs && len(docs) > 0 {
		require.NoError(tb.t, os.MkdirAll(docsScreenshotDir, 0o755))
		require.NoError(tb.t, os.WriteFile(filepath.Join(docsScreenshotDir, docs[0]+".png"), buf, 0o644))
	}
}

// saveFailure keeps the last page of a failed test for whoever reads the
// failure.
func (tb *tab) saveFailure() {
	ctx, cancel := context.WithTimeout(tb.ctx, 5*time.Second)
	defer cancel()
	buf, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		return
	}
	name := "FAILED-" + strings.NewReplacer("/", "-", " ", "_").Replace(tb.t.Name()) + "-" + tb.who + ".png"
	if os.MkdirAll(screenshotDir, 0o755) == nil && os.WriteFile(filepath.Join(screenshotDir, name), buf, 0o644) == nil {
		tb.t.Logf("%s's last page %s saved as %s", tb.who, tb.location(), filepath.Join("test/browser", screenshotDir, name))
	}
}
