package web

import (
	"flag"
	"fmt"
	"html/template"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"crm/adapters/i18n"
	"crm/application"
	"crm/domain"
	"crm/test/testclock"
)

// updateGolden rewrites testdata/*.golden.html from the current templates:
// go test ./adapters/web -run TestPagesMatchTheirGoldenCopies -update
var updateGolden = flag.Bool("update", false, "rewrite the golden pages in testdata")

// renderNow is the clock of the rendering tests and benchmarks.
var renderNow = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

// newRenderHandler is a Handler that can render pages and nothing else: no
// application, no routes.
func newRenderHandler(tb testing.TB) *Handler {
	tb.Helper()
	h := &Handler{
		clock: testclock.NewManual(renderNow),
		log:   slog.New(slog.NewTextHandler(io.Discard, nil)),

		attachMaxBytes: DefaultAttachmentMaxBytes,
		attachMaxFiles: DefaultAttachmentMaxFiles,
	}
	var err error
	h.static, err = newStaticFiles()
	require.NoError(tb, err)
	h.views, err = parseViews(templateFiles, h.funcs)
	require.NoError(tb, err)
	return h
}

// ages are how long before renderNow the fixture tickets changed: every
// branch of relativeTime, and plural forms one, few and many.
var ages = []time.Duration{
	10 * time.Second, time.Minute, 2 * time.Minute, 5 * time.Minute, 21 * time.Minute,
	time.Hour, 3 * time.Hour, 11 * time.Hour, 22 * time.Hour,
	24 * time.Hour, 4 * 24 * time.Hour, 25 * 24 * time.Hour, 40 * 24 * time.Hour,
}

// titles need escaping or are not ASCII.
var titles = []string{
	"Microwave does not heat",
	`<script>alert("x")</script> & 'quotes'`,
	"Пропал звук в телевизоре",
	"A+B {id} {{.ID}} %s",
}

// fixtureTickets are n tickets, newest first, of every status and type,
// some unassigned.
func fixtureTickets(n int) []*domain.Ticket {
	ts := make([]*domain.Ticket, n)
	for i := range ts {
		id := int64(1000 - i)
		assigneeID, assignee := int64(7), "helper"
		if i%3 == 1 {
			assigneeID, assignee = 0, ""
		}
		at := renderNow.Add(-ages[i%len(ages)])
		ts[i] = domain.RehydrateTicket(id, 42, "owner<&>", titles[i%len(titles)], "text",
			domain.TicketTypes()[i%len(domain.TicketTypes())], domain.Statuses()[i%len(domain.Statuses())],
			assigneeID, assignee, at.Add(-time.Hour), at, nil, nil)
		if ts[i].Status() == domain.StatusClosed && i%2 == 0 {
			ts[i].RehydrateRating(i%domain.RatingMax+1, at)
		}
	}
	return ts
}

// fixtureTicketPage is a page of n tickets out of total, with an older page.
func fixtureTicketPage(n, total int) application.TicketPage {
	page := application.TicketPage{Tickets: fixtureTickets(n), Next: int64(1000 - n), Total: total,
		ByStatus: map[domain.Status]int{}}
	for i, s := range domain.Statuses() {
		page.ByStatus[s] = total/len(domain.Statuses()) + i
	}
	return page
}

func fixtureStaff() []*domain.User {
	return []*domain.User{
		domain.RehydrateUser(7, "helper", "", domain.RoleStaff, true, 0, "", renderNow.Add(-48*time.Hour)),
		domain.RehydrateUser(8, "boss", "", domain.RoleAdmin, true, 0, "", renderNow.Add(-400*24*time.Hour)),
	}
}

