package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"

	"crm/application"
	"crm/domain"
)

var _ application.Users = (*Users)(nil)

// Users stores accounts.
type Users struct {
	s     *Store
	staff kept[[]userRow] // the assignee list (see List)
}

// staffListFresh is how long Users.List answers the active staff (the
// assignees every queue page and staff ticket page offers) from what it
// read last. A role or account changed through the same Users shows at
// once; one changed by another replica or by the command line, at most
// that long after. Only what is shown waits: assigning reads the assignee
// afresh.
const staffListFresh = time.Second

// NewUsers returns Users over s.
func NewUsers(s *Store) *Users {
	return &Users{s: s, staff: kept[[]userRow]{fresh: staffListFresh, clone: slices.Clone[[]userRow]}}
}

const userColumns = `id, username, username_key, password_hash, role, active, telegram_chat_id, language, created_at,
	alert_new_tickets, alert_owner_replies`

type userRow struct {
	ID             int64         `db:"id"`
	Username       string        `db:"username"`
	UsernameKey    string        `db:"username_key"`
	PasswordHash   string        `db:"password_hash"`
	Role           string        `db:"role"`
	Active         bool          `db:"active"`
	TelegramChatID sql.NullInt64 `db:"telegram_chat_id"`
	Language       string        `db:"language"`
	CreatedAt      timestamp     `db:"created_at"`
	AlertNew       bool          `db:"alert_new_tickets"`
	AlertReplies   bool          `db:"alert_owner_replies"`
}

// joinedUserColumns are the columns of a user read through a join as "u"
// (the session lookup), in the order of joinedUserTargets; beside userRow
// so that a new user column is added here, in one place (a separate list
// in the session lookup once left the staff alert switches unread). The
// password hash is not among them: see application.Sessions.GetWithUser.
const joinedUserColumns = `u.id, u.username, u.role, u.active, u.telegram_chat_id, u.language,
	u.created_at, u.alert_new_tickets, u.alert_owner_replies`

// joinedUserTargets are the scan targets of joinedUserColumns in r.
func (r *userRow) joinedUserTargets() []any {
	return []any{&r.ID, &r.Username, &r.Role, &r.Active, &r.TelegramChatID, &r.Language,
		&r.CreatedAt, &r.AlertNew, &r.AlertReplies}
}

func (r userRow) toDomain() *domain.User {
	u := domain.RehydrateUser(r.ID, r.Username, r.PasswordHash, domain.MustParseRole(r.Role), r.Active,
		r.TelegramChatID.Int64, r.Language, r.CreatedAt.Time)
	u.SetStaffAlerts(r.AlertNew, r.AlertReplies)
	return u
}

// userError maps the storage errors a user write can meet to the domain's.
func (s *Users) userError(err error) error {
	switch {
	case s.s.d.isUnique(err, "users.username"):
		return domain.ErrUsernameTaken
	case s.s.d.isUnique(err, "users.telegram_chat"):
		return fmt.Errorf("telegram chat is linked to another user: %w", err)
	}
	return err
}

// Add stores u and its events and sets its id, or returns ErrUsernameTaken
// when the username is taken in any case.
func (s *Users) Add(ctx context.Context, u *domain.User) error {
	const q = `INSERT INTO users (username, username_key, password_hash, role, active, telegram_chat_id, language, created_at,
		alert_new_tickets, alert_owner_replies)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`
	if u.ID() != 0 {
		return fmt.Errorf("add user %d: already stored", u.ID())
	}
	chat, _ := u.TelegramChatID()
	defer s.staff.forget()
	return s.s.inTx(ctx, func(tx *sqlx.Tx) error {
		var id int64
		err := s.s.get(ctx, tx, &id, q, u.Username(), domain.UsernameKey(u.Username()), u.PasswordHash(),
			u.Role().String(), u.Active(), nullID(chat), u.Language(), u.CreatedAt(), u.AlertsNewTickets(), u.AlertsOwnerReplies())
		if err != nil {
			return fmt.Errorf("insert user: %w", s.userError(err))
		}
		u.SetID(id)
		return s.s.insertEvents(ctx, tx, u.Events())
	})
}

// Get returns the user with id, or ErrUserNotFound.
func (s *Users) Get(ctx context.Context, id int64) (*domain.User, error) {
	const q = `SELECT ` + userColumns + ` FROM users WHERE id = ?`
	return s.getOne(ctx, q, id)
}

// GetByUsername returns the user named username in any case, or
// ErrUserNotFound.
func (s *Users) GetByUsername(ctx context.Context, username string) (*domain.User, error) {
	const q = `SELECT ` + userColumns + ` FROM users WHERE username_key = ?`
	return s.getOne(ctx, q, domain.UsernameKey(username))
}

// GetByTelegramChat returns the user linked to chatID, or ErrUserNotFound.
func (s *Users) GetByTelegramChat(ctx context.Context, chatID int64) (*domain.User, error) {
	const q = `SELECT ` + userColumns + ` FROM users WHERE telegram_chat_id = ?`
	return s.getOne(ctx, q, chatID)
}

func (s *Users) getOne(ctx context.Context, q string, arg any) (*domain.User, error) {
	var r userRow
	err := s.s.get(ctx, nil, &r, q, arg)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, domain.ErrUserNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("select user: %w", err)
	}
	return r.toDomain(), nil
}

// Update loads (and on PostgreSQL locks) the user with id in a write
// transaction, calls fn, and saves the user and its events. An error from
// fn rolls back and is returned; ErrUserNotFound when there is no such
// user.
func (s *Users) Update(ctx context.Context, id int64, fn func(u *domain.User) error) error {
	defer s.staff.forget()
	return s.s.inTx(ctx, func(tx *sqlx.Tx) error {
		return s.update(ctx, tx, id, fn)
	})
}

