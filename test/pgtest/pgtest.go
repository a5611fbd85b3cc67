// Package pgtest gives tests a fresh PostgreSQL database of their own.
//
// Tests read the server from CRM_TEST_POSTGRES_URL (any database on it; the
// role must be allowed to create databases). Without it they skip, unless
// CRM_TEST_REQUIRE_POSTGRES=1 says that a skip would be a failure.
package pgtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// Environment variables read by NewDatabase.
const (
	URLEnv     = "CRM_TEST_POSTGRES_URL"
	RequireEnv = "CRM_TEST_REQUIRE_POSTGRES"
)

const timeout = 30 * time.Second

// NewDatabase creates an empty database named crm_test_<random> on the
// server at CRM_TEST_POSTGRES_URL and returns its URL; the database is
// dropped (WITH (FORCE), so open connections do not keep it) when the test
// and its subtests end. Without the variable it skips the test, or fails it
// when CRM_TEST_REQUIRE_POSTGRES=1.
func NewDatabase(t testing.TB) string {
	t.Helper()
	base := os.Getenv(URLEnv)
	if base == "" {
		if os.Getenv(RequireEnv) == "1" {
			t.Fatalf("%s is not set and %s=1", URLEnv, RequireEnv)
		}
		t.Skip("set " + URLEnv + " to run PostgreSQL tests")
	}
	u, err := url.Parse(base)
	if err != nil {
		t.Fatalf("parse %s: %v", URLEnv, err)
	}
	name := "crm_test_" + randomSuffix(t)

	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	if err := exec(ctx, base, "CREATE DATABASE "+pgx.Identifier{name}.Sanitize()); err != nil {
		t.Fatalf("create test database: %v", err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), timeout)
		defer cancel()
		if err := exec(ctx, base, "DROP DATABASE IF EXISTS "+pgx.Identifier{name}.Sanitize()+" WITH (FORCE)"); err != nil {
			t.Errorf("drop test database %s: %v", name, err)
		}
	})
	u.Path = "/" + name
	return u.String()
}

// exec runs one statement on a connection of its own to the server at url.
func exec(ctx context.Context, url, sql string) error {
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		return fmt.Errorf("connect: %w", err)
	}
	defer func() { _ = conn.Close(context.Background()) }()
	if _, err := conn.Exec(ctx, sql); err != nil {
		return fmt.Errorf("%s: %w", sql, err)
	}
	return nil
}

func randomSuffix(t testing.TB) string {
	b := make([]byte, 8)
	if _, err := rand.Read(b); err != nil {
		t.Fatalf("random database name: %v", err)
	}
	return hex.EncodeToString(b)
}
