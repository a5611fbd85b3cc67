package e2e

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"crm/test/fakebotapi"
)

// malformedTexts are texts no input may store: a NUL byte (PostgreSQL
// refuses it with SQLSTATE 22021, SQLite stores it), bytes that are not
// UTF-8, and another control character.
var malformedTexts = map[string]string{
	"NUL":           "before\x00after",
	"invalid UTF-8": "before\xff\xfeafter",
	"bell":          "before\x07after",
}

// invalidTextMessage is what a page says beside a field holding one.
const invalidTextMessage = "control characters"

func TestMalformedTextInFormsIsRefusedWithTheFieldNamed(t *testing.T) {
	eachBackend(t, func(t *testing.T, dbURL string) {
		a := startApp(t, dbURL)
		owner := a.browser()
		owner.mustSignUp("text_owner", "correct-horse")
		id := owner.submit("A good ticket", "fine", "repair")
		staff := a.staffBrowser("text_staff", "staff")

		for name, bad := range malformedTexts {
			t.Run(name, func(t *testing.T) {
				anon := a.browser()
				r := anon.post("/login", url.Values{"username": {"text_owner" + bad}, "password": {"correct-horse"}})
				assert.Equal(t, http.StatusUnprocessableEntity, r.status, "login username")
				assert.Contains(t, r.body, invalidTextMessage)

				r = anon.post("/register", url.Values{"username": {"new" + bad}, "password": {"correct-horse"}, "password_confirm": {"correct-horse"}})
				assert.Equal(t, http.StatusUnprocessableEntity, r.status, "register username")

				for _, field := range []string{"title", "text"} {
					form := url.Values{"title": {"Title " + name}, "text": {"Text " + name}, "type": {"repair"}}
					form.Set(field, bad)
					r = owner.post("/tickets", form)
					assert.Equal(t, http.StatusUnprocessableEntity, r.status, "ticket %s", field)
					assert.Contains(t, r.body, invalidTextMessage, "ticket %s: the form again, with the message", field)
				}

				r = owner.post(fmt.Sprintf("/tickets/%d/comments", id), url.Values{"text": {bad}})
				assert.Equal(t, http.StatusUnprocessableEntity, r.status, "comment")
				assert.Contains(t, r.body, invalidTextMessage)

				r = staff.post(fmt.Sprintf("/admin/tickets/%d/status", id), url.Values{"status": {"in_progress"}, "comment": {bad}})
				assert.Equal(t, http.StatusUnprocessableEntity, r.status, "status comment")
				assert.Contains(t, r.body, invalidTextMessage)

				r = staff.get("/admin/tickets?q=" + url.QueryEscape(bad))
				assert.Equal(t, http.StatusUnprocessableEntity, r.status, "queue q")
				assert.Contains(t, r.body, invalidTextMessage)
			})
		}

		// Nothing of it was stored: the ticket is still open, with no comment.
		r := owner.get("/tickets")
		assert.NotContains(t, r.body, "Title ")
		r = staff.get(fmt.Sprintf("/admin/tickets/%d", id))
		assert.NotContains(t, r.body, "before")

		// Search terms are capped, with a message rather than a 500.
		r = staff.get("/admin/tickets?q=" + strings.Repeat("a", 201))
		assert.Equal(t, http.StatusUnprocessableEntity, r.status)
		assert.Contains(t, r.body, "200 characters")
		r = staff.get("/admin/tickets?q=" + url.QueryEscape(strings.Repeat("word ", 12000)))
		assert.Equal(t, http.StatusUnprocessableEntity, r.status, "a 60,000-byte search")
		r = staff.get("/admin/tickets?q=" + strings.Repeat("я", 200))
		assert.Equal(t, http.StatusOK, r.status, "200 characters are allowed")

		// A browser's textarea sends CR LF: stored as LF; tabs stay.
		id2 := owner.submit("Lines", "one\r\ntwo\tcolumns", "repair")
		r = owner.get(fmt.Sprintf("/tickets/%d", id2))
		assert.Contains(t, r.body, "one\ntwo\tcolumns")
	})
}

