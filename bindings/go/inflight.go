package dstoken

import (
	"runtime"
	"sync"
	"sync/atomic"
	"time"
)

// inFlight counts the cgo calls in flight on one Key, so that Close can wait for them and the
// native key can then be wiped and freed at once, while goroutines sharing the Key do not
// contend for one counter. (The Java binding's InFlight is the same scheme.)
//
// A call enters (adds 1 to a counter), loads the closed flag, makes its cgo call and exits
// (takes 1 from the same counter). close sets the flag, then waits until every counter has been
// seen at 0. Go's atomics are sequentially consistent: a call that loaded the flag as open
// added its 1 before close set the flag, so close sees that 1 and waits for the call's exit; a
// call that loaded the flag as closed takes its 1 back and never touches the native key. Each
// counter holds exactly the calls in flight that entered through it (a call exits through the
// counter it entered), so seeing one at 0 means those calls have all finished, and no call that
// loaded the flag as open can enter it afterwards.
//
// The counters: a Key starts with one (base, updated by compare-and-swap). The first time two
// goroutines meet there (a failed compare-and-swap), the Key gets its stripes: padded counters,
// the one a call uses chosen by the P (the scheduler's processor) it runs on, so that goroutines
// running on different cores write different cache lines. One shared counter, or a
// sync.RWMutex, costs every call two cache-line transfers between cores; so does a stripe picked
// at random per call, about as often (the line was most likely written last by another core).
// A Key used by one goroutine at a time never allocates them.
type inFlight struct {
	base    atomic.Int64
	stripes atomic.Pointer[[]stripe] // once two goroutines met at base; stripe i at index i+1
	closed  atomic.Bool
}

// stripe is one counter on a cache line of its own (128 bytes: the line and its prefetch pair).
type stripe struct {
	n atomic.Int64
	_ [120]byte
}

// numStripes is a power of two, at least twice GOMAXPROCS at start-up (which may change
// later), at most 64.
var numStripes = func() int {
	n := 2
	for n < 2*runtime.GOMAXPROCS(0) && n < 64 {
		n *= 2
	}
	return n
}()

// stripeHints hands out the stripe index of the P a goroutine runs on: a sync.Pool keeps one
// item per P (Get and Put on the same P return the same item, with no shared write), and makes
// a new one, with the next index, for a P that has none (at first, and after a garbage
// collection empties the pool).
var (
	stripeHints = sync.Pool{New: func() any { h := int(nextStripe.Add(1)) & (numStripes - 1); return &h }}
	nextStripe  atomic.Uint32
)

func stripeOfP() int {
	h := stripeHints.Get().(*int)
	i := *h
	stripeHints.Put(h)
	return 1 + i
}

// enter registers a call: it returns the slot to pass to exit (-1: base), and false when the
// key is closed (nothing registered).
func (f *inFlight) enter() (int, bool) {
	slot := -1
	s := f.stripes.Load()
	if s != nil || !f.casBase() {
		if s == nil {
			s = f.makeStripes()
		}
		slot = stripeOfP()
		(*s)[slot].n.Add(1)
	}
	if f.closed.Load() {
		f.exit(slot)
		return 0, false
	}
	return slot, true
}

func (f *inFlight) casBase() bool {
	b := f.base.Load()
	return f.base.CompareAndSwap(b, b+1)
}

// exit ends a call that enter registered in slot.
func (f *inFlight) exit(slot int) {
	if slot < 0 {
		f.base.Add(-1)
	} else {
		(*f.stripes.Load())[slot].n.Add(-1) // non-nil: set before the enter that chose slot
	}
}

func (f *inFlight) makeStripes() *[]stripe {
	s := make([]stripe, numStripes+2) // a stripe's worth of padding at each end
	if f.stripes.CompareAndSwap(nil, &s) {
		return &s
	}
	return f.stripes.Load()
}

// close makes every later enter fail, then waits until the calls in flight have exited. They
// are cgo calls of microseconds: spin briefly, then yield, then sleep in short steps.
func (f *inFlight) close() {
	f.closed.Store(true)
	wait(&f.base)
	if s := f.stripes.Load(); s != nil { // loaded after the flag was set: every stripe a running call used
		for i := 1; i <= numStripes; i++ {
			wait(&(*s)[i].n)
		}
	}
}

func wait(n *atomic.Int64) {
	for spins := 0; n.Load() != 0; spins++ {
		if spins < 64 {
			runtime.Gosched()
		} else {
			time.Sleep(20 * time.Microsecond)
		}
	}
}
