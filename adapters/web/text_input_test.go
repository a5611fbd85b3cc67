package web

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"crm/domain"
)

func formRequest(body string) *http.Request {
	r := httptest.NewRequest(http.MethodPost, "/tickets", strings.NewReader(body))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return r
}

func TestNewFormRefusesFieldsThatAreNotText(t *testing.T) {
	f, err := newForm(formRequest("title=ok&text=a%00b&type=x%FFy"), "title", "text", "type")
	require.NotNil(t, f, "the form comes back, to be shown again")
	verrs, ok := domain.AsValidation(err)
	require.True(t, ok, "%v", err)
	assert.Equal(t, domain.CodeInvalidText, verrs.Field("text"))
	assert.Equal(t, domain.CodeInvalidText, verrs.Field("type"))
	assert.Empty(t, verrs.Field("title"))
	assert.Equal(t, "ab", f.Get("text"), "shown again without the offending bytes")
	assert.Equal(t, "xy", f.Get("type"))

	f, err = newForm(formRequest("text=one%0D%0Atwo%09three"), "text")
	require.NoError(t, err)
	assert.Equal(t, "one\ntwo\tthree", f.Get("text"), "CR LF from a textarea is LF")

	f, err = newForm(formRequest("text=%zz"), "text")
	assert.Nil(t, f)
	assert.ErrorIs(t, err, errBadRequest)
}

func jsonRequest(contentType, body string) *http.Request {
	r := httptest.NewRequest(http.MethodPost, "/api/v1/tickets", strings.NewReader(body))
	r.Header.Set("Content-Type", contentType)
	return r
}

func TestDecodeJSONRefusesTextThatIsNotText(t *testing.T) {
	cases := []struct {
		name, body string
		fields     []string
	}{
		{"escaped NUL", `{"title":"a\u0000b","text":"x","type":"repair"}`, []string{"title"}},
		{"raw bytes that are not UTF-8", "{\"title\":\"t\",\"text\":\"a\xffb\",\"type\":\"r\xc3\"}", []string{"text", "type"}},
		{"escape character", `{"title":"t","text":"\u001b[31m","type":"repair"}`, []string{"text"}},
		{"a lone surrogate escape", `{"title":"\ud800","text":"x","type":"repair"}`, nil}, // decoded as U+FFFD: text
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var in apiNewTicket
			err := decodeJSON(jsonRequest("application/json", c.body), &in)
			if c.fields == nil {
				require.NoError(t, err)
				return
			}
			verrs, ok := domain.AsValidation(err)
			require.True(t, ok, "%v", err)
			var got []string
			for _, e := range verrs {
				assert.Equal(t, domain.CodeInvalidText, e.Code)
				got = append(got, e.Field)
			}
			assert.Equal(t, c.fields, got)
		})
	}
}

func TestDecodeJSONTakesOnlyUTF8(t *testing.T) {
	body := `{"title":"t","text":"x","type":"repair"}`
	for _, ct := range []string{"application/json", "application/json; charset=utf-8", "application/json; charset=UTF-8", "application/problem+json"} {
		var in apiNewTicket
		assert.NoError(t, decodeJSON(jsonRequest(ct, body), &in), ct)
	}
	for _, ct := range []string{"application/json; charset=windows-1251", "application/json; charset=utf-16", "application/json; charset=latin1"} {
		var in apiNewTicket
		assert.ErrorIs(t, decodeJSON(jsonRequest(ct, body), &in), errUnsupportedCharset, ct)
	}
}

// FuzzNewForm feeds any body to the form decoder: it never panics, and a
// form it accepts holds only text, with no CR.
func FuzzNewForm(f *testing.F) {
	for _, seed := range []string{
		"title=Hello&text=World&type=repair",
		"title=%00&text=%FF%FE",
		"text=one%0D%0Atwo",
		"title=%D0%9F%D1%80%D0%B8%D0%B2%D0%B5%D1%82",
		"title=a%zz",
		"title=" + url.QueryEscape("\x1b[31m"),
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, body string) {
		fm, err := newForm(formRequest(body), "title", "text", "type")
		if errors.Is(err, errBadRequest) {
			return
		}
		if fm == nil {
			t.Fatalf("no form and no errBadRequest: %v", err)
		}
		_, invalid := domain.AsValidation(err)
		if err != nil && !invalid {
			t.Fatalf("unexpected error %v", err)
		}
		for _, name := range []string{"title", "text", "type"} {
			v := fm.Get(name)
			if !domain.ValidText(v) || strings.Contains(v, "\r") {
				t.Fatalf("field %s = %q after newForm(%q)", name, v, body)
			}
		}
	})
}

// FuzzDecodeJSON feeds any body to the JSON decoder: it never panics, and
// a body it accepts holds only text in every field.
func FuzzDecodeJSON(f *testing.F) {
	for _, seed := range []string{
		`{"title":"t","text":"x","type":"repair"}`,
		`{"title":"a\u0000b","text":"x","type":"repair"}`,
		"{\"title\":\"\xff\",\"text\":\"x\",\"type\":\"repair\"}",
		`{"title":"t","text":"x","type":"repair","extra":1}`,
		`{"title":1}`,
		`[]`,
		``,
		`{"title":"t"} {"title":"u"}`,
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, body string) {
		var in apiNewTicket
		err := decodeJSON(jsonRequest("application/json", body), &in)
		if err != nil {
			var input *apiInputError
			_, invalid := domain.AsValidation(err)
			if !invalid && !errors.As(err, &input) {
				t.Fatalf("unexpected error %T %v for %q", err, err, body)
			}
			return
		}
		for name, v := range map[string]string{"title": in.Title, "text": in.Text, "type": in.Type} {
			if !domain.ValidText(v) {
				t.Fatalf("field %s = %q accepted from %q", name, v, body)
			}
		}
	})
}
