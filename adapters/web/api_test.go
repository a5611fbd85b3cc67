package web

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"crm/application"
	"crm/domain"
)

// apiClient calls the JSON API with one bearer token ("" for none).
type apiClient struct {
	t     *testing.T
	site  *site
	token string
}

// apiUser makes an account with role and an API token for it.
func (s *site) apiUser(username, role string) (*apiClient, *domain.User) {
	s.t.Helper()
	u := s.createUser(username, role)
	issued, err := s.app.IssueAPIToken.Handle(context.Background(), application.IssueAPIToken{Username: username})
	require.NoError(s.t, err)
	return &apiClient{t: s.t, site: s, token: issued.Token}, u
}

// apiResponse is an API answer, its body decoded as a JSON object when it
// is one.
type apiResponse struct {
	status int
	header http.Header
	body   string
	json   map[string]any
}

func (c *apiClient) do(method, path, body string, header http.Header) *apiResponse {
	c.t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, c.site.srv.URL+path, rd)
	require.NoError(c.t, err)
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	for k, vs := range header {
		req.Header[k] = vs
	}
	res, err := http.DefaultClient.Do(req)
	require.NoError(c.t, err)
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	require.NoError(c.t, err)
	r := &apiResponse{status: res.StatusCode, header: res.Header, body: string(b)}
	_ = json.Unmarshal(b, &r.json)
	if r.status >= 500 {
		c.t.Errorf("%s %s answered %d:\n%s", method, path, r.status, r.body)
	}
	return r
}

func (c *apiClient) get(path string) *apiResponse { c.t.Helper(); return c.do("GET", path, "", nil) }

func (c *apiClient) post(path, body string) *apiResponse {
	c.t.Helper()
	return c.do("POST", path, body, nil)
}

// submit files a ticket through the API and returns its id.
func (c *apiClient) submit(title string) int64 {
	c.t.Helper()
	r := c.post("/api/v1/tickets", `{"title":`+strconv.Quote(title)+`,"text":"Help, please.","type":"repair"}`)
	require.Equal(c.t, http.StatusCreated, r.status, r.body)
	return int64(r.json["id"].(float64))
}

// assertProblem checks that r is a problem+json answer with status and
// type code, and returns its field errors as "field:code".
func assertProblem(t *testing.T, r *apiResponse, status int, code string) []string {
	t.Helper()
	require.Equal(t, status, r.status, r.body)
	assert.Equal(t, "application/problem+json", r.header.Get("Content-Type"))
	require.NotNil(t, r.json, "a JSON body: %s", r.body)
	assert.Equal(t, "urn:crm:problem:"+code, r.json["type"])
	assert.Equal(t, float64(status), r.json["status"])
	assert.NotEmpty(t, r.json["title"])
	assert.Equal(t, r.header.Get("X-Request-Id"), r.json["request_id"])
	var fields []string
	if errs, ok := r.json["errors"].([]any); ok {
		for _, e := range errs {
			m := e.(map[string]any)
			fields = append(fields, m["field"].(string)+":"+m["code"].(string))
		}
	}
	return fields
}

func TestAPIAnswersOnlyAValidBearerToken(t *testing.T) {
	s := newSite(t)
	valid, _ := s.apiUser("alice", "user")
	cookieOnly, _ := s.loggedIn("bob", "user")

	for name, header := range map[string]http.Header{
		"no header":            nil,
		"unknown token":        {"Authorization": {"Bearer crm_not-a-real-token"}},
		"empty bearer":         {"Authorization": {"Bearer "}},
		"basic credential":     {"Authorization": {"Basic YWxpY2U6YWxpY2Utc2VjcmV0"}},
		"token without scheme": {"Authorization": {valid.token}},
	} {
		t.Run(name, func(t *testing.T) {
			anon := &apiClient{t: t, site: s}
			r := anon.do("GET", "/api/v1/me", "", header)
			assertProblem(t, r, http.StatusUnauthorized, "unauthorized")
			assert.True(t, strings.HasPrefix(r.header.Get("WWW-Authenticate"), "Bearer "), r.header.Get("WWW-Authenticate"))
		})
	}

	r := (&apiClient{t: t, site: s}).get("/api/v1/me")
	assert.Contains(t, r.body, "Authorization: Bearer <token>", "says what to send, in JSON without HTML escapes")

	r = valid.do("GET", "/api/v1/me", "", http.Header{"Authorization": {"bearer " + valid.token}})
	assert.Equal(t, http.StatusOK, r.status, "the scheme is case-insensitive")

	req, err := http.NewRequest("GET", s.srv.URL+"/api/v1/me", nil)
	require.NoError(t, err)
	res, err := cookieOnly.client.Do(req)
	require.NoError(t, err)
	_ = res.Body.Close()
	assert.Equal(t, http.StatusUnauthorized, res.StatusCode, "a session cookie counts for nothing")
}

