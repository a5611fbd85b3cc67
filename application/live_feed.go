package application

import (
	"context"
	"errors"
	"sync"
	"time"

	"crm/domain"
)

// ErrLiveClosed ends every live stream: the server is shutting down.
var ErrLiveClosed = errors.New("live feed closed")

// LiveFeedConfig tunes a LiveFeed; zero values take the defaults.
type LiveFeedConfig struct {
	// Poll is how often the feed looks for new events when nothing wakes
	// it (a missed notification, a lost LISTEN connection). Default 2 s.
	Poll time.Duration
	// Keep is how many recent events the feed holds for its streams.
	// Default 1,000.
	Keep int
	// MaxReplay is how far behind the newest event (in event ids) a
	// reconnecting stream is still replayed from storage; further behind,
	// it is told to reload instead. Default 1,000.
	MaxReplay int64
	// GapWait is how long events after a gap in the ids are held back,
	// waiting for the missing one to commit. Default 2 s.
	GapWait time.Duration
}

// LiveFeed is the one reader of new events per process: woken after a
// local commit (SQLite, and PostgreSQL too) or by LISTEN/NOTIFY when
// another replica commits, it reads the events after the last one it saw
// and keeps the newest few in memory for the streams to read. Streams
// pull from it at their own pace, so a slow client only slows itself, and
// there is no per-client buffer to overflow.
type LiveFeed struct {
	events LiveEvents
	cfg    LiveFeedConfig
	bg     Background
	wake   chan struct{}

	mu      sync.Mutex
	recent  []OutboxEvent // newest cfg.Keep events, id order
	floor   int64         // every event with id <= floor has left recent (or predates the feed)
	last    int64         // id of the newest event read
	changed chan struct{} // closed and replaced whenever recent grows
	closed  chan struct{} // closed by Close
	once    sync.Once

	// gapSince is when the feed first met the gap after id gapAt; only
	// the run goroutine uses them.
	gapSince time.Time
	gapAt    int64
}

// NewLiveFeed returns a feed over events; Start begins reading.
func NewLiveFeed(events LiveEvents, cfg LiveFeedConfig) *LiveFeed {
	if cfg.Poll <= 0 {
		cfg.Poll = 2 * time.Second
	}
	if cfg.Keep <= 0 {
		cfg.Keep = 1000
	}
	if cfg.MaxReplay <= 0 {
		cfg.MaxReplay = 1000
	}
	if cfg.GapWait <= 0 {
		cfg.GapWait = 2 * time.Second
	}
	return &LiveFeed{
		events: events, cfg: cfg, bg: Background{Name: "live feed"},
		wake: make(chan struct{}, 1), changed: make(chan struct{}), closed: make(chan struct{}),
	}
}

// Wake makes the feed read new events now. It never blocks.
func (f *LiveFeed) Wake() {
	select {
	case f.wake <- struct{}{}:
	default:
	}
}

// Start positions the feed at the newest stored event and reads on in the
// background. It fails when storage cannot tell the newest event.
func (f *LiveFeed) Start(ctx context.Context) error {
	last, err := f.events.LastEventID(ctx)
	if err != nil {
		return err
	}
	f.mu.Lock()
	f.last, f.floor = last, last
	f.mu.Unlock()
	return f.bg.Start(f.run)
}

// Stop ends the reading; streams still open end too.
func (f *LiveFeed) Stop(ctx context.Context) error {
	f.Close()
	return f.bg.Stop(ctx)
}

// Close ends every stream, open or opened later (at server shutdown, so
// that it does not wait for them).
func (f *LiveFeed) Close() { f.once.Do(func() { close(f.closed) }) }

// LastID returns the id of the newest event the feed has read: a page
// rendered now is up to date with it.
func (f *LiveFeed) LastID() int64 {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.last
}

func (f *LiveFeed) run(ctx context.Context) {
	t := time.NewTimer(f.cfg.Poll)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-f.wake:
		case <-t.C:
		}
		// A failed read is tried again at the next wake or poll; streams
		// just wait meanwhile.
		wait := f.cfg.Poll
		if held, _ := f.readNew(ctx); held {
			wait = min(wait, f.cfg.GapWait/4)
		}
		t.Reset(wait)
	}
}

