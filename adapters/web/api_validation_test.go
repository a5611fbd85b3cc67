package web

import (
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestAPIRefusesWhatTheDocumentForbidsAndChangesNothing(t *testing.T) {
	s := newSite(t)
	owner, _ := s.apiUser("alice", "user")
	staff, sam := s.apiUser("sam", "staff")
	id := owner.submit("Mine")
	ticket := func(suffix string) string { return pathf("/api/v1/tickets/{id}", id) + suffix }

	cases := []struct {
		name         string
		client       *apiClient
		method, path string
		body         string
		contentType  string // "": application/json
		status       int
		code         string
		fields       []string
		detail       string // part of the problem's detail
	}{
		{"a title of the wrong type", owner, "POST", "/api/v1/tickets", `{"title":12,"text":"b","type":"repair"}`, "",
			400, "bad_request", []string{"title:invalid_type"}, `Field "title" must be a string.`},
		{"a flag of the wrong type", owner, "POST", ticket("/comments"), `{"text":"x","internal":"yes"}`, "",
			400, "bad_request", []string{"internal:invalid_type"}, `Field "internal" must be true or false.`},
		{"an assignee of the wrong type", staff, "POST", ticket("/assign"), `{"assignee_id":"sam"}`, "",
			400, "bad_request", []string{"assignee_id:invalid_type"}, `Field "assignee_id" must be an integer or null.`},
		{"null where a string goes", owner, "POST", "/api/v1/tickets", `{"title":null,"text":"b","type":"repair"}`, "",
			400, "bad_request", []string{"title:invalid_type"}, `"title"`},
		{"unknown fields", owner, "POST", "/api/v1/tickets", `{"title":"a","text":"b","type":"repair","owner_id":1,"zz":2}`, "",
			400, "bad_request", []string{"owner_id:unknown", "zz:unknown"}, `Field "owner_id" is not known here.`},
		{"not an object", staff, "POST", ticket("/status"), `["closed"]`, "",
			400, "bad_request", nil, "The body must be a JSON object."},
		{"a missing title", owner, "POST", "/api/v1/tickets", `{"text":"b","type":"repair"}`, "",
			422, "invalid", []string{"title:required"}, ""},
		{"every field missing", owner, "POST", "/api/v1/tickets", `{}`, "",
			422, "invalid", []string{"title:required", "text:required", "type:required"}, ""},
		{"a missing status", staff, "POST", ticket("/status"), `{"comment":"done"}`, "",
			422, "invalid", []string{"status:required"}, ""},
		{"a status outside the list", staff, "POST", ticket("/status"), `{"status":"done"}`, "",
			422, "invalid", []string{"status:invalid"}, ""},
		{"a title too long", owner, "POST", "/api/v1/tickets", `{"title":"` + strings.Repeat("я", 121) + `","text":"b","type":"repair"}`, "",
			422, "invalid", []string{"title:too_long"}, ""},
		{"a negative assignee", staff, "POST", ticket("/assign"), `{"assignee_id":-1}`, "",
			422, "invalid", []string{"assignee_id:invalid"}, ""},
		{"JSON under another media type", owner, "POST", "/api/v1/tickets", `{"title":"a","text":"b","type":"repair"}`, "application/merge-patch+json",
			415, "unsupported_media_type", nil, ""},
		{"a limit that is not a number", owner, "GET", "/api/v1/tickets?limit=ten", "", "",
			400, "bad_request", []string{"limit:invalid_type"}, `Query parameter "limit" must be an integer.`},
		{"queue filters outside their lists", staff, "GET", "/api/v1/queue?status=bogus&type=car", "", "",
			422, "invalid", []string{"status:invalid", "type:invalid"}, ""},
		{"a search too long", staff, "GET", "/api/v1/queue?q=" + strings.Repeat("x", 201), "", "",
			422, "invalid", []string{"q:too_long"}, ""},
		{"an id the document rules out names nothing", owner, "POST", "/api/v1/tickets/0/comments", `{"text":12}`, "",
			404, "ticket_not_found", nil, ""},
		{"no token: the document's rules stay unsaid", &apiClient{t: t, site: s}, "POST", "/api/v1/tickets", `{"title":12}`, "",
			401, "unauthorized", nil, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			header := http.Header{}
			if c.contentType != "" {
				header.Set("Content-Type", c.contentType)
			}
			r := c.client.do(c.method, c.path, c.body, header)
			fields := assertProblem(t, r, c.status, c.code)
			assert.Equal(t, c.fields, fields)
			assert.Contains(t, r.json["detail"], c.detail)
		})
	}

	r := owner.get("/api/v1/tickets")
	require.Equal(t, http.StatusOK, r.status)
	assert.Equal(t, float64(1), r.json["total"], "no ticket was filed")
	r = staff.get(ticket(""))
	require.Equal(t, http.StatusOK, r.status)
	assert.Equal(t, "open", r.json["status"])
	assert.Nil(t, r.json["assignee"])
	assert.Equal(t, []any{}, r.json["comments"])
	assert.Equal(t, []any{}, r.json["history"])

	// What the document allows goes through, empty query values included.
	r = staff.post(ticket("/assign"), `{"assignee_id":`+strconv.FormatInt(sam.ID(), 10)+`}`)
	require.Equal(t, http.StatusOK, r.status, r.body)
	r = staff.get("/api/v1/queue?status=&type=&assignee=&q=&before=&limit=")
	assert.Equal(t, http.StatusOK, r.status, r.body)
}

func TestTheRequestCheckIsBuiltOnceAndIsCheap(t *testing.T) {
	first, err := loadAPIContract()
	require.NoError(t, err)
	again, err := loadAPIContract()
	require.NoError(t, err)
	assert.Same(t, first, again, "one router per process, however many handlers")

	body := `{"title":"Broken kettle","text":"It whistles but does not boil.","type":"repair"}`
	allocs := testing.AllocsPerRun(50, func() {
		r := jsonRequest("application/json", body)
		if err := first.checkRequest(r); err != nil {
			t.Fatal(err)
		}
	})
	assert.Less(t, allocs, 500.0, "a request check allocates little: no schema compiled per request")
}
