package client

import (
	"context"
	"time"
)

// graceful is ctx, except that when ctx ends the request may go on for
// grace more. A POST or PUT in flight at an interrupt may already have made
// something on the registry (an upload session, a blob, a manifest);
// cancelling it at once loses the answer that names it, and with it the
// clean-up. No new request starts after ctx ended: Do checks that first.
func graceful(ctx context.Context, grace time.Duration) (context.Context, func()) {
	g, cancel := context.WithCancelCause(context.WithoutCancel(ctx))
	stop := context.AfterFunc(ctx, func() {
		time.AfterFunc(grace, func() { cancel(context.Cause(ctx)) })
	})
	return g, func() { stop(); cancel(nil) }
}