// fixtureTicketView is a ticket with history and comments, an internal one
// among them.
func fixtureTicketView() application.TicketView {
	history := []domain.StatusChange{
		{ID: 1, ByID: 7, ByName: "helper", From: domain.StatusOpen, To: domain.StatusInProgress, Comment: "Берём <в работу>", At: renderNow.Add(-3 * time.Hour)},
		{ID: 2, ByID: 8, ByName: "boss", From: domain.StatusInProgress, To: domain.StatusClosed, At: renderNow.Add(-2 * time.Minute)},
		{ID: 3, ByID: 42, ByName: "owner<&>", From: domain.StatusClosed, To: domain.StatusOpen, At: renderNow.Add(-90 * time.Second), ByReply: true},
		{ID: 4, ByID: 8, ByName: "boss", From: domain.StatusOpen, To: domain.StatusClosed, At: renderNow.Add(-time.Minute)},
	}
	comments := []domain.Comment{
		{ID: 1, AuthorID: 42, AuthorName: "owner<&>", Text: "Жду & надеюсь", At: renderNow.Add(-5 * time.Hour)},
		{ID: 2, AuthorID: 7, AuthorName: "helper", Text: "note", Internal: true, At: renderNow.Add(-30 * time.Second)},
	}
	t := domain.RehydrateTicket(12, 42, "owner<&>", titles[1], "Нет звука\nсовсем", domain.TypeConsultation,
		domain.StatusClosed, 7, "helper", renderNow.Add(-50*24*time.Hour), renderNow.Add(-2*time.Minute), history, comments).
		RehydrateRating(4, renderNow.Add(-30*time.Second))
	attachments := []domain.Attachment{
		{ID: 3, Name: "экран <1>.jpg", ContentType: "image/jpeg", Size: 1_234_567, SHA256: "aa", ThumbSHA256: "bb",
			ByID: 42, ByName: "owner<&>", At: renderNow.Add(-50 * 24 * time.Hour)},
		{ID: 4, CommentID: 1, Name: "receipt.pdf", ContentType: "application/pdf", Size: 2048, SHA256: "cc",
			ByID: 42, ByName: "owner<&>", At: renderNow.Add(-5 * time.Hour)},
	}
	deleted := []domain.AttachmentDeletion{{Attachment: domain.Attachment{ID: 2, Name: "blurred <old>.jpg", ContentType: "image/jpeg"},
		ByID: 7, ByName: "helper", At: renderNow.Add(-time.Hour)}}
	return application.TicketView{Ticket: t, Comments: comments, Attachments: attachments, DeletedAttachments: deleted,
		Next: domain.Statuses()[:2]}
}

// renderPage renders one page as visitor v would get it, through the same
// calls as the handlers.
func renderPage(h *Handler, w http.ResponseWriter, r *http.Request, v *visitor, name string) error {
	switch name {
	case "my_tickets":
		return h.render(w, r, v, http.StatusOK, name, h.myTicketsPage(v.Lang, fixtureTicketPage(25, 121), 1030))
	case "queue":
		p := newQueuePage(queueFilter{Status: "open", Q: "звук & <b>"}, fixtureStaff())
		h.fillQueue(p, v.Lang, fixtureTicketPage(25, 22), 0)
		return h.render(w, r, v, http.StatusOK, name, p)
	case "ticket":
		view := fixtureTicketView()
		return h.render(w, r, v, http.StatusOK, name, &ticketPage{
			layout: layout{Section: "tickets", Here: "/tickets/12"}, View: view, Comment: emptyForm(nil),
			Thread: thread{Comments: view.Comments, Files: newFileIndex(v.Lang, view, v.User)}, Limits: h.limitsView(v.Lang),
			History: newHistoryView(view), Closed: true, CanRate: true,
		})
	case "staff_ticket":
		view := fixtureTicketView()
		return h.render(w, r, v, http.StatusOK, name, &staffTicketPage{
			layout: layout{Section: "queue", Here: "/admin/tickets/12"}, View: view, Staff: fixtureStaff(),
			StatusForm: emptyForm(nil), AssignForm: emptyForm(nil), CommentForm: emptyForm(nil),
			Thread: thread{Comments: view.Comments, Files: newFileIndex(v.Lang, view, v.User)}, Limits: h.limitsView(v.Lang),
			History: newHistoryView(view),
			Replies: []replyChoice{{ID: 1, Name: "Приветствие <b>", Shared: true, Filled: "Здравствуйте, owner<&>!\nЗаявка 12 \"принята\""},
				{ID: 2, Name: "mine", Filled: "x"}},
		})
	case "users":
		return h.render(w, r, v, http.StatusOK, name, &usersPage{Users: fixtureStaff(), Total: 2})
	}
	return fmt.Errorf("no fixture for page %q", name)
}

