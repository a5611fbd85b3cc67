package application_test

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"crm/application"
)

// fastJanitor runs its first clean-up and every next one a millisecond
// apart; the tests pace it through the fakes' channels.
var fastJanitor = application.JanitorConfig{FirstDelay: time.Millisecond, Interval: time.Millisecond}

// pacedSessions hands each DeleteExpired call's clock reading to the test
// on calls once the call is made, and waits there until the test takes it
// or the clean-up is cancelled. Failing the call numbered failCall (from 1)
// with errFail.
type pacedSessions struct {
	application.Sessions
	calls    chan time.Time
	failCall int
	n        int // touched by the janitor's goroutine only
}

var errFail = errors.New("database is down")

func (s *pacedSessions) DeleteExpired(ctx context.Context, now time.Time) (int, error) {
	s.n++
	n, err := 0, errFail
	if s.n != s.failCall {
		n, err = s.Sessions.DeleteExpired(ctx, now)
	}
	select {
	case s.calls <- now:
	case <-ctx.Done():
	}
	return n, err
}

// next waits for the janitor's next DeleteExpired call and returns the time
// it was given.
func next(t *testing.T, calls <-chan time.Time) time.Time {
	t.Helper()
	select {
	case now := <-calls:
		return now
	case <-time.After(5 * time.Second):
		t.Fatal("the janitor did not clean up")
		return time.Time{}
	}
}

// logRecorder keeps the records logged through it.
type logRecorder struct {
	mu      sync.Mutex
	records []slog.Record
}

func (r *logRecorder) Enabled(context.Context, slog.Level) bool { return true }
func (r *logRecorder) WithAttrs([]slog.Attr) slog.Handler       { return r }
func (r *logRecorder) WithGroup(string) slog.Handler            { return r }
func (r *logRecorder) Handle(_ context.Context, rec slog.Record) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.records = append(r.records, rec.Clone())
	return nil
}

// logged is one record, its attributes as strings.
type logged struct {
	level slog.Level
	msg   string
	attrs map[string]string
}

func (r *logRecorder) logged() []logged {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := make([]logged, 0, len(r.records))
	for _, rec := range r.records {
		l := logged{level: rec.Level, msg: rec.Message, attrs: map[string]string{}}
		rec.Attrs(func(a slog.Attr) bool {
			l.attrs[a.Key] = a.Value.String()
			return true
		})
		out = append(out, l)
	}
	return out
}

// stop stops j, which must end within a few seconds.
func stop(t *testing.T, j *application.Janitor) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	require.NoError(t, j.Stop(ctx))
}

func TestJanitorCleansUpAtStartThenEveryInterval(t *testing.T) {
	f := newCleanUpFixture(t)
	sessions := &pacedSessions{Sessions: f.sessions, calls: make(chan time.Time)}
	logs := &logRecorder{}
	j := application.NewJanitor(application.NewCleanUpHandler(sessions, f.tokens, f.clock), slog.New(logs), fastJanitor)

	require.NoError(t, j.Start(t.Context()))
	defer stop(t, j)

	assert.Equal(t, t0, next(t, sessions.calls), "the first clean-up reads the clock")
	assert.False(t, f.sessionFound(t, "expired"))
	assert.True(t, f.sessionFound(t, "live"))

	f.clock.Advance(2 * time.Hour)
	assert.Equal(t, t0.Add(2*time.Hour), next(t, sessions.calls), "the next one reads it again")
	assert.False(t, f.sessionFound(t, "live"), "gone once over")
	assert.False(t, f.tokenFound(t, "stale"))

	// The first clean-up is over, log line included, once the second began.
	first := logs.logged()[0]
	assert.Equal(t, slog.LevelInfo, first.level)
	assert.Equal(t, "janitor: cleaned up", first.msg)
	assert.Equal(t, "1", first.attrs["sessions"])
	assert.Equal(t, "1", first.attrs["link_tokens"])
}