func TestAPIMeIsTheTokensAccount(t *testing.T) {
	s := newSite(t)
	c, u := s.apiUser("alice", "staff")
	r := c.get("/api/v1/me")
	require.Equal(t, http.StatusOK, r.status)
	assert.Equal(t, "application/json", r.header.Get("Content-Type"))
	assert.Equal(t, "no-store", r.header.Get("Cache-Control"))
	assert.Equal(t, float64(u.ID()), r.json["id"])
	assert.Equal(t, "alice", r.json["username"])
	assert.Equal(t, "staff", r.json["role"])
	assert.Equal(t, false, r.json["telegram_linked"])
	assert.Equal(t, "2026-03-01T12:00:00Z", r.json["created_at"])
}

func TestAPIOwnerSubmitsListsReadsAndComments(t *testing.T) {
	s := newSite(t)
	owner, alice := s.apiUser("alice", "user")

	r := owner.post("/api/v1/tickets", `{"title":"  Пропал звук ","text":"После обновления.","type":"repair"}`)
	require.Equal(t, http.StatusCreated, r.status, r.body)
	id := int64(r.json["id"].(float64))
	assert.Equal(t, "/api/v1/tickets/"+strconv.FormatInt(id, 10), r.header.Get("Location"))
	assert.Equal(t, "Пропал звук", r.json["title"])
	assert.Equal(t, "open", r.json["status"])
	assert.Equal(t, map[string]any{"id": float64(alice.ID()), "username": "alice"}, r.json["owner"])
	assert.Nil(t, r.json["assignee"])
	assert.Equal(t, []any{}, r.json["comments"])
	assert.Equal(t, []any{}, r.json["history"])
	assert.Equal(t, []any{"closed"}, r.json["next_statuses"], "the owner may close their ticket, no more")
	assert.Nil(t, r.json["rating"])
	assert.Contains(t, r.json, "rating", "null until the owner rates a closing")

	second := owner.submit("Второй")
	list := owner.get("/api/v1/tickets")
	require.Equal(t, http.StatusOK, list.status)
	tickets := list.json["tickets"].([]any)
	require.Len(t, tickets, 2)
	assert.Equal(t, float64(second), tickets[0].(map[string]any)["id"], "newest first")
	assert.Equal(t, float64(2), list.json["total"])
	assert.Nil(t, list.json["next_before"])

	paged := owner.get("/api/v1/tickets?limit=1")
	require.Equal(t, http.StatusOK, paged.status)
	require.Len(t, paged.json["tickets"], 1)
	assert.Equal(t, float64(second), paged.json["next_before"])
	rest := owner.get("/api/v1/tickets?limit=1&before=" + strconv.FormatInt(second, 10))
	require.Len(t, rest.json["tickets"], 1)
	assert.Equal(t, float64(id), rest.json["tickets"].([]any)[0].(map[string]any)["id"])

	r = owner.post(pathf("/api/v1/tickets/{id}/comments", id), `{"text":"Any news?"}`)
	require.Equal(t, http.StatusCreated, r.status, r.body)
	assert.Equal(t, pathf("/api/v1/tickets/{id}", id), r.header.Get("Content-Location"))
	comments := r.json["comments"].([]any)
	require.Len(t, comments, 1)
	assert.Equal(t, "Any news?", comments[0].(map[string]any)["text"])

	r = owner.post(pathf("/api/v1/tickets/{id}/comments", id), `{"text":"psst","internal":true}`)
	assertProblem(t, r, http.StatusForbidden, "forbidden")

	staff, _ := s.apiUser("sam", "staff")
	r = staff.post(pathf("/api/v1/tickets/{id}/comments", id), `{"text":"Staff only.","internal":true}`)
	require.Equal(t, http.StatusCreated, r.status, r.body)
	assert.Len(t, r.json["comments"], 2, "staff see the note")
	r = owner.get(pathf("/api/v1/tickets/{id}", id))
	require.Equal(t, http.StatusOK, r.status)
	assert.Len(t, r.json["comments"], 1, "the owner does not")
	assert.NotContains(t, r.body, "Staff only.")
}

