//go:build cgo

package dstoken

// The cgo backend (the WebAssembly one, wasm.go, is built with CGO_ENABLED=0 and provides the
// same functions below the line "The backend's functions").
//
// The cgo layer: every operation crosses into C once. Small C helpers (godst.c) run a whole
// operation (mint, or mint and add custom claims and sign; verify and serialise, ...) and, on
// failure, copy the thread-local last error (dst_last_error) before returning: a goroutine
// may continue on another OS thread after a cgo call, so the error must be read in the same
// call that failed.

/*
#include <stdlib.h>
#include "godst.h"
*/
import "C"

import (
	"unsafe"
)

// The claims operation kinds and field slots (ops.go) are godst.h's: checked when this compiles.
var _ = [1]struct{}{}[opTeamID-C.GODST_TEAM_ID+opRoom-C.GODST_ROOM+opUserName-C.GODST_USER_NAME+
	opUserID-C.GODST_USER_ID+opInitials-C.GODST_INITIALS+opRole-C.GODST_ROLE+opBreakoutID-C.GODST_BREAKOUT_ID+
	opAvatar-C.GODST_AVATAR+opIssuedAt-C.GODST_ISSUED_AT+opNotBefore-C.GODST_NOT_BEFORE+
	opExpiresAt-C.GODST_EXPIRES_AT+opJSON-C.GODST_JSON+opCustom-C.GODST_CUSTOM+
	fIssuedAt-C.GODST_F_ISSUED_AT+fNotBefore-C.GODST_F_NOT_BEFORE+fExpiresAt-C.GODST_F_EXPIRES_AT+
	fLifetime-C.GODST_F_LIFETIME+fSkew-C.GODST_F_SKEW+fNow-C.GODST_F_NOW+fNoExpiry-C.GODST_F_NO_EXPIRY+
	fMaxLifetime-C.GODST_F_MAX_LIFETIME+fLifetimeNanos-C.GODST_F_LIFETIME_NANOS+fCount-C.GODST_F_COUNT]

// statusError turns a failed status and the C copy of its error into the *Error of the Go
// operation op, freeing the copy.
func statusError(op string, s C.dst_status, e *C.dst_error) error {
	p := errorParts{status: int32(s), reason: uint32(ReasonInternal)}
	if e != nil {
		p = errorParts{status: int32(e.status), reason: uint32(e.reason), argument: uint32(e.argument),
			other: uint32(e.other), value: int64(e.value), limit: int64(e.limit), time: int64(e.time),
			suggested: int64(e.suggested), name: C.GoString(&e.name[0]), text: C.GoString(&e.text[0])}
		C.free(unsafe.Pointer(e))
	}
	return newError(op, p)
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

// nativeKeyNew is dst_key_new (text: dst_key_new_text) over secret (never empty: the caller
// passes one byte for an empty secret, with n = 0).
func nativeKeyNew(op string, secret []byte, n int, text bool) (keyHandle, error) {
	var ptr *C.dst_key
	var e *C.dst_error
	t := C.int(0)
	if text {
		t = 1
	}
	s := C.godst_key_new((*C.uint8_t)(unsafe.Pointer(&secret[0])), C.size_t(n), t, &ptr, &e)
	if s != C.DST_OK {
		return nil, statusError(op, s, e)
	}
	return ptr, nil
}

// nativeKeyFree is dst_key_free: wipes and frees the key.
func nativeKeyFree(p keyHandle) { C.dst_key_free(p) }

// nativeSign is godst_sign: f nil, the ops on an empty claim set; otherwise the token f
// describes minted, then the ops applied to its claims; then dst_sign.
func nativeSign(op string, blob []byte, f *[fCount]int64, ops []int64, k keyHandle) (string, error) {
	var opsPtr, fPtr *C.int64_t
	if len(ops) > 0 {
		opsPtr = (*C.int64_t)(unsafe.Pointer(&ops[0]))
	}
	if f != nil {
		fPtr = (*C.int64_t)(unsafe.Pointer(&f[0]))
	}
	var out *C.char
	var e *C.dst_error
	s := C.godst_sign(bytePtr(blob), fPtr, opsPtr, C.size_t(len(ops)/3), k, &out, &e)
	if s != C.DST_OK {
		return "", statusError(op, s, e)
	}
	return takeString(out), nil
}

// nativeMint is godst_mint: dst_mint, or dst_mint_url when team is not nil.
func nativeMint(op string, blob []byte, f *[fCount]int64, k keyHandle, team []byte) (string, error) {
	var teamp, res *C.char
	var e *C.dst_error
	if team != nil {
		teamp = bytePtr(team)
	}
	s := C.godst_mint(bytePtr(blob), (*C.int64_t)(unsafe.Pointer(&f[0])), k, teamp, &res, &e)
	if s != C.DST_OK {
		return "", statusError(op, s, e)
	}
	return takeString(res), nil
}

// nativeVerify is godst_verify: dst_verify_opts, then the claims as JSON text. tok, teamID
// and room are NUL-terminated (teamID and room nil for none); required holds nreq
// NUL-terminated names.
func nativeVerify(op string, tok []byte, k keyHandle, o *verifyConfig, teamID, room, required []byte, nreq int) (string, error) {
	var team, rm, req, out *C.char
	var e *C.dst_error
	if teamID != nil {
		team = bytePtr(teamID)
	}
	if room != nil {
		rm = bytePtr(room)
	}
	if nreq > 0 {
		req = bytePtr(required)
	}
	expOptional := C.int(0)
	if o.expOptional {
		expOptional = 1
	}
	s := C.godst_verify(bytePtr(tok), k, C.int64_t(o.nowUnix), C.uint32_t(o.leewaySeconds), expOptional,
		team, rm, req, C.size_t(nreq), &out, &e)
	if s != C.DST_OK {
		return "", statusError(op, s, e)
	}
	return takeString(out), nil
}

// nativeDecode is godst_decode: dst_decode_unverified, the header and the claims as JSON text.
func nativeDecode(op string, tok []byte) (header, claims string, err error) {
	var h, c *C.char
	var e *C.dst_error
	s := C.godst_decode(bytePtr(tok), &h, &c, &e)
	if s != C.DST_OK {
		return "", "", statusError(op, s, e)
	}
	return takeString(h), takeString(c), nil
}

// nativeJoinURL is dst_join_url_opts; team and room are NUL-terminated, token nil for none.
func nativeJoinURL(op string, team, room, token []byte, flags uint32) (string, error) {
	var tokp, out *C.char
	var e *C.dst_error
	if token != nil {
		tokp = bytePtr(token)
	}
	s := C.godst_join_url(bytePtr(team), bytePtr(room), tokp, C.uint32_t(flags), &out, &e)
	if s != C.DST_OK {
		return "", statusError(op, s, e)
	}
	return takeString(out), nil
}
