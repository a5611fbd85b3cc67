package telegram

import (
	"context"
	"sync"
	"time"
)

// limiter keeps sending within Telegram's flood limits: messages spaced
// evenly at most perSecond over all chats (no bursts, so no one-second
// window ever holds more than about perSecond), and, per chat, one message
// at a time with chatInterval between the answer to one and the start of
// the next, so that Telegram, whatever the network's delays, never sees two
// closer than chatInterval. A 429 pauses everything for its retry_after.
type limiter struct {
	spacing      time.Duration
	chatInterval time.Duration

	mu          sync.Mutex
	nextSlot    time.Time // the earliest start of the next message
	pausedUntil time.Time
	chats       map[int64]*chatSlot
	ops         int
}

type chatSlot struct {
	turn    chan struct{} // holds a token while a message to the chat is under way
	readyAt time.Time     // guarded by limiter.mu
	refs    int           // goroutines holding the slot; guarded by limiter.mu
}

func newLimiter(perSecond float64, chatInterval time.Duration) *limiter {
	return &limiter{
		spacing:      time.Duration(float64(time.Second) / perSecond),
		chatInterval: chatInterval,
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
		l.unref(chat, slot)
		return nil, ctx.Err()
	}
	done := func(pause time.Duration) {
		l.mu.Lock()
		now := time.Now()
		slot.readyAt = now.Add(max(l.chatInterval, pause))
		if pause > 0 {
			l.pausedUntil = maxTime(l.pausedUntil, now.Add(pause))
		}
		l.mu.Unlock()
		<-slot.turn
		l.unref(chat, slot)
	}
	l.mu.Lock()
	readyAt := slot.readyAt
	l.mu.Unlock()
	if err := sleepUntil(ctx, readyAt); err != nil {
		<-slot.turn
		l.unref(chat, slot)
		return nil, err
	}
	l.mu.Lock()
	start := maxTime(time.Now(), l.nextSlot, l.pausedUntil)
	l.nextSlot = start.Add(l.spacing)
	l.mu.Unlock()
	if err := sleepUntil(ctx, start); err != nil {
		<-slot.turn
		l.unref(chat, slot)
		return nil, err
	}
	return done, nil
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

func (l *limiter) unref(chat int64, s *chatSlot) {
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
