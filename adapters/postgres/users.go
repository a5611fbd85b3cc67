package postgres

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"

	"crm/application"
	"crm/domain"
)

var _ application.Users = (*Users)(nil)

// Users stores accounts.
type Users struct {
	db *sqlx.DB
}

// NewUsers returns Users over db.
func NewUsers(db *sqlx.DB) *Users { return &Users{db: db} }

const userColumns = `id, username, username_key, password_hash, role, active, telegram_chat_id, language, created_at`

type userRow struct {
	ID             int64         `db:"id"`
	Username       string        `db:"username"`
	UsernameKey    string        `db:"username_key"`
	PasswordHash   string        `db:"password_hash"`
	Role           string        `db:"role"`
	Active         bool          `db:"active"`
	TelegramChatID sql.NullInt64 `db:"telegram_chat_id"`
	Language       string        `db:"language"`
	CreatedAt      time.Time     `db:"created_at"`
}

func userFromDomain(u *domain.User) userRow {
	chat, _ := u.TelegramChatID()
	return userRow{
		ID: u.ID(), Username: u.Username(), UsernameKey: domain.UsernameKey(u.Username()),
		PasswordHash: u.PasswordHash(), Role: u.Role().String(), Active: u.Active(),
		TelegramChatID: nullID(chat), Language: u.Language(), CreatedAt: ts(u.CreatedAt()),
	}
}

func (r userRow) toDomain() *domain.User {
	return domain.RehydrateUser(r.ID, r.Username, r.PasswordHash, domain.MustParseRole(r.Role), r.Active,
		r.TelegramChatID.Int64, r.Language, r.CreatedAt.UTC())
}

// userError maps the storage errors a user write can meet to the domain's.
func userError(err error) error {
	switch {
	case isUniqueViolation(err, "users_username_key_unique"):
		return domain.ErrUsernameTaken
	case isUniqueViolation(err, "users_telegram_chat_id_unique"):
		return fmt.Errorf("telegram chat is linked to another user: %w", err)
	}
	return err
}

// Add stores u and its events and sets its id, or returns ErrUsernameTaken
// when the username is taken in any case.
func (s *Users) Add(ctx context.Context, u *domain.User) error {
	const q = `INSERT INTO users (username, username_key, password_hash, role, active, telegram_chat_id, language, created_at)
		VALUES (:username, :username_key, :password_hash, :role, :active, :telegram_chat_id, :language, :created_at)
		RETURNING id`
	if u.ID() != 0 {
		return fmt.Errorf("add user %d: already stored", u.ID())
	}
	return inTx(ctx, s.db, func(tx *sqlx.Tx) error {
		query, args, err := tx.BindNamed(q, userFromDomain(u))
		if err != nil {
			return fmt.Errorf("insert user: %w", err)
		}
		var id int64
		if err := tx.QueryRowxContext(ctx, query, args...).Scan(&id); err != nil {
			return fmt.Errorf("insert user: %w", userError(err))
		}
		u.SetID(id)
		return insertEvents(ctx, tx, u.Events())
	})
}

// Get returns the user with id, or ErrUserNotFound.
func (s *Users) Get(ctx context.Context, id int64) (*domain.User, error) {
	const q = `SELECT ` + userColumns + ` FROM users WHERE id = $1`
	return s.getOne(ctx, q, id)
}

// GetByUsername returns the user named username in any case, or
// ErrUserNotFound.
func (s *Users) GetByUsername(ctx context.Context, username string) (*domain.User, error) {
	const q = `SELECT ` + userColumns + ` FROM users WHERE username_key = $1`
	return s.getOne(ctx, q, domain.UsernameKey(username))
}

// GetByTelegramChat returns the user linked to chatID, or ErrUserNotFound.
func (s *Users) GetByTelegramChat(ctx context.Context, chatID int64) (*domain.User, error) {
	const q = `SELECT ` + userColumns + ` FROM users WHERE telegram_chat_id = $1`
	return s.getOne(ctx, q, chatID)
}

