package web

import (
	"errors"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"crm/adapters/i18n"
	"crm/domain"
)

// form is a submitted form as a page shows it again: the values typed and a
// message beside each wrong field.
type form struct {
	values map[string]string
	errors map[string]string
	fields []string
	Other  []string // messages about fields the form does not show
}

// newForm reads fields from the request's form body (or query, for GET),
// with the CR LF of textareas made LF. Errors: *http.MaxBytesError for a
// body over the limit, errBadRequest for one that cannot be parsed (the
// form is nil then), and domain.ValidationErrors (CodeInvalidText) for
// fields that are not text: the form comes with them, holding what was
// typed without the offending bytes, so that a page can show it again
// (f.fail(lang, err)) before anything reaches a use case.
func newForm(r *http.Request, fields ...string) (*form, error) {
	if err := r.ParseForm(); err != nil {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			return nil, err
		}
		return nil, errBadRequest
	}
	f := &form{values: map[string]string{}, errors: map[string]string{}, fields: fields}
	var invalid domain.ValidationErrors
	for _, name := range fields {
		v := domain.NormalizeNewlines(r.Form.Get(name))
		if !domain.ValidText(v) {
			invalid = append(invalid, domain.ValidationError{Field: name, Code: domain.CodeInvalidText})
			v = printable(v)
		}
		f.values[name] = v
	}
	if len(invalid) > 0 {
		return f, invalid
	}
	return f, nil
}

// printable returns s without the bytes that make it invalid text:
// malformed UTF-8 and control characters other than newline and tab.
func printable(s string) string {
	return strings.Map(func(r rune) rune {
		if r == utf8.RuneError || unicode.IsControl(r) && r != '\n' && r != '\t' {
			return -1
		}
		return r
	}, strings.ToValidUTF8(s, ""))
}

// emptyForm is a form not yet submitted, with default values.
func emptyForm(values map[string]string) *form {
	if values == nil {
		values = map[string]string{}
	}
	return &form{values: values, errors: map[string]string{}}
}

// Get returns the value typed in the field.
func (f *form) Get(field string) string {
	if f == nil {
		return ""
	}
	return f.values[field]
}

// Error returns the message for the field, or "".
func (f *form) Error(field string) string {
	if f == nil {
		return ""
	}
	return f.errors[field]
}

// Invalid reports whether the form has any error.
func (f *form) Invalid() bool { return f != nil && (len(f.errors) > 0 || len(f.Other) > 0) }

// firstError returns the first message of the form, in field order.
func (f *form) firstError() string {
	for _, name := range f.fields {
		if msg := f.errors[name]; msg != "" {
			return msg
		}
	}
	if len(f.Other) > 0 {
		return f.Other[0]
	}
	return ""
}

// Set changes a value (to clear a password before showing the form again).
func (f *form) Set(field, value string) { f.values[field] = value }

// fail records the validation errors of err in lang and reports whether err
// held any.
func (f *form) fail(lang string, err error) bool {
	verrs, ok := domain.AsValidation(err)
	if !ok || f == nil {
		return false
	}
	for _, e := range verrs {
		msg := i18n.Validation(lang, e.Field, e.Code)
		if slices.Contains(f.fields, e.Field) {
			if _, seen := f.errors[e.Field]; !seen {
				f.errors[e.Field] = msg
			}
		} else {
			f.Other = append(f.Other, msg)
		}
	}
	return true
}

// localPath returns next if it is a path on this site ("/tickets/3"), else
// fallback: it refuses "//host" and "/\host", which browsers read as
// another site, and anything not starting with "/".
func localPath(next, fallback string) string {
	if next == "" || next[0] != '/' || strings.HasPrefix(next, "//") || strings.HasPrefix(next, "/\\") ||
		strings.ContainsAny(next, "\r\n\t") {
		return fallback
	}
	return next
}

// pathID reads the {id} of the path. A malformed id is a missing thing:
// notFound is returned for it.
func pathID(r *http.Request, notFound error) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, notFound
	}
	return id, nil
}

// queryInt64 reads a non-negative number from the query, 0 when absent or
// malformed.
func queryInt64(r *http.Request, name string) int64 {
	n, err := strconv.ParseInt(r.URL.Query().Get(name), 10, 64)
	if err != nil || n < 0 {
		return 0
	}
	return n
}

// parseNonNegative reads a non-negative number, 0 when malformed.
func parseNonNegative(s string) int64 {
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n < 0 {
		return 0
	}
	return n
}

// summaryOpen is how the summary of a refused form opens, in every
// language.
var summaryOpen = newByLanguage(func(_ string, _ *i18n.Lang, msg func(string) string) string {
	return "\n<div class=\"alert\" role=\"alert\">\n  <p>" + msg("form.fix_errors") + "</p>"
})

// writeSummary writes what the "form_summary" template of partials.html
// writes for f: nothing when f has no error, else the alert, in lang, that
// lists the errors of no field.
func (f *form) writeSummary(b textWriter, lang string) {
	if !f.Invalid() {
		return
	}
	b.WriteString(summaryOpen.in(lang))
	if len(f.Other) > 0 {
		b.WriteString("\n  <ul>")
		for _, msg := range f.Other {
			b.WriteString("<li>")
			writeEscaped(b, msg)
			b.WriteString("</li>")
		}
		b.WriteString("</ul>")
	}
	b.WriteString("\n</div>")
}

// writeHasError writes " has-error", the class of a field whose value was
// refused, when f's field has an error.
func (f *form) writeHasError(b textWriter, field string) {
	if f.Error(field) != "" {
		b.WriteString(" has-error")
	}
}

// writeFieldError writes the error of f's field, if it has one, in a
// paragraph with the id given ("" for none: a field whose input does not
// point to it with aria-describedby).
func (f *form) writeFieldError(b textWriter, field, id string) {
	msg := f.Error(field)
	if msg == "" {
		return
	}
	b.WriteString(`<p class="field-error"`)
	if id != "" {
		writeStrings(b, ` id="`, id, `"`)
	}
	b.WriteString(">")
	writeEscaped(b, msg)
	b.WriteString("</p>")
}
