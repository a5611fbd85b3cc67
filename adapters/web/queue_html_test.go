package web

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/require"

	"crm/adapters/i18n"
	"crm/application"
	"crm/domain"
)

// TestQueuePagesMatchTheirGoldenCopies renders the staff queue in the
// cases the golden queue page does not show: an empty desk, filters that
// match nothing, a page past the last one, a search whose count stopped
// at the cap on one page (no pager), and filters refused (an error on a
// field and one on none). These copies were made by the template the
// queue page had, queue.html, and must stay byte for byte.
func TestQueuePagesMatchTheirGoldenCopies(t *testing.T) {
	h := newRenderHandler(t)
	staff := fixtureStaff()[0]
	capped := fixtureTicketPage(3, application.SearchCountCap)
	capped.Next, capped.CountCapped = 0, true
	capped.ByStatus = map[domain.Status]int{domain.StatusOpen: 150, domain.StatusClosed: 51}
	refused := domain.ValidationErrors{
		{Field: "status", Code: domain.CodeInvalid},
		{Field: "before", Code: domain.CodeInvalid},
	}
	for _, lang := range i18n.Languages() {
		for _, tc := range []struct {
			name   string
			filter queueFilter
			page   application.TicketPage
			before int64
			err    error
		}{
			{name: "empty"},
			{name: "filtered_empty", filter: queueFilter{Status: "closed", Assignee: "unassigned"}},
			{name: "past_the_end", filter: queueFilter{Type: "repair"}, before: 50},
			{name: "capped", filter: queueFilter{Q: "экран", Sort: "due", Overdue: "1"}, page: capped},
			{name: "refused", filter: queueFilter{Status: "lost", Q: `"<x>"`}, err: refused},
		} {
			t.Run(lang+"/"+tc.name, func(t *testing.T) {
				w := httptest.NewRecorder()
				r := httptest.NewRequest(http.MethodGet, "/admin/tickets", nil)
				v := &visitor{User: staff, Lang: lang}
				p := newQueuePage(tc.filter, fixtureStaff())
				status := http.StatusOK
				if p.Form.fail(lang, tc.err) {
					status = problemInvalid.Status
				} else {
					h.fillQueue(p, lang, tc.page, tc.before)
				}
				require.NoError(t, h.render(w, r, v, status, "queue", p))
				matchGolden(t, lang+"_queue_"+tc.name, w.Body.String())
			})
		}
	}
}
