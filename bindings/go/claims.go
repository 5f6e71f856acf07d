package dstoken

import (
	"bytes"
	"encoding/json"
	"strings"
	"time"
)

// The registered string claims, in the builder's slots (opTeamID ... opAvatar).
var stringClaimNames = [8]string{"td", "rd", "u", "ud", "initials", "role", "breakoutId", "avatar"}

type optString struct {
	set bool
	v   string
}

type optTime struct {
	set bool
	v   int64
}

type customClaim struct {
	name, json string
}

// Claims builds a room token's claims on the Go side; Sign then signs them in one native call
// (through dst_mint, which applies every rule of the one-call mint, and for custom claims the
// custom-claim setters and dst_sign). Each setter returns the Claims, so calls chain:
//
//	token, err := dstoken.NewClaims().TeamID(teamID).Room("daily-standup").
//		UserName("John Smith").Role("moderator").ExpiresIn(time.Hour).Sign(key)
//
// Setting a claim again replaces it. The library checks the values when signing: Sign
// requires an expiry (ExpiresIn, Validity or ExpiresAt) unless NoExpiry is called, refuses an
// ExpiresAt that is not after the time of signing, times outside 1970..9999, lifetimes that
// are not whole seconds or longer than MaxLifetime, and the registered claim names given to
// Custom.
//
// The payload is compact JSON in a fixed order — td, rd, u, ud, initials, role, breakoutId,
// avatar, iat, nbf, exp, then custom claims in the order first set — so the same claims
// always give the same token, byte for byte the one every other dstoken binding makes.
//
// Concurrency: a Claims must not be modified while another goroutine uses it; any number of
// goroutines may Sign the same unchanging Claims at once. The zero value is an empty Claims.
type Claims struct {
	str         [8]optString
	times       [3]optTime // iat, nbf, exp
	lifetime    time.Duration
	skew        time.Duration
	now         int64 // At; 0 reads the clock
	maxLifetime time.Duration
	noExpiry    bool
	custom      []customClaim
	err         error
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
// Times outside 1970-01-01 .. 9999-12-31T23:59:59Z, the zero time.Time included, are refused
// by Sign (ErrInvalidArgument; a time that looks like milliseconds is named as such); the same
// holds for NotBefore, ExpiresAt and At.
func (c *Claims) IssuedAt(t time.Time) *Claims { c.times[0] = optTime{true, t.Unix()}; return c }

// NotBefore sets nbf, the time before which the token is not valid (whole unix seconds).
func (c *Claims) NotBefore(t time.Time) *Claims { c.times[1] = optTime{true, t.Unix()}; return c }

// ExpiresAt sets exp, the expiry time (whole unix seconds). Sign fails with
// ErrInvalidArgument when exp is earlier than nbf or iat, or not after the time of signing
// (the clock, or At): a token is never minted already expired.
func (c *Claims) ExpiresAt(t time.Time) *Claims { c.times[2] = optTime{true, t.Unix()}; return c }

// ExpiresIn makes the token valid for d from the time it is signed: iat = now and
// exp = now + d. d must be positive, whole seconds (a time.Duration counts nanoseconds:
// ExpiresIn(3600) is 3.6 µs, refused; give time.Hour) and at most MaxLifetime (30 days by
// default); else Sign returns ErrInvalidArgument. "now" is the clock when Sign runs, or the
// time given to At.
func (c *Claims) ExpiresIn(d time.Duration) *Claims { return c.Validity(0, d) }

// Validity is ExpiresIn(lifetime) with nbf = now - skew as well: a small back-dated nbf keeps
// the token usable when the server's clock is slightly behind. skew must not be negative
// (zero means no nbf, exactly as ExpiresIn) and, like lifetime, whole seconds.
func (c *Claims) Validity(skew, lifetime time.Duration) *Claims {
	c.lifetime, c.skew = lifetime, skew
	return c
}

// MaxLifetime sets the longest lifetime ExpiresIn and Validity accept (whole seconds); zero
// means the library's default, 30 days. A longer lifetime is refused, so that one given in
// the wrong unit is not signed as a weeks-long token: raise it to sign longer-lived tokens on
// purpose.
func (c *Claims) MaxLifetime(d time.Duration) *Claims { c.maxLifetime = d; return c }

// At fixes the time the token is signed at (whole unix seconds), for reproducible tokens:
// ExpiresIn and Validity count from it, and an ExpiresAt must be after it. Without At, Sign
// reads the clock; so does At(time.Unix(0, 0)), as a now of 0 does in every front end.
func (c *Claims) At(now time.Time) *Claims { c.now = now.Unix(); return c }

// NoExpiry lets Sign make a token without exp, one that never expires. Without an expiry
// (ExpiresIn, Validity or ExpiresAt) and without NoExpiry, Sign returns ErrInvalidArgument; with
// both, too.
func (c *Claims) NoExpiry() *Claims { c.noExpiry = true; return c }

// Custom sets a custom claim to value marshalled with encoding/json (a string, number, bool,
// map, slice, struct, json.RawMessage, ...). Setting a name again replaces its value in
// place; custom claims appear after the registered ones in the order first set. The library
// refuses the registered names (td rd u ud initials role breakoutId avatar iat nbf exp) when
// signing (ErrInvalidArgument, ReasonRegisteredName, Other naming the method to use), so
// data passed through Custom can never override them; Go refuses NaN and infinities (no JSON
// form).
func (c *Claims) Custom(name string, value any) *Claims {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(value); err != nil {
		c.fail(&Error{Status: ErrInvalidArgument, Reason: ReasonBadJSON, Argument: ArgJSONText, Name: name,
			Op: "Claims.Custom", Message: "Claims.Custom: claim " + quote(name) + ": " + err.Error()})
		return c
	}
	return c.CustomJSON(name, strings.TrimSuffix(buf.String(), "\n"))
}

// CustomJSON sets a custom claim to one JSON value given as text (object, array, number,
// string, true, false or null). The library validates it when signing (RFC 8259; duplicate
// member names and nesting deeper than 128 are refused: ErrInvalidArgument) and stores it
// compactly. The registered names are refused, as for Custom.
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

func quote(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// fields lays the claims out for godst_sign: the registered claims and times as a
// dst_room_token, and as operations on the minted claims what dst_mint cannot carry (custom
// claims; strings holding U+0000; times at the Unix epoch, which dst_mint reads as absent).
func (c *Claims) fields(op string) (*mintFields, error) {
	if c.err != nil {
		return nil, c.err
	}
	m := &mintFields{}
	for i, s := range c.str {
		if err := m.str(op, i, s.set, s.v, true); err != nil {
			return nil, err
		}
	}
	for i, t := range c.times {
		m.f[fIssuedAt+i] = t.v
		if t.set && t.v == 0 {
			m.ops = append(m.ops, int64(opIssuedAt+i), 0, 0)
		}
	}
	m.f[fNow] = c.now
	m.lifetime(c.lifetime)
	var err error
	if m.f[fSkew], err = wholeSeconds(op, ArgSkew, c.skew); err != nil {
		return nil, err
	}
	if m.f[fMaxLifetime], err = wholeSeconds(op, ArgMaxLifetime, c.maxLifetime); err != nil {
		return nil, err
	}
	if c.noExpiry {
		m.f[fNoExpiry] = 1
	}
	for _, cc := range c.custom {
		if strings.IndexByte(cc.name, 0) >= 0 {
			return nil, nulError("Claims.Custom", ArgClaimName, "")
		}
		if strings.IndexByte(cc.json, 0) >= 0 {
			return nil, nulError("Claims.CustomJSON", ArgJSONText, " (write it as \\u0000)")
		}
		m.ops = append(m.ops, opCustom, m.add(cc.name), m.add(cc.json))
	}
	return m, nil
}

// Sign signs the claims with key in one native call, returning the token
// (header.payload.signature, HS256, base64url without padding).
//
// Errors (*Error, match with errors.Is): ErrMissingClaim without TeamID or Room;
// ErrInvalidArgument without an expiry (ExpiresIn, Validity, ExpiresAt; or NoExpiry), with an
// ExpiresAt not after the time of signing, for an empty td/rd, exp before nbf or iat, a
// lifetime that is not whole seconds or is longer than MaxLifetime, bad custom JSON, a
// registered name as a custom claim; ErrInvalidUTF8 for a string that is not valid UTF-8;
// ErrNullArgument for a nil key; ErrClosed after key.Close().
//
// Concurrency: safe to call from many goroutines with the same key and Claims, as long as no
// goroutine modifies the Claims meanwhile.
func (c *Claims) Sign(key *Key) (string, error) {
	m, err := c.fields("Claims.Sign")
	if err != nil {
		return "", err
	}
	return m.mint("Claims.Sign", key, nil)
}
