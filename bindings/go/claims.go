package dstoken

/*
#include "godst.h"
*/
import "C"

import (
	"bytes"
	"encoding/json"
	"math"
	"strings"
	"time"
	"unicode/utf8"
	"unsafe"
)

// The registered string claims, in the builder's slots (opTeamID ... opAvatar).
var stringClaimNames = [8]string{"td", "rd", "u", "ud", "initials", "role", "breakoutId", "avatar"}

type optString struct {
	set bool
	v   string
}

type optInt struct {
	set bool
	v   int64
}

type customClaim struct {
	name, json string
}

// Claims builds a room token's claims on the Go side; Sign then signs them in one native call
// (through dst_mint, or the dst_claims setters and dst_sign when there are custom claims). Each setter returns the Claims, so calls chain:
//
//	token, err := dstoken.NewClaims().TeamID(teamID).Room("daily-standup").
//		UserName("John Smith").Role("moderator").ExpiresIn(time.Hour).Sign(key)
//
// Setting a claim again replaces it. A setter given an unusable value (a lifetime under one
// second, a custom value that cannot be marshalled) records the first such error, which Sign
// returns; everything else (empty td/rd, invalid UTF-8, exp before iat, ...) is checked by the
// library when signing, with the same rules and messages as the C API.
//
// The payload is compact JSON in a fixed order — td, rd, u, ud, initials, role, breakoutId,
// avatar, iat, nbf, exp, then custom claims in the order first set — so the same claims
// always give the same token, byte for byte the one every other dstoken binding makes.
//
// Concurrency: a Claims must not be modified while another goroutine uses it; any number of
// goroutines may Sign the same unchanging Claims at once. The zero value is an empty Claims.
type Claims struct {
	str      [8]optString
	times    [3]optInt // iat, nbf, exp
	relative bool      // ExpiresIn or Validity
	lifetime int64
	skew     int64
	now      optInt // At
	custom   []customClaim
	err      error
}

// NewClaims returns an empty Claims.
func NewClaims() *Claims { return &Claims{} }

// Clone returns an independent copy of c (later changes to either do not affect the other).
func (c *Claims) Clone() *Claims {
	d := *c
	d.custom = append([]customClaim(nil), c.custom...)
	return &d
}

func (c *Claims) setString(op int, v string) *Claims {
	c.str[op-opTeamID] = optString{true, v}
	return c
}

// TeamID sets td, the Digital Samba team id (required; must not be empty).
func (c *Claims) TeamID(v string) *Claims { return c.setString(opTeamID, v) }

// Room sets rd, the room name or UUID (required; must not be empty).
func (c *Claims) Room(v string) *Claims { return c.setString(opRoom, v) }

// UserName sets u, the user's display name.
func (c *Claims) UserName(v string) *Claims { return c.setString(opUserName, v) }

// UserID sets ud, your external user id.
func (c *Claims) UserID(v string) *Claims { return c.setString(opUserID, v) }

// Initials sets initials, shown on the user's avatar.
func (c *Claims) Initials(v string) *Claims { return c.setString(opInitials, v) }

// Role sets role, e.g. "moderator", "attendee" or a custom role of the team.
func (c *Claims) Role(v string) *Claims { return c.setString(opRole, v) }

// BreakoutID sets breakoutId, the breakout room to join.
func (c *Claims) BreakoutID(v string) *Claims { return c.setString(opBreakoutID, v) }

// Avatar sets avatar, the URL of the user's picture.
func (c *Claims) Avatar(v string) *Claims { return c.setString(opAvatar, v) }

// IssuedAt sets iat to t in whole unix seconds (t.Unix(); sub-second parts are dropped).
// Explicit times and ExpiresIn/Validity exclude each other (Sign returns ErrInvalidArgument).
func (c *Claims) IssuedAt(t time.Time) *Claims { c.times[0] = optInt{true, t.Unix()}; return c }

// NotBefore sets nbf, the time before which the token is not valid (whole unix seconds).
func (c *Claims) NotBefore(t time.Time) *Claims { c.times[1] = optInt{true, t.Unix()}; return c }

// ExpiresAt sets exp, the expiry time (whole unix seconds). Sign fails with
// ErrInvalidArgument when exp is earlier than nbf or iat.
func (c *Claims) ExpiresAt(t time.Time) *Claims { c.times[2] = optInt{true, t.Unix()}; return c }

