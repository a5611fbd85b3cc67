package web

import (
	"context"
	"net/http"
	"net/url"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"crm/domain"
)

func TestTheOwnerClosesTheirTicketAndRatesIt(t *testing.T) {
	s := newSite(t)
	owner, _ := s.loggedIn("owner", "user")
	staff, _ := s.loggedIn("helper", "staff")
	id := owner.submit("Экран часов", "Разбит", "service")

	page := owner.get(pathf("/tickets/{id}", id))
	assert.Contains(t, page.body, `action="/tickets/1/status"`)
	assert.Contains(t, page.body, "Close, it&#39;s solved")
	assert.NotContains(t, page.body, `action="/tickets/1/rating"`, "nothing to rate while it is open")

	r := owner.post(pathf("/tickets/{id}/status", id), url.Values{"status": {"closed"}})
	require.Equal(t, http.StatusSeeOther, r.status, r.body)
	page = owner.follow(r)
	assert.Contains(t, page.body, "Ticket #1 is closed. How did we do?")
	assert.NotContains(t, page.body, `action="/tickets/1/status"`, "no close button on a closed ticket")
	assert.Contains(t, page.body, `action="/tickets/1/rating"`)
	assert.Contains(t, page.body, `aria-label="Rate 5 of 5"`)

	r = owner.post(pathf("/tickets/{id}/rating", id), url.Values{"stars": {"4"}})
	require.Equal(t, http.StatusSeeOther, r.status, r.body)
	page = owner.follow(r)
	assert.Contains(t, page.body, "Your rating of ticket #1 is saved.")
	assert.Contains(t, page.body, `value="4" class="chosen" aria-pressed="true"`)

	staffPage := staff.get(pathf("/admin/tickets/{id}", id))
	assert.Contains(t, staffPage.body, `<span class="rating" data-rating="4">`)
	queue := staff.get("/admin/tickets")
	assert.Contains(t, queue.body, `<th scope="col">Rating</th>`)
	assert.Contains(t, queue.body, `data-rating="4"`)
}

func TestRatingRefusals(t *testing.T) {
	s := newSite(t)
	owner, _ := s.loggedIn("owner", "user")
	stranger, _ := s.loggedIn("stranger", "user")
	staff, _ := s.loggedIn("helper", "staff")
	id := owner.submit("Экран часов", "Разбит", "service")

	r := owner.post(pathf("/tickets/{id}/rating", id), url.Values{"stars": {"5"}})
	assert.Equal(t, http.StatusConflict, r.status, "an open ticket is not rated")
	assert.Contains(t, r.body, "Only a closed ticket can be rated")

	r = owner.post(pathf("/tickets/{id}/status", id), url.Values{"status": {"in_progress"}})
	assert.Equal(t, http.StatusForbidden, r.status, "only staff start the work")
	assert.Contains(t, r.body, "Экран часов", "the ticket page with the reason")

	require.Equal(t, http.StatusSeeOther, owner.post(pathf("/tickets/{id}/status", id), url.Values{"status": {"closed"}}).status)
	r = owner.post(pathf("/tickets/{id}/status", id), url.Values{"status": {"closed"}})
	assert.Equal(t, http.StatusConflict, r.status, "a stale close button")

	for _, stars := range []string{"0", "6", "x", "", "-1", "4.5"} {
		r = owner.post(pathf("/tickets/{id}/rating", id), url.Values{"stars": {stars}})
		assert.Equal(t, http.StatusUnprocessableEntity, r.status, "stars %q", stars)
		assert.Contains(t, r.body, "Choose from 1 to 5 stars.", "stars %q", stars)
	}
	assert.Equal(t, http.StatusNotFound, stranger.post(pathf("/tickets/{id}/rating", id), url.Values{"stars": {"1"}}).status)
	assert.Equal(t, http.StatusNotFound, stranger.post(pathf("/tickets/{id}/status", id), url.Values{"status": {"open"}}).status)
	assert.Equal(t, http.StatusForbidden, staff.post(pathf("/tickets/{id}/rating", id), url.Values{"stars": {"1"}}).status)

	tk, err := s.store.Tickets.Get(context.Background(), id)
	require.NoError(t, err)
	assert.Zero(t, tk.Rating(), "no refusal changed anything")
	assert.Equal(t, domain.StatusClosed, tk.Status())
}
