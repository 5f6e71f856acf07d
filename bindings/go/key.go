package dstoken

import (
	"runtime"
	"sync"
	"sync/atomic"
)

// Key is an HS256 signing key: the team's developer key, with its HMAC state computed once.
//
// Concurrency: a Key is safe for concurrent use by any number of goroutines, and they do not
// contend: Sign, Mint and Verify take no lock; a call counts itself in and out of the Key on the
// counter of the P (scheduler processor) it runs on, each on its own cache line, so goroutines
// on different cores write different lines.
//
// Ownership: the Key owns native memory (the HMAC state, as sensitive as the key). Close makes
// every later Sign, Mint or Verify with it fail with ErrClosed, waits for the calls already in
// progress on other goroutines (cgo calls of microseconds), then wipes and frees the native key
// before it returns: a call racing Close either succeeds or returns ErrClosed, and never reads
// wiped or freed memory. A Key never closed is wiped and freed by a runtime cleanup once it is
// unreachable.
type Key struct {
	ptr   keyHandle // set once by NewKey; valid between calls.enter and calls.exit
	calls inFlight

	closeMu sync.Mutex      // serialises Close
	freed   bool            // under closeMu: the native key was freed by Close
	cleanup runtime.Cleanup // frees the native key if the Key is never closed
}

// liveKeys counts the native keys made and not yet freed (for the tests).
var liveKeys atomic.Int64

func freeNativeKey(p keyHandle) {
	nativeKeyFree(p)
	liveKeys.Add(-1)
}

// NewKey makes a Key from the developer key's raw bytes. The bytes are used as they are
// (never base64-decoded or trimmed); keys longer than 64 bytes are hashed first, as HMAC
// specifies.
//
// Errors: ErrInvalidArgument for an empty secret.
//
// Ownership: secret is only read during the call (the caller may wipe it afterwards); the
// returned Key should be closed with Close when no longer wanted.
func NewKey(secret []byte) (*Key, error) { return makeKey("NewKey", secret, false) }

// NewKeyString makes a Key from the developer key given as text, as it is usually stored (an
// environment variable, a secrets file). The same as NewKey([]byte(secret)), except that
// whitespace at the start or the end is refused (ErrInvalidArgument, ReasonKeyWhitespace): a
// developer key never has any, and a trailing newline read from a file would otherwise make
// every token fail at Digital Samba. Pass the bytes to NewKey if the whitespace belongs to
// the key.
func NewKeyString(secret string) (*Key, error) {
	b := []byte(secret)
	defer clear(b) // the library keeps only the HMAC state
	return makeKey("NewKeyString", b, true)
}

func makeKey(op string, secret []byte, text bool) (*Key, error) {
	var one [1]byte
	p := one[:]
	if len(secret) > 0 {
		p = secret
	}
	ptr, err := nativeKeyNew(op, p, len(secret), text)
	if err != nil {
		return nil, err
	}
	liveKeys.Add(1)
	k := &Key{ptr: ptr}
	k.cleanup = runtime.AddCleanup(k, freeNativeKey, ptr)
	return k, nil
}

// Close makes the key unusable: Sign, Mint and Verify calls that start afterwards return
// ErrClosed. Calls already in progress on other goroutines finish first (Close waits for them:
// microseconds), then the native key is wiped and freed, before Close returns. Closing again,
// or on a nil *Key, is a no-op. Close always returns nil (it satisfies io.Closer).
func (k *Key) Close() error {
	if k == nil {
		return nil
	}
	k.closeMu.Lock()
	defer k.closeMu.Unlock()
	if !k.freed {
		k.calls.close()
		k.cleanup.Stop() // k is reachable here, so the cleanup has not run
		freeNativeKey(k.ptr)
		k.freed = true
	}
	return nil
}

// isFreed reports whether Close has freed the native key (for the tests).
func (k *Key) isFreed() bool {
	k.closeMu.Lock()
	defer k.closeMu.Unlock()
	return k.freed
}

// use runs f with the native key, as one call counted in k.calls: Close waits for it, and k
// stays reachable until f returns (runtime.KeepAlive), so the cleanup cannot free the native
// key under f either.
func (k *Key) use(op string, f func(keyHandle) error) error {
	if k == nil {
		return refuse(op, ErrNullArgument, ReasonNull, ArgKey, 0, 0)
	}
	slot, ok := k.calls.enter()
	if !ok {
		return ErrClosed
	}
	defer k.calls.exit(slot) // also if f panics: a Close must not wait for ever
	err := f(k.ptr)
	runtime.KeepAlive(k)
	return err
}