func TestAPIHidesOtherPeoplesTickets(t *testing.T) {
	s := newSite(t)
	owner, _ := s.apiUser("alice", "user")
	other, _ := s.apiUser("mallory", "user")
	id := owner.submit("Mine")

	assertProblem(t, other.get(pathf("/api/v1/tickets/{id}", id)), http.StatusNotFound, "ticket_not_found")
	assertProblem(t, other.post(pathf("/api/v1/tickets/{id}/comments", id), `{"text":"hi"}`), http.StatusNotFound, "ticket_not_found")
	assertProblem(t, owner.get("/api/v1/tickets/999999"), http.StatusNotFound, "ticket_not_found")
	assertProblem(t, owner.get("/api/v1/tickets/abc"), http.StatusNotFound, "ticket_not_found")
	list := other.get("/api/v1/tickets")
	assert.Equal(t, float64(0), list.json["total"])
	assert.Equal(t, []any{}, list.json["tickets"])
}

func TestAPIStaffWorkTheQueue(t *testing.T) {
	s := newSite(t)
	owner, _ := s.apiUser("alice", "user")
	staff, sam := s.apiUser("sam", "staff")
	_, plain := s.apiUser("bob", "user")
	id := owner.submit("Broken kettle")
	owner.submit("Other")

	q := staff.get("/api/v1/queue?status=open&q=kettle")
	require.Equal(t, http.StatusOK, q.status, q.body)
	require.Len(t, q.json["tickets"], 1)
	assert.Equal(t, map[string]any{"open": float64(1), "in_progress": float64(0), "closed": float64(0)}, q.json["counts"])

	r := staff.post(pathf("/api/v1/tickets/{id}/status", id), `{"status":"in_progress","comment":"On it"}`)
	require.Equal(t, http.StatusOK, r.status, r.body)
	assert.Equal(t, "in_progress", r.json["status"])
	history := r.json["history"].([]any)
	require.Len(t, history, 1)
	h := history[0].(map[string]any)
	assert.Equal(t, "open", h["from"])
	assert.Equal(t, "in_progress", h["to"])
	assert.Equal(t, "On it", h["comment"])
	assert.Equal(t, map[string]any{"id": float64(sam.ID()), "username": "sam"}, h["by"])
	assert.Equal(t, []any{"closed"}, r.json["next_statuses"])

	assertProblem(t, staff.post(pathf("/api/v1/tickets/{id}/status", id), `{"status":"open"}`),
		http.StatusConflict, "invalid_transition")
	fields := assertProblem(t, staff.post(pathf("/api/v1/tickets/{id}/status", id), `{"status":"done"}`),
		http.StatusUnprocessableEntity, "invalid")
	assert.Equal(t, []string{"status:invalid"}, fields)

	r = staff.post(pathf("/api/v1/tickets/{id}/assign", id), `{"assignee_id":`+strconv.FormatInt(sam.ID(), 10)+`}`)
	require.Equal(t, http.StatusOK, r.status, r.body)
	assert.Equal(t, map[string]any{"id": float64(sam.ID()), "username": "sam"}, r.json["assignee"])
	mine := staff.get("/api/v1/queue?assignee=mine")
	assert.Equal(t, float64(1), mine.json["total"])

	fields = assertProblem(t, staff.post(pathf("/api/v1/tickets/{id}/assign", id), `{"assignee_id":`+strconv.FormatInt(plain.ID(), 10)+`}`),
		http.StatusUnprocessableEntity, "invalid")
	assert.Equal(t, []string{"assignee_id:not_staff"}, fields)
	fields = assertProblem(t, staff.post(pathf("/api/v1/tickets/{id}/assign", id), `{}`), http.StatusUnprocessableEntity, "invalid")
	assert.Equal(t, []string{"assignee_id:required"}, fields)
	r = staff.post(pathf("/api/v1/tickets/{id}/assign", id), `{"assignee_id":null}`)
	require.Equal(t, http.StatusOK, r.status, r.body)
	assert.Nil(t, r.json["assignee"])

	assertProblem(t, staff.post("/api/v1/tickets/999999/status", `{"status":"closed"}`), http.StatusNotFound, "ticket_not_found")

	for _, call := range []func() *apiResponse{
		func() *apiResponse { return owner.get("/api/v1/queue") },
		func() *apiResponse {
			return owner.post(pathf("/api/v1/tickets/{id}/assign", id), `{"assignee_id":null}`)
		},
		func() *apiResponse {
			return staff.post(pathf("/api/v1/tickets/{id}/rating", id), `{"stars":5}`)
		},
	} {
		assertProblem(t, call(), http.StatusForbidden, "forbidden")
	}
	assertProblem(t, owner.post(pathf("/api/v1/tickets/{id}/status", id), `{"status":"open"}`),
		http.StatusConflict, "invalid_transition")
	r = owner.get(pathf("/api/v1/tickets/{id}", id))
	assert.Equal(t, "in_progress", r.json["status"], "nothing moved")
}

