package domain

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// CodeInvalidText says a text is not valid UTF-8 or holds a control
// character other than newline and tab: bytes no database should store
// (PostgreSQL refuses NUL and malformed UTF-8; SQLite would keep them).
const CodeInvalidText = "invalid_text"

// ValidText reports whether s is text every part of the desk can store and
// show: valid UTF-8 without NUL or any other control character (C0, DEL,
// C1) except newline and tab.
func ValidText(s string) bool {
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf { // ASCII: the common case, no decoding
			if c < 0x20 && c != '\n' && c != '\t' || c == 0x7f {
				return false
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 || unicode.IsControl(r) {
			return false
		}
		i += size
	}
	return true
}

// NormalizeNewlines turns the CR LF pairs browsers send from a textarea,
// and lone CRs, into LF.
func NormalizeNewlines(s string) string {
	if !strings.Contains(s, "\r") {
		return s
	}
	return strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", "\n"), "\r", "\n")
}

// CheckText returns a ValidationError with CodeInvalidText on field when
// s is not ValidText, else nil.
func CheckText(field, s string) error {
	if ValidText(s) {
		return nil
	}
	return ValidationError{Field: field, Code: CodeInvalidText}
}

// fieldFault returns the first fault of the required text field s
// (trimmed already): empty, not ValidText, or longer than max characters;
// false when it has none.
func fieldFault(field, s string, max int) (ValidationError, bool) {
	switch {
	case s == "":
		return ValidationError{Field: field, Code: CodeRequired}, true
	case !ValidText(s):
		return ValidationError{Field: field, Code: CodeInvalidText}, true
	case utf8.RuneCountInString(s) > max:
		return ValidationError{Field: field, Code: CodeTooLong}, true
	}
	return ValidationError{}, false
}
