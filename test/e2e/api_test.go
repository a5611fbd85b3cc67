package e2e

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// apiCall is one JSON API request with a bearer token ("" for none).
func (a *app) apiCall(token, method, path, body string) (response, map[string]any) {
	a.t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, a.base+path, rd)
	require.NoError(a.t, err)
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	res := (&browser{t: a.t, app: a, client: &http.Client{}}).do(req)
	var doc map[string]any
	_ = json.Unmarshal([]byte(res.body), &doc)
	return res, doc
}

// mustIssueToken issues an API token for username with the CLI and returns
// it: the last line of the output.
func (a *app) mustIssueToken(username string) string {
	a.t.Helper()
	out, errOut, code := a.crm("", "token", "create", "--username", username)
	require.Equal(a.t, 0, code, "token create: %s %s", out, errOut)
	lines := strings.Split(strings.TrimSpace(out), "\n")
	require.GreaterOrEqual(a.t, len(lines), 2, "a line saying the token is shown once, then the token: %q", out)
	assert.Contains(a.t, lines[len(lines)-2], "shown only this once")
	token := lines[len(lines)-1]
	require.True(a.t, strings.HasPrefix(token, "crm_"), "token line %q", token)
	return token
}

func TestJSONAPIWithTokensFromTheCLI(t *testing.T) {
	eachBackend(t, func(t *testing.T, dbURL string) {
		a := startApp(t, dbURL)
		a.mustCreateUser("api_owner", "correct-horse", "user")
		a.mustCreateUser("api_other", "correct-horse", "user")
		a.mustCreateUser("api_staff", "correct-horse", "staff")
		owner, other, staff := a.mustIssueToken("api_owner"), a.mustIssueToken("api_other"), a.mustIssueToken("api_staff")

		_, errOut, code := a.crm("", "token", "create", "--username", "nobody_at_all")
		assert.Equal(t, 1, code)
		assert.Contains(t, errOut, "not found")
		_, _, code = a.crm("", "token", "create")
		assert.Equal(t, 2, code, "--username is required")

		// Who am I.
		res, me := a.apiCall(owner, "GET", "/api/v1/me", "")
		require.Equal(t, http.StatusOK, res.status, res.body)
		assert.Equal(t, "application/json", res.header.Get("Content-Type"))
		assert.Equal(t, "api_owner", me["username"])
		ownerID := strconv.FormatFloat(me["id"].(float64), 'f', -1, 64)

		// Create, list, get.
		res, created := a.apiCall(owner, "POST", "/api/v1/tickets", `{"title":"Через API","text":"Сломался чайник.","type":"repair"}`)
		require.Equal(t, http.StatusCreated, res.status, res.body)
		id := strconv.FormatFloat(created["id"].(float64), 'f', -1, 64)
		assert.Equal(t, "/api/v1/tickets/"+id, res.location)
		res, list := a.apiCall(owner, "GET", "/api/v1/tickets?limit=10", "")
		require.Equal(t, http.StatusOK, res.status, res.body)
		assert.Equal(t, float64(1), list["total"])
		res, got := a.apiCall(owner, "GET", "/api/v1/tickets/"+id, "")
		require.Equal(t, http.StatusOK, res.status, res.body)
		assert.Equal(t, "Сломался чайник.", got["text"])
		assert.Equal(t, "open", got["status"])

		// The ticket is on the pages too: one store, one set of use cases.
		b := a.browser()
		require.Equal(t, http.StatusSeeOther, b.login("api_owner", "correct-horse").status)
		assert.Contains(t, b.get("/tickets/"+id).body, "Через API")

		// Someone else's ticket does not exist for them.
		res, problem := a.apiCall(other, "GET", "/api/v1/tickets/"+id, "")
		assert.Equal(t, http.StatusNotFound, res.status)
		assert.Equal(t, "application/problem+json", res.header.Get("Content-Type"))
		assert.Equal(t, "urn:crm:problem:ticket_not_found", problem["type"])

		// Staff move it along; the owner sees the history.
		res, _ = a.apiCall(owner, "POST", "/api/v1/tickets/"+id+"/status", `{"status":"in_progress"}`)
		assert.Equal(t, http.StatusForbidden, res.status, "only staff start the work")
		res, changed := a.apiCall(staff, "POST", "/api/v1/tickets/"+id+"/status", `{"status":"in_progress","comment":"Взяли в работу"}`)
		require.Equal(t, http.StatusOK, res.status, res.body)
		assert.Equal(t, "in_progress", changed["status"])
		res, queue := a.apiCall(staff, "GET", "/api/v1/queue?status=in_progress", "")
		require.Equal(t, http.StatusOK, res.status, res.body)
		assert.Equal(t, float64(1), queue["total"])
		res, got = a.apiCall(owner, "GET", "/api/v1/tickets/"+id, "")
		require.Equal(t, http.StatusOK, res.status)
		require.Len(t, got["history"], 1)
		assert.Equal(t, "Взяли в работу", got["history"].([]any)[0].(map[string]any)["comment"])
		res, _ = a.apiCall(owner, "POST", "/api/v1/tickets/"+id+"/comments", `{"text":"Спасибо!"}`)
		assert.Equal(t, http.StatusCreated, res.status, res.body)

		// Bad tokens and bad input.
		res, _ = a.apiCall("", "GET", "/api/v1/me", "")
		assert.Equal(t, http.StatusUnauthorized, res.status)
		res, _ = a.apiCall("crm_"+strings.Repeat("x", 43), "GET", "/api/v1/me", "")
		assert.Equal(t, http.StatusUnauthorized, res.status)
		assert.Contains(t, res.header.Get("WWW-Authenticate"), "invalid_token")
		res, problem = a.apiCall(owner, "POST", "/api/v1/tickets", `{"title": "unterminated`)
		assert.Equal(t, http.StatusBadRequest, res.status)
		assert.Equal(t, "urn:crm:problem:bad_request", problem["type"])
		res, problem = a.apiCall(owner, "POST", "/api/v1/tickets", `{"title":"","text":"x","type":"rocket"}`)
		require.Equal(t, http.StatusUnprocessableEntity, res.status, res.body)
		assert.Equal(t, []any{
			map[string]any{"field": "title", "code": "required"},
			map[string]any{"field": "type", "code": "invalid"},
		}, problem["errors"])

		// A deactivated user's token stops working at once.
		admin := a.staffBrowser("api_admin", "admin")
		r := admin.post("/admin/users/"+ownerID+"/active", url.Values{"active": {"false"}})
		require.Equal(t, http.StatusSeeOther, r.status, r.body)
		res, _ = a.apiCall(owner, "GET", "/api/v1/me", "")
		assert.Equal(t, http.StatusUnauthorized, res.status)

		// Revocation.
		out, errOut, code := a.crm("", "token", "list", "--username", "api_other")
		require.Equal(t, 0, code, errOut)
		assert.Contains(t, out, "last used ", "the 404 above was a use")
		out, errOut, code = a.crm("", "token", "revoke", "--username", "api_other")
		require.Equal(t, 0, code, errOut)
		assert.Contains(t, out, "revoked 1")
		res, _ = a.apiCall(other, "GET", "/api/v1/me", "")
		assert.Equal(t, http.StatusUnauthorized, res.status)

		// The document describes the API.
		res, doc := a.apiCall("", "GET", "/api/v1/openapi.json", "")
		require.Equal(t, http.StatusOK, res.status)
		require.NotNil(t, doc, "openapi.json parses")
		paths := doc["paths"].(map[string]any)
		for _, p := range []string{"/api/v1/me", "/api/v1/tickets", "/api/v1/tickets/{id}", "/api/v1/tickets/{id}/comments",
			"/api/v1/queue", "/api/v1/tickets/{id}/status", "/api/v1/tickets/{id}/assign"} {
			assert.Contains(t, paths, p)
		}

		// The counters saw it all, by route pattern.
		res = a.browser().get("/metrics")
		require.Equal(t, http.StatusOK, res.status)
		assert.Contains(t, res.body, `http_requests_total{method="POST",route="/api/v1/tickets",status="201"} 1`)
		assert.Contains(t, res.body, `http_requests_total{method="GET",route="/api/v1/tickets/{id}",status="404"} 1`)
		assert.Contains(t, res.body, `http_requests_total{method="POST",route="/api/v1/tickets/{id}/status",status="200"} 1`)
		assert.Contains(t, res.body, `http_request_duration_seconds_count{method="GET",route="/api/v1/me"}`)
		assert.Contains(t, res.body, "crm_build_info{")
		assert.Contains(t, res.body, `crm_deliveries{status="failed"} 0`)
	})
}

func TestJSONAPIIgnoresCookiesAndCrossSiteChecks(t *testing.T) {
	a := startApp(t, "sqlite:"+t.TempDir()+"/crm.db")
	b := a.browser()
	b.mustSignUp("cookie_user", "correct-horse")

	req, err := http.NewRequest(http.MethodPost, a.base+"/api/v1/tickets", strings.NewReader(`{"title":"x","text":"y","type":"repair"}`))
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Origin", "https://evil.example")
	r := b.do(req)
	assert.Equal(t, http.StatusUnauthorized, r.status, "a logged-in browser's cookie is no credential here")
	assert.Equal(t, "application/problem+json", r.header.Get("Content-Type"))

	token := a.mustIssueToken("cookie_user")
	req, err = http.NewRequest(http.MethodPost, a.base+"/api/v1/tickets", strings.NewReader(`{"title":"x","text":"y","type":"repair"}`))
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Origin", "https://tools.example")
	req.Header.Set("Authorization", "Bearer "+token)
	assert.Equal(t, http.StatusCreated, b.do(req).status)
}
