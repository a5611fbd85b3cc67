package web

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"

	"crm/adapters/i18n"
)

// The layout around every page (head, menu, flash and alert, language
// form) is written here rather than by a template: html/template called an
// escaper or a method through reflection for each of its values and
// conditions, which cost several times the list it surrounds on the
// busiest page. The page's own "title" and "content" templates are
// executed in their places. The markup is the former layout.html's to the
// byte: the golden pages in testdata/ (*_layout_*, made by that template)
// hold it. Every value is escaped as html/template escaped it there:
// escapeHTML in text and quoted attributes, and the page's address in
// data-live-url, an attribute html/template takes for a URL, as a URL
// (escapeURLAttr).

// layoutKeys are the messages the layout shows; construction checks that
// every language has them.
var layoutKeys = []string{
	"app.name", "nav.skip", "nav.label", "nav.my_tickets", "nav.new_ticket", "nav.queue", "nav.deliveries",
	"replies.title", "reports.nav", "nav.users", "nav.audit", "sla.nav", "nav.account", "nav.logout",
	"nav.login", "nav.register", "live.updated", "live.commented", "footer.language",
	"footer.language_apply", "footer.tagline",
}

// layoutText is the layout's fixed text in one language, escaped once:
// everything between the values of a request.
type layoutText struct {
	lang *i18n.Lang
	// head runs up to the title, headEnd from after it to the scripts;
	// live is the live pages' script, and body runs from there to the
	// menu's first entry.
	head, headEnd, live, body string
	nav                       navText
	// liveAttrs are the live pages' messages as main's attributes, after
	// data-live-ticket.
	liveAttrs string
	// footer runs from the end of the content to the language form's
	// value, footerEnd from there to the end.
	footer, footerEnd string
}

// navText are the menu's labels, escaped.
type navText struct {
	myTickets, newTicket, queue, deliveries, replies, reports, users, audit, sla, account, login, register string
}

// newLayoutText makes the layout's text in lang, with the files' addresses
// from asset and the language form's options.
func newLayoutText(lang string, asset func(string) string, options string) (*layoutText, error) {
	l, ok := i18n.For(lang)
	if !ok {
		return nil, fmt.Errorf("no catalogue for %q", lang)
	}
	msg := func(key string) string { return escapeHTML(i18n.Message(lang, key)) }
	src := func(name string) string { return escapeURLAttr(asset(name)) }
	app := msg("app.name")
	return &layoutText{
		lang: l,
		head: "<!doctype html>\n<html lang=\"" + escapeHTML(lang) + "\">\n<head>\n<meta charset=\"utf-8\">\n" +
			"<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>",
		headEnd: " · " + app + "</title>\n<link rel=\"stylesheet\" href=\"" + src("style.css") + "\">\n" +
			"<link rel=\"icon\" href=\"" + src("favicon.svg") + "\" type=\"image/svg+xml\">\n" +
			"<script src=\"" + src("files.js") + "\" defer></script>",
		live: "\n<script src=\"" + src("live.js") + "\" defer></script>",
		body: "\n</head>\n<body>\n<a class=\"skip-link\" href=\"#main\">" + msg("nav.skip") + "</a>\n" +
			"<header class=\"site-header\">\n  <div class=\"wrap header-row\">\n    <a class=\"brand\" href=\"/\">" + app + "</a>\n" +
			"    <nav class=\"site-nav\" aria-label=\"" + msg("nav.label") + "\">\n      <ul>",
		nav: navText{
			myTickets: msg("nav.my_tickets"), newTicket: msg("nav.new_ticket"), queue: msg("nav.queue"),
			deliveries: msg("nav.deliveries"), replies: msg("replies.title"), reports: msg("reports.nav"),
			users: msg("nav.users"), audit: msg("nav.audit"), sla: msg("sla.nav"), account: msg("nav.account"),
			login: msg("nav.login"), register: msg("nav.register"),
		},
		liveAttrs: " data-live-updated=\"" + msg("live.updated") + "\" data-live-commented=\"" + msg("live.commented") + "\"",
		footer: "\n</main>\n<footer class=\"site-footer\">\n  <div class=\"wrap footer-row\">\n" +
			"    <form method=\"post\" action=\"/account/language\" class=\"language-form\">\n" +
			"      <input type=\"hidden\" name=\"next\" value=\"",
		footerEnd: "\">\n      <label for=\"footer-language\">" + msg("footer.language") + "</label>\n" +
			"      <select id=\"footer-language\" name=\"language\">" + options + "\n      </select>\n" +
			"      <button type=\"submit\" class=\"secondary\">" + msg("footer.language_apply") + "</button>\n" +
			"    </form>\n    <p class=\"muted\">" + msg("footer.tagline") + "</p>\n  </div>\n</footer>\n</body>\n</html>",
	}, nil
}

