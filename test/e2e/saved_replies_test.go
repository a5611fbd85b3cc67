package e2e

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var replyRow = regexp.MustCompile(`<tr id="reply-(\d+)">\s*<td data-label="Name">([^<]*)</td>`)

// replyIDs are the saved replies on b's /admin/replies page, by name.
func replyIDs(t *testing.T, b *browser) map[string]string {
	t.Helper()
	page := b.get("/admin/replies")
	require.Equal(t, http.StatusOK, page.status, page.body)
	ids := map[string]string{}
	for _, m := range replyRow.FindAllStringSubmatch(page.body, -1) {
		ids[m[2]] = m[1]
	}
	return ids
}

// Staff keep shared and personal replies; one inserted into a comment
// has the owner's name and the ticket's number filled in and is posted
// as typed; a colleague neither sees nor changes a personal reply.
func TestSavedRepliesFillPlaceholdersAndStayPersonal(t *testing.T) {
	eachBackend(t, func(t *testing.T, dbURL string) {
		a := startApp(t, dbURL)
		owner := a.browser()
		owner.mustSignUp("Мария", "correct-horse")
		id := owner.submit("Не включается ноутбук", "Совсем", "repair")
		alice := a.staffBrowser("reply_alice", "staff")
		bob := a.staffBrowser("reply_bob", "staff")

		r := alice.post("/admin/replies", url.Values{"name": {"Приветствие"},
			"text": {"Здравствуйте, {owner}! Заявка №{ticket} принята."}, "shared": {"true"}})
		require.Equal(t, http.StatusSeeOther, r.status, r.body)
		r = alice.post("/admin/replies", url.Values{"name": {"Черновик"}, "text": {"Личное"}})
		require.Equal(t, http.StatusSeeOther, r.status, r.body)
		r = alice.post("/admin/replies", url.Values{"name": {"приветствие"}, "text": {"x"}, "shared": {"true"}})
		assert.Equal(t, http.StatusUnprocessableEntity, r.status, "the name is taken among the shared ones")
		r = alice.post("/admin/replies", url.Values{"name": {"Другое"}, "text": {"Для {client}"}})
		assert.Equal(t, http.StatusUnprocessableEntity, r.status)
		assert.Contains(t, r.body, "The text has {client}, which is not a placeholder. Use only {owner} and {ticket}.")

		mine := replyIDs(t, alice)
		require.Len(t, mine, 2, "nothing more was saved")
		assert.Equal(t, map[string]string{"Приветствие": mine["Приветствие"]}, replyIDs(t, bob), "bob sees only the shared one")

		ticket := fmt.Sprintf("/admin/tickets/%d", id)
		page := bob.get(ticket + "?reply=" + mine["Приветствие"] + "&text=" + url.QueryEscape("Добрый день."))
		require.Equal(t, http.StatusOK, page.status, page.body)
		want := fmt.Sprintf("Добрый день.\n\nЗдравствуйте, Мария! Заявка №%d принята.", id)
		assert.Contains(t, page.body, ">"+want+"</textarea>")
		r = bob.post(fmt.Sprintf("/tickets/%d/comments", id), url.Values{"text": {want}})
		require.Equal(t, http.StatusSeeOther, r.status, r.body)
		assert.Contains(t, owner.get(fmt.Sprintf("/tickets/%d", id)).body, fmt.Sprintf("Заявка №%d принята.", id), "the owner reads it")

		personal := mine["Черновик"]
		assert.Equal(t, http.StatusNotFound, bob.get(ticket+"?reply="+personal).status)
		assert.Equal(t, http.StatusNotFound, bob.get("/admin/replies/"+personal).status)
		assert.Equal(t, http.StatusNotFound, bob.post("/admin/replies/"+personal, url.Values{"name": {"x"}, "text": {"y"}}).status)
		assert.Equal(t, http.StatusNotFound, bob.post("/admin/replies/"+personal+"/delete", nil).status)
		assert.Equal(t, http.StatusForbidden, bob.post("/admin/replies/"+mine["Приветствие"]+"/delete", nil).status)
		assert.Equal(t, http.StatusForbidden, owner.get("/admin/replies").status)
		assert.Len(t, replyIDs(t, alice), 2, "still both")

		r = alice.post("/admin/replies/"+personal, url.Values{"name": {"Черновик"}, "text": {"Теперь для всех, {owner}"}, "shared": {"true"}})
		require.Equal(t, http.StatusSeeOther, r.status, r.body)
		assert.Len(t, replyIDs(t, bob), 2, "shared now")
	})
}
