package dstoken

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

// Operation kinds of the claims builder (see godst_apply).
const (
	opTeamID     = C.GODST_TEAM_ID
	opRoom       = C.GODST_ROOM
	opUserName   = C.GODST_USER_NAME
	opUserID     = C.GODST_USER_ID
	opInitials   = C.GODST_INITIALS
	opRole       = C.GODST_ROLE
	opBreakoutID = C.GODST_BREAKOUT_ID
	opAvatar     = C.GODST_AVATAR
	opIssuedAt   = C.GODST_ISSUED_AT
	opNotBefore  = C.GODST_NOT_BEFORE
	opExpiresAt  = C.GODST_EXPIRES_AT
	opExpiresIn  = C.GODST_EXPIRES_IN
	opValidity   = C.GODST_VALIDITY
	opJSON       = C.GODST_JSON
)

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

// cstr is a NUL-terminated copy of s in Go memory (C may read it during the call only).
func cstr(s string) []byte {
	b := make([]byte, len(s)+1)
	copy(b, s)
	return b
}

func bytePtr(b []byte) *C.char { return (*C.char)(unsafe.Pointer(&b[0])) }

// libraryVersion is dst_version(), the linked library's version.
func libraryVersion() string { return C.GoString(C.dst_version()) }

// nativeStatusName is dst_status_name(s) (used by the tests to check the Go table).
func nativeStatusName(s int) string { return C.GoString(C.dst_status_name(C.int(s))) }

// maxTokenLength is DST_MAX_TOKEN_LENGTH.
const maxTokenLength = C.DST_MAX_TOKEN_LENGTH
