package sqlstore_test

import (
	"testing"

	"crm/adapters/sqlstore"
	"crm/test/contract"
	"crm/test/dbtest"
)

// TestContractSQLite runs every port's contract suite against the SQL
// adapter on SQLite, a migrated database file for each test.
func TestContractSQLite(t *testing.T) {
	t.Parallel()
	contract.Run(t, func(t *testing.T) contract.Store {
		return ports(sqlstore.New(dbtest.SQLite(t), sqlstore.SQLite))
	})
}

// TestContractPostgres runs every port's contract suite against the SQL
// adapter on PostgreSQL: one fresh migrated database, emptied before each
// test, so the tests run one after another.
func TestContractPostgres(t *testing.T) {
	t.Parallel()
	db := dbtest.Postgres(t)
	contract.Run(t, func(t *testing.T) contract.Store {
		dbtest.Truncate(t, db)
		return ports(sqlstore.New(db, sqlstore.Postgres))
	})
}

// ports are the SQL adapter's ports over st.
func ports(st *sqlstore.Store) contract.Store {
	return contract.Store{
		Users: sqlstore.NewUsers(st), Tickets: sqlstore.NewTickets(st), Sessions: sqlstore.NewSessions(st),
		Attachments: sqlstore.NewAttachments(st), Files: sqlstore.NewFiles(st),
		Events: sqlstore.NewEventLog(st), LinkTokens: sqlstore.NewLinkTokens(st), Outbox: sqlstore.NewOutbox(st),
		APITokens: sqlstore.NewAPITokens(st), PasswordResets: sqlstore.NewPasswordResets(st),
		TwoFactors: sqlstore.NewTwoFactors(st), BotChats: sqlstore.NewBotChats(st),
		SavedReplies: sqlstore.NewSavedReplies(st),
		Live:         sqlstore.NewLiveEvents(st), Presence: sqlstore.NewPresence(st),
		Reports:     sqlstore.NewReports(st),
		SLAPolicies: sqlstore.NewSLAPolicies(st),
	}
}
