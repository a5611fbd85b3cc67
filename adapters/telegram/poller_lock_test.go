package telegram_test

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"crm/adapters/telegram"
)

// scriptedLock answers TryAcquire from a script, the last answer again once
// it is used up, and tells tried of every call.
type scriptedLock struct {
	mu     sync.Mutex
	script []lockAnswer
	tried  chan struct{}
}

type lockAnswer struct {
	held bool
	err  error
}

func (l *scriptedLock) TryAcquire(context.Context) (bool, error) {
	l.mu.Lock()
	a := l.script[0]
	if len(l.script) > 1 {
		l.script = l.script[1:]
	}
	l.mu.Unlock()
	select {
	case l.tried <- struct{}{}:
	default:
	}
	return a.held, a.err
}

func (l *scriptedLock) Check(context.Context) error   { return nil }
func (l *scriptedLock) Release(context.Context) error { return nil }

// lockedBuffer collects log lines written by the poller's goroutine.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// standBy runs a poller over lock until it has tried the lock n times (so
// that what it logged after try n-1 is written), stops it and returns its
// log.
func standBy(t *testing.T, lock *scriptedLock, n int) string {
	t.Helper()
	b := newBot(t)
	logs := &lockedBuffer{}
	lock.tried = make(chan struct{}, 1)
	p := telegram.NewPoller(b.client, b.updates, lock, slog.New(slog.NewTextHandler(logs, nil)),
		telegram.PollerConfig{LockRetry: time.Millisecond})
	require.NoError(t, p.Start(t.Context()))
	for i := range n {
		select {
		case <-lock.tried:
		case <-time.After(waitLimit):
			t.Fatalf("the poller tried the lock %d times, want %d", i, n)
		}
	}
	require.NoError(t, p.Stop(context.Background()))
	assert.Zero(t, b.srv.Requests("getUpdates"), "no poll without the lock")
	return logs.String()
}

func TestAPollerThatCannotReachTheDatabaseSaysSo(t *testing.T) {
	cause := errors.New("poll lock: connect: dial tcp 127.0.0.1:1: connect: connection refused")
	logs := standBy(t, &scriptedLock{script: []lockAnswer{{false, cause}}}, 3)

	assert.Contains(t, logs, `level=ERROR msg="telegram poller: cannot reach the database to take the poll lock; not polling"`)
	assert.Contains(t, logs, "connection refused", "with the cause")
	assert.NotContains(t, logs, "another replica", "which nobody knows")
}

func TestAPollerOnStandbySaysAnotherReplicaHoldsTheLock(t *testing.T) {
	logs := standBy(t, &scriptedLock{script: []lockAnswer{{false, nil}}}, 3)

	assert.Contains(t, logs, `level=INFO msg="telegram poller: another replica holds the poll lock; standing by"`)
	assert.Equal(t, 1, strings.Count(logs, "another replica"), "said once, not at every try")
	assert.NotContains(t, logs, "ERROR")
}

func TestAPollerTellsAnOutageFromAnotherReplica(t *testing.T) {
	cause := errors.New("poll lock: try: read tcp: connection reset by peer")
	logs := standBy(t, &scriptedLock{script: []lockAnswer{{false, nil}, {false, cause}, {false, nil}}}, 4)

	lines := strings.Split(strings.TrimSpace(logs), "\n")
	require.Len(t, lines, 3, logs)
	assert.Contains(t, lines[0], "another replica holds the poll lock")
	assert.Contains(t, lines[1], "cannot reach the database")
	assert.Contains(t, lines[1], "connection reset by peer")
	assert.Contains(t, lines[2], "another replica holds the poll lock", "said again once the database answers")
}
