package steps

import (
	"context"
	"errors"
	"testing"
	"time"
)

func TestCleanupContextCutAfterInterrupt(t *testing.T) {
	run, interrupt := context.WithCancel(context.Background())
	cctx, done := cleanupContext(run)
	defer done()
	if cctx.Err() != nil {
		t.Fatal("clean-up context ended before the run did")
	}
	interrupt()
	select {
	case <-cctx.Done():
	case <-time.After(InterruptCleanupBudget + 10*time.Second):
		t.Fatal("clean-up context outlived the budget")
	}
	if !errors.Is(context.Cause(cctx), errCleanupBudget) {
		t.Errorf("cause %v", context.Cause(cctx))
	}
}

func TestCleanupContextSurvivesARunThatGoesOn(t *testing.T) {
	cctx, done := cleanupContext(context.Background())
	done()
	if !errors.Is(cctx.Err(), context.Canceled) || context.Cause(cctx) != context.Canceled {
		t.Errorf("after done: err %v cause %v", cctx.Err(), context.Cause(cctx))
	}
}
