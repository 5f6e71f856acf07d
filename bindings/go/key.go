package dstoken

/*
#include "godst.h"
*/
import "C"

import (
	"runtime"
	"sync"
	"unsafe"
)

// Key is an HS256 signing key: the team's developer key, with its HMAC state computed once.
//
// Concurrency: a Key is safe for concurrent use by any number of goroutines (Sign, Mint and
// Verify only read it). Close waits for operations in progress and makes later ones fail with
// ErrClosed.
//
// Ownership: the Key owns native memory. Call Close when done; a Key that becomes unreachable
// without Close is released by a runtime cleanup as a safety net, but when that happens is up
// to the garbage collector.
type Key struct {
	mu      sync.RWMutex
	ptr     *C.dst_key
	cleanup runtime.Cleanup
}

// NewKey makes a Key from the developer key's raw bytes. The bytes are used as they are
// (never base64-decoded or trimmed); keys longer than 64 bytes are hashed first, as HMAC
// specifies.
//
// Errors: ErrInvalidArgument for an empty secret.
//
// Ownership: secret is only read during the call (the caller may wipe it afterwards); the
// returned Key must be closed with Close.
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
		return nil, statusError(s, msg)
	}
	k := &Key{ptr: ptr}
	k.cleanup = runtime.AddCleanup(k, func(p *C.dst_key) { C.dst_key_free(p) }, ptr)
	return k, nil
}

// Close releases the key, wiping its HMAC state. It waits for Sign, Mint and Verify calls in
// progress on other goroutines; later calls return ErrClosed. Closing again is a no-op.
// Close always returns nil (it satisfies io.Closer).
func (k *Key) Close() error {
	if k == nil {
		return nil
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.ptr != nil {
		k.cleanup.Stop()
		C.dst_key_free(k.ptr)
		k.ptr = nil
	}
	return nil
}

// use runs f with the native key under the read lock, so Close cannot free it meanwhile.
func (k *Key) use(op string, f func(*C.dst_key) error) error {
	if k == nil {
		return &Error{Status: ErrNullArgument, Message: op + ": key is nil"}
	}
	k.mu.RLock()
	defer k.mu.RUnlock()
	if k.ptr == nil {
		return ErrClosed
	}
	err := f(k.ptr)
	runtime.KeepAlive(k)
	return err
}
