package web

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"crm/application"
	"crm/domain"
)

// linkChat links chatID to the user as the bot would after /start.
func (s *site) linkChat(u *domain.User, chatID int64) {
	s.t.Helper()
	require.NoError(s.t, s.store.Users.Update(context.Background(), u.ID(), func(u *domain.User) error {
		u.LinkTelegram(chatID, s.clock.Now())
		return nil
	}))
}

func TestTheAccountPageShowsTelegramInEachState(t *testing.T) {
	cases := []struct {
		name    string
		opts    []siteOption
		linked  bool
		want    []string
		wantNot []string
	}{
		{
			name: "off on this server", opts: nil,
			want:    []string{"Telegram notifications are off on this server."},
			wantNot: []string{`action="/account/telegram/link"`, `action="/account/telegram/unlink"`},
		},
		{
			name: "not wired at all", opts: []siteOption{withoutTelegram()},
			want:    []string{"Telegram notifications are off on this server."},
			wantNot: []string{`action="/account/telegram/link"`, `action="/account/telegram/unlink"`},
		},
		{
			name: "off but still linked", opts: nil, linked: true,
			want:    []string{"Telegram notifications are off on this server.", `action="/account/telegram/unlink"`},
			wantNot: []string{`action="/account/telegram/link"`},
		},
		{
			name: "not linked", opts: []siteOption{withBot("crm_test_bot")},
			want:    []string{`<form method="post" action="/account/telegram/link">`, "Link Telegram"},
			wantNot: []string{"off on this server", `action="/account/telegram/unlink"`},
		},
		{
			name: "linked", opts: []siteOption{withBot("crm_test_bot")}, linked: true,
			want:    []string{`<span class="badge badge-active">Linked</span>`, `<form method="post" action="/account/telegram/unlink">`, "Unlink Telegram"},
			wantNot: []string{"off on this server", `action="/account/telegram/link"`},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := newSite(t, tc.opts...)
			b, u := s.loggedIn("owner", "user")
			if tc.linked {
				s.linkChat(u, 4242)
			}
			r := b.get("/account")
			require.Equal(t, http.StatusOK, r.status)
			assert.Contains(t, r.body, `<h2 id="telegram-heading">Telegram</h2>`)
			for _, w := range tc.want {
				assert.Contains(t, r.body, w)
			}
			for _, w := range tc.wantNot {
				assert.NotContains(t, r.body, w)
			}
		})
	}
}

var deepLink = regexp.MustCompile(`href="https://t\.me/crm_test_bot\?start=([A-Za-z0-9_-]+)"`)

// link presses "Link Telegram" and follows the redirect to the account page.
func (b *browser) link() *response {
	b.t.Helper()
	r := b.post("/account/telegram/link", nil)
	require.Equal(b.t, http.StatusSeeOther, r.status, r.body)
	require.Equal(b.t, "/account#telegram", r.location)
	return b.get("/account")
}