// UpdateCountingAdmins is Update with the number of active admins passed to
// fn, counted in the same transaction. It first locks every active admin's
// row (on PostgreSQL, in id order so that two calls cannot deadlock; on
// SQLite the IMMEDIATE write transaction already runs alone), then counts
// them in a statement of its own, so that under READ COMMITTED it sees what
// was committed while the lock waited. The lock lets new rows still
// reference an admin (their tickets, sessions). Errors as Update.
func (s *Users) UpdateCountingAdmins(ctx context.Context, id int64, fn func(u *domain.User, activeAdmins int) error) error {
	qLock := `SELECT id FROM users WHERE role = 'admin' AND active ORDER BY id` + s.s.d.lockKeyShare
	const qCount = `SELECT count(*) FROM users WHERE role = 'admin' AND active`
	defer s.staff.forget()
	return s.s.inTx(ctx, func(tx *sqlx.Tx) error {
		var locked []int64
		if err := s.s.sel(ctx, tx, &locked, qLock); err != nil {
			return fmt.Errorf("lock admins: %w", err)
		}
		var n int
		if err := s.s.get(ctx, tx, &n, qCount); err != nil {
			return fmt.Errorf("count admins: %w", err)
		}
		return s.update(ctx, tx, id, func(u *domain.User) error { return fn(u, n) })
	})
}

// update loads and locks the user with id in tx, calls fn, and saves the
// user and its events; ErrUserNotFound when there is no such user.
func (s *Users) update(ctx context.Context, tx *sqlx.Tx, id int64, fn func(u *domain.User) error) error {
	var r userRow
	err := s.s.get(ctx, tx, &r, s.selectForUpdate(), id)
	if errors.Is(err, sql.ErrNoRows) {
		return domain.ErrUserNotFound
	}
	if err != nil {
		return fmt.Errorf("select user %d: %w", id, err)
	}
	u := r.toDomain()
	if err := fn(u); err != nil {
		return err
	}
	chat, _ := u.TelegramChatID()
	_, err = s.s.exec(ctx, tx, updateUser, u.Username(), domain.UsernameKey(u.Username()), u.PasswordHash(),
		u.Role().String(), u.Active(), nullID(chat), u.Language(), u.AlertsNewTickets(), u.AlertsOwnerReplies(), id)
	if err != nil {
		return fmt.Errorf("update user %d: %w", id, s.userError(err))
	}
	return s.s.insertEvents(ctx, tx, u.Events())
}

// selectForUpdate reads a user the transaction will update, locking the row
// where the dialect locks rows.
func (s *Users) selectForUpdate() string {
	return `SELECT ` + userColumns + ` FROM users WHERE id = ?` + s.s.d.lockRow
}

const updateUser = `UPDATE users SET username = ?, username_key = ?, password_hash = ?, role = ?, active = ?,
	telegram_chat_id = ?, language = ?, alert_new_tickets = ?, alert_owner_replies = ? WHERE id = ?`

// List returns one page of users matching f, newest first.
func (s *Users) List(ctx context.Context, f application.UserFilter) (application.UserPage, error) {
	const (
		qCount = `SELECT count(*) FROM users`
		qPage  = `SELECT ` + userColumns + ` FROM users`
	)
	p := f.Page.Normalized()
	var w filter
	if query := strings.TrimSpace(f.Query); query != "" {
		w.add(`username_key LIKE ? ESCAPE '\'`, likePattern(query))
	}
	if len(f.Roles) > 0 {
		roles := make([]any, len(f.Roles))
		for i, r := range f.Roles {
			roles[i] = r.String()
		}
		w.add("role IN ("+marks(len(roles))+")", roles...)
	}
	if f.ActiveOnly {
		w.add("active")
	}
	// Staff and admins are a handful, which their role's index finds and
	// a sort orders, whichever of them is asked for: that list (the
	// assignees every queue and staff ticket page shows) keeps one plan.
	// People are many, and how best to page through them depends on the
	// values, so a list of them is planned each time.
	w.samePlan = len(f.Roles) > 0 && !slices.Contains(f.Roles, domain.RoleUser) && strings.TrimSpace(f.Query) == ""
	pw := w.clone()
	if p.Before != 0 {
		pw.add("id < ?", p.Before)
	}
	page := application.UserPage{Users: []*domain.User{}}
	q, args := qPage+pw.where()+" ORDER BY id DESC LIMIT ?", append(pw.args, p.Limit+1)
	read := func() ([]userRow, error) {
		var rows []userRow
		return rows, s.s.sel(ctx, nil, &rows, q, args...)
	}
	var (
		rows []userRow
		err  error
	)
	if w.samePlan && f.ActiveOnly && p.Before == 0 {
		// The first page of the active staff, kept for staffListFresh.
		// The roles and the limit (args) are all that vary its query.
		rows, err = s.staff.load(fmt.Sprint(args), read)
	} else {
		rows, err = read()
	}
	if err != nil {
		return application.UserPage{}, fmt.Errorf("select users: %w", err)
	}
	for i, r := range rows {
		if i == p.Limit {
			page.Next = rows[i-1].ID
			break
		}
		page.Users = append(page.Users, r.toDomain())
	}
	if p.Before == 0 && page.Next == 0 {
		// The first page holds every match (the staff list of the queue
		// always does): its length is the total, with no count query.
		page.Total = len(page.Users)
		return page, nil
	}
	if err := s.s.get(ctx, nil, &page.Total, qCount+w.where(), w.args...); err != nil {
		return application.UserPage{}, fmt.Errorf("count users: %w", err)
	}
	return page, nil
}
