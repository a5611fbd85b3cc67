package web

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// checkAPIAnswers wraps the test site's handler: every answer to an API
// request is checked against openapi.json (CheckAPIExchange), whoever
// sent it, and one that departs from it fails t.
func checkAPIAnswers(t *testing.T, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !isAPIRequest(r) {
			next.ServeHTTP(w, r)
			return
		}
		sent, _ := io.ReadAll(r.Body)
		r.Body = io.NopCloser(bytes.NewReader(sent))
		req := r.Clone(r.Context()) // as sent, whatever the handler does to r
		rec := &answerRecorder{ResponseWriter: w}
		next.ServeHTTP(rec, r)
		if rec.header == nil {
			rec.WriteHeader(http.StatusOK)
		}
		if err := CheckAPIExchange(req, sent, rec.status, rec.header, rec.body.Bytes()); err != nil {
			t.Errorf("%s %s departs from openapi.json: %v", r.Method, r.URL, err)
		}
	})
}

// answerRecorder passes an answer on, keeping its status, headers and
// body.
type answerRecorder struct {
	http.ResponseWriter
	status int
	header http.Header
	body   bytes.Buffer
}

func (a *answerRecorder) WriteHeader(code int) {
	if a.header == nil {
		a.status, a.header = code, a.ResponseWriter.Header().Clone()
	}
	a.ResponseWriter.WriteHeader(code)
}

func (a *answerRecorder) Write(b []byte) (int, error) {
	if a.header == nil {
		a.WriteHeader(http.StatusOK)
	}
	a.body.Write(b)
	return a.ResponseWriter.Write(b)
}

func (a *answerRecorder) Unwrap() http.ResponseWriter { return a.ResponseWriter }

func TestOpenAPIDocumentIsValidOpenAPI30(t *testing.T) {
	doc, err := openapi3.NewLoader().LoadFromData(openAPIDocument)
	require.NoError(t, err)
	require.NoError(t, doc.Validate(context.Background()))
	assert.Equal(t, "3.0.3", doc.OpenAPI, "3.0: kin-openapi checks it without compiling a JSON Schema 2020-12 validator per request")

	// The refusals the request check and apiEndpoint can give are listed
	// wherever they can happen.
	for path, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			if path == "/api/v1/openapi.json" {
				continue
			}
			want := []string{"401", "500", "503"}
			if op.RequestBody != nil {
				want = append(want, "400", "413", "415", "422")
			}
			for _, p := range append(item.Parameters, op.Parameters...) {
				if p.Value.In == openapi3.ParameterInQuery {
					want = append(want, "400", "422")
				}
				if p.Value.In == openapi3.ParameterInPath {
					want = append(want, "404")
				}
			}
			for _, status := range want {
				assert.NotNil(t, op.Responses.Value(status), "%s %s does not list %s", method, path, status)
			}
		}
	}
	_, err = loadAPIContract()
	require.NoError(t, err)
}

