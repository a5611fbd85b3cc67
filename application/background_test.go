package application_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"crm/application"
)

func TestBackgroundRunsUntilStopped(t *testing.T) {
	b := &application.Background{Name: "worker"}
	require.NoError(t, b.Stop(context.Background()), "stopping what never started is fine")

	running, ended := make(chan struct{}), make(chan struct{})
	require.NoError(t, b.Start(func(ctx context.Context) {
		close(running)
		<-ctx.Done()
		close(ended)
	}))
	<-running
	assert.ErrorContains(t, b.Start(func(context.Context) {}), "worker: started twice")

	require.NoError(t, b.Stop(context.Background()))
	select {
	case <-ended:
	default:
		t.Fatal("Stop returned before the goroutine ended")
	}
}

func TestBackgroundStopGivesUpWhenItsContextEnds(t *testing.T) {
	b := &application.Background{Name: "stubborn"}
	release := make(chan struct{})
	require.NoError(t, b.Start(func(context.Context) { <-release })) // ignores cancellation
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	err := b.Stop(ctx)
	assert.ErrorIs(t, err, context.Canceled)
	assert.ErrorContains(t, err, "stubborn: stop")
	close(release)
}