// readNew reads the events after the last one seen into recent. It
// passes events in id order without a gap: ids are given out at insert
// but become visible at commit, so on PostgreSQL event 11 may be read
// while event 10 is still being committed. Events after a gap are held
// back until the gap fills, or for GapWait (a rolled-back insert leaves a
// gap for good); held reports that some are held back.
func (f *LiveFeed) readNew(ctx context.Context) (held bool, err error) {
	const batch = 500
	for {
		f.mu.Lock()
		after := f.last
		f.mu.Unlock()
		got, err := f.events.EventsAfter(ctx, after, batch)
		if err != nil || len(got) == 0 {
			return false, err
		}
		pass := got
		for i, e := range got {
			prev := after
			if i > 0 {
				prev = got[i-1].ID
			}
			if e.ID == prev+1 {
				continue
			}
			if f.gapSince.IsZero() || f.gapAt != prev {
				f.gapSince, f.gapAt = time.Now(), prev
			}
			if time.Since(f.gapSince) < f.cfg.GapWait {
				pass = got[:i]
				held = true
			}
			break
		}
		if !held {
			f.gapSince = time.Time{}
		}
		if len(pass) > 0 {
			f.publish(pass)
		}
		if held || len(got) < batch {
			return held, nil
		}
	}
}

// publish adds events, in id order, to recent and wakes the streams.
func (f *LiveFeed) publish(events []OutboxEvent) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.recent = append(f.recent, events...)
	if over := len(f.recent) - f.cfg.Keep; over > 0 {
		f.floor = f.recent[over-1].ID
		f.recent = append([]OutboxEvent(nil), f.recent[over:]...)
	}
	f.last = events[len(events)-1].ID
	close(f.changed)
	f.changed = make(chan struct{})
}

// Wakers wakes each of its wakers.
type Wakers []Waker

// Wake wakes each waker in turn.
func (ws Wakers) Wake() {
	for _, w := range ws {
		w.Wake()
	}
}

// LiveStream is one open stream of one viewer. It is not safe for
// concurrent use.
type LiveStream struct {
	feed   *LiveFeed
	viewer *domain.User
	cursor int64 // the id of the last event this stream has passed
}

// Subscribe opens a stream for viewer that starts after the event with id
// after (the stream's Last-Event-ID); after <= 0 starts at the newest
// event. An id beyond the newest is kept, not clamped: another replica's
// feed may be a moment ahead of this one.
func (f *LiveFeed) Subscribe(viewer *domain.User, after int64) *LiveStream {
	f.mu.Lock()
	defer f.mu.Unlock()
	if after <= 0 {
		after = f.last
	}
	return &LiveStream{feed: f, viewer: viewer, cursor: after}
}

// Cursor returns the id of the last event the stream has passed.
func (s *LiveStream) Cursor() int64 { return s.cursor }

// Next waits for events the viewer may see and returns them, oldest
// first. It returns ctx's error when ctx ends first, ErrLiveClosed when
// the feed closes, and (nil, true, nil) when the stream is too far behind
// to replay: the page should reload, and the stream goes on from now.
func (s *LiveStream) Next(ctx context.Context) (events []LiveEvent, reload bool, err error) {
	for {
		f := s.feed
		f.mu.Lock()
		changed, last, floor := f.changed, f.last, f.floor
		var fresh []OutboxEvent
		if s.cursor >= floor {
			for _, e := range f.recent {
				if e.ID > s.cursor {
					fresh = append(fresh, e)
				}
			}
		}
		f.mu.Unlock()

		switch {
		case s.cursor >= last:
			// up to date: wait below
		case s.cursor < floor && last-s.cursor > f.cfg.MaxReplay:
			s.cursor = last
			return nil, true, nil
		case s.cursor < floor:
			// behind what the feed keeps: replay from storage
			got, err := f.events.EventsAfter(ctx, s.cursor, 200)
			if err != nil {
				return nil, false, err
			}
			for _, e := range got {
				if e.ID <= last { // not past what the feed holds back at a gap
					fresh = append(fresh, e)
				}
			}
			if len(fresh) == 0 {
				s.cursor = floor
			}
		}
		for _, e := range fresh {
			s.cursor = max(s.cursor, e.ID)
			if le, ok := LiveEventFor(s.viewer, e); ok {
				events = append(events, le)
			}
		}
		if len(events) > 0 {
			return events, false, nil
		}
		if len(fresh) > 0 {
			continue // nothing visible in this lot; look again at once
		}
		select {
		case <-ctx.Done():
			return nil, false, ctx.Err()
		case <-f.closed:
			return nil, false, ErrLiveClosed
		case <-changed:
		}
	}
}
