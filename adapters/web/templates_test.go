package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"crm/adapters/i18n"
	"crm/application"
	"crm/test/testclock"
)

// TestEveryPageRendersInEveryLanguage walks the site as each kind of
// visitor, in each language, and checks that every page template was
// rendered without error: a message key missing in one language fails the
// t function, which fails the page with a 500.
func TestEveryPageRendersInEveryLanguage(t *testing.T) {
	for _, lang := range i18n.Languages() {
		t.Run(lang, func(t *testing.T) {
			s := newSite(t, withBot("crm_test_bot"))
			anon := s.browser()
			anon.language = lang
			owner, _ := s.loggedIn("owner", "user")
			owner.language = lang
			staff, _ := s.loggedIn("helper", "staff")
			staff.language = lang
			admin, _ := s.loggedIn("boss", "admin")
			admin.language = lang

			anon.get("/")
			anon.get("/register")
			anon.post("/register", url.Values{"username": {"x"}})
			anon.get("/login")
			anon.post("/login", url.Values{"username": {"nobody"}, "password": {"nothing1"}})
			anon.get("/no/such/page")

			owner.get("/tickets")
			owner.get("/tickets/new")
			owner.post("/tickets", url.Values{"title": {""}})
			id := owner.submit("Пропал звук", "Нет звука", "repair")
			owner.post(pathf("/tickets/{id}/comments", id), url.Values{"text": {"Жду"}})
			owner.get("/tickets")
			owner.get("/account")
			owner.post("/account/telegram/link", nil)
			owner.post("/account/telegram/unlink", nil)
			owner.get("/account")
			owner.get("/admin/tickets")
			owner.get("/admin/deliveries")

			staff.get("/admin/tickets")
			staff.get("/admin/tickets?status=open&assignee=mine&q=звук")
			staff.post(pathf("/admin/tickets/{id}/status", id), url.Values{"status": {"in_progress"}, "comment": {"Берём"}})
			staff.post(pathf("/tickets/{id}/comments", id), url.Values{"text": {"заметка"}, "internal": {"true"}})
			staff.get(pathf("/admin/tickets/{id}", id))
			staff.post(pathf("/admin/tickets/{id}/status", id), url.Values{"status": {"open"}})
			owner.get(pathf("/tickets/{id}", id))

			failed := s.addDelivery("notify_owner", application.DeliveryFailed, "telegram: 400 Bad Request: chat not found", "")
			s.addDelivery("webhook", application.DeliveryPending, "connection refused", "")
			staff.post("/admin/replies", url.Values{"name": {"Привет"}, "text": {"Здравствуйте, {owner}!"}, "shared": {"true"}})
			staff.post("/admin/replies", url.Values{"name": {""}, "text": {"{nope}"}})
			staff.get("/admin/replies")
			staff.get("/admin/replies/1")
			staff.get(pathf("/admin/tickets/{id}", id) + "?reply=1&text=typed")
			staff.get("/admin/deliveries")
			staff.get("/admin/deliveries?status=done")
			staff.get("/admin/deliveries?status=bogus")
			staff.post(pathf("/admin/deliveries/{id}/retry", failed), nil)
			staff.get("/admin/deliveries?status=pending")
			staff.get("/admin/reports")
			staff.get("/admin/reports?from=2026-03-10&to=2026-03-01")
			staff.post("/admin/deliveries/999/retry", nil)
			tourTwoFactor(t, s, lang)

			admin.get("/admin/users")
			admin.post("/admin/users/2/role", url.Values{"role": {"staff"}})
			admin.post("/admin/users/2/active", url.Values{"active": {"false"}})
			admin.get("/admin/users?q=zzz")
			admin.get("/admin/audit")
			admin.get("/admin/sla")
			admin.post("/admin/sla", url.Values{"type": {"repair"}, "response": {"0"}, "resolution": {"3d"}})

			// The account page's forms, and password recovery.
			owner.post("/account/password", url.Values{"current_password": {"wrong"}})
			owner.post("/account/tokens", url.Values{"name": {"script"}})
			owner.get("/account")
			owner.post("/account/tokens", url.Values{"name": {strings.Repeat("x", 101)}})
			owner.post("/account/sessions/others", nil)
			_, mender := s.loggedIn("mender", "user")
			_, chief := s.loggedIn("chief", "admin")
			admin.post("/admin/users/"+strconv.FormatInt(mender.ID(), 10)+"/password-reset", nil)
			admin.get("/admin/users")
			issued, err := s.app.IssuePasswordReset.Handle(t.Context(), application.IssuePasswordReset{Actor: chief, UserID: mender.ID()})
			require.NoError(t, err)
			anon.get("/password-reset?token=" + issued.Token)
			anon.post("/password-reset", url.Values{"token": {issued.Token}, "password": {"short"}, "password_confirm": {"short"}})
			anon.get("/password-reset?token=not-a-valid-token")

			for _, page := range pageNames {
				assert.True(t, s.rendered[lang+"/"+page], "page %s was not rendered in %s", page, lang)
			}
		})
	}
}