func TestAPIRefusesBadInputWithoutA500(t *testing.T) {
	s := newSite(t, withOptions(func(o *Options) { o.MaxBodyBytes = 1 << 10 }))
	c, _ := s.apiUser("alice", "user")
	staff, _ := s.apiUser("sam", "staff")
	id := c.submit("Mine")
	comments := pathf("/api/v1/tickets/{id}/comments", id)

	cases := []struct {
		name        string
		method      string
		path        string
		body        string
		contentType string
		status      int
		code        string
		fields      []string
	}{
		{"not JSON", "POST", "/api/v1/tickets", `{"title":`, "", 400, "bad_request", nil},
		{"garbage", "POST", "/api/v1/tickets", `title=x`, "", 400, "bad_request", nil},
		{"empty body", "POST", "/api/v1/tickets", ``, "application/json", 400, "bad_request", nil},
		{"an array", "POST", "/api/v1/tickets", `[1,2]`, "", 400, "bad_request", nil},
		{"two values", "POST", "/api/v1/tickets", `{"title":"a","text":"b","type":"repair"} {}`, "", 400, "bad_request", nil},
		{"unknown field", "POST", "/api/v1/tickets", `{"title":"a","text":"b","type":"repair","owner_id":1}`, "", 400, "bad_request", []string{"owner_id:unknown"}},
		{"wrong type", "POST", "/api/v1/tickets", `{"title":12,"text":"b","type":"repair"}`, "", 400, "bad_request", []string{"title:invalid_type"}},
		{"wrong type of bool", "POST", comments, `{"text":"x","internal":"yes"}`, "", 400, "bad_request", []string{"internal:invalid_type"}},
		{"form encoded", "POST", "/api/v1/tickets", `title=x`, "application/x-www-form-urlencoded", 415, "unsupported_media_type", nil},
		{"no content type", "POST", "/api/v1/tickets", `{}`, "-", 415, "unsupported_media_type", nil},
		{"too large", "POST", "/api/v1/tickets", `{"title":"a","text":"` + strings.Repeat("я", 2000) + `","type":"repair"}`, "", 413, "too_large", nil},
		{"every wrong field", "POST", "/api/v1/tickets", `{"title":"","text":"","type":"spaceship"}`, "", 422, "invalid",
			[]string{"title:required", "text:required", "type:invalid"}},
		{"null body", "POST", "/api/v1/tickets", `null`, "", 400, "bad_request", nil},
		{"empty comment", "POST", comments, `{"text":"  "}`, "", 422, "invalid", []string{"text:required"}},
		{"limit not a number", "GET", "/api/v1/tickets?limit=ten", "", "", 400, "bad_request", []string{"limit:invalid_type"}},
		{"limit zero", "GET", "/api/v1/tickets?limit=0", "", "", 422, "invalid", []string{"limit:invalid"}},
		{"negative before", "GET", "/api/v1/tickets?before=-3", "", "", 422, "invalid", []string{"before:invalid"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			header := http.Header{}
			switch tc.contentType {
			case "":
				header.Set("Content-Type", "application/json")
			case "-":
				header["Content-Type"] = nil
			default:
				header.Set("Content-Type", tc.contentType)
			}
			var body io.Reader = strings.NewReader(tc.body)
			req, err := http.NewRequest(tc.method, s.srv.URL+tc.path, body)
			require.NoError(t, err)
			for k, v := range header {
				req.Header[k] = v
			}
			if tc.contentType == "-" {
				req.Header.Del("Content-Type")
			}
			req.Header.Set("Authorization", "Bearer "+c.token)
			res, err := http.DefaultClient.Do(req)
			require.NoError(t, err)
			defer res.Body.Close()
			b, _ := io.ReadAll(res.Body)
			r := &apiResponse{status: res.StatusCode, header: res.Header, body: string(b)}
			_ = json.Unmarshal(b, &r.json)
			fields := assertProblem(t, r, tc.status, tc.code)
			assert.Equal(t, tc.fields, fields)
		})
	}

	t.Run("queue filters", func(t *testing.T) {
		fields := assertProblem(t, staff.get("/api/v1/queue?status=bogus&type=car"), http.StatusUnprocessableEntity, "invalid")
		assert.NotEmpty(t, fields)
		fields = assertProblem(t, staff.get("/api/v1/queue?assignee=someone"), http.StatusUnprocessableEntity, "invalid")
		assert.Equal(t, []string{"assignee:invalid"}, fields)
	})

	t.Run("a body streamed past the limit", func(t *testing.T) {
		pr, pw := io.Pipe()
		go func() {
			_, _ = pw.Write([]byte(`{"title":"a","text":"` + strings.Repeat("x", 4<<10) + `","type":"repair"}`))
			_ = pw.Close()
		}()
		req, err := http.NewRequest("POST", s.srv.URL+"/api/v1/tickets", pr)
		require.NoError(t, err)
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+c.token)
		res, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		defer res.Body.Close()
		assert.Equal(t, http.StatusRequestEntityTooLarge, res.StatusCode)
		assert.Equal(t, "application/problem+json", res.Header.Get("Content-Type"))
	})

	list := c.get("/api/v1/tickets?limit=1000")
	assert.Equal(t, http.StatusOK, list.status, "a large limit is capped, not refused")
	assert.Equal(t, float64(1), list.json["total"], "nothing bad was stored")
}

