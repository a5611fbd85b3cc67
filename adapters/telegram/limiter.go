package telegram

import (
	"context"
	"math"
	"sync"
	"time"
)

// limiter keeps sending within Telegram's flood limits, whatever the
// network and scheduling delays:
//
//   - overall, a message may start only while fewer than perSecond others
//     are under way or ended within the last second. Telegram's clock sees
//     each message somewhere between its start and its answer, so no
//     one-second window of Telegram's ever holds more than perSecond;
//   - per chat, one message at a time, and the next starts chatInterval
//     after the answer to the last, so Telegram never sees two closer.
//
// A 429 pauses everything, and its chat, for its retry_after.
type limiter struct {
	perSecond    int
	chatInterval time.Duration

	mu          sync.Mutex
	underWay    int
	ends        []time.Time // answers of the last second, oldest first
	pausedUntil time.Time
	changed     chan struct{} // closed and replaced when a message ends
	chats       map[int64]*chatSlot
	ops         int
}

type chatSlot struct {
	turn    chan struct{} // holds a token while a message to the chat is under way
	readyAt time.Time     // guarded by limiter.mu
	refs    int           // goroutines holding the slot; guarded by limiter.mu
}

const window = time.Second

func newLimiter(perSecond float64, chatInterval time.Duration) *limiter {
	return &limiter{
		perSecond:    max(1, int(math.Floor(perSecond))),
		chatInterval: chatInterval,
		changed:      make(chan struct{}),
		chats:        map[int64]*chatSlot{},
	}
}

// acquire waits until a message may go to chat, or ctx ends. The caller
// sends, then calls release with the retry_after of a 429 (0 otherwise).
func (l *limiter) acquire(ctx context.Context, chat int64) (release func(pause time.Duration), err error) {
	slot := l.slot(chat)
	select {
	case slot.turn <- struct{}{}:
	case <-ctx.Done():
		l.unref(slot)
		return nil, ctx.Err()
	}
	giveBack := func() {
		<-slot.turn
		l.unref(slot)
	}
	l.mu.Lock()
	readyAt := slot.readyAt
	l.mu.Unlock()
	if err := sleepUntil(ctx, readyAt); err != nil {
		giveBack()
		return nil, err
	}
	if err := l.acquireGlobal(ctx); err != nil {
		giveBack()
		return nil, err
	}
	return func(pause time.Duration) {
		l.mu.Lock()
		now := time.Now()
		l.underWay--
		l.ends = append(l.ends, now)
		slot.readyAt = now.Add(max(l.chatInterval, pause))
		if pause > 0 {
			l.pausedUntil = maxTime(l.pausedUntil, now.Add(pause))
		}
		close(l.changed)
		l.changed = make(chan struct{})
		l.mu.Unlock()
		giveBack()
	}, nil
}

// acquireGlobal waits for room in the overall limit and takes it.
func (l *limiter) acquireGlobal(ctx context.Context) error {
	for {
		l.mu.Lock()
		now := time.Now()
		i := 0
		for i < len(l.ends) && now.Sub(l.ends[i]) >= window {
			i++
		}
		l.ends = l.ends[i:]
		if !now.Before(l.pausedUntil) && l.underWay+len(l.ends) < l.perSecond {
			l.underWay++
			l.mu.Unlock()
			return nil
		}
		var until time.Time // when room may free up without an answer arriving
		switch {
		case now.Before(l.pausedUntil):
			until = l.pausedUntil
		case len(l.ends) > 0:
			until = l.ends[0].Add(window)
		}
		changed := l.changed
		l.mu.Unlock()

		var timeout <-chan time.Time
		var timer *time.Timer
		if !until.IsZero() {
			timer = time.NewTimer(time.Until(until))
			timeout = timer.C
		}
		select {
		case <-ctx.Done():
		case <-changed:
		case <-timeout:
		}
		if timer != nil {
			timer.Stop()
		}
		if err := ctx.Err(); err != nil {
			return err
		}
	}
}

func (l *limiter) slot(chat int64) *chatSlot {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.ops++
	if l.ops%1024 == 0 {
		l.forgetIdleLocked()
	}
	s, ok := l.chats[chat]
	if !ok {
		s = &chatSlot{turn: make(chan struct{}, 1)}
		l.chats[chat] = s
	}
	s.refs++
	return s
}

func (l *limiter) unref(s *chatSlot) {
	l.mu.Lock()
	defer l.mu.Unlock()
	s.refs--
}

// forgetIdleLocked drops the chats nobody waits for whose interval is over.
func (l *limiter) forgetIdleLocked() {
	now := time.Now()
	for chat, s := range l.chats {
		if s.refs == 0 && now.After(s.readyAt) {
			delete(l.chats, chat)
		}
	}
}

func sleepUntil(ctx context.Context, t time.Time) error {
	d := time.Until(t)
	if d <= 0 {
		return ctx.Err()
	}
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case <-timer.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func maxTime(ts ...time.Time) time.Time {
	var m time.Time
	for _, t := range ts {
		if t.After(m) {
			m = t
		}
	}
	return m
}