func TestLinkingTelegramShowsTheDeepLinkAndTheCommand(t *testing.T) {
	s := newSite(t, withBot("crm_test_bot"))
	b, u := s.loggedIn("owner", "user")

	post := b.post("/account/telegram/link", nil)
	require.Equal(t, http.StatusSeeOther, post.status, post.body)
	r := b.get("/account")
	require.Equal(t, http.StatusOK, r.status)
	m := deepLink.FindStringSubmatch(r.body)
	require.NotNil(t, m, "the deep link is a link:\n%s", r.body)
	token := m[1]
	assert.GreaterOrEqual(t, len(token), 16)
	assert.LessOrEqual(t, len(token), 64)
	assert.Contains(t, r.body, `>https://t.me/crm_test_bot?start=`+token+`</a>`, "the link shows its address")
	assert.Contains(t, r.body, `readonly aria-describedby="telegram-command-hint" spellcheck="false" autocomplete="off">/start `+token+`</textarea>`, "the command to copy")
	assert.Contains(t, r.body, `readonly`)
	assert.Contains(t, r.body, "Or send this message to @crm_test_bot")
	assert.Contains(t, r.body, "valid for 15 minutes, until 2026-03-01 12:15 UTC")
	assert.Contains(t, r.body, "Telegram Desktop ignores the link")
	assert.Equal(t, "no-store", r.header.Get("Cache-Control"), "the token is not kept by caches")

	// The token was stored hashed for this user.
	lt, err := s.linkTokens.Consume(context.Background(), application.HashToken(token), s.clock.Now())
	require.NoError(t, err)
	assert.Equal(t, u.ID(), lt.UserID)

	// It reaches the page in an HttpOnly cookie that ends with the token,
	// never in a URL or a log line.
	var carried bool
	for _, c := range post.header.Values("Set-Cookie") {
		if strings.Contains(c, token) {
			carried = true
			assert.Contains(t, c, "HttpOnly")
			assert.Contains(t, c, "Max-Age=900")
		}
	}
	assert.True(t, carried)
	assert.NotContains(t, post.location, token)
	assert.NotContains(t, s.logs.String(), token)

	// A new link replaces the old one.
	again := b.link()
	m2 := deepLink.FindStringSubmatch(again.body)
	require.NotNil(t, m2)
	assert.NotEqual(t, token, m2[1])

	// When the token expires, the page stops showing it.
	s.clock.Advance(16 * time.Minute)
	page := b.get("/account")
	assert.NotContains(t, page.body, "?start=")
	assert.NotContains(t, page.body, "/start ")
}

func TestAPendingLinkIsNeverShownToTheNextPersonOnTheBrowser(t *testing.T) {
	s := newSite(t, withBot("crm_test_bot"))
	s.createUser("second", "user")
	b, _ := s.loggedIn("first", "user")
	require.Regexp(t, deepLink, b.link().body)

	// Someone else logs in on the same browser without logging out.
	b.logIn("second", "second-secret")
	assert.NotContains(t, b.get("/account").body, "?start=", "the cookie names the account it was issued for")

	// Logging out deletes it.
	b.logIn("first", "first-secret")
	require.Regexp(t, deepLink, b.get("/account").body)
	b.post("/logout", nil)
	assert.Empty(t, b.cookie(linkCookie))
}

func TestLinkingWhileTheBotNameIsUnknownShowsTheCommandOnly(t *testing.T) {
	s := newSite(t, withBot(""))
	b, _ := s.loggedIn("owner", "user")
	r := b.link()
	assert.NotContains(t, r.body, "https://t.me/")
	assert.Regexp(t, `>/start [A-Za-z0-9_-]+</textarea>`, r.body)
	assert.Contains(t, r.body, "Or send this message to the bot")
}

func TestLinkingSpeaksRussian(t *testing.T) {
	s := newSite(t, withBot("crm_test_bot"))
	b, _ := s.loggedIn("owner", "user")
	b.language = "ru"
	r := b.link()
	assert.Contains(t, r.body, `<html lang="ru">`)
	assert.Contains(t, r.body, "Ссылка действует 15 минут")
	assert.Contains(t, r.body, "Telegram Desktop не открывает ссылку")
	assert.Regexp(t, deepLink, r.body)
}

func TestLinkingWithTelegramOffSaysSo(t *testing.T) {
	for name, opt := range map[string]siteOption{"off": withOptions(func(*Options) {}), "not wired": withoutTelegram()} {
		t.Run(name, func(t *testing.T) {
			s := newSite(t, opt)
			b, _ := s.loggedIn("owner", "user")
			r := b.post("/account/telegram/link", nil)
			assert.Equal(t, http.StatusConflict, r.status)
			assert.Contains(t, r.body, `<div class="alert" role="alert">Telegram notifications are off on this server, so a chat cannot be linked.</div>`)
			assert.Contains(t, r.body, `<h1>Your account</h1>`, "the account page comes back")
			assert.NotContains(t, r.body, "/start ")
		})
	}
}

