package dstoken

import (
	"bytes"
	"encoding/json"
	"strings"
	"time"
	"unicode/utf8"
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
// Setting a claim again replaces it. A setter given an unusable value (a lifetime that is not
// positive, the zero time.Time, a time outside 1970..9999, a registered name or NaN as a custom
// claim) records the first such error, which Sign returns; everything else (empty td/rd,
// invalid UTF-8, exp before iat, ...) is checked when signing. Sign requires an expiry
// (ExpiresIn, Validity or ExpiresAt) unless NoExpiry is called, and refuses an ExpiresAt that
// is not after the time of signing.
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
	noExpiry bool
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

func (c *Claims) setTime(slot *optInt, what string, t time.Time) *Claims {
	v, err := tokenTime("Claims."+what, t)
	if err != nil {
		c.fail(err)
		return c
	}
	*slot = optInt{true, v}
	return c
}

// IssuedAt sets iat to t in whole unix seconds (t.Unix(); sub-second parts are dropped).
// Explicit times and ExpiresIn/Validity exclude each other (Sign returns ErrInvalidArgument).
// The zero time.Time and times outside 1970-01-01 .. 9999-12-31T23:59:59Z are refused
// (ErrInvalidArgument from Sign; a time that looks like milliseconds is named as such); the
// same holds for NotBefore, ExpiresAt and At.
func (c *Claims) IssuedAt(t time.Time) *Claims { return c.setTime(&c.times[0], "IssuedAt", t) }

// NotBefore sets nbf, the time before which the token is not valid (whole unix seconds).
func (c *Claims) NotBefore(t time.Time) *Claims { return c.setTime(&c.times[1], "NotBefore", t) }

// ExpiresAt sets exp, the expiry time (whole unix seconds). Sign fails with
// ErrInvalidArgument when exp is earlier than nbf or iat, or not after the time of signing
// (the clock, or At): a token is never minted already expired.
func (c *Claims) ExpiresAt(t time.Time) *Claims { return c.setTime(&c.times[2], "ExpiresAt", t) }

// ExpiresIn makes the token valid for d from the time it is signed: iat = now and
// exp = now + d, in whole seconds (a fraction of a second rounds up). d must be positive
// (else Sign returns ErrInvalidArgument). "now" is the clock when Sign runs, or the time
// given to At.
func (c *Claims) ExpiresIn(d time.Duration) *Claims { return c.relativeTimes("Claims.ExpiresIn", 0, d) }

// Validity is ExpiresIn(lifetime) with nbf = now - skew as well: a small back-dated nbf keeps
// the token usable when the server's clock is slightly behind. skew must not be negative
// (zero means no nbf, exactly as ExpiresIn; whole seconds, the fraction dropped) and lifetime
// must be positive (rounded up to whole seconds).
func (c *Claims) Validity(skew, lifetime time.Duration) *Claims {
	return c.relativeTimes("Claims.Validity", skew, lifetime)
}

func (c *Claims) relativeTimes(op string, skew, lifetime time.Duration) *Claims {
	switch {
	case lifetime <= 0:
		c.fail(invalid(op + ": the lifetime must be positive, got " + lifetime.String()))
	case skew < 0:
		c.fail(invalid(op + ": the skew must not be negative, got " + skew.String()))
	}
	c.relative, c.lifetime, c.skew = true, ceilSeconds(max(lifetime, 0)), int64(max(skew, 0)/time.Second)
	return c
}

// At fixes the time the token is signed at (whole unix seconds), for reproducible tokens:
// ExpiresIn and Validity count from it, and an ExpiresAt must be after it. Without At, Sign
// reads the clock; so does At(time.Unix(0, 0)), as a now of 0 does in every front end.
func (c *Claims) At(now time.Time) *Claims { return c.setTime(&c.now, "At", now) }

// NoExpiry lets Sign make a token without exp, one that never expires. Without an expiry
// (ExpiresIn, Validity or ExpiresAt) and without NoExpiry, Sign returns ErrInvalidArgument; with
// both, too.
func (c *Claims) NoExpiry() *Claims { c.noExpiry = true; return c }

// registeredSetter names the method that sets each registered claim.
var registeredSetter = map[string]string{
	"td": "TeamID()", "rd": "Room()", "u": "UserName()", "ud": "UserID()", "initials": "Initials()",
	"role": "Role()", "breakoutId": "BreakoutID()", "avatar": "Avatar()", "iat": "IssuedAt()",
	"nbf": "NotBefore()", "exp": "ExpiresAt() or ExpiresIn()",
}

// registered records the refusal of a registered claim name given as a custom claim.
func (c *Claims) registered(op, name string) bool {
	setter, ok := registeredSetter[name]
	if ok {
		c.fail(invalid(op + ": " + quote(name) + " is a registered claim; set it with " + setter + ", not as a custom claim"))
	}
	return ok
}

// Custom sets a custom claim to value marshalled with encoding/json (a string, number, bool,
// map, slice, struct, json.RawMessage, ...). Setting a name again replaces its value in
// place; custom claims appear after the registered ones in the order first set. The
// registered names (td rd u ud initials role breakoutId avatar iat nbf exp) are refused
// (Sign returns ErrInvalidArgument naming the method to use, e.g. Role()), so data passed
// through Custom can never override them; so are NaN and infinities (no JSON form).
func (c *Claims) Custom(name string, value any) *Claims {
	if c.registered("Claims.Custom", name) {
		return c
	}
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
// compactly. The registered names are refused, as for Custom.
func (c *Claims) CustomJSON(name, jsonText string) *Claims {
	if c.registered("Claims.CustomJSON", name) {
		return c
	}
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

// plan applies the builder's rules (see tokenPlan.resolve) after a recorded setter error.
func (c *Claims) plan() ([3]optInt, int64, error) {
	if c.err != nil {
		return [3]optInt{}, 0, c.err
	}
	p := tokenPlan{op: "Claims.Sign", builder: true, hasTD: c.str[0].set, hasRD: c.str[1].set, times: c.times,
		relative: c.relative, lifetime: c.lifetime, skew: c.skew, now: c.now, noExpiry: c.noExpiry}
	return p.resolve()
}

// check reports the error Sign would return before calling the library, if any.
func (c *Claims) check() error {
	_, _, err := c.plan()
	return err
}

// mintFields lays the claims out for dst_mint with the resolved times, and reports false when
// dst_mint cannot express them: custom claims, a string holding U+0000, or a time of 0 (which
// dst_mint reads as absent).
func (c *Claims) mintFields(times [3]optInt, now int64) (*mintFields, bool) {
	if len(c.custom) > 0 {
		return nil, false
	}
	m := &mintFields{}
	for i, s := range c.str {
		if strings.IndexByte(s.v, 0) >= 0 {
			return nil, false
		}
		m.str(i, s.set, s.v)
	}
	if c.noExpiry {
		m.f[14] = 1
	}
	if now == 0 { // dst_mint reads a now of 0 as the clock
		return nil, false
	}
	m.f[13] = now // relative times count from it; an explicit exp must be after it
	if c.relative {
		m.f[11], m.f[12] = c.lifetime, c.skew
		return m, true
	}
	for i, t := range times {
		if t.set && t.v == 0 {
			return nil, false
		}
		m.f[8+i] = t.v
	}
	return m, true
}

// encode lays the claims out for godst_sign_ops (the dst_claims setters): NUL-terminated
// strings in blob and (kind, a, b) triples in ops.
func (c *Claims) encode(times [3]optInt) (blob []byte, ops []int64, err error) {
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
	for i, t := range times {
		if t.set {
			ops = append(ops, int64(opIssuedAt+i), t.v, 0)
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
// ErrInvalidArgument without an expiry (ExpiresIn, Validity, ExpiresAt; or NoExpiry), with an
// ExpiresAt not after the time of signing, for an empty td/rd, exp before nbf or iat, bad
// custom JSON, a registered name as a custom claim, or a builder error recorded earlier;
// ErrInvalidUTF8 for a string that is not valid UTF-8; ErrNullArgument for a nil key;
// ErrClosed after key.Close().
//
// Concurrency: safe to call from many goroutines with the same key and Claims, as long as no
// goroutine modifies the Claims meanwhile.
func (c *Claims) Sign(key *Key) (string, error) {
	times, now, err := c.plan()
	if err != nil {
		return "", err
	}
	if m, ok := c.mintFields(times, now); ok {
		return m.mint("Claims.Sign", key, nil)
	}
	return c.signSetters(key, times)
}

// signClaims signs through the dst_claims setters and dst_sign (the path custom claims take),
// after the same checks as Sign.
func (c *Claims) signClaims(key *Key) (string, error) {
	times, _, err := c.plan()
	if err != nil {
		return "", err
	}
	return c.signSetters(key, times)
}

// signSetters signs the claims with the given times through the dst_claims setters and
// dst_sign, in one cgo call.
func (c *Claims) signSetters(key *Key, times [3]optInt) (string, error) {
	blob, ops, err := c.encode(times)
	if err != nil {
		return "", err
	}
	var token string
	err = key.use("Claims.Sign", func(k keyHandle) (err error) {
		token, err = nativeSignOps("Claims.Sign", blob, ops, k)
		return err
	})
	return token, err
}