// ExpiresIn makes the token valid for d from the time it is signed: iat = now and
// exp = now + d, in whole seconds (d's sub-second part is dropped). d must be at least one
// second (else Sign returns ErrInvalidArgument). "now" is the clock when Sign runs, or the
// time given to At.
func (c *Claims) ExpiresIn(d time.Duration) *Claims { return c.Validity(0, d) }

// Validity is ExpiresIn(lifetime) with nbf = now - skew as well: a small back-dated nbf keeps
// the token usable when the server's clock is slightly behind. skew must not be negative
// (zero means no nbf, exactly as ExpiresIn) and lifetime must be at least one second.
func (c *Claims) Validity(skew, lifetime time.Duration) *Claims {
	switch {
	case lifetime < time.Second:
		c.fail(invalid("Claims.ExpiresIn/Validity: the lifetime must be at least one second, got " + lifetime.String()))
	case skew < 0:
		c.fail(invalid("Claims.Validity: the skew must not be negative, got " + skew.String()))
	}
	c.relative, c.lifetime, c.skew = true, int64(lifetime/time.Second), int64(skew/time.Second)
	return c
}

// At fixes the "now" that ExpiresIn and Validity count from (whole unix seconds), for
// reproducible tokens; without it Sign reads the clock. Without ExpiresIn or Validity, Sign
// returns ErrInvalidArgument (as dst_mint does for a "now" without a lifetime).
func (c *Claims) At(now time.Time) *Claims { c.now = optInt{true, now.Unix()}; return c }

// Custom sets a custom claim to value marshalled with encoding/json (a string, number, bool,
// map, slice, struct, json.RawMessage, ...). Setting a name again replaces its value in
// place; custom claims appear after the registered ones in the order first set. Registered
// names (td, u, exp, ...) must get their own JSON type; the library checks when signing.
func (c *Claims) Custom(name string, value any) *Claims {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(value); err != nil {
		c.fail(invalid("Claims.Custom: claim \"" + name + "\": " + err.Error()))
		return c
	}
	return c.CustomJSON(name, strings.TrimSuffix(buf.String(), "\n"))
}

// CustomJSON sets a custom claim to one JSON value given as text (object, array, number,
// string, true, false or null). The library validates it when signing (RFC 8259; duplicate
// member names and nesting deeper than 128 are refused: ErrInvalidArgument) and stores it
// compactly.
func (c *Claims) CustomJSON(name, jsonText string) *Claims {
	for i := range c.custom {
		if c.custom[i].name == name {
			c.custom[i].json = jsonText
			return c
		}
	}
	c.custom = append(c.custom, customClaim{name, jsonText})
	return c
}

func (c *Claims) fail(err error) {
	if c.err == nil {
		c.err = err
	}
}

// check applies the builder's own rules (those of dst_mint): a recorded setter error, explicit
// times excluding ExpiresIn/Validity, At only with them.
func (c *Claims) check() error {
	if c.err != nil {
		return c.err
	}
	explicit := c.times[0].set || c.times[1].set || c.times[2].set
	if c.relative && explicit {
		return invalid("Claims: ExpiresIn/Validity cannot be combined with IssuedAt, NotBefore or ExpiresAt")
	}
	if c.now.set && !c.relative {
		return invalid("Claims.At: the time only applies to ExpiresIn or Validity, and neither is set")
	}
	return nil
}

// mintFields lays the claims out for dst_mint, and reports false when dst_mint cannot express
// them: custom claims, a string holding U+0000, or a time of 0 (which dst_mint reads as absent).
func (c *Claims) mintFields() (*mintFields, bool) {
	if len(c.custom) > 0 || (c.now.set && c.now.v == 0) {
		return nil, false
	}
	m := &mintFields{}
	for i, s := range c.str {
		if strings.IndexByte(s.v, 0) >= 0 {
			return nil, false
		}
		m.str(i, s.set, s.v)
	}
	for i, t := range c.times {
		if t.set && t.v == 0 {
			return nil, false
		}
		m.f[8+i] = t.v
	}
	if c.relative {
		m.f[11], m.f[12], m.f[13] = c.lifetime, c.skew, c.now.v
	}
	return m, true
}

