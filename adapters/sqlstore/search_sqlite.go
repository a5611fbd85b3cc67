package sqlstore

import (
	"context"
	"strings"
	"unicode/utf8"
)

// ftsPrefixLen is the longest word beginning tickets_fts indexes as a term
// of its own (its prefix option, migration 0005).
const ftsPrefixLen = 8

// sqliteSearch is how SQLite reads a search (Dialect.searchTickets), from
// the FTS5 table tickets_fts.
//
// tickets_fts holds each ticket under the rowid -id (migration 0025):
// FTS5 hands out its matches in rowid order, so newest first, and stops
// after a page or after the count's cap. Asked for them in descending
// rowid order it would first walk each segment's list of the term to its
// end and parse that page backwards: at a million tickets that took
// longer than reading the page's tickets.
//
// Each term is a prefix query: "микро"* "экран"* matches the tickets with
// both. A term longer than ftsPrefixLen is looked up by its first
// ftsPrefixLen characters, an indexed prefix whose list FTS5 reads as it
// is, and checked against the search text, whose words are separated by
// single spaces; as a prefix query of its own FTS5 would merge the lists
// of every word it begins before handing out the first match.
func sqliteSearch(_ context.Context, _ *Store, terms []string) (ticketSearch, error) {
	var (
		match  strings.Builder
		checks []string
		args   = []any{""}
	)
	for i, term := range terms {
		if i > 0 {
			match.WriteByte(' ')
		}
		// Each term holds only letters and digits: quoted as it is.
		if utf8.RuneCountInString(term) > ftsPrefixLen {
			checks = append(checks, ` AND instr(' ' || t.search, ?) > 0`)
			args = append(args, " "+term)
			term = string([]rune(term)[:ftsPrefixLen])
		}
		match.WriteString(`"` + term + `"*`)
	}
	args[0] = match.String()
	return ticketSearch{
		from:        `tickets_fts JOIN tickets t ON t.id = -tickets_fts.rowid`,
		cond:        `tickets_fts MATCH ?` + strings.Join(checks, ""),
		args:        args,
		newest:      `tickets_fts.rowid`,
		before:      `tickets_fts.rowid > -?`,
		countOrder:  `tickets_fts.rowid`,
		countNewest: true,
	}, nil
}
