package index

import (
	"context"
	"testing"
	"time"
)

// TestSearchBudget: a caller's deadline wins, longer or shorter than the
// default; without one a search gets searchTimeout. A server started with
// --request-timeout 30 once still cut its searches at 5 s.
func TestSearchBudget(t *testing.T) {
	for _, tc := range []struct {
		name   string
		caller time.Duration // 0: no deadline
		want   time.Duration
	}{
		{"none", 0, searchTimeout},
		{"longer", time.Minute, time.Minute},
		{"shorter", time.Second, time.Second},
	} {
		t.Run(tc.name, func(t *testing.T) {
			start := time.Now()
			ctx := t.Context()
			if tc.caller > 0 {
				var cancel context.CancelFunc
				ctx, cancel = context.WithTimeout(ctx, tc.caller)
				defer cancel()
			}
			ctx, cancel := withSearchBudget(ctx)
			defer cancel()
			d, ok := ctx.Deadline()
			if !ok {
				t.Fatal("no deadline")
			}
			// Deadlines are set from the clock: allow the time the lines
			// above took, however busy the machine.
			if got := d.Sub(start); (got - tc.want).Abs() > time.Since(start) {
				t.Errorf("budget %v, want %v", got, tc.want)
			}
		})
	}
}