// writeLayout writes the page of l into b: the layout, with title and
// content writing the page's parts in their places. An error of either,
// or of the logout button's message, is returned; b then holds a part of
// the page.
func (lt *layoutText) writeLayout(b *bytes.Buffer, l *layout, title, content func() error) error {
	b.WriteString(lt.head)
	if err := title(); err != nil {
		return err
	}
	b.WriteString(lt.headEnd)
	if l.Live.Kind != "" {
		b.WriteString(lt.live)
	}
	b.WriteString(lt.body)
	if err := lt.writeNav(b, l); err != nil {
		return err
	}
	b.WriteString("\n      </ul>\n    </nav>\n  </div>\n</header>\n<main id=\"main\" class=\"wrap\" tabindex=\"-1\"")
	if l.Live.Kind != "" {
		b.WriteString(" data-live=\"")
		writeEscaped(b, l.Live.Kind)
		b.WriteString("\" data-live-stream=\"")
		writeEscaped(b, l.Live.StreamURL())
		b.WriteString("\" data-live-url=\"")
		b.WriteString(escapeURLAttr(l.Here))
		b.WriteString("\" data-live-ticket=\"")
		b.WriteString(strconv.FormatInt(l.Live.TicketID, 10))
		b.WriteString("\"")
		b.WriteString(lt.liveAttrs)
	}
	b.WriteString(">")
	if l.Flash != "" {
		b.WriteString("\n  <div class=\"flash\" role=\"status\">")
		writeEscaped(b, l.Flash)
		b.WriteString("</div>")
	}
	if l.Alert != "" {
		b.WriteString("\n  <div class=\"alert\" role=\"alert\">")
		writeEscaped(b, l.Alert)
		b.WriteString("</div>")
	}
	b.WriteString("\n")
	if err := content(); err != nil {
		return err
	}
	b.WriteString(lt.footer)
	writeEscaped(b, l.Here)
	b.WriteString(lt.footerEnd)
	return nil
}

// writeNav writes the menu's entries for l's visitor, the current section
// marked.
func (lt *layoutText) writeNav(b *bytes.Buffer, l *layout) error {
	n := &lt.nav
	item := func(href, section, label string) {
		b.WriteString("\n        <li><a href=\"")
		b.WriteString(href)
		b.WriteString("\"")
		if l.Section == section {
			b.WriteString(" aria-current=\"page\"")
		}
		b.WriteString(">")
		b.WriteString(label)
		b.WriteString("</a></li>")
	}
	u := l.User
	if u == nil {
		item("/login", "login", n.login)
		item("/register", "register", n.register)
		return nil
	}
	logout, err := lt.lang.Format("nav.logout", "name", u.Username())
	if err != nil {
		return err
	}
	item("/tickets", "tickets", n.myTickets)
	item("/tickets/new", "new", n.newTicket)
	if u.IsStaff() {
		item("/admin/tickets", "queue", n.queue)
		item("/admin/deliveries", "deliveries", n.deliveries)
		item("/admin/replies", "replies", n.replies)
		item("/admin/reports", "reports", n.reports)
	}
	if u.IsAdmin() {
		item("/admin/users", "users", n.users)
		item("/admin/audit", "audit", n.audit)
		item("/admin/sla", "sla", n.sla)
	}
	item("/account", "account", n.account)
	b.WriteString("\n        <li>\n          <form method=\"post\" action=\"/logout\" class=\"inline\">\n" +
		"            <button type=\"submit\" class=\"link-button\">")
	writeEscaped(b, logout)
	b.WriteString("</button>\n          </form>\n        </li>")
	return nil
}

// escapeURLAttr is s as html/template writes a value that makes up a whole
// URL attribute (href="{{.}}", data-live-url): "#ZgotmplZ" for a scheme
// other than http, https or mailto, the bytes a URL may not hold
// percent-encoded (valid escapes kept), then escaped for the attribute.
func escapeURLAttr(s string) string {
	if !isSafeURL(s) {
		return "#ZgotmplZ"
	}
	return escapeHTML(normalizeURL(s))
}

// isSafeURL is html/template's: a URL without a scheme, or with one of
// http, https and mailto.
func isSafeURL(s string) bool {
	if protocol, _, ok := strings.Cut(s, ":"); ok && !strings.Contains(protocol, "/") {
		return strings.EqualFold(protocol, "http") || strings.EqualFold(protocol, "https") ||
			strings.EqualFold(protocol, "mailto")
	}
	return true
}

// normalizeURL percent-encodes, as html/template's URL normalizer does,
// every byte of s but the unreserved and reserved characters of RFC 3986
// (the quote excepted) and a % that starts a valid escape.
func normalizeURL(s string) string {
	var b []byte
	written := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
			continue
		case strings.IndexByte("!#$&*+,/:;=?@[]-._~", c) >= 0:
			continue
		case c == '%' && i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2]):
			continue
		}
		if b == nil {
			b = make([]byte, 0, len(s)+16)
		}
		b = append(b, s[written:i]...)
		b = append(b, '%', hexDigits[c>>4], hexDigits[c&15])
		written = i + 1
	}
	if b == nil {
		return s
	}
	return string(append(b, s[written:]...))
}

const hexDigits = "0123456789abcdef"

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}