func TestMalformedTextInTheAPIIsRefusedWithTheFieldNamed(t *testing.T) {
	eachBackend(t, func(t *testing.T, dbURL string) {
		a := startApp(t, dbURL)
		a.mustCreateUser("api_text_owner", "correct-horse", "user")
		a.mustCreateUser("api_text_staff", "correct-horse", "staff")
		owner, staff := a.mustIssueToken("api_text_owner"), a.mustIssueToken("api_text_staff")
		res, created := a.apiCall(owner, "POST", "/api/v1/tickets", `{"title":"Good","text":"fine","type":"repair"}`)
		require.Equal(t, http.StatusCreated, res.status, res.body)
		id := fmt.Sprint(created["id"])

		fieldOf := func(doc map[string]any) string {
			errs, _ := doc["errors"].([]any)
			if len(errs) == 0 {
				return ""
			}
			return fmt.Sprint(errs[0].(map[string]any)["field"])
		}
		cases := []struct {
			name, token, path, body, field string
		}{
			{"NUL escape in the title", owner, "/api/v1/tickets", `{"title":"a\u0000b","text":"x","type":"repair"}`, "title"},
			{"raw invalid UTF-8 in the text", owner, "/api/v1/tickets", "{\"title\":\"t\",\"text\":\"a\xffb\",\"type\":\"repair\"}", "text"},
			{"a control character in the text", owner, "/api/v1/tickets", `{"title":"t","text":"a\u001bb","type":"repair"}`, "text"},
			{"NUL in a comment", owner, "/api/v1/tickets/" + id + "/comments", `{"text":"\u0000"}`, "text"},
			{"invalid UTF-8 in a status comment", staff, "/api/v1/tickets/" + id + "/status", "{\"status\":\"in_progress\",\"comment\":\"\xc3\"}", "comment"},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				res, doc := a.apiCall(c.token, "POST", c.path, c.body)
				assert.Equal(t, http.StatusUnprocessableEntity, res.status, res.body)
				assert.Equal(t, "application/problem+json", res.header.Get("Content-Type"))
				assert.Equal(t, c.field, fieldOf(doc), res.body)
			})
		}
		for name, bad := range malformedTexts {
			res, doc := a.apiCall(staff, "GET", "/api/v1/queue?q="+url.QueryEscape(bad), "")
			assert.Equal(t, http.StatusUnprocessableEntity, res.status, "queue q %s: %s", name, res.body)
			assert.Equal(t, "q", fieldOf(doc))
		}
		res, doc := a.apiCall(staff, "GET", "/api/v1/queue?q="+url.QueryEscape(strings.Repeat("word ", 12000)), "")
		assert.Equal(t, http.StatusUnprocessableEntity, res.status, res.body)
		assert.Equal(t, "q", fieldOf(doc))

		// A body declared in another charset is refused.
		req, err := http.NewRequest("POST", a.base+"/api/v1/tickets", strings.NewReader(`{"title":"t","text":"x","type":"repair"}`))
		require.NoError(t, err)
		req.Header.Set("Content-Type", "application/json; charset=windows-1251")
		req.Header.Set("Authorization", "Bearer "+owner)
		r := (&browser{t: t, app: a, client: &http.Client{}}).do(req)
		assert.Equal(t, http.StatusUnsupportedMediaType, r.status, r.body)
		req, err = http.NewRequest("POST", a.base+"/api/v1/tickets", strings.NewReader(`{"title":"t","text":"x","type":"repair"}`))
		require.NoError(t, err)
		req.Header.Set("Content-Type", "application/json; charset=UTF-8")
		req.Header.Set("Authorization", "Bearer "+owner)
		r = (&browser{t: t, app: a, client: &http.Client{}}).do(req)
		assert.Equal(t, http.StatusCreated, r.status, r.body)

		// Nothing malformed was stored.
		res, list := a.apiCall(owner, "GET", "/api/v1/tickets", "")
		require.Equal(t, http.StatusOK, res.status)
		assert.Equal(t, float64(2), list["total"])
		res, got := a.apiCall(owner, "GET", "/api/v1/tickets/"+id, "")
		require.Equal(t, http.StatusOK, res.status)
		assert.Equal(t, "open", got["status"])
	})
}

func TestMalformedTextFromTheCLIAndTheBotIsRefused(t *testing.T) {
	eachBackend(t, func(t *testing.T, dbURL string) {
		srv := fakebotapi.New(t)
		a := startTelegramApp(t, dbURL, srv)
		a.mustCreateUser("cli_text", "correct-horse", "user")

		_, errOut, code := a.crm("", "token", "create", "--username", "cli_text\xff")
		assert.Equal(t, 1, code)
		assert.Contains(t, errOut, "username")
		assert.NotContains(t, errOut, "22021")
		_, errOut, code = a.crm("", "token", "create", "--username", "cli_text", "--name", "label\x07")
		assert.Equal(t, 1, code)
		assert.Contains(t, errOut, "name")
		_, errOut, code = a.crm("", "user", "password", "cli_text\xff")
		assert.Equal(t, 1, code)
		assert.NotContains(t, errOut, "22021")

		// The bot answers malformed text with its help, and keeps working.
		srv.SendText(7001, "someone", "/start abc\x00def")
		srv.WaitUntil(t, telegramWait, "the bot's reply", func() bool { return len(srv.SentTo(7001)) >= 1 })
		srv.SendText(7001, "someone", "/help \xff")
		srv.WaitUntil(t, telegramWait, "the bot's second reply", func() bool { return len(srv.SentTo(7001)) >= 2 })
		assert.NotContains(t, a.logs.String(), "22021")
	})
}
