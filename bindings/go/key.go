package dstoken

/*
#include "godst.h"
*/
import "C"

import (
	"runtime"
	"sync/atomic"
	"unsafe"
)

// Key is an HS256 signing key: the team's developer key, with its HMAC state computed once.
//
// Concurrency: a Key is safe for concurrent use by any number of goroutines, without
// contention: Sign, Mint and Verify only read it (no lock is taken and nothing shared is
// written per call), so goroutines on different cores sign at full speed with one Key.
//
// Ownership: the Key owns native memory (the HMAC state). Close makes every later Sign, Mint
// or Verify with it fail with ErrClosed; it never frees memory that a call in progress on
// another goroutine is reading. The native key is wiped and freed by a runtime cleanup once the
// Key is unreachable (after Close, or without it), when the garbage collector runs. Drop every
// reference to a closed Key so that happens.
type Key struct {
	ptr    *C.dst_key // set once by NewKey, never changed: freed only by the cleanup
	closed atomic.Bool
}

// NewKey makes a Key from the developer key's raw bytes. The bytes are used as they are
// (never base64-decoded or trimmed); keys longer than 64 bytes are hashed first, as HMAC
// specifies.
//
// Errors: ErrInvalidArgument for an empty secret.
//
// Ownership: secret is only read during the call (the caller may wipe it afterwards); the
// returned Key should be closed with Close when no longer wanted.
func NewKey(secret []byte) (*Key, error) {
	var one [1]byte
	p := one[:]
	if len(secret) > 0 {
		p = secret
	}
	var ptr *C.dst_key
	var msg *C.char
	s := C.godst_key_new((*C.uint8_t)(unsafe.Pointer(&p[0])), C.size_t(len(secret)), &ptr, &msg)
	if s != C.DST_OK {
		return nil, statusError("NewKey", s, msg)
	}
	k := &Key{ptr: ptr}
	runtime.AddCleanup(k, func(p *C.dst_key) { C.dst_key_free(p) }, ptr)
	return k, nil
}

// Close makes the key unusable: Sign, Mint and Verify calls that start afterwards return
// ErrClosed. Calls already in progress on other goroutines finish normally (Close does not
// wait for them and never frees memory they read). The native key, its HMAC state wiped, is
// freed once the Key is unreachable. Closing again is a no-op. Close always returns nil (it
// satisfies io.Closer).
func (k *Key) Close() error {
	if k != nil {
		k.closed.Store(true)
	}
	return nil
}

// use runs f with the native key. The per-call cost is one atomic load (a plain read on
// amd64 and arm64); k stays reachable until f returns (runtime.KeepAlive), so the cleanup
// cannot free the native key under f.
func (k *Key) use(op string, f func(*C.dst_key) error) error {
	if k == nil {
		return &Error{Status: ErrNullArgument, Message: op + ": key is nil"}
	}
	if k.closed.Load() {
		return ErrClosed
	}
	err := f(k.ptr)
	runtime.KeepAlive(k)
	return err
}
