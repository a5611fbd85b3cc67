package browser

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Staff merge a duplicate with the plain form on the staff ticket page: a
// refusal is said beside the field, with what was typed kept; the merge
// lands on the ticket kept, whose history says what came. The owner, who
// reads Russian, finds the old ticket closed with a link to the new one,
// and no comment form.
func TestBrowserStaffMergeADuplicate(t *testing.T) {
	t.Parallel()
	needBrowser(t)
	a := startApp(t)
	a.createStaff(t, "mira.staff", "mira-merges-duplicates")

	owner := openTab(t, a, "owner")
	owner.register("oleg", "oleg-asks-twice")
	_, into := owner.submitTicket("Не работает принтер", "Repair", "Не печатает.")
	dupPath, dup := owner.submitTicket("Принтер не печатает", "Repair", "Так и не печатает.")
	owner.acceptLanguage("ru-RU,ru,en")

	staff := openTab(t, a, "staff")
	staff.logIn("mira.staff", "mira-merges-duplicates")
	staff.open("/admin/tickets/" + dup)
	assert.Equal(t, "Merge into another ticket", staff.text("#merge-heading"))
	staff.fill("Number of the ticket to keep", "#"+dup)
	require.EqualValues(t, http.StatusUnprocessableEntity, staff.press("Merge"))
	assert.Equal(t, "A ticket cannot be merged into itself: enter the number of another ticket.", staff.text("#merge-into-error"))
	assert.Equal(t, "#"+dup, runJS[string](staff, `document.querySelector('#merge-into').value`), "what was typed is kept")

	staff.fill("Number of the ticket to keep", "#"+into)
	require.EqualValues(t, http.StatusOK, staff.press("Merge"))
	assert.Equal(t, "/admin/tickets/"+into, staff.path())
	assert.Contains(t, staff.texts(".timeline > li"), "mira.staff merged a duplicate into this ticket: #"+dup+" · just now")
	staff.screenshot("merged-target")

	owner.open(dupPath)
	assert.Equal(t, "Эта заявка объединена с другой и закрыта; переписка продолжается там: №"+into, owner.text("p[data-merged-into]"))
	assert.Equal(t, "Закрыта", owner.text(".facts .badge"))
	assert.Zero(t, runJS[int](owner, `document.querySelectorAll('form[action$="/comments"]').length`),
		"a merged ticket takes no comments")
	owner.screenshot("merged-duplicate-ru")
	require.EqualValues(t, http.StatusOK, owner.follow("№"+into))
	assert.Equal(t, "/tickets/"+into, owner.path())
	assert.Contains(t, owner.texts(".timeline > li"), "mira.staff присоединил(а) к этой заявке дубликат: №"+dup+" · только что")
}
