package dstoken

/*
#include "godst.h"
*/
import "C"

import (
	"strings"
	"time"
	"unsafe"
)

// RoomToken describes one room token for Mint and MintURL, the library's one-call mint
// (dst_mint): every Digital Samba claim and the token's times. Empty strings and zero times
// mean "absent" (to put an empty string or the Unix epoch in a token, or custom claims, use
// Claims).
//
// Times are either explicit (IssuedAt, NotBefore, ExpiresAt) or relative (Lifetime > 0:
// iat = now and exp = now + Lifetime, with NotBeforeSkew > 0 also nbf = now - NotBeforeSkew;
// now is Now, or the clock when Now is zero), never both. Times and durations are whole
// seconds; sub-second parts are dropped.
type RoomToken struct {
	TeamID     string // td, the team id: required
	Room       string // rd, the room name or UUID: required
	UserName   string // u, the user's display name
	UserID     string // ud, your external user id
	Initials   string // initials
	Role       string // role, e.g. "moderator"
	BreakoutID string // breakoutId, the breakout room to join
	Avatar     string // avatar, the picture URL

	IssuedAt  time.Time // iat (explicit mode)
	NotBefore time.Time // nbf (explicit mode)
	ExpiresAt time.Time // exp (explicit mode)

	Lifetime      time.Duration // > 0 selects relative mode; at least one second
	NotBeforeSkew time.Duration // relative mode only: back-dates nbf
	Now           time.Time     // relative mode's "now"; zero reads the clock
}

// mintFields lays out a dst_room_token for godst_mint.
type mintFields struct {
	blob []byte
	f    [14]int64
}

func (m *mintFields) str(i int, set bool, v string) {
	if !set {
		m.f[i] = -1
		return
	}
	m.f[i] = int64(len(m.blob))
	m.blob = append(append(m.blob, v...), 0)
}

func (m *mintFields) mint(op string, key *Key, team *string) (string, error) {
	if len(m.blob) == 0 {
		m.blob = []byte{0}
	}
	var teamC []byte
	if team != nil {
		if strings.IndexByte(*team, 0) >= 0 {
			return "", invalid(op + ": team contains a NUL byte")
		}
		teamC = cstr(*team)
	}
	var out string
	err := key.use(op, func(k *C.dst_key) error {
		var teamp, res, msg *C.char
		if teamC != nil {
			teamp = bytePtr(teamC)
		}
		s := C.godst_mint(bytePtr(m.blob), (*C.int64_t)(unsafe.Pointer(&m.f[0])), k, teamp, &res, &msg)
		if s != C.DST_OK {
			return statusError(s, msg)
		}
		out = takeString(res)
		return nil
	})
	return out, err
}

// seconds converts a duration to whole seconds, refusing a non-zero one that would become 0
// (which the library reads as "absent").
func seconds(op, field string, d time.Duration) (int64, error) {
	s := int64(d / time.Second)
	if d != 0 && s == 0 {
		return 0, invalid(op + ": " + field + " must be zero or at least one second, got " + d.String())
	}
	return s, nil
}

// unixField converts a time to unix seconds, 0 for the zero Time; the Unix epoch itself
// cannot be expressed (0 means "absent" to dst_mint).
func unixField(op, field string, t time.Time) (int64, error) {
	if t.IsZero() {
		return 0, nil
	}
	if t.Unix() == 0 {
		return 0, invalid(op + ": " + field + " is the Unix epoch, which dst_mint reads as absent (use Claims)")
	}
	return t.Unix(), nil
}

func (t *RoomToken) fields(op string) (*mintFields, error) {
	m := &mintFields{}
	for i, s := range [8]string{t.TeamID, t.Room, t.UserName, t.UserID, t.Initials, t.Role, t.BreakoutID, t.Avatar} {
		if strings.IndexByte(s, 0) >= 0 {
			return nil, invalid(op + ": claim \"" + stringClaimNames[i] + "\" contains a NUL byte (use Claims)")
		}
		m.str(i, s != "", s)
	}
	var err error
	for i, f := range [...]struct {
		name string
		t    time.Time
	}{{"IssuedAt", t.IssuedAt}, {"NotBefore", t.NotBefore}, {"ExpiresAt", t.ExpiresAt}, {"Now", t.Now}} {
		idx := 8 + i
		if f.name == "Now" {
			idx = 13
		}
		if m.f[idx], err = unixField(op, f.name, f.t); err != nil {
			return nil, err
		}
	}
	if m.f[11], err = seconds(op, "Lifetime", t.Lifetime); err != nil {
		return nil, err
	}
	if m.f[12], err = seconds(op, "NotBeforeSkew", t.NotBeforeSkew); err != nil {
		return nil, err
	}
	return m, nil
}

// Mint mints the room token t describes, signed with key, in one native call (dst_mint). The
// token is byte-identical to the one Claims.Sign makes for the same claims.
//
// Errors (*Error, match with errors.Is): ErrMissingClaim without TeamID or Room;
// ErrInvalidArgument (explicit times together with Lifetime or Now, NotBeforeSkew or Now
// without Lifetime, a negative or sub-second Lifetime or skew, time overflow, exp earlier
// than nbf or iat, a NUL byte in a string, the Unix epoch as a time); ErrInvalidUTF8 (the
// message names the field); ErrNullArgument for a nil key or t; ErrClosed after key.Close().
//
// Concurrency: any number of goroutines may mint with the same key (and the same t, while no
// goroutine writes it) at once.
func Mint(key *Key, t *RoomToken) (string, error) {
	if t == nil {
		return "", &Error{Status: ErrNullArgument, Message: "Mint: token is nil"}
	}
	m, err := t.fields("Mint")
	if err != nil {
		return "", err
	}
	return m.mint("Mint", key, nil)
}

// MintURL mints the token as Mint does and returns the URL that opens its room with it
// (https://<team>.digitalsamba.com/<room>?token=<token>, team as in JoinURL), in one native
// call (dst_mint_url).
//
// Errors: as Mint, and as JoinURL for team and the room.
func MintURL(key *Key, t *RoomToken, team string) (string, error) {
	if t == nil {
		return "", &Error{Status: ErrNullArgument, Message: "MintURL: token is nil"}
	}
	m, err := t.fields("MintURL")
	if err != nil {
		return "", err
	}
	return m.mint("MintURL", key, &team)
}