func TestUnlinkingTelegram(t *testing.T) {
	s := newSite(t, withBot("crm_test_bot"))
	b, u := s.loggedIn("owner", "user")
	s.linkChat(u, 4242)

	r := b.post("/account/telegram/unlink", nil)
	require.Equal(t, http.StatusSeeOther, r.status, r.body)
	assert.Equal(t, "/account", r.location)
	page := b.follow(r)
	assert.Contains(t, page.body, "Telegram unlinked.")
	assert.Contains(t, page.body, `action="/account/telegram/link"`)
	got, err := s.store.Users.Get(context.Background(), u.ID())
	require.NoError(t, err)
	_, linked := got.TelegramChatID()
	assert.False(t, linked)

	// Unlinking again is harmless.
	assert.Equal(t, http.StatusSeeOther, b.post("/account/telegram/unlink", nil).status)

	// Without the Telegram use cases there is nothing to unlink with.
	off := newSite(t, withoutTelegram())
	ob, _ := off.loggedIn("owner", "user")
	assert.Equal(t, http.StatusConflict, ob.post("/account/telegram/unlink", nil).status)
}

func TestAnonymousVisitorsCannotLinkOrUnlink(t *testing.T) {
	s := newSite(t, withBot("crm_test_bot"))
	for _, p := range []string{"/account/telegram/link", "/account/telegram/unlink"} {
		r := s.browser().post(p, nil)
		assert.Equal(t, http.StatusSeeOther, r.status, p)
		assert.Equal(t, "/login", r.location, p)
	}
}

// addDelivery stores a delivery of the newest event to handler, settled
// with status, and returns its id.
func (s *site) addDelivery(handler string, status application.DeliveryStatus, lastError, note string) int64 {
	s.t.Helper()
	ctx := context.Background()
	eventID, err := s.outbox.LastEventID(ctx)
	require.NoError(s.t, err)
	require.NotZero(s.t, eventID, "add a delivery after some event")
	require.NoError(s.t, s.outbox.AddDeliveries(ctx, []application.NewDelivery{{
		EventID: eventID, Handler: handler, Key: "user:1", Status: status, LastError: lastError, Note: note,
		At: s.clock.Now(),
	}}))
	page, err := s.outbox.ListDeliveries(ctx, application.DeliveryFilter{})
	require.NoError(s.t, err)
	return page.Deliveries[0].ID
}

