package dstoken

/*
#include "godst.h"
*/
import "C"

import (
	"encoding/json"
	"math"
	"strconv"
	"strings"
	"sync"
	"time"
)

// VerifyOption adjusts Verify: WithTime, WithLeeway.
type VerifyOption func(*verifyConfig)

type verifyConfig struct {
	now    time.Time
	leeway time.Duration
}

// WithTime verifies as if the current time were now (whole unix seconds) instead of
// time.Now(); the zero time.Time means time.Now().
func WithTime(now time.Time) VerifyOption { return func(c *verifyConfig) { c.now = now } }

// WithLeeway allows this much clock difference for exp, nbf and iat (default 0). It counts in
// whole seconds, the sub-second part dropped (never widening the window), up to 2^32-1 s; a
// negative or larger leeway makes Verify return ErrInvalidArgument.
func WithLeeway(d time.Duration) VerifyOption { return func(c *verifyConfig) { c.leeway = d } }

// VerifiedClaims are the claims of a verified token. The registered claims are decoded into
// the fields; every claim, custom ones included, is available as JSON through Get and Decode.
// A VerifiedClaims is plain Go data: it owns no native memory and is safe to share.
type VerifiedClaims struct {
	// TeamID (td), Room (rd), UserName (u), UserID (ud), Initials (initials), Role (role),
	// BreakoutID (breakoutId), Avatar (avatar): "" when absent or not a JSON string (use Get
	// to tell these apart).
	TeamID, Room, UserName, UserID, Initials, Role, BreakoutID, Avatar string
	// IssuedAt (iat), NotBefore (nbf), ExpiresAt (exp): the zero time.Time when absent.
	IssuedAt, NotBefore, ExpiresAt time.Time

	payload string
	once    sync.Once
	claims  map[string]json.RawMessage // decoded on first Get or Decode
}

// JSON returns the payload as compact JSON text, claims in token order.
func (v *VerifiedClaims) JSON() string { return v.payload }

// Get returns a claim's compact JSON value, and false when the token has no such claim.
func (v *VerifiedClaims) Get(name string) (json.RawMessage, bool) {
	r, ok := v.all()[name]
	return r, ok
}

// Decode unmarshals the named claim into dst with encoding/json. Errors: an *Error with
// ErrNotFound when the claim is absent, else encoding/json's error.
func (v *VerifiedClaims) Decode(name string, dst any) error {
	r, ok := v.all()[name]
	if !ok {
		return &Error{Status: ErrNotFound, Message: "VerifiedClaims.Decode: no claim " + quote(name)}
	}
	return json.Unmarshal(r, dst)
}