func TestTemplatesSpeakOnlyTheirLanguage(t *testing.T) {
	s := newSite(t)
	b := s.browser()
	b.language = "ru"
	body := b.get("/").body
	for _, english := range []string{"Log in", "Create an account", "How it works", "Skip to content"} {
		assert.NotContains(t, body, english)
	}
}

func TestAMissingTemplateOrMessageStopsConstruction(t *testing.T) {
	h := &Handler{clock: testclock.NewManual(time.Time{})}
	var err error
	h.static, err = newStaticFiles()
	require.NoError(t, err)

	files := func() fstest.MapFS {
		fs := fstest.MapFS{}
		for _, name := range []string{"partials.html"} {
			b, err := templateFiles.ReadFile("templates/" + name)
			require.NoError(t, err)
			fs["templates/"+name] = &fstest.MapFile{Data: b}
		}
		for _, name := range pageNames {
			fs["templates/"+name+".html"] = &fstest.MapFile{Data: []byte(
				`{{define "title"}}x{{end}}{{define "content"}}{{t "app.name"}}{{end}}`)}
			for _, part := range pageParts[name] {
				fs["templates/"+part+".html"] = &fstest.MapFile{Data: []byte(`{{define "` + part + `"}}{{end}}`)}
			}
		}
		return fs
	}

	_, err = parseViews(files(), h.funcs)
	require.NoError(t, err, "the stand-in pages are valid")

	missingPage := files()
	delete(missingPage, "templates/ticket.html")
	_, err = parseViews(missingPage, h.funcs)
	assert.ErrorContains(t, err, "ticket")

	missingPart := files()
	delete(missingPart, "templates/account_telegram.html")
	_, err = parseViews(missingPart, h.funcs)
	assert.ErrorContains(t, err, "account_telegram")

	noContent := files()
	noContent["templates/home.html"] = &fstest.MapFile{Data: []byte(`{{define "title"}}x{{end}}`)}
	_, err = parseViews(noContent, h.funcs)
	assert.ErrorContains(t, err, `no template "content"`)

	unknownKey := files()
	unknownKey["templates/home.html"] = &fstest.MapFile{Data: []byte(
		`{{define "title"}}x{{end}}{{define "content"}}{{if .User}}{{t "home.no_such_key"}}{{end}}{{end}}`)}
	_, err = parseViews(unknownKey, h.funcs)
	assert.ErrorContains(t, err, "home.no_such_key")

	unknownPlural := files()
	unknownPlural["templates/home.html"] = &fstest.MapFile{Data: []byte(
		`{{define "title"}}x{{end}}{{define "content"}}{{range .X}}{{tn "nope.count" 3}}{{end}}{{end}}`)}
	_, err = parseViews(unknownPlural, h.funcs)
	assert.ErrorContains(t, err, "nope.count")
}

func TestPagesUseOnlyKnownStaticFiles(t *testing.T) {
	s := newSite(t)
	b := s.browser()
	body := b.get("/").body
	for _, ref := range []string{"/static/style.css?v=", "/static/favicon.svg?v="} {
		i := strings.Index(body, ref)
		require.GreaterOrEqual(t, i, 0, ref)
		end := strings.IndexByte(body[i:], '"')
		r := b.get(body[i : i+end])
		assert.Equal(t, http.StatusOK, r.status, ref)
		assert.Contains(t, r.header.Get("Cache-Control"), "immutable")
	}
	css := b.get("/static/style.css")
	assert.Equal(t, "text/css; charset=utf-8", css.header.Get("Content-Type"))
	assert.Contains(t, css.body, ":focus-visible")
	assert.Equal(t, http.StatusNotFound, b.get("/static/nope.css").status)
	assert.Equal(t, http.StatusNotFound, b.get("/static/").status)
	assert.Contains(t, b.get("/static/favicon.svg").header.Get("Content-Type"), "image/svg+xml")
}