func TestStaffSeeFailedDeliveriesAndRetryThem(t *testing.T) {
	s := newSite(t, withBot("crm_test_bot"))
	owner, _ := s.loggedIn("owner", "user")
	staff, _ := s.loggedIn("helper", "staff")
	id := owner.submit("Пропал звук", "text", "repair")
	staff.post(pathf("/admin/tickets/{id}/status", id), url.Values{"status": {"in_progress"}})

	failed := s.addDelivery("notify_owner", application.DeliveryFailed, "telegram: 400 Bad Request: chat not found", "")
	pending := s.addDelivery("webhook", application.DeliveryPending, "dial tcp: connection refused", "")
	done := s.addDelivery("audit", application.DeliveryDone, "", "sent to chat 42")

	r := staff.get("/admin/deliveries")
	require.Equal(t, http.StatusOK, r.status)
	assert.Contains(t, r.body, `<a href="/admin/deliveries" aria-current="page">Deliveries</a>`, "the nav marks the page")
	assert.Contains(t, r.body, "2 deliveries")
	row := between(t, r.body, pathf(`<tr data-delivery="{id}">`, failed), "</tr>")
	assert.Contains(t, row, fmt.Sprintf(`<a href="/admin/tickets/%d">Ticket #%d</a>`, id, id))
	assert.Contains(t, row, "Status changed")
	assert.Contains(t, row, `<span class="badge badge-delivery-failed">Failed</span>`)
	assert.Contains(t, row, "telegram: 400 Bad Request: chat not found")
	assert.Contains(t, row, "Telegram to the owner", "the channel")
	assert.Contains(t, row, pathf(`action="/admin/deliveries/{id}/retry"`, failed))
	prow := between(t, r.body, pathf(`<tr data-delivery="{id}">`, pending), "</tr>")
	assert.Contains(t, prow, `<span class="badge badge-delivery-pending">Pending</span>`)
	assert.Contains(t, prow, "Webhook")
	assert.Contains(t, prow, `<time datetime="2026-03-01T12:00:00Z">2026-03-01 12:00 UTC</time>`, "when it is tried next")
	assert.NotContains(t, r.body, pathf(`<tr data-delivery="{id}">`, done), "done ones need no attention")

	doneList := staff.get("/admin/deliveries?status=done")
	require.Equal(t, http.StatusOK, doneList.status)
	drow := between(t, doneList.body, pathf(`<tr data-delivery="{id}">`, done), "</tr>")
	assert.Contains(t, drow, "sent to chat 42")
	assert.NotContains(t, drow, "/retry", "a done delivery cannot be retried")
	assert.Contains(t, doneList.body, `href="/admin/deliveries?status=done" aria-current="true"`)

	bad := staff.get("/admin/deliveries?status=bogus")
	assert.Equal(t, http.StatusUnprocessableEntity, bad.status)
	assert.Contains(t, bad.body, "Choose one of the offered statuses.")

	// Retry comes back to the list it was sent from, with a flash.
	res := staff.post(pathf("/admin/deliveries/{id}/retry", failed), url.Values{"next": {"/admin/deliveries?status=failed"}})
	require.Equal(t, http.StatusSeeOther, res.status, res.body)
	assert.Equal(t, "/admin/deliveries?status=failed", res.location)
	after := staff.follow(res)
	assert.Contains(t, after.body, pathf("Delivery #{id} queued for another attempt.", failed))
	assert.Contains(t, after.body, "No deliveries with this status.")
	page, err := s.outbox.ListDeliveries(context.Background(), application.DeliveryFilter{Statuses: []application.DeliveryStatus{application.DeliveryPending}})
	require.NoError(t, err)
	var requeued *application.Delivery
	for i := range page.Deliveries {
		if page.Deliveries[i].ID == failed {
			requeued = &page.Deliveries[i]
		}
	}
	require.NotNil(t, requeued, "the failed delivery is pending again")
	assert.Zero(t, requeued.Attempts)
	assert.Equal(t, s.clock.Now(), requeued.NextAttemptAt)

	// A next that is not the deliveries page is ignored.
	res = staff.post(pathf("/admin/deliveries/{id}/retry", pending), url.Values{"next": {"//evil.example/"}})
	assert.Equal(t, "/admin/deliveries", res.location)

	for _, p := range []string{"/admin/deliveries/999/retry", "/admin/deliveries/abc/retry"} {
		nf := staff.post(p, nil)
		assert.Equal(t, http.StatusNotFound, nf.status, p)
		assert.Contains(t, nf.body, "Delivery not found", p)
	}
}

func TestTheDeliveriesPagePagesAndSaysWhenEmpty(t *testing.T) {
	s := newSite(t, withBot("crm_test_bot"))
	owner, _ := s.loggedIn("owner", "user")
	staff, _ := s.loggedIn("helper", "staff")

	empty := staff.get("/admin/deliveries")
	require.Equal(t, http.StatusOK, empty.status)
	assert.Contains(t, empty.body, "Nothing needs attention")

	owner.submit("Пропал звук", "text", "repair")
	for i := range application.DefaultPageSize + 5 {
		s.addDelivery("handler-"+string(rune('a'+i)), application.DeliveryFailed, "boom", "")
	}
	first := staff.get("/admin/deliveries?status=failed")
	require.Equal(t, http.StatusOK, first.status)
	assert.Equal(t, application.DefaultPageSize, strings.Count(first.body, "<tr data-delivery="))
	older := regexp.MustCompile(`href="(/admin/deliveries\?before=\d+&amp;status=failed)" rel="next"`).FindStringSubmatch(first.body)
	require.NotNil(t, older, "a link to the older page keeps the filter")
	second := staff.get(strings.ReplaceAll(older[1], "&amp;", "&"))
	require.Equal(t, http.StatusOK, second.status)
	assert.Equal(t, 5, strings.Count(second.body, "<tr data-delivery="))
	assert.Contains(t, second.body, `<input type="hidden" name="next" value="/admin/deliveries?before=`, "retry comes back to this page")
}

