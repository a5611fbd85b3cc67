package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"unicode/utf8"
)

// wordKeyLen is how many characters of a word ticket_words keeps as its
// key (migration 0022).
const wordKeyLen = 8

// postgresSearch is how PostgreSQL reads a search (Dialect.searchTickets).
//
// One term that begins exactly one key of ticket_words (every term of 8
// letters or more, and in practice most shorter ones) reads that key's
// tickets from its B-tree newest first: a page reads as many tickets as
// it shows, and the capped count at most the cap and one, however common
// the term. The count reads the newest matches too, from where the
// first page ends.
//
// Anything else reads search_vector through its GIN index, or the newest
// tickets one by one, as PostgreSQL plans it for the terms: several terms
// (the index intersects their lists), and a term that begins several keys
// (a short one: the planner sees how common it is). A term that begins no
// key matches nothing.
func postgresSearch(ctx context.Context, s *Store, terms []string) (ticketSearch, error) {
	// 'микро':* & 'экран':* — each term holds only letters and digits.
	parts := make([]string, len(terms))
	for i, term := range terms {
		parts[i] = "'" + term + "':*"
	}
	tsquery := strings.Join(parts, " & ")
	vector := ticketSearch{
		from:   `tickets t`,
		cond:   `t.search_vector @@ to_tsquery('simple', ?)`,
		args:   []any{tsquery},
		newest: `t.id DESC`,
		before: `t.id < ?`,
		// Counted in id order, PostgreSQL reads the primary key forwards
		// until it has the cap, where a common word is as common as
		// anywhere and the newest tickets (open ones, the benchmark's own)
		// are not in the way, or, for a rare word, lists its matches from
		// the GIN index. Unordered, it listed every match of a prefix from
		// the GIN index, whose cost it underestimates: 34-67 ms for the
		// 33,000 tickets of "микро" at a million, where reading them in
		// order took 5.7 ms.
		countOrder: `t.id`,
	}
	if len(terms) != 1 {
		return vector, nil
	}
	term := terms[0]
	key, found := term, true
	if utf8.RuneCountInString(term) >= wordKeyLen {
		key = string([]rune(term)[:wordKeyLen])
	} else {
		var next sql.NullString
		err := s.getRow(ctx, nil, `SELECT k.word, (SELECT w.word FROM ticket_words w
				WHERE w.word > k.word AND w.word < ? ORDER BY w.word LIMIT 1)
			FROM (SELECT word FROM ticket_words WHERE word >= ? AND word < ? ORDER BY word LIMIT 1) k`,
			[]any{pastPrefix(term), term, pastPrefix(term)}, &key, &next)
		switch {
		case errors.Is(err, sql.ErrNoRows):
			found = false
		case err != nil:
			return ticketSearch{}, err
		case next.Valid:
			return vector, nil // several keys
		}
	}
	if !found {
		return ticketSearch{from: `tickets t`, cond: `FALSE`, newest: `t.id DESC`, before: `t.id < ?`, countOrder: `t.id`}, nil
	}
	byWord := ticketSearch{
		from:        `ticket_words w JOIN tickets t ON t.id = w.ticket_id`,
		cond:        `w.word = ?`,
		args:        []any{key},
		newest:      `w.ticket_id DESC`,
		before:      `w.ticket_id < ?`,
		countOrder:  `w.ticket_id DESC`,
		countNewest: true,
		// One key's tickets newest first from the B-tree, whatever the
		// key: planned once, not for every search. Planning the page or
		// the count took 0.2-0.5 ms at a million tickets (EXPLAIN
		// ANALYZE), as long as running it or longer.
		samePlan: true,
	}
	if key != term {
		// A key is a word's first characters: check the rest in the search
		// text, whose words are separated by single spaces. Not through
		// search_vector: the planner would weigh its GIN index too, which
		// costs more to plan than the tickets of a page cost to read.
		byWord.cond += ` AND strpos(' ' || t.search, ?) > 0`
		byWord.args = append(byWord.args, " "+term)
	}
	return byWord, nil
}

// pastPrefix returns the least string greater than every string that
// starts with prefix, in byte order (the "C" collation of
// ticket_words.word): prefix with its last character incremented. Terms
// hold letters and digits, never the last code point.
func pastPrefix(prefix string) string {
	r, size := utf8.DecodeLastRuneInString(prefix)
	return prefix[:len(prefix)-size] + string(r+1)
}
