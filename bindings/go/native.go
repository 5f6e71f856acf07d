//go:build cgo

package dstoken

// The cgo backend (the WebAssembly one, wasm.go, is built with CGO_ENABLED=0 and provides the
// same functions below the line "The backend's functions").
//
// The cgo layer: every operation crosses into C once. Small C helpers below run a whole
// operation (set the claims and sign, verify and serialise, ...) and, on failure, copy the
// thread-local last-error message before returning: a goroutine may continue on another OS
// thread after a cgo call, so the message must be read in the same call that failed.

/*
#include <stdlib.h>
#include "godst.h"
*/
import "C"

import (
	"unsafe"
)

// The claims builder's operation kinds (ops.go) are godst.h's: checked when this compiles.
var _ = [1]struct{}{}[opTeamID-C.GODST_TEAM_ID+opRoom-C.GODST_ROOM+opUserName-C.GODST_USER_NAME+
	opUserID-C.GODST_USER_ID+opInitials-C.GODST_INITIALS+opRole-C.GODST_ROLE+opBreakoutID-C.GODST_BREAKOUT_ID+
	opAvatar-C.GODST_AVATAR+opIssuedAt-C.GODST_ISSUED_AT+opNotBefore-C.GODST_NOT_BEFORE+
	opExpiresAt-C.GODST_EXPIRES_AT+opExpiresIn-C.GODST_EXPIRES_IN+opValidity-C.GODST_VALIDITY+opJSON-C.GODST_JSON]

// statusError turns a failed status and the C copy of its message into an *Error for the Go
// operation op (its message in Go's names, see userMessage), freeing the copy.
func statusError(op string, s C.dst_status, msg *C.char) error {
	m := ""
	if msg != nil {
		m = C.GoString(msg)
		C.free(unsafe.Pointer(msg))
	}
	return &Error{Status: Status(s), Message: userMessage(op, m)}
}

// takeString copies a string returned by dstoken and frees it with dst_string_free.
func takeString(p *C.char) string {
	s := C.GoString(p)
	C.dst_string_free(p)
	return s
}

func bytePtr(b []byte) *C.char { return (*C.char)(unsafe.Pointer(&b[0])) }

// libraryVersion is dst_version(), the linked library's version.
func libraryVersion() string { return C.GoString(C.dst_version()) }

// nativeStatusName is dst_status_name(s) (used by the tests to check the Go table).
func nativeStatusName(s int) string { return C.GoString(C.dst_status_name(C.int(s))) }

// maxTokenLength is DST_MAX_TOKEN_LENGTH.
const maxTokenLength = C.DST_MAX_TOKEN_LENGTH

// ---------------------------------------------------------------------------------------------
// The backend's functions: the operations key.go, claims.go, mint.go and verify.go run, each one
// crossing into C once (wasm.go has the same functions over the WebAssembly core).

// backendName says which core runs: "cgo" (the static or pkg-config library) here.
const backendName = "cgo"

// keyHandle is a native key (dst_key *).
type keyHandle = *C.dst_key

// urlAllowPort is DST_URL_ALLOW_PORT.
const urlAllowPort = C.DST_URL_ALLOW_PORT

// nativeKeyNew is dst_key_new over secret (never empty: the caller passes one byte for an empty
// secret, with n = 0).
func nativeKeyNew(op string, secret []byte, n int) (keyHandle, error) {
	var ptr *C.dst_key
	var msg *C.char
	s := C.godst_key_new((*C.uint8_t)(unsafe.Pointer(&secret[0])), C.size_t(n), &ptr, &msg)
	if s != C.DST_OK {
		return nil, statusError(op, s, msg)
	}
	return ptr, nil
}

// nativeKeyFree is dst_key_free: wipes and frees the key.
func nativeKeyFree(p keyHandle) { C.dst_key_free(p) }

// nativeSignOps is godst_sign_ops: the claims builder's operations (see godst.h), then dst_sign.
func nativeSignOps(op string, blob []byte, ops []int64, k keyHandle) (string, error) {
	var opsPtr *C.int64_t
	if len(ops) > 0 {
		opsPtr = (*C.int64_t)(unsafe.Pointer(&ops[0]))
	}
	var out, msg *C.char
	s := C.godst_sign_ops(bytePtr(blob), opsPtr, C.size_t(len(ops)/3), k, &out, &msg)
	if s != C.DST_OK {
		return "", statusError(op, s, msg)
	}
	return takeString(out), nil
}

// nativeMint is godst_mint: dst_mint, or dst_mint_url when team is not nil.
func nativeMint(op string, blob []byte, f *[15]int64, k keyHandle, team []byte) (string, error) {
	var teamp, res, msg *C.char
	if team != nil {
		teamp = bytePtr(team)
	}
	s := C.godst_mint(bytePtr(blob), (*C.int64_t)(unsafe.Pointer(&f[0])), k, teamp, &res, &msg)
	if s != C.DST_OK {
		return "", statusError(op, s, msg)
	}
	return takeString(res), nil
}

// nativeVerify is godst_verify: dst_verify, then the claims as JSON text. tok is NUL-terminated.
func nativeVerify(op string, tok []byte, k keyHandle, now int64, leeway uint32) (string, error) {
	var out, msg *C.char
	s := C.godst_verify(bytePtr(tok), k, C.int64_t(now), C.uint32_t(leeway), &out, &msg)
	if s != C.DST_OK {
		return "", statusError(op, s, msg)
	}
	return takeString(out), nil
}

// nativeJoinURL is dst_join_url_opts; team and room are NUL-terminated, token nil for none.
func nativeJoinURL(op string, team, room, token []byte, flags uint32) (string, error) {
	var tokp *C.char
	if token != nil {
		tokp = bytePtr(token)
	}
	var out, msg *C.char
	s := C.godst_join_url(bytePtr(team), bytePtr(room), tokp, C.uint32_t(flags), &out, &msg)
	if s != C.DST_OK {
		return "", statusError(op, s, msg)
	}
	return takeString(out), nil
}
