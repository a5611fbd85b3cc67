package domain

import (
	_ "embed"
	"slices"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
)

// Password rules. Lengths count characters, not bytes: a 40-letter Cyrillic
// passphrase is 40 characters (80 bytes). Argon2id reads every byte, so the
// upper bound is there only to keep a request's work small.
const (
	PasswordMinLen = 8
	PasswordMaxLen = 256
)

// Validation codes of the password rules, besides the shared ones.
const (
	CodeBasedOnUsername = "based_on_username"
	CodeRepetitive      = "repetitive"
	CodeCommonPassword  = "common"
	// CodeWrongPassword: the current password given to change it is not
	// the account's.
	CodeWrongPassword = "wrong_password"
)

// ValidatePassword checks a new password against the policy and that it
// equals confirm. A password must be 8–256 characters of any script, and
// not one an attacker tries in the first seconds: not digits only, not the
// username or built from it ("alice2024", "ecila"), not one short pattern
// repeated or a run of consecutive characters ("aaaaaaaa", "abcdefgh"), not
// one of the 10,000 most common passwords, even with digits or punctuation
// around it ("dragon2024!"). Errors name the field "password" or
// "password_confirm"; the code says which rule was broken.
func ValidatePassword(username, password, confirm string) error {
	var errs ValidationErrors
	n := utf8.RuneCountInString(password)
	switch {
	case n == 0:
		errs = append(errs, ValidationError{Field: "password", Code: CodeRequired})
	case n < PasswordMinLen:
		errs = append(errs, ValidationError{Field: "password", Code: CodeTooShort})
	case n > PasswordMaxLen:
		errs = append(errs, ValidationError{Field: "password", Code: CodeTooLong})
	case isAllDigits(password):
		errs = append(errs, ValidationError{Field: "password", Code: CodeAllDigits})
	case strings.EqualFold(password, username):
		errs = append(errs, ValidationError{Field: "password", Code: CodeSameAsUsername})
	case builtFromUsername(strings.ToLower(username), strings.ToLower(password)):
		errs = append(errs, ValidationError{Field: "password", Code: CodeBasedOnUsername})
	case isPattern(strings.ToLower(password)):
		errs = append(errs, ValidationError{Field: "password", Code: CodeRepetitive})
	case isCommonPassword(strings.ToLower(password)):
		errs = append(errs, ValidationError{Field: "password", Code: CodeCommonPassword})
	}
	if password != confirm {
		errs = append(errs, ValidationError{Field: "password_confirm", Code: CodeMismatch})
	}
	return errs.orNil()
}

func isAllDigits(s string) bool {
	for _, r := range s {
		if !unicode.IsDigit(r) {
			return false
		}
	}
	return true
}

// builtFromUsername reports whether the (lower-case) password is the
// username, its reverse or a part of it with little added (see
// guessableRest), or made of its words only: "alice2024", "alice_alice",
// "tanya-pass-1", "smith1234" or "smith_alice" for alice_smith. A
// password that is part of the username ("alexander" for
// alexander_the_great) counts too. A long phrase that merely contains the
// username ("alice-in-wonderland") passes.
func builtFromUsername(username, password string) bool {
	if utf8.RuneCountInString(username) < 3 {
		return false
	}
	pieces := []usernamePiece{{username, true}, {reverse(username), true}}
	for _, part := range strings.FieldsFunc(username, func(r rune) bool { return !unicode.IsLetter(r) }) {
		if utf8.RuneCountInString(part) >= 3 && part != username {
			pieces = append(pieces, usernamePiece{part, false})
		}
	}
	if madeOfPieces(password, pieces) {
		return true
	}
	for _, p := range pieces {
		if strings.Contains(p.text, password) {
			return true
		}
		if strings.Contains(password, p.text) && guessableRest(strings.ReplaceAll(password, p.text, ""), p.whole) {
			return true
		}
	}
	return false
}

// madeOfPieces reports whether every word of password (its runs of
// letters) is the username, its reverse or a part of it: "user_test" for
// test_user.
func madeOfPieces(password string, pieces []usernamePiece) bool {
	words := strings.FieldsFunc(password, func(r rune) bool { return !unicode.IsLetter(r) })
	if len(words) == 0 {
		return false
	}
	for _, w := range words {
		if !slices.ContainsFunc(pieces, func(p usernamePiece) bool { return p.text == w }) {
			return false
		}
	}
	return true
}

// usernamePiece is what a password may be built from: the username, its
// reverse (whole) or one of its words.
type usernamePiece struct {
	text  string
	whole bool
}

// guessableRest reports whether what a password adds to its username is
// too little to matter: fewer than 4 letters, a pattern, or (added to the
// whole username) a common password. A part of the username with a common
// word ("bench-password-1" for bench_cost4) passes: telling that apart
// from a phrase would need a strength estimator that knows words.
func guessableRest(rest string, whole bool) bool {
	letters := 0
	for _, r := range rest {
		if unicode.IsLetter(r) {
			letters++
		}
	}
	return letters < 4 || isPattern(rest) || (whole && isCommonPassword(rest))
}

// isPattern reports whether s is one unit of at most 4 characters repeated
// ("aaaaaaaa", "abababab", "abcabcab") or a run of consecutive characters
// in either direction ("abcdefgh", "зжедгвба").
func isPattern(s string) bool {
	rs := []rune(s)
	if len(rs) < 2 {
		return true
	}
	for period := 1; period <= 4 && period < len(rs); period++ {
		repeats := true
		for i := period; i < len(rs); i++ {
			if rs[i] != rs[i-period] {
				repeats = false
				break
			}
		}
		if repeats {
			return true
		}
	}
	step := rs[1] - rs[0]
	if step != 1 && step != -1 {
		return false
	}
	for i := 2; i < len(rs); i++ {
		if rs[i]-rs[i-1] != step {
			return false
		}
	}
	return true
}

// isCommonPassword reports whether the (lower-case) password is on the
// list of common passwords, as it is or once digits, punctuation and spaces
// around it are taken off ("dragon2024!", "1qwerty").
func isCommonPassword(password string) bool {
	list := commonPasswords()
	if _, ok := list[password]; ok {
		return true
	}
	core := strings.TrimFunc(password, func(r rune) bool { return !unicode.IsLetter(r) })
	if utf8.RuneCountInString(core) < 4 {
		return false
	}
	_, ok := list[core]
	return ok
}

//go:embed common_passwords.txt
var commonPasswordsText string

// commonPasswords is common_passwords.txt as a set, read on first use.
var commonPasswords = sync.OnceValue(func() map[string]struct{} {
	set := make(map[string]struct{}, 10100)
	for line := range strings.SplitSeq(commonPasswordsText, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		set[strings.ToLower(line)] = struct{}{}
	}
	return set
})

func reverse(s string) string {
	rs := []rune(s)
	for i, j := 0, len(rs)-1; i < j; i, j = i+1, j-1 {
		rs[i], rs[j] = rs[j], rs[i]
	}
	return string(rs)
}