// encode lays the claims out for godst_sign_ops (the dst_claims setters): NUL-terminated
// strings in blob and (kind, a, b) triples in ops.
func (c *Claims) encode() (blob []byte, ops []int64, err error) {
	add := func(s string) int64 {
		off := int64(len(blob))
		blob = append(append(blob, s...), 0)
		return off
	}
	for i, s := range c.str {
		if !s.set {
			continue
		}
		if strings.IndexByte(s.v, 0) >= 0 {
			// A C string cannot carry U+0000: pass the value as a JSON string instead (after
			// the UTF-8 check the setter would make: encoding/json would replace bad bytes).
			if !utf8.ValidString(s.v) {
				return nil, nil, &Error{Status: ErrInvalidUTF8, Message: "Claims.Sign: claim " + quote(stringClaimNames[i]) + " is not valid UTF-8"}
			}
			j, _ := json.Marshal(s.v) // a valid string always marshals exactly
			ops = append(ops, opJSON, add(stringClaimNames[i]), add(string(j)))
			continue
		}
		ops = append(ops, int64(opTeamID+i), add(s.v), 0)
	}
	for i, t := range c.times {
		if t.set {
			ops = append(ops, int64(opIssuedAt+i), t.v, 0)
		}
	}
	if c.relative {
		switch {
		case !c.now.set && c.skew == 0:
			ops = append(ops, opExpiresIn, c.lifetime, 0)
		case !c.now.set:
			ops = append(ops, opValidity, c.skew, c.lifetime)
		default:
			now := c.now.v
			if now > math.MaxInt64-c.lifetime || now < math.MinInt64+c.skew {
				return nil, nil, invalid("Claims: At() plus the lifetime (or minus the skew) overflows a 64-bit time")
			}
			ops = append(ops, opIssuedAt, now, 0)
			if c.skew > 0 {
				ops = append(ops, opNotBefore, now-c.skew, 0)
			}
			ops = append(ops, opExpiresAt, now+c.lifetime, 0)
		}
	}
	for _, cc := range c.custom {
		if strings.IndexByte(cc.name, 0) >= 0 {
			return nil, nil, invalid("Claims.Custom: the claim name " + quote(cc.name) + " contains a NUL byte")
		}
		if strings.IndexByte(cc.json, 0) >= 0 {
			return nil, nil, invalid("Claims.CustomJSON: the JSON text of claim " + quote(cc.name) + " contains a NUL byte (write it as \\u0000)")
		}
		ops = append(ops, opJSON, add(cc.name), add(cc.json))
	}
	if len(blob) == 0 {
		blob = []byte{0}
	}
	return blob, ops, nil
}

func quote(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// Sign sets the claims and signs them with key in one native call, returning the token
// (header.payload.signature, HS256, base64url without padding).
//
// Errors (*Error, match with errors.Is): ErrMissingClaim without TeamID or Room;
// ErrInvalidArgument for an empty td/rd, exp before nbf or iat, bad custom JSON, a custom
// claim of the wrong type for a registered name, or a builder error recorded earlier;
// ErrInvalidUTF8 for a string that is not valid UTF-8; ErrNullArgument for a nil key;
// ErrClosed after key.Close().
//
// Concurrency: safe to call from many goroutines with the same key and Claims, as long as no
// goroutine modifies the Claims meanwhile.
func (c *Claims) Sign(key *Key) (string, error) {
	if err := c.check(); err != nil {
		return "", err
	}
	if m, ok := c.mintFields(); ok {
		return m.mint("Claims.Sign", key, nil)
	}
	return c.signClaims(key)
}

// signClaims signs through the dst_claims setters and dst_sign, in one cgo call.
func (c *Claims) signClaims(key *Key) (string, error) {
	blob, ops, err := c.encode()
	if err != nil {
		return "", err
	}
	var token string
	err = key.use("Claims.Sign", func(k *C.dst_key) error {
		var opsPtr *C.int64_t
		if len(ops) > 0 {
			opsPtr = (*C.int64_t)(unsafe.Pointer(&ops[0]))
		}
		var out, msg *C.char
		s := C.godst_sign_ops(bytePtr(blob), opsPtr, C.size_t(len(ops)/3), k, &out, &msg)
		if s != C.DST_OK {
			return statusError(s, msg)
		}
		token = takeString(out)
		return nil
	})
	return token, err
}