func (s *Users) getOne(ctx context.Context, q string, arg any) (*domain.User, error) {
	var r userRow
	err := s.db.GetContext(ctx, &r, q, arg)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, domain.ErrUserNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("select user: %w", err)
	}
	return r.toDomain(), nil
}

// Update loads and locks the user with id (SELECT … FOR UPDATE), calls fn,
// and saves the user and its events. An error from fn rolls back and is
// returned; ErrUserNotFound when there is no such user.
func (s *Users) Update(ctx context.Context, id int64, fn func(u *domain.User) error) error {
	return inTx(ctx, s.db, func(tx *sqlx.Tx) error {
		return updateUser(ctx, tx, id, fn)
	})
}

// UpdateCountingAdmins is Update with the number of active admins passed to
// fn. It first locks every active admin's row, in id order so that two
// calls cannot deadlock, and then counts them: no admin can be demoted or
// deactivated until it commits, and a concurrent call waits for it and then
// counts afresh. FOR NO KEY UPDATE serialises these calls without holding
// up inserts that merely reference an admin (their tickets, sessions).
// Errors as Update.
func (s *Users) UpdateCountingAdmins(ctx context.Context, id int64, fn func(u *domain.User, activeAdmins int) error) error {
	const (
		qLock  = `SELECT id FROM users WHERE role = 'admin' AND active ORDER BY id FOR NO KEY UPDATE`
		qCount = `SELECT count(*) FROM users WHERE role = 'admin' AND active`
	)
	return inTx(ctx, s.db, func(tx *sqlx.Tx) error {
		var locked []int64
		if err := tx.SelectContext(ctx, &locked, qLock); err != nil {
			return fmt.Errorf("lock admins: %w", err)
		}
		// A statement of its own, so that under READ COMMITTED it sees what
		// was committed while the lock above waited, such as a new admin.
		var n int
		if err := tx.GetContext(ctx, &n, qCount); err != nil {
			return fmt.Errorf("count admins: %w", err)
		}
		return updateUser(ctx, tx, id, func(u *domain.User) error { return fn(u, n) })
	})
}

// updateUser loads and locks the user with id in tx, calls fn, and saves
// the user and its events; ErrUserNotFound when there is no such user.
func updateUser(ctx context.Context, tx *sqlx.Tx, id int64, fn func(u *domain.User) error) error {
	const (
		qSelect = `SELECT ` + userColumns + ` FROM users WHERE id = $1 FOR UPDATE`
		qUpdate = `UPDATE users SET username = :username, username_key = :username_key,
			password_hash = :password_hash, role = :role, active = :active,
			telegram_chat_id = :telegram_chat_id, language = :language
			WHERE id = :id`
	)
	var r userRow
	err := tx.GetContext(ctx, &r, qSelect, id)
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
	if _, err := tx.NamedExecContext(ctx, qUpdate, userFromDomain(u)); err != nil {
		return fmt.Errorf("update user %d: %w", id, userError(err))
	}
	return insertEvents(ctx, tx, u.Events())
}

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
		roles := make([]string, len(f.Roles))
		for i, r := range f.Roles {
			roles[i] = r.String()
		}
		w.add("role = ANY(?)", roles)
	}
	if f.ActiveOnly {
		w.add("active")
	}
	pw := w.clone()
	if p.Before != 0 {
		pw.add("id < ?", p.Before)
	}
	qp := qPage + pw.where() + " ORDER BY id DESC LIMIT " + pw.arg(p.Limit+1)

	page := application.UserPage{Users: []*domain.User{}}
	err := inReadTx(ctx, s.db, func(tx *sqlx.Tx) error {
		if err := tx.GetContext(ctx, &page.Total, qCount+w.where(), w.args...); err != nil {
			return fmt.Errorf("count users: %w", err)
		}
		var rows []userRow
		if err := tx.SelectContext(ctx, &rows, qp, pw.args...); err != nil {
			return fmt.Errorf("select users: %w", err)
		}
		for i, r := range rows {
			if i == p.Limit {
				page.Next = rows[i-1].ID
				break
			}
			page.Users = append(page.Users, r.toDomain())
		}
		return nil
	})
	if err != nil {
		return application.UserPage{}, err
	}
	return page, nil
}