func TestCheckAPIExchangeCatchesDrift(t *testing.T) {
	const me = `{"id":1,"username":"alice","role":"user","language":"","telegram_linked":false,"created_at":"2026-03-01T12:00:00Z"}`
	const ticket = `{"id":7,"title":"t","type":"repair","status":"open","owner":{"id":1,"username":"alice"},"assignee":null,` +
		`"created_at":"2026-03-01T12:00:00Z","updated_at":"2026-03-01T12:00:00Z","rating":null,` +
		`"response_due_at":"2026-03-01T16:00:00Z","resolution_due_at":null,"overdue":false,"text":"x","attachments":[],"comments":[],"history":[]}`
	const problem = `{"type":"urn:crm:problem:unauthorized","title":"Unauthorized","status":401,"request_id":"r1"}`
	jsonHeader := func(ct string, extra ...string) http.Header {
		h := http.Header{"Content-Type": {ct}, "X-Request-Id": {"r1"}, "Cache-Control": {"no-store"}}
		for i := 0; i+1 < len(extra); i += 2 {
			if extra[i+1] == "" {
				h.Del(extra[i])
				continue
			}
			h.Set(extra[i], extra[i+1])
		}
		return h
	}
	const newTicket = `{"title":"t","text":"x","type":"repair"}`
	created := jsonHeader("application/json", "Location", "/api/v1/tickets/7")
	unauthorized := jsonHeader("application/problem+json", "WWW-Authenticate", `Bearer realm="crm"`)

	cases := []struct {
		name         string
		method, path string
		sent         string
		status       int
		header       http.Header
		body         string
		drift        string // "": as documented
	}{
		{"as documented", "GET", "/api/v1/me", "", 200, jsonHeader("application/json"), me, ""},
		{"a documented problem", "GET", "/api/v1/me", "", 401, unauthorized, problem, ""},
		{"a new ticket", "POST", "/api/v1/tickets", newTicket, 201, created, ticket, ""},
		{"an unknown path refused", "GET", "/api/v1/nothing", "", 404, jsonHeader("application/problem+json"),
			`{"type":"urn:crm:problem:not_found","title":"Not found","status":404}`, ""},

		{"an undocumented status", "GET", "/api/v1/me", "", 418, jsonHeader("application/json"), me, "status is not supported"},
		{"a field of the wrong type", "GET", "/api/v1/me", "", 200, jsonHeader("application/json"),
			strings.Replace(me, `"id":1`, `"id":"1"`, 1), "id"},
		{"a missing field", "GET", "/api/v1/me", "", 200, jsonHeader("application/json"),
			strings.Replace(me, `"telegram_linked":false,`, "", 1), "telegram_linked"},
		{"an undocumented field", "GET", "/api/v1/me", "", 200, jsonHeader("application/json"),
			strings.Replace(me, `{`, `{"email":"a@example.com",`, 1), "/email"},
		{"an undocumented nested field", "POST", "/api/v1/tickets", newTicket, 201, created,
			strings.Replace(ticket, `"username":"alice"`, `"username":"alice","role":"user"`, 1), "/owner/role"},
		{"a value outside its enum", "GET", "/api/v1/me", "", 200, jsonHeader("application/json"),
			strings.Replace(me, `"role":"user"`, `"role":"root"`, 1), "role"},
		{"an undocumented media type", "GET", "/api/v1/me", "", 200, jsonHeader("text/html"), me, "Content-Type"},
		{"a problem sent as plain JSON", "GET", "/api/v1/me", "", 401,
			jsonHeader("application/json", "WWW-Authenticate", `Bearer realm="crm"`), problem, "Content-Type"},
		{"no request id", "GET", "/api/v1/me", "", 200, jsonHeader("application/json", "X-Request-Id", ""), me, "X-Request-Id"},
		{"a cacheable answer", "GET", "/api/v1/me", "", 200, jsonHeader("application/json", "Cache-Control", "max-age=60"), me, "Cache-Control"},
		{"no Location for a new ticket", "POST", "/api/v1/tickets", newTicket, 201,
			jsonHeader("application/json"), ticket, "Location"},
		{"a 401 without WWW-Authenticate", "GET", "/api/v1/me", "", 401, jsonHeader("application/problem+json"), problem, "WWW-Authenticate"},
		{"a forbidden request accepted", "POST", "/api/v1/tickets", `{"title":1,"text":"x","type":"repair"}`, 201, created, ticket,
			"forbids the request"},
		{"an unknown path answered", "GET", "/api/v1/nothing", "", 200, jsonHeader("application/json"), me, "answered 200"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			req := httptest.NewRequest(c.method, c.path, strings.NewReader(c.sent))
			if c.sent != "" {
				req.Header.Set("Content-Type", "application/json")
			}
			err := CheckAPIExchange(req, []byte(c.sent), c.status, c.header, []byte(c.body))
			if c.drift == "" {
				assert.NoError(t, err)
				return
			}
			require.Error(t, err, "the drift goes unnoticed")
			assert.Contains(t, err.Error(), c.drift)
		})
	}

	assert.NoError(t, CheckAPIExchange(httptest.NewRequest("GET", "/tickets", nil), nil, 200,
		http.Header{"Content-Type": {"text/html"}}, []byte("<p>")), "pages are not the API's")
}