// assetVersion is the content hash in asset URLs, which changes with the
// static files and not with the templates.
var assetVersion = regexp.MustCompile(`\?v=[0-9a-zA-Z_-]+`)

// matchGolden compares page, with its assets' versions left out, with the
// golden copy testdata/<name>.golden.html; with -update it writes the copy
// first.
func matchGolden(t *testing.T, name, page string) {
	t.Helper()
	got := assetVersion.ReplaceAllString(page, "?v=X")
	path := filepath.Join("testdata", name+".golden.html")
	if *updateGolden {
		require.NoError(t, os.WriteFile(path, []byte(got), 0o644))
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err, "no golden copy: run with -update")
	assert.Equal(t, string(want), got)
}

// TestPagesMatchTheirGoldenCopies renders the pages that list or show
// tickets, in every language, and compares them byte for byte with copies
// kept in testdata: a change in how a page is built must not change what a
// reader gets. After a deliberate change of a template, rerun with -update
// and read the diff.
func TestPagesMatchTheirGoldenCopies(t *testing.T) {
	h := newRenderHandler(t)
	staff := fixtureStaff()[1]
	for _, lang := range i18n.Languages() {
		for _, name := range []string{"my_tickets", "queue", "ticket", "staff_ticket", "users"} {
			t.Run(lang+"/"+name, func(t *testing.T) {
				w := httptest.NewRecorder()
				r := httptest.NewRequest(http.MethodGet, "/page?x=<1>", nil)
				r.AddCookie(&http.Cookie{Name: flashCookie, Value: "ticket_submitted-12"})
				require.NoError(t, renderPage(h, w, r, &visitor{User: staff, Lang: lang}, name))
				matchGolden(t, lang+"_"+name, w.Body.String())
				assert.Equal(t, lang, w.Header().Get("Content-Language"))
			})
		}
	}
}

func TestAPageIsSentInOneWriteWithItsLength(t *testing.T) {
	h := newRenderHandler(t)
	w := &countingWriter{ResponseRecorder: httptest.NewRecorder()}
	r := httptest.NewRequest(http.MethodGet, "/tickets", nil)
	require.NoError(t, renderPage(h, w, r, &visitor{User: fixtureStaff()[0], Lang: "en"}, "my_tickets"))
	assert.Equal(t, 1, w.writes)
	assert.Equal(t, fmt.Sprint(w.Body.Len()), w.Header().Get("Content-Length"))
	assert.Greater(t, w.Body.Len(), 1000)
}

func TestAFailedPageWritesNothing(t *testing.T) {
	h := newRenderHandler(t)
	w := &countingWriter{ResponseRecorder: httptest.NewRecorder()}
	r := httptest.NewRequest(http.MethodGet, "/tickets", nil)
	// The users page's template asks the data of another page for fields it lacks.
	err := h.render(w, r, &visitor{Lang: "en"}, http.StatusOK, "users", &myTicketsPage{})
	require.Error(t, err)
	assert.Zero(t, w.writes)
	assert.Empty(t, w.Header().Get("Content-Length"))
}

func TestHugeBuffersAreNotKept(t *testing.T) {
	b := getBuffer()
	b.Grow(2 * maxPooledBuffer)
	putBuffer(b)
	for range 10 {
		got := getBuffer()
		assert.LessOrEqual(t, got.Cap(), maxPooledBuffer)
		assert.Zero(t, got.Len())
		defer putBuffer(got)
	}
}

// countingWriter counts the writes of the body.
type countingWriter struct {
	*httptest.ResponseRecorder
	writes int
}

func (w *countingWriter) Write(p []byte) (int, error) {
	w.writes++
	return w.ResponseRecorder.Write(p)
}

func TestConstantMessagesAreBoundAtStartUp(t *testing.T) {
	h := newRenderHandler(t)
	page := h.views.pages["ru"]["users"].Lookup("content").Tree.Root.String()
	assert.Contains(t, page, `<th scope="col">Имя пользователя</th>`, "a column label is plain text")
	for _, key := range []string{"users.title", "users.search", "field.username", "queue.reset"} {
		assert.NotContains(t, page, `{{t "`+key+`"`, "no constant message is looked up per request")
	}
	assert.Contains(t, page, `{{t "users.reset_title" "id" .UserID`, "a message with arguments still is")
	assert.Contains(t, page, `{{tn "users.count" .Total`, "a plural still is")
}

