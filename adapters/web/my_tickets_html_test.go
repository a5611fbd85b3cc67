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

// TestMyTicketsPagesMatchTheirGoldenCopies renders a person's list in the
// cases the golden my_tickets page does not show: no tickets yet, a page
// past the last one, and every ticket on one page (no pager). The page is
// written in Go (my_tickets_html.go); these copies were made by the
// template it replaced, my_tickets.html, and must stay byte for byte.
func TestMyTicketsPagesMatchTheirGoldenCopies(t *testing.T) {
	h := newRenderHandler(t)
	person := domain.RehydrateUser(42, "owner", "", domain.RoleUser, true, 0, "", renderNow)
	for _, lang := range i18n.Languages() {
		for _, tc := range []struct {
			name   string
			page   application.TicketPage
			before int64
		}{
			{"empty", application.TicketPage{}, 0},
			{"past_the_end", application.TicketPage{}, 50},
			{"one_page", application.TicketPage{Tickets: fixtureTickets(4), Total: 4}, 0},
		} {
			t.Run(lang+"/"+tc.name, func(t *testing.T) {
				w := httptest.NewRecorder()
				r := httptest.NewRequest(http.MethodGet, "/tickets", nil)
				p := h.myTicketsPage(lang, tc.page, tc.before)
				require.NoError(t, h.render(w, r, &visitor{User: person, Lang: lang}, http.StatusOK, "my_tickets", p))
				matchGolden(t, lang+"_my_tickets_"+tc.name, w.Body.String())
			})
		}
	}
}