func TestJanitorRetriesAFailedCleanUpAtTheNextTick(t *testing.T) {
	f := newCleanUpFixture(t)
	sessions := &pacedSessions{Sessions: f.sessions, calls: make(chan time.Time), failCall: 1}
	logs := &logRecorder{}
	j := application.NewJanitor(application.NewCleanUpHandler(sessions, f.tokens, f.clock), slog.New(logs), fastJanitor)

	require.NoError(t, j.Start(t.Context()))
	defer stop(t, j)

	next(t, sessions.calls)
	assert.True(t, f.sessionFound(t, "expired"), "the failed call deleted nothing")
	next(t, sessions.calls)
	assert.False(t, f.sessionFound(t, "expired"), "the retry did")

	first := logs.logged()[0]
	assert.Equal(t, slog.LevelError, first.level)
	assert.Contains(t, first.attrs["err"], errFail.Error())
	assert.Equal(t, "1", first.attrs["link_tokens"], "the link tokens were cleaned up all the same")
}

// blockingSessions holds DeleteExpired until its context ends.
type blockingSessions struct {
	application.Sessions
	entered  chan struct{}
	once     sync.Once
	returned atomic.Bool
}

func (s *blockingSessions) DeleteExpired(ctx context.Context, _ time.Time) (int, error) {
	s.once.Do(func() { close(s.entered) })
	<-ctx.Done()
	s.returned.Store(true)
	return 0, ctx.Err()
}

func TestJanitorStopCancelsTheCleanUpAndWaitsForIt(t *testing.T) {
	f := newCleanUpFixture(t)
	sessions := &blockingSessions{Sessions: f.sessions, entered: make(chan struct{})}
	logs := &logRecorder{}
	j := application.NewJanitor(application.NewCleanUpHandler(sessions, f.tokens, f.clock), slog.New(logs), fastJanitor)
	require.NoError(t, j.Start(t.Context()))
	select {
	case <-sessions.entered:
	case <-time.After(5 * time.Second):
		t.Fatal("the janitor did not clean up")
	}

	stop(t, j)

	assert.True(t, sessions.returned.Load(), "the clean-up ended before Stop returned")
	for _, l := range logs.logged() {
		assert.Less(t, l.level, slog.LevelWarn, "a clean-up cut short by Stop is no error: %s", l.msg)
	}
}

func TestJanitorStartsOnce(t *testing.T) {
	f := newCleanUpFixture(t)
	j := application.NewJanitor(application.NewCleanUpHandler(f.sessions, f.tokens, f.clock), discardLog(), application.JanitorConfig{})

	require.NoError(t, j.Stop(t.Context()), "stopping before a start is fine")
	require.NoError(t, j.Start(t.Context()))
	assert.Error(t, j.Start(t.Context()))
	stop(t, j)
	require.NoError(t, j.Stop(t.Context()), "and so is stopping twice")
}

// overrunningSessions holds DeleteExpired until its context ends, then
// reports why on ended if the test is listening.
type overrunningSessions struct {
	application.Sessions
	ended chan error
}

func (s overrunningSessions) DeleteExpired(ctx context.Context, _ time.Time) (int, error) {
	<-ctx.Done()
	select {
	case s.ended <- ctx.Err():
	default:
	}
	return 0, ctx.Err()
}

func TestJanitorCutsShortACleanUpThatOverrunsAndRetries(t *testing.T) {
	f := newCleanUpFixture(t)
	sessions := overrunningSessions{Sessions: f.sessions, ended: make(chan error, 1)}
	cfg := fastJanitor
	cfg.Timeout = time.Millisecond
	j := application.NewJanitor(application.NewCleanUpHandler(sessions, f.tokens, f.clock), discardLog(), cfg)
	require.NoError(t, j.Start(t.Context()))
	defer stop(t, j)

	for range 2 {
		select {
		case err := <-sessions.ended:
			assert.ErrorIs(t, err, context.DeadlineExceeded)
		case <-time.After(5 * time.Second):
			t.Fatal("the janitor did not clean up")
		}
	}
}
