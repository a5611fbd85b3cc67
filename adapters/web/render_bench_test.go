package web

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"crm/adapters/i18n"
	"crm/application"
	"crm/domain"
)

// discardWriter is a ResponseWriter that keeps headers and drops the body.
type discardWriter struct{ h http.Header }

func (w *discardWriter) Header() http.Header         { return w.h }
func (w *discardWriter) Write(p []byte) (int, error) { return len(p), nil }
func (w *discardWriter) WriteHeader(int)             {}

// benchmarkPage renders page name with a list of rows tickets, in every
// language, building the view from domain values as the handler does:
//
//	go test ./adapters/web -run '^$' -bench Render -benchmem
func benchmarkPage(b *testing.B, rows int, render func(h *Handler, w http.ResponseWriter, r *http.Request, v *visitor, page application.TicketPage) error) {
	h := newRenderHandler(b)
	page := fixtureTicketPage(rows, 3*rows)
	user := fixtureStaff()[0]
	for _, lang := range i18n.Languages() {
		b.Run(lang, func(b *testing.B) {
			r := httptest.NewRequest(http.MethodGet, "/tickets", nil)
			v := &visitor{User: user, Lang: lang}
			w := &discardWriter{h: http.Header{}}
			b.ReportAllocs()
			for b.Loop() {
				clear(w.h)
				if err := render(h, w, r, v, page); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkRenderMyTickets50(b *testing.B) {
	benchmarkPage(b, 50, func(h *Handler, w http.ResponseWriter, r *http.Request, v *visitor, page application.TicketPage) error {
		return h.render(w, r, v, http.StatusOK, "my_tickets", h.myTicketsPage(v.Lang, page, 0))
	})
}

func BenchmarkRenderQueue50(b *testing.B) {
	staff := fixtureStaff()
	benchmarkPage(b, 50, func(h *Handler, w http.ResponseWriter, r *http.Request, v *visitor, page application.TicketPage) error {
		p := newQueuePage(queueFilter{Status: domain.StatusOpen.String()}, staff)
		h.fillQueue(p, v.Lang, page, 0)
		return h.render(w, r, v, http.StatusOK, "queue", p)
	})
}

// BenchmarkRenderTicket renders the owner's page of fixtureTicketView (four
// changes, a deleted file, two comments, two files), as a reader sees it.
func BenchmarkRenderTicket(b *testing.B) {
	benchmarkPage(b, 0, func(h *Handler, w http.ResponseWriter, r *http.Request, v *visitor, _ application.TicketPage) error {
		view := fixtureTicketView()
		return h.render(w, r, v, http.StatusOK, "ticket", &ticketPage{
			layout: layout{Section: "tickets"}, View: view, Comment: emptyForm(nil),
			Thread: thread{Comments: view.Comments, Files: newFileIndex(v.Lang, view, v.User)}, Limits: h.limitsView(v.Lang),
			History: newHistoryView(view), Closed: true, CanRate: true,
		})
	})
}

// BenchmarkRenderStaffTicket renders the staff page of fixtureTicketView,
// with two staff to assign and two saved replies.
func BenchmarkRenderStaffTicket(b *testing.B) {
	staff := fixtureStaff()
	benchmarkPage(b, 0, func(h *Handler, w http.ResponseWriter, r *http.Request, v *visitor, _ application.TicketPage) error {
		view := fixtureTicketView()
		return h.render(w, r, v, http.StatusOK, "staff_ticket", &staffTicketPage{
			layout: layout{Section: "queue"}, View: view, Staff: staff,
			StatusForm: emptyForm(nil), AssignForm: emptyForm(nil), CommentForm: emptyForm(nil),
			Thread: thread{Comments: view.Comments, Files: newFileIndex(v.Lang, view, v.User)}, Limits: h.limitsView(v.Lang),
			History: newHistoryView(view),
			Replies: []replyChoice{{ID: 1, Name: "Greeting", Shared: true, Filled: "Hello!"}, {ID: 2, Name: "mine", Filled: "x"}},
		})
	})
}
