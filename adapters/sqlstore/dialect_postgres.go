package sqlstore

import (
	"database/sql"
	"errors"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jmoiron/sqlx"
)

// Postgres is the dialect of PostgreSQL through pgx. Times are timestamptz,
// written in UTC truncated to microseconds (PostgreSQL would round). Rows
// an update reads are locked (FOR UPDATE) and the outbox claim skips rows
// another replica holds. Search reads the GIN-indexed tsvector column
// search_vector, generated from the search text.
var Postgres = &Dialect{
	Name:         "postgres",
	bindType:     sqlx.DOLLAR,
	encodeTime:   func(t time.Time) any { return t.UTC().Truncate(time.Microsecond) },
	lockRow:      " FOR UPDATE",
	lockKeyShare: " FOR NO KEY UPDATE",
	skipLocked:   " FOR UPDATE OF d SKIP LOCKED",
	readTx:       &sql.TxOptions{ReadOnly: true, Isolation: sql.LevelRepeatableRead},
	uniqueViolation: func(err error) string {
		var pe *pgconn.PgError
		if !errors.As(err, &pe) || pe.Code != "23505" {
			return ""
		}
		return pe.ConstraintName
	},
	constraints: map[string]string{
		"users.username":      "users_username_key_unique",
		"users.telegram_chat": "users_telegram_chat_id_unique",
	},
	searchTickets: func(terms []string) ticketSearch {
		// 'микро':* & 'экран':* — each term holds only letters and digits.
		parts := make([]string, len(terms))
		for i, term := range terms {
			parts[i] = "'" + term + "':*"
		}
		return ticketSearch{
			from:  `tickets t`,
			cond:  `t.search_vector @@ to_tsquery('simple', ?)`,
			arg:   strings.Join(parts, " & "),
			order: `t.id`,
		}
	},
	bulkInsert: copyTickets,
}