// Verify checks token against key and returns its claims. It checks, as the C dst_verify:
// the length (at most 65536 bytes), a strict compact HS256 JWT (alg exactly "HS256"; none and
// every other algorithm refused), the HMAC-SHA256 signature in constant time, a JSON-object
// payload whose exp/nbf/iat are 64-bit integers, then the times against now (time.Now()
// unless WithTime) and the leeway: expired when now >= exp + leeway, not yet valid when
// now + leeway < nbf or iat > now + leeway. td and rd are not required.
//
// Errors (*Error, match with errors.Is): ErrMalformedToken (including a token containing a
// NUL byte, and a URL: pass the token alone), ErrUnsupportedAlgorithm, ErrBadSignature, ErrExpired, ErrNotYetValid,
// ErrInvalidUTF8, ErrInvalidArgument (a negative or too large leeway), ErrNullArgument for a
// nil key; ErrClosed after key.Close().
//
// Concurrency: any number of goroutines may verify with the same key at once.
func Verify(token string, key *Key, opts ...VerifyOption) (*VerifiedClaims, error) {
	cfg := verifyConfig{}
	for _, o := range opts {
		o(&cfg)
	}
	if cfg.now.IsZero() {
		cfg.now = time.Now()
	}
	if cfg.leeway < 0 || cfg.leeway/time.Second > math.MaxUint32 {
		return nil, invalid("Verify: the leeway must be between 0 and 2^32-1 seconds, got " + cfg.leeway.String())
	}
	if strings.IndexByte(token, 0) >= 0 {
		return nil, &Error{Status: ErrMalformedToken, Message: "Verify: the token contains a NUL byte"}
	}
	if looksLikeURL(token) {
		return nil, &Error{Status: ErrMalformedToken, Message: "Verify: this is a URL, not a token; pass the token alone " +
			"(a join URL carries it in its token parameter: u, _ := url.Parse(s); u.Query().Get(\"token\"))"}
	}
	tok := cstr(token)
	var payload string
	err := key.use("Verify", func(k *C.dst_key) error {
		var out, msg *C.char
		s := C.godst_verify(bytePtr(tok), k, C.int64_t(cfg.now.Unix()), C.uint32_t(cfg.leeway/time.Second), &out, &msg)
		if s != C.DST_OK {
			return statusError("Verify", s, msg)
		}
		payload = takeString(out)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return parsePayload(payload)
}

// looksLikeURL: a string starting with http:// or https:// (any case) or containing ?token=.
func looksLikeURL(s string) bool {
	l := strings.ToLower(s[:min(len(s), 8)])
	return strings.HasPrefix(l, "http://") || strings.HasPrefix(l, "https://") || strings.Contains(s, "?token=")
}

// registeredClaims picks the registered claims out of a payload in one decoding pass.
type registeredClaims struct {
	TeamID     json.RawMessage `json:"td"`
	Room       json.RawMessage `json:"rd"`
	UserName   json.RawMessage `json:"u"`
	UserID     json.RawMessage `json:"ud"`
	Initials   json.RawMessage `json:"initials"`
	Role       json.RawMessage `json:"role"`
	BreakoutID json.RawMessage `json:"breakoutId"`
	Avatar     json.RawMessage `json:"avatar"`
	IssuedAt   json.RawMessage `json:"iat"`
	NotBefore  json.RawMessage `json:"nbf"`
	ExpiresAt  json.RawMessage `json:"exp"`
}

func parsePayload(payload string) (*VerifiedClaims, error) {
	v := &VerifiedClaims{payload: payload}
	var r registeredClaims
	if err := json.Unmarshal([]byte(payload), &r); err != nil {
		return nil, &Error{Status: ErrInternal, Message: "Verify: the library's payload JSON did not parse: " + err.Error()}
	}
	for _, f := range [...]struct {
		raw json.RawMessage
		dst *string
	}{{r.TeamID, &v.TeamID}, {r.Room, &v.Room}, {r.UserName, &v.UserName}, {r.UserID, &v.UserID},
		{r.Initials, &v.Initials}, {r.Role, &v.Role}, {r.BreakoutID, &v.BreakoutID}, {r.Avatar, &v.Avatar}} {
		if len(f.raw) > 0 && f.raw[0] == '"' {
			_ = json.Unmarshal(f.raw, f.dst) // a JSON string always decodes
		}
	}
	for _, f := range [...]struct {
		raw json.RawMessage
		dst *time.Time
	}{{r.IssuedAt, &v.IssuedAt}, {r.NotBefore, &v.NotBefore}, {r.ExpiresAt, &v.ExpiresAt}} {
		if n, err := strconv.ParseInt(string(f.raw), 10, 64); err == nil { // the library guarantees int64
			*f.dst = time.Unix(n, 0)
		}
	}
	return v, nil
}

// all decodes every claim, once, on first use.
func (v *VerifiedClaims) all() map[string]json.RawMessage {
	v.once.Do(func() { _ = json.Unmarshal([]byte(v.payload), &v.claims) })
	return v.claims
}

// JoinURL builds the URL that opens a Digital Samba room:
// https://<team>.digitalsamba.com/<room>?token=<token>. A team containing a dot is taken as a
// full custom domain (optionally with :port). The room is percent-encoded as one path
// segment. An empty token gives the public-room URL without a query.
//
// Errors (*Error): ErrInvalidArgument (invalid host characters, an unusable room such as ""
// or "..", a token with characters a compact JWT never has, or a NUL byte in any argument),
// ErrInvalidUTF8.
//
// Concurrency: safe from any goroutine.
func JoinURL(team, room, token string) (string, error) {
	for _, a := range [...]struct{ name, v string }{{"team", team}, {"room", room}, {"token", token}} {
		if strings.IndexByte(a.v, 0) >= 0 {
			return "", invalid("JoinURL: " + a.name + " contains a NUL byte")
		}
	}
	t, r := cstr(team), cstr(room)
	var tokp *C.char
	if token != "" {
		tokp = bytePtr(cstr(token))
	}
	var out, msg *C.char
	s := C.godst_join_url(bytePtr(t), bytePtr(r), tokp, &out, &msg)
	if s != C.DST_OK {
		return "", statusError("JoinURL", s, msg)
	}
	return takeString(out), nil
}
