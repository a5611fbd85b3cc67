package application

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"crm/domain"
)

// Search matches words by their beginning: a query's terms are its words,
// and a ticket matches when, for every term, a word of its title, text or
// owner's username starts with it, in any case and any alphabet
// ("микро" finds "Микроволновка"). Words are runs of letters and digits;
// everything else separates them, so "%" or "_" in a query means nothing.
// Every storage adapter matches this way: SQLite through FTS5 and
// PostgreSQL through a tsvector, both over TicketSearchText.

// Limits of a search query: more terms, or longer ones, add nothing a
// person means and would only make the index work harder.
const (
	MaxSearchTerms   = 8
	MaxSearchTermLen = 64  // runes; a longer term is cut to this prefix
	MaxSearchLen     = 200 // runes of the whole query; a longer one is refused
)

// ValidateSearch checks a search query as typed: at most MaxSearchLen
// characters of text (domain.ValidText). Errors are ValidationErrors on
// "q", the name the queue and the API give the query.
func ValidateSearch(query string) error {
	if err := domain.CheckText("q", query); err != nil {
		return err
	}
	if utf8.RuneCountInString(query) > MaxSearchLen {
		return domain.ValidationError{Field: "q", Code: domain.CodeTooLong}
	}
	return nil
}

// TicketSearchText is the text a ticket is searched by: the words of its
// title, text and owner's username, lower-cased, separated by single
// spaces.
func TicketSearchText(t *domain.Ticket) string {
	return searchWords(t.Title() + " " + t.Text() + " " + t.OwnerName())
}

// SearchTerms returns the terms of a search query: its first
// MaxSearchTerms words, lower-cased and cut to MaxSearchTermLen runes,
// without repeats; none for a query without a letter or digit.
func SearchTerms(query string) []string {
	var terms []string
	for _, w := range strings.Fields(searchWords(query)) {
		if utf8.RuneCountInString(w) > MaxSearchTermLen {
			w = string([]rune(w)[:MaxSearchTermLen])
		}
		if !slices.Contains(terms, w) {
			terms = append(terms, w)
		}
		if len(terms) == MaxSearchTerms {
			break
		}
	}
	return terms
}

// MatchesSearch reports whether a search text (TicketSearchText) has, for
// every term, a word that starts with it.
func MatchesSearch(text string, terms []string) bool {
	words := strings.Fields(text)
	for _, term := range terms {
		if !slices.ContainsFunc(words, func(w string) bool { return strings.HasPrefix(w, term) }) {
			return false
		}
	}
	return true
}

// searchWords lower-cases s and replaces every run of characters that are
// neither letters nor digits with one space.
func searchWords(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	space := true // no leading space
	for _, r := range s {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(unicode.ToLower(r))
			space = false
			continue
		}
		if !space {
			b.WriteByte(' ')
			space = true
		}
	}
	return strings.TrimSuffix(b.String(), " ")
}
