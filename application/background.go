package application

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"
)

// Background is the lifecycle every long-running worker here shares (the
// Telegram poller and webhook registration, the event listener, the
// janitor): Start runs one goroutine and returns at once, as fx hooks must;
// Stop cancels it and waits for it to end, or gives up when its context
// ends. The zero value is ready; Name labels its errors.
type Background struct {
	Name string

	mu     sync.Mutex
	cancel context.CancelFunc
	done   chan struct{}
}

// Start runs run in a goroutine with a context that Stop cancels. It fails
// if it was started before.
func (b *Background) Start(run func(ctx context.Context)) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.done != nil {
		return errors.New(b.Name + ": started twice")
	}
	ctx, cancel := context.WithCancel(context.Background())
	b.cancel, b.done = cancel, make(chan struct{})
	go func() {
		defer close(b.done)
		run(ctx)
	}()
	return nil
}

// Stop cancels the goroutine and returns once it has ended, or with an
// error when ctx ends first. Stopping what never started is not an error.
func (b *Background) Stop(ctx context.Context) error {
	b.mu.Lock()
	cancel, done := b.cancel, b.done
	b.mu.Unlock()
	if cancel == nil {
		return nil
	}
	cancel()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		return fmt.Errorf("%s: stop: %w", b.Name, ctx.Err())
	}
}

// Repeat calls fn first after first, then every every from the end of one
// call to the start of the next, until ctx ends: the loop of a periodic
// background job (run it with Background.Start).
func Repeat(ctx context.Context, first, every time.Duration, fn func(context.Context)) {
	timer := time.NewTimer(first)
	defer timer.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-timer.C:
		}
		fn(ctx)
		timer.Reset(every)
	}
}
