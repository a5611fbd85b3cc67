package web

import (
	"net/http"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestAPIStaffMergeADuplicate(t *testing.T) {
	s := newSite(t)
	owner, _ := s.apiUser("alice", "user")
	other, _ := s.apiUser("mallory", "user")
	staff, _ := s.apiUser("sam", "staff")
	into := owner.submit("Broken kettle")
	dup := owner.submit("Kettle broken")
	r := owner.post(pathf("/api/v1/tickets/{id}/comments", dup), `{"text":"It sparks too."}`)
	require.Equal(t, http.StatusCreated, r.status, r.body)
	strangers := other.submit("Mine")
	merge := pathf("/api/v1/tickets/{id}/merge", dup)
	body := func(id int64) string { return `{"into":` + strconv.FormatInt(id, 10) + `}` }

	assertProblem(t, owner.post(merge, body(into)), http.StatusForbidden, "forbidden")
	assertProblem(t, staff.post(merge, body(dup)), http.StatusUnprocessableEntity, "merge_self")
	assertProblem(t, staff.post(merge, body(strangers)), http.StatusConflict, "merge_across_owners")
	assertProblem(t, staff.post(merge, body(999999)), http.StatusUnprocessableEntity, "merge_target_not_found")
	assertProblem(t, staff.post(pathf("/api/v1/tickets/{id}/merge", 999999), body(into)), http.StatusNotFound, "ticket_not_found")
	for _, bad := range []string{`{}`, `{"into":0}`, `{"into":"12"}`, `{"into":1,"x":1}`} {
		r := staff.post(merge, bad)
		assert.True(t, r.status == http.StatusBadRequest || r.status == http.StatusUnprocessableEntity, "%s: %d %s", bad, r.status, r.body)
	}
	r = staff.get(pathf("/api/v1/tickets/{id}", dup))
	require.Equal(t, http.StatusOK, r.status)
	assert.Equal(t, "open", r.json["status"], "the refusals changed nothing")
	assert.Len(t, r.json["comments"], 1)

	r = staff.post(merge, body(into))
	require.Equal(t, http.StatusOK, r.status, r.body)
	assert.Equal(t, float64(into), r.json["id"], "the answer is the ticket kept")
	assert.Len(t, r.json["comments"], 1, "the comment moved")
	history := r.json["history"].([]any)
	require.Len(t, history, 1)
	assert.Equal(t, float64(dup), history[0].(map[string]any)["merged_from"])
	r = staff.get(pathf("/api/v1/tickets/{id}", dup))
	assert.Equal(t, "closed", r.json["status"])
	assert.Empty(t, r.json["comments"])
	history = r.json["history"].([]any)
	require.Len(t, history, 1)
	assert.Equal(t, float64(into), history[0].(map[string]any)["merged_into"])
	assert.Nil(t, r.json["next_statuses"], "closed for good: no next status")

	assertProblem(t, staff.post(merge, body(into)), http.StatusConflict, "merge_merged_away")
	assertProblem(t, owner.post(pathf("/api/v1/tickets/{id}/comments", dup), `{"text":"hello?"}`),
		http.StatusConflict, "merge_merged_away")
}
