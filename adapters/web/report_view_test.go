package web

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"crm/application"
)

func TestReportFiguresAreWordedPerLanguage(t *testing.T) {
	for _, c := range []struct {
		lang string
		d    time.Duration
		want string
	}{
		{"en", 40 * time.Second, "40 s"},
		{"en", 12*time.Minute + 5*time.Second, "12 min"},
		{"en", 3*time.Hour + 20*time.Minute, "3 h 20 min"},
		{"en", 50 * time.Hour, "2 d 2 h"},
		{"ru", 3*time.Hour + 20*time.Minute, "3 ч 20 мин"},
		{"ru", 50 * time.Hour, "2 дн. 2 ч"},
	} {
		assert.Equal(t, c.want, duration(c.lang, c.d, true), "%s %v", c.lang, c.d)
	}
	assert.Equal(t, "—", duration("en", 0, false), "no figure")
	assert.Equal(t, "4.5", decimal("en", 4.5, true))
	assert.Equal(t, "4,5", decimal("ru", 4.5, true))
	assert.Equal(t, "75%", percent("en", application.Measured{Judged: 4, Met: 3}))
	assert.Equal(t, "75\u00a0%", percent("ru", application.Measured{Judged: 4, Met: 3}))
	assert.Equal(t, "—", percent("en", application.Measured{Count: 3}), "none had a target")
	assert.Equal(t, "Mar 2", shortDate("en", time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)))
	assert.Equal(t, "02.03", shortDate("ru", time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)))
	assert.Equal(t, "'+1", csvText("+1"), "a formula stays text")
	assert.Equal(t, "'@sum", csvText("@sum"))
	assert.Equal(t, "bob", csvText("bob"))
}
