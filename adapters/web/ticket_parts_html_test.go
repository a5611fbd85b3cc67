package web

import (
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"crm/adapters/i18n"
	"crm/application"
	"crm/domain"
)

// fixtureMergedTicketView is a ticket the golden ticket pages do not show:
// it absorbed a duplicate, was then merged into another ticket, has no
// file of its own and one comment, an internal note that carries only a
// file: its owner sees no comment at all.
func fixtureMergedTicketView() application.TicketView {
	history := []domain.StatusChange{
		{ID: 5, ByID: 7, ByName: "helper", From: domain.StatusOpen, To: domain.StatusOpen, At: renderNow.Add(-4 * time.Hour), MergedFrom: 15},
		{ID: 6, ByID: 8, ByName: "boss & co", From: domain.StatusOpen, To: domain.StatusClosed, Comment: "Дубль <#20>",
			At: renderNow.Add(-3 * time.Minute), MergedInto: 20},
	}
	comments := []domain.Comment{{ID: 9, AuthorID: 7, AuthorName: "helper", Internal: true, At: renderNow.Add(-2 * time.Hour)}}
	t := domain.RehydrateTicket(14, 42, "owner<&>", "Дверь не закрывается", "Замок <сломан>", domain.TypeRepair,
		domain.StatusClosed, 0, "", renderNow.Add(-5*time.Hour), renderNow.Add(-3*time.Minute), history, comments)
	attachments := []domain.Attachment{{ID: 11, CommentID: 9, Name: "замок.pdf", ContentType: "application/pdf", Size: 512,
		SHA256: "dd", ByID: 7, ByName: "helper", At: renderNow.Add(-2 * time.Hour)}}
	return application.TicketView{Ticket: t, Comments: comments, Attachments: attachments}
}

// TestTicketPagesMatchTheirGoldenCopies renders both ticket pages of a
// merged ticket, in every language, and compares them with copies made by
// the templates before the ticket's history, comments and files were
// written in Go (ticket_parts_html.go); with the golden pages of
// fixtureTicketView, they must stay byte for byte.
func TestTicketPagesMatchTheirGoldenCopies(t *testing.T) {
	h := newRenderHandler(t)
	for _, lang := range i18n.Languages() {
		for _, name := range []string{"ticket", "staff_ticket"} {
			t.Run(lang+"/"+name, func(t *testing.T) {
				view := fixtureMergedTicketView()
				w := httptest.NewRecorder()
				r := httptest.NewRequest(http.MethodGet, "/tickets/14", nil)
				owner := domain.RehydrateUser(42, "owner<&>", "", domain.RoleUser, true, 0, "", renderNow)
				var err error
				if name == "ticket" {
					view.Comments, view.Attachments = nil, nil // what the owner is shown of it
					err = h.render(w, r, &visitor{User: owner, Lang: lang}, http.StatusOK, name, &ticketPage{
						layout: layout{Section: "tickets", Here: "/tickets/14"}, View: view, Comment: emptyForm(nil),
						Thread: thread{Comments: view.Comments, Files: newFileIndex(lang, view, owner)}, Limits: h.limitsView(lang),
						History: newHistoryView(view), Closed: true,
					})
				} else {
					staff := fixtureStaff()[0]
					err = h.render(w, r, &visitor{User: staff, Lang: lang}, http.StatusOK, name, &staffTicketPage{
						layout: layout{Section: "queue", Here: "/admin/tickets/14"}, View: view, Staff: fixtureStaff(),
						StatusForm: emptyForm(nil), AssignForm: emptyForm(nil), CommentForm: emptyForm(nil),
						Thread: thread{Comments: view.Comments, Files: newFileIndex(lang, view, staff)}, Limits: h.limitsView(lang),
						History: newHistoryView(view),
					})
				}
				require.NoError(t, err)
				matchGolden(t, lang+"_"+name+"_merged", w.Body.String())
			})
		}
	}
}

// TestStaffTicketFormsMatchTheirGoldenCopies renders the staff page with
// its status and assignment forms refused (errors on their fields and on
// none, what was typed kept, a status chosen), on a ticket assigned to
// the reader (no "assign to me"), in every language, and compares it with
// copies made by the template before those forms were written in Go.
func TestStaffTicketFormsMatchTheirGoldenCopies(t *testing.T) {
	h := newRenderHandler(t)
	for _, lang := range i18n.Languages() {
		t.Run(lang, func(t *testing.T) {
			view := fixtureTicketView()
			view.Next = []domain.Status{domain.StatusInProgress, domain.StatusClosed}
			reader := fixtureStaff()[0] // helper, the ticket's assignee
			refused := func(values map[string]string, fields ...string) *form {
				f := emptyForm(values)
				f.fields = fields
				return f
			}
			status := refused(map[string]string{"status": "closed", "comment": "Сделано <b>&</b>"}, "status", "comment")
			status.fail(lang, domain.ValidationErrors{{Field: "status", Code: domain.CodeInvalid},
				{Field: "comment", Code: domain.CodeTooLong}, {Field: "seen", Code: domain.CodeInvalid}})
			assign := refused(map[string]string{"assignee": "x"}, "assignee")
			assign.fail(lang, domain.ValidationErrors{{Field: "assignee", Code: domain.CodeInvalid}})
			w := httptest.NewRecorder()
			r := httptest.NewRequest(http.MethodPost, "/admin/tickets/12/status", nil)
			require.NoError(t, h.render(w, r, &visitor{User: reader, Lang: lang}, http.StatusUnprocessableEntity, "staff_ticket",
				&staffTicketPage{
					layout: layout{Section: "queue", Here: "/admin/tickets/12"}, View: view, Staff: fixtureStaff(),
					StatusForm: status, AssignForm: assign, CommentForm: emptyForm(nil),
					Thread: thread{Comments: view.Comments, Files: newFileIndex(lang, view, reader)}, Limits: h.limitsView(lang),
					History: newHistoryView(view),
				}))
			matchGolden(t, lang+"_staff_ticket_refused", w.Body.String())
		})
	}
}