func TestTheDeliveriesPageWithoutTelegram(t *testing.T) {
	s := newSite(t, withoutTelegram())
	staff, _ := s.loggedIn("helper", "staff")
	r := staff.get("/admin/deliveries")
	require.Equal(t, http.StatusOK, r.status)
	assert.Contains(t, r.body, "there are no deliveries to show")
	assert.Equal(t, http.StatusNotFound, staff.post("/admin/deliveries/1/retry", nil).status)
}

func TestOnlyStaffSeeDeliveries(t *testing.T) {
	s := newSite(t, withBot("crm_test_bot"))
	user, _ := s.loggedIn("owner", "user")
	user.submit("Пропал звук", "text", "repair")
	id := s.addDelivery("notify_owner", application.DeliveryFailed, "boom", "")

	r := user.get("/admin/deliveries")
	assert.Equal(t, http.StatusForbidden, r.status)
	assert.Contains(t, r.body, "Access denied")
	assert.Equal(t, http.StatusForbidden, user.post(pathf("/admin/deliveries/{id}/retry", id), nil).status)
	assert.NotContains(t, user.get("/tickets").body, `href="/admin/deliveries"`, "no nav link for people")

	page, err := s.outbox.ListDeliveries(context.Background(), application.DeliveryFilter{})
	require.NoError(t, err)
	assert.Equal(t, application.DeliveryFailed, page.Deliveries[0].Status, "nothing was retried")

	anon := s.browser()
	r = anon.get("/admin/deliveries?status=failed")
	assert.Equal(t, http.StatusSeeOther, r.status)
	assert.Equal(t, "/login?next="+url.QueryEscape("/admin/deliveries?status=failed"), r.location)
	r = anon.post(pathf("/admin/deliveries/{id}/retry", id), nil)
	assert.Equal(t, "/login", r.location)

	admin, _ := s.loggedIn("boss", "admin")
	assert.Equal(t, http.StatusOK, admin.get("/admin/deliveries").status)
}

func TestTheDeliveriesPageSpeaksRussian(t *testing.T) {
	s := newSite(t, withBot("crm_test_bot"))
	owner, _ := s.loggedIn("owner", "user")
	staff, _ := s.loggedIn("helper", "staff")
	staff.language = "ru"
	id := owner.submit("Пропал звук", "text", "repair")
	staff.post(pathf("/admin/tickets/{id}/status", id), url.Values{"status": {"closed"}})
	s.addDelivery("notify_owner", application.DeliveryFailed, "boom", "")

	r := staff.get("/admin/deliveries")
	require.Equal(t, http.StatusOK, r.status)
	for _, want := range []string{"Доставки", "Статус изменён", "Не удалось", "Повторить", pathf("Заявка №{id}", id), "1 доставка"} {
		assert.Contains(t, r.body, want)
	}
	assert.NotContains(t, r.body, "Retry")
}

// between returns the part of s from the first from to the next to.
func between(t *testing.T, s, from, to string) string {
	t.Helper()
	i := strings.Index(s, from)
	require.GreaterOrEqual(t, i, 0, "%q not found", from)
	j := strings.Index(s[i:], to)
	require.GreaterOrEqual(t, j, 0)
	return s[i : i+j]
}
