package web

import (
	"html/template"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"crm/adapters/i18n"
	"crm/domain"
)

// TestLayoutMatchesItsGoldenCopies renders the layout around pages for each
// kind of visitor, in every language: anonymous (a problem page, with an
// alert), a person (their list, live, from an address whose query needs
// escaping in an attribute and in a URL) and staff (a live ticket page).
// The layout is written in Go (layout_html.go); these copies were made by
// the template it replaced, layout.html, and must stay byte for byte.
func TestLayoutMatchesItsGoldenCopies(t *testing.T) {
	h := newRenderHandler(t)
	person := domain.RehydrateUser(42, `owner<&>"'+`, "", domain.RoleUser, true, 0, "", renderNow)
	helper := fixtureStaff()[0]
	for _, lang := range i18n.Languages() {
		for _, tc := range []struct {
			name, target string
			user         *domain.User
			page         func() (string, view)
		}{
			{"anonymous", "/nowhere?q=<1>", nil, func() (string, view) {
				return "problem", &problemPage{layout: layout{Alert: `Stop <now> & "then"`}, Status: problemTooLarge.Status, Key: problemTooLarge.Key}
			}},
			{"person", `/tickets?before=1030&x=<a href="x">'+%zz é`, person, func() (string, view) {
				p := h.myTicketsPage(lang, fixtureTicketPage(3, 3), 1030)
				p.Live = liveMark{Kind: "mine", After: 77}
				return "my_tickets", p
			}},
			{"staff", "/admin/users", helper, func() (string, view) {
				p := &usersPage{Users: fixtureStaff(), Total: 2}
				p.Section = "users"
				p.Live = liveMark{Kind: "ticket", TicketID: 12, After: 5, Staff: true}
				return "users", p
			}},
		} {
			t.Run(lang+"/"+tc.name, func(t *testing.T) {
				w := httptest.NewRecorder()
				r := httptest.NewRequest(http.MethodGet, "/", nil)
				r.URL.RawQuery = ""
				r.RequestURI = tc.target
				u, err := r.URL.Parse(tc.target)
				require.NoError(t, err)
				r.URL = u
				r.AddCookie(&http.Cookie{Name: flashCookie, Value: "ticket_submitted-12"})
				name, data := tc.page()
				require.NoError(t, h.render(w, r, &visitor{User: tc.user, Lang: lang}, http.StatusOK, name, data))
				matchGolden(t, lang+"_layout_"+tc.name, w.Body.String())
			})
		}
	}
}

// The page's address in data-live-url is escaped as html/template escapes
// a value that makes up a URL attribute.
func TestLayoutURLsEscapeLikeTheTemplates(t *testing.T) {
	tmpl := template.Must(template.New("").Parse(`<a data-live-url="{{.}}">`))
	for _, s := range []string{
		"/tickets", "/tickets?before=12&status=open", `/x?q=<a href="x">'+é`, "/%zz%4a%4", "/a%", "/a%2",
		"javascript:alert(1)", "JavaScript:x", "HTTPS://example.com/a b", "mailto:a@b", "/a:b", "a:b/c",
		"\x00\x7f ~!#$&*+,/:;=?@[]()'\"", "",
	} {
		var want strings.Builder
		require.NoError(t, tmpl.Execute(&want, s))
		assert.Equal(t, want.String(), `<a data-live-url="`+escapeURLAttr(s)+`">`, "%q", s)
	}
}