func TestAPITokenOfADeactivatedUserStopsWorking(t *testing.T) {
	s := newSite(t)
	c, u := s.apiUser("alice", "user")
	admin := s.createUser("root", "admin")
	require.Equal(t, http.StatusOK, c.get("/api/v1/me").status)

	require.NoError(t, s.app.SetUserActive.Handle(context.Background(), application.SetUserActive{Actor: admin, UserID: u.ID(), Active: false}))
	r := c.get("/api/v1/me")
	assertProblem(t, r, http.StatusUnauthorized, "unauthorized")
	assert.Contains(t, r.header.Get("WWW-Authenticate"), `error="invalid_token"`)

	require.NoError(t, s.app.ChangeRole.Handle(context.Background(), application.ChangeRole{Actor: admin, UserID: u.ID(), Role: "staff"}))
	require.NoError(t, s.app.SetUserActive.Handle(context.Background(), application.SetUserActive{Actor: admin, UserID: u.ID(), Active: true}))
	r = c.get("/api/v1/me")
	require.Equal(t, http.StatusOK, r.status)
	assert.Equal(t, "staff", r.json["role"], "the role is read at each request")

	_, err := s.app.RevokeAPITokens.Handle(context.Background(), application.RevokeAPITokens{Username: "alice"})
	require.NoError(t, err)
	assertProblem(t, c.get("/api/v1/me"), http.StatusUnauthorized, "unauthorized")
}

func TestAPIIsNotBlockedAsCrossSiteButNeedsItsToken(t *testing.T) {
	s := newSite(t)
	c, _ := s.apiUser("alice", "user")
	browser, _ := s.loggedIn("bob", "user")
	body := `{"title":"Forged","text":"x","type":"repair"}`
	foreign := http.Header{"Origin": {"https://evil.example"}, "Sec-Fetch-Site": {"cross-site"}}

	// A browser on another site posting with the victim's cookies.
	req, err := http.NewRequest("POST", s.srv.URL+"/api/v1/tickets", strings.NewReader(body))
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/json")
	for k, v := range foreign {
		req.Header[k] = v
	}
	res, err := browser.client.Do(req)
	require.NoError(t, err)
	_ = res.Body.Close()
	assert.Equal(t, http.StatusUnauthorized, res.StatusCode, "not 403: the cookie simply does not count")
	assert.Equal(t, "application/problem+json", res.Header.Get("Content-Type"))

	anon := &apiClient{t: t, site: s}
	assertProblem(t, anon.do("POST", "/api/v1/tickets", body, http.Header{"Origin": {"https://evil.example"}}),
		http.StatusUnauthorized, "unauthorized")

	r := c.do("POST", "/api/v1/tickets", body, foreign)
	assert.Equal(t, http.StatusCreated, r.status, "a token holder may call from anywhere")
	assert.Equal(t, http.StatusForbidden, browser.postWith("/tickets", url.Values{"title": {"x"}}, foreign).status,
		"the pages stay protected")
}

