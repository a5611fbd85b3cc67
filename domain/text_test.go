package domain_test

import (
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"crm/domain"
)

func TestValidText(t *testing.T) {
	cases := []struct {
		name string
		in   string
		want bool
	}{
		{"empty", "", true},
		{"ascii", "Broken kettle, #12 (again)!", true},
		{"cyrillic and emoji", "Пропал звук 🎧", true},
		{"newline and tab", "one\ntwo\tthree", true},
		{"NUL", "a\x00b", false},
		{"bell", "a\x07b", false},
		{"escape", "a\x1b[31m", false},
		{"carriage return left alone", "a\rb", false},
		{"DEL", "a\x7fb", false},
		{"C1 control", "a\u0085b", false},
		{"a lone continuation byte", "a\x80b", false},
		{"a cut sequence", "a\xd0", false},
		{"an encoded surrogate", "a\xed\xa0\x80b", false},
		{"overlong NUL", "a\xc0\x80b", false},
		{"U+FFFD itself is text", "a\uFFFDb", true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			assert.Equal(t, c.want, domain.ValidText(c.in))
			err := domain.CheckText("f", c.in)
			if c.want {
				assert.NoError(t, err)
			} else {
				assert.Equal(t, domain.ValidationError{Field: "f", Code: domain.CodeInvalidText}, err)
			}
		})
	}
}

func TestNormalizeNewlines(t *testing.T) {
	assert.Equal(t, "a\nb\nc\n\nd", domain.NormalizeNewlines("a\r\nb\rc\n\r\nd"))
	assert.Equal(t, "plain", domain.NormalizeNewlines("plain"))
}

func TestMalformedTextIsRefusedByTheEntities(t *testing.T) {
	for _, bad := range []string{"x\x00y", "x\xffy", "x\x1by"} {
		_, err := domain.NewTicket(owner, bad, bad, "repair", t0)
		verrs, ok := domain.AsValidation(err)
		require.True(t, ok, "%q: %v", bad, err)
		assert.Equal(t, domain.CodeInvalidText, verrs.Field("title"))
		assert.Equal(t, domain.CodeInvalidText, verrs.Field("text"))

		tk := ticketIn(domain.StatusOpen)
		assert.Equal(t, domain.ValidationError{Field: "text", Code: domain.CodeInvalidText}, tk.AddComment(owner, bad, false, t0))
		assert.Equal(t, domain.ValidationError{Field: "comment", Code: domain.CodeInvalidText},
			tk.ChangeStatus(staff, domain.StatusInProgress, bad, t0))
		assert.Empty(t, tk.Comments())
		assert.Empty(t, tk.History())
		assert.Empty(t, tk.Events())

		assert.Equal(t, domain.ValidationError{Field: "username", Code: domain.CodeInvalidText}, domain.ValidateUsername("ab"+bad))
	}
}

func TestTicketTextsTakeCRLFAsLF(t *testing.T) {
	tk, err := domain.NewTicket(owner, "Title", "line one\r\nline two\r\n", "repair", t0)
	require.NoError(t, err)
	assert.Equal(t, "line one\nline two", tk.Text())
	require.NoError(t, tk.AddComment(owner, "a\r\nb", false, t0))
	assert.Equal(t, "a\nb", tk.Comments()[0].Text)
}

// FuzzValidText checks ValidText against its definition, rune by rune, and
// that what it accepts survives NormalizeNewlines as valid text.
func FuzzValidText(f *testing.F) {
	for _, seed := range []string{"", "plain", "Пропал звук", "a\x00b", "a\xffb", "one\r\ntwo", "\t\n", "\u0085", "\xed\xa0\x80"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, s string) {
		want := utf8.ValidString(s)
		if want {
			for _, r := range s {
				if unicode.IsControl(r) && r != '\n' && r != '\t' {
					want = false
					break
				}
			}
		}
		if got := domain.ValidText(s); got != want {
			t.Fatalf("ValidText(%q) = %v, want %v", s, got, want)
		}
		n := domain.NormalizeNewlines(s)
		if strings.Contains(n, "\r") {
			t.Fatalf("NormalizeNewlines(%q) = %q keeps a CR", s, n)
		}
		if utf8.ValidString(s) && !utf8.ValidString(n) {
			t.Fatalf("NormalizeNewlines(%q) = %q broke UTF-8", s, n)
		}
	})
}