// The list rows written in Go (ticket_rows_html.go) escape like
// html/template; the golden pages check the markup around them.
func TestListRowsEscapeLikeTheTemplates(t *testing.T) {
	for _, s := range []string{"plain", `<b>"x" & 'y' + z</b>`, "nul\x00byte", "Пропал звук"} {
		var want strings.Builder
		require.NoError(t, template.Must(template.New("").Parse(`{{.}}|<a title="{{.}}">`)).Execute(&want, s))
		assert.Equal(t, want.String(), escapeHTML(s)+`|<a title="`+escapeHTML(s)+`">`, s)
	}
	var rows strings.Builder
	writeQueueRows(&rows, "en", []ticketRow{{ID: 7, Title: "<i>", OwnerName: "a+b", Type: "Repair",
		Status: badge{Slug: "open", Name: "Open"}, UpdatedAt: renderNow.Add(-3 * time.Hour)}}, renderNow)
	assert.Contains(t, rows.String(), `<a href="/admin/tickets/7">&lt;i&gt;</a>`)
	assert.Contains(t, rows.String(), `<td data-label="Submitted by">a&#43;b</td>`)
	assert.Contains(t, rows.String(), `<span class="muted">Not assigned</span>`)
	assert.Contains(t, rows.String(), string(newMoment("en", renderNow.Add(-3*time.Hour), renderNow).html()), "a moment as timeTag writes it")
}

func TestAPageThatCannotBeEscapedStopsConstruction(t *testing.T) {
	h := newRenderHandler(t)
	fs := fstest.MapFS{}
	for _, name := range []string{"partials.html"} {
		b, err := templateFiles.ReadFile("templates/" + name)
		require.NoError(t, err)
		fs["templates/"+name] = &fstest.MapFile{Data: b}
	}
	for _, name := range pageNames {
		fs["templates/"+name+".html"] = &fstest.MapFile{Data: []byte(`{{define "title"}}x{{end}}{{define "content"}}{{end}}`)}
		for _, part := range pageParts[name] {
			fs["templates/"+part+".html"] = &fstest.MapFile{Data: []byte(`{{define "` + part + `"}}{{end}}`)}
		}
	}
	_, err := parseViews(fs, h.funcs)
	require.NoError(t, err)
	fs["templates/home.html"] = &fstest.MapFile{Data: []byte(
		`{{define "title"}}x{{end}}{{define "content"}}<a {{if .User}}href="{{else}}title="{{end}}">{{end}}`)}
	_, err = parseViews(fs, h.funcs)
	assert.ErrorContains(t, err, "page home")
	assert.ErrorContains(t, err, "escape")
}

func TestAQueueSearchThatStoppedCountingSaysMoreThan(t *testing.T) {
	h := newRenderHandler(t)
	for _, tc := range []struct {
		lang, capped, exact string
	}{
		{"en", "More than 200 tickets match", "200 tickets match"},
		{"ru", "Найдено больше 200 заявок", "Найдено 200 заявок"},
	} {
		t.Run(tc.lang, func(t *testing.T) {
			render := func(capped bool) string {
				page := fixtureTicketPage(3, application.SearchCountCap)
				page.ByStatus = map[domain.Status]int{domain.StatusOpen: 150, domain.StatusClosed: 51}
				page.CountCapped = capped
				p := newQueuePage(queueFilter{Q: "экран"}, fixtureStaff())
				h.fillQueue(p, tc.lang, page, 0)
				w := httptest.NewRecorder()
				v := &visitor{User: fixtureStaff()[0], Lang: tc.lang}
				require.NoError(t, h.render(w, httptest.NewRequest(http.MethodGet, "/admin/tickets", nil), v, http.StatusOK, "queue", p))
				return w.Body.String()
			}
			capped := render(true)
			assert.Contains(t, capped, tc.capped)
			assert.Contains(t, capped, `<span class="count">150+</span>`)
			exact := render(false)
			assert.Contains(t, exact, tc.exact)
			assert.NotContains(t, exact, tc.capped)
			assert.Contains(t, exact, `<span class="count">150</span>`)
		})
	}
}