func TestAPIUnknownPathsAndMethodsAnswerProblems(t *testing.T) {
	s := newSite(t)
	c, _ := s.apiUser("alice", "user")
	assertProblem(t, c.get("/api/v1/nothing-here"), http.StatusNotFound, "not_found")
	r := c.get("/api/v1/tickets/1/status")
	assertProblem(t, r, http.StatusMethodNotAllowed, "method")
	assert.Equal(t, "POST", r.header.Get("Allow"))
	assertProblem(t, c.do("DELETE", "/api/v1/tickets", "", nil), http.StatusMethodNotAllowed, "method")
}

func TestAPIPanicIsA500ProblemLoggedOnce(t *testing.T) {
	s := newSite(t, withOptions(func(o *Options) {
		o.Mounts = []Mount{{Pattern: "GET /api/v1/boom", Handler: http.HandlerFunc(func(http.ResponseWriter, *http.Request) {
			panic("kaboom")
		})}}
	}))
	req, err := http.NewRequest("GET", s.srv.URL+"/api/v1/boom", nil)
	require.NoError(t, err)
	res, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	assert.Equal(t, http.StatusInternalServerError, res.StatusCode)
	assert.Equal(t, "application/problem+json", res.Header.Get("Content-Type"))
	assert.NotContains(t, string(b), "kaboom")
	assert.Equal(t, 1, strings.Count(s.logs.String(), "kaboom"))
}

func TestAPIProblemTextsCoverEveryProblem(t *testing.T) {
	for _, p := range apiProblems() {
		text, ok := apiProblemTexts[p.Key]
		if assert.True(t, ok, "no API text for %s", p.Key) {
			assert.NotEmpty(t, text.title, p.Key)
			assert.NotEmpty(t, text.detail, p.Key)
		}
	}
}

func TestOpenAPIDocumentDescribesExactlyTheAPIRoutes(t *testing.T) {
	s := newSite(t)
	anon := &apiClient{t: t, site: s}
	r := anon.get("/api/v1/openapi.json")
	require.Equal(t, http.StatusOK, r.status, "public, without a token")
	assert.Equal(t, "application/json", r.header.Get("Content-Type"))
	require.NotNil(t, r.json, "the document parses as JSON")
	assert.Equal(t, "3.0.3", r.json["openapi"])

	documented := map[string]bool{}
	for path, item := range r.json["paths"].(map[string]any) {
		for method := range item.(map[string]any) {
			if method == "parameters" {
				continue
			}
			// OpenAPI path templates and ServeMux wildcards agree: {id}.
			documented[strings.ToUpper(method)+" "+path] = true
		}
	}
	registered := map[string]bool{}
	for _, p := range s.handler.Patterns() {
		if _, path, _ := strings.Cut(p, " "); strings.HasPrefix(path, apiPrefix) {
			registered[p] = true
		}
	}
	assert.Equal(t, registered, documented, "openapi.json paths and the API routes differ")
	assert.Len(t, registered, 13)

	// Every $ref points at something in the document.
	var refs []string
	collectRefs(r.json, &refs)
	require.NotEmpty(t, refs)
	for _, ref := range refs {
		require.True(t, strings.HasPrefix(ref, "#/"), ref)
		var node any = r.json
		for _, part := range strings.Split(strings.TrimPrefix(ref, "#/"), "/") {
			m, ok := node.(map[string]any)
			require.True(t, ok, "%s: %s is not an object", ref, part)
			node, ok = m[part]
			require.True(t, ok, "%s does not resolve", ref)
		}
	}
}

func collectRefs(v any, refs *[]string) {
	switch v := v.(type) {
	case map[string]any:
		for k, x := range v {
			if s, ok := x.(string); ok && k == "$ref" {
				*refs = append(*refs, s)
			}
			collectRefs(x, refs)
		}
	case []any:
		for _, x := range v {
			collectRefs(x, refs)
		}
	}
}
